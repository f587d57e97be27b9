//! The engine in rust-hdl's own simulator: the same blocks the Verilog comes
//! from, evaluated natively. Slow, but independent of Verilator, so the
//! lock-step test can compare the two every cycle.

use crate::ffi::{EngineInputs, EngineOutputs};
use crate::memory::MasterOut;
use crate::model::EngineModel;
use rust_hdl::prelude::*;
use tiledma_hdl::engine::CopyEngine;

/// Upper bound on delta cycles for one evaluation to settle.
const MAX_DELTAS: usize = 1000;

/// rust-hdl native simulation of `CopyEngine<D, S, C>`.
pub struct NativeEngine<const D: usize, const S: usize, const C: usize> {
    uut: CopyEngine<D, S, C>,
}

impl<const D: usize, const S: usize, const C: usize> Default for NativeEngine<D, S, C> {
    fn default() -> Self {
        let mut uut = CopyEngine::new();
        uut.connect_all();
        Self { uut }
    }
}

fn wide_to_bits<const D: usize>(words: &[u64; 8]) -> Bits<D> {
    let mut b = Bits::<D>::default();
    for i in (0..D.div_ceil(64)).rev() {
        b = (b << 64) | bit_cast::<D, 64>(bits(words[i]));
    }
    b
}

fn bits_to_wide<const D: usize>(b: Bits<D>) -> [u64; 8] {
    let mut words = [0u64; 8];
    for (i, w) in words.iter_mut().enumerate().take(D.div_ceil(64)) {
        *w = b.get_bits::<64>(64 * i).to_u64();
    }
    words
}

impl<const D: usize, const S: usize, const C: usize> NativeEngine<D, S, C> {
    fn settle_deltas(&mut self) {
        assert!(
            simulate(&mut self.uut, MAX_DELTAS),
            "rust-hdl model did not settle"
        );
    }
}

impl<const D: usize, const S: usize, const C: usize> EngineModel for NativeEngine<D, S, C> {
    fn beat_bytes(&self) -> usize {
        S
    }

    fn settle(&mut self, i: &EngineInputs) -> EngineOutputs {
        let u = &mut self.uut;
        u.clock.next = false.into();
        u.reset.next = i.reset != 0;
        u.desc_valid.next = i.desc_valid != 0;
        u.desc_src_addr.next = bits(i.desc_src_addr);
        u.desc_dst_addr.next = bits(i.desc_dst_addr);
        u.desc_src_slice_pitch.next = bits(i.desc_src_slice_pitch);
        u.desc_dst_slice_pitch.next = bits(i.desc_dst_slice_pitch);
        u.desc_src_row_pitch.next = bits(i.desc_src_row_pitch as u64);
        u.desc_dst_row_pitch.next = bits(i.desc_dst_row_pitch as u64);
        u.desc_row_bytes.next = bits(i.desc_row_bytes as u64);
        u.desc_rows.next = bits(i.desc_rows as u64);
        u.desc_slices.next = bits(i.desc_slices as u64);
        u.desc_tag.next = bits(i.desc_tag as u64);
        u.desc_layout.next = bits(i.desc_layout as u64);
        u.stat_ready.next = i.stat_ready != 0;
        u.m_ar_ready.next = i.m.ar_ready != 0;
        u.m_r_valid.next = i.m.r_valid != 0;
        u.m_r_resp.next = bits(i.m.r_resp as u64);
        u.m_r_data.next = wide_to_bits::<D>(&i.m.r_data);
        u.m_aw_ready.next = i.m.aw_ready != 0;
        u.m_w_ready.next = i.m.w_ready != 0;
        u.m_b_valid.next = i.m.b_valid != 0;
        u.m_b_resp.next = bits(i.m.b_resp as u64);
        self.settle_deltas();
        let u = &self.uut;
        EngineOutputs {
            desc_ready: u.desc_ready.val() as u8,
            stat_valid: u.stat_valid.val() as u8,
            stat_error: u.stat_error.val().to_u8(),
            stat_tag: u.stat_tag.val().to_u16(),
            m: MasterOut {
                ar_valid: u.m_ar_valid.val() as u8,
                ar_addr: u.m_ar_addr.val().to_u64(),
                ar_len: u.m_ar_len.val().to_u8(),
                r_ready: u.m_r_ready.val() as u8,
                aw_valid: u.m_aw_valid.val() as u8,
                aw_addr: u.m_aw_addr.val().to_u64(),
                aw_len: u.m_aw_len.val().to_u8(),
                w_valid: u.m_w_valid.val() as u8,
                w_data: bits_to_wide::<D>(u.m_w_data.val()),
                w_strb: u.m_w_strb.val().to_u64(),
                w_last: u.m_w_last.val() as u8,
                b_ready: u.m_b_ready.val() as u8,
            },
            cnt_busy_cycles: u.cnt_busy_cycles.val().to_u64(),
            cnt_bytes: u.cnt_bytes.val().to_u64(),
            cnt_descriptors: u.cnt_descriptors.val().to_u64(),
            cnt_stall_cycles: u.cnt_stall_cycles.val().to_u64(),
            idle: u.idle.val() as u8,
        }
    }

    fn clock_edge(&mut self) {
        self.uut.clock.next = true.into();
        self.settle_deltas();
    }
}
