//! The soft core's port to the copy engine: a descriptor is staged in 16
//! words (the [`tiledma_contract::EngineDescriptor`] layout), queued with a
//! write to `ENG_PUSH`, and its status read and dropped at `ENG_STAT`.

use rust_hdl::prelude::*;

/// CPU-facing engine descriptor/status registers.
#[derive(LogicBlock, Default)]
pub struct EnginePort {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset.
    pub reset: Signal<In, Bit>,
    /// CPU access to this block this cycle.
    pub cpu_sel: Signal<In, Bit>,
    /// The access is a write.
    pub cpu_we: Signal<In, Bit>,
    /// Word offset of the access.
    pub cpu_addr: Signal<In, Bits<10>>,
    /// Write data.
    pub cpu_wdata: Signal<In, Bits<32>>,
    /// Read data, the cycle after the access.
    pub cpu_rdata: Signal<Out, Bits<32>>,
    /// Descriptor valid.
    pub desc_valid: Signal<Out, Bit>,
    /// Descriptor ready.
    pub desc_ready: Signal<In, Bit>,
    /// The staged descriptor, packed as in memory (512 bits).
    pub desc: Signal<Out, Bits<512>>,
    /// Status valid.
    pub stat_valid: Signal<In, Bit>,
    /// Status tag.
    pub stat_tag: Signal<In, Bits<16>>,
    /// Status error.
    pub stat_error: Signal<In, Bits<8>>,
    /// Drop the status.
    pub stat_ready: Signal<Out, Bit>,
    /// The engine is idle.
    pub engine_idle: Signal<In, Bit>,
    w0: DFF<Bits<32>>,
    w1: DFF<Bits<32>>,
    w2: DFF<Bits<32>>,
    w3: DFF<Bits<32>>,
    w4: DFF<Bits<32>>,
    w5: DFF<Bits<32>>,
    w6: DFF<Bits<32>>,
    w7: DFF<Bits<32>>,
    w8: DFF<Bits<32>>,
    w9: DFF<Bits<32>>,
    w10: DFF<Bits<32>>,
    w11: DFF<Bits<32>>,
    w12: DFF<Bits<32>>,
    w13: DFF<Bits<32>>,
    w14: DFF<Bits<32>>,
    w15: DFF<Bits<32>>,
    pending: DFF<Bit>,
    rdata: DFF<Bits<32>>,
}

impl Logic for EnginePort {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15,
            pending, rdata
        );
        self.desc.next = bit_cast::<512, 32>(self.w0.q.val())
            | (bit_cast::<512, 32>(self.w1.q.val()) << 32)
            | (bit_cast::<512, 32>(self.w2.q.val()) << 64)
            | (bit_cast::<512, 32>(self.w3.q.val()) << 96)
            | (bit_cast::<512, 32>(self.w4.q.val()) << 128)
            | (bit_cast::<512, 32>(self.w5.q.val()) << 160)
            | (bit_cast::<512, 32>(self.w6.q.val()) << 192)
            | (bit_cast::<512, 32>(self.w7.q.val()) << 224)
            | (bit_cast::<512, 32>(self.w8.q.val()) << 256)
            | (bit_cast::<512, 32>(self.w9.q.val()) << 288)
            | (bit_cast::<512, 32>(self.w10.q.val()) << 320)
            | (bit_cast::<512, 32>(self.w11.q.val()) << 352)
            | (bit_cast::<512, 32>(self.w12.q.val()) << 384)
            | (bit_cast::<512, 32>(self.w13.q.val()) << 416)
            | (bit_cast::<512, 32>(self.w14.q.val()) << 448)
            | (bit_cast::<512, 32>(self.w15.q.val()) << 480);
        self.desc_valid.next = self.pending.q.val();
        if self.desc_ready.val() {
            self.pending.d.next = false;
        }
        self.stat_ready.next = false;
        self.cpu_rdata.next = self.rdata.q.val();
        if self.cpu_sel.val() {
            self.rdata.d.next = 0.into();
            match self.cpu_addr.val().index() {
                16 => {
                    self.rdata.d.next = bit_cast::<32, 1>(self.pending.q.val().into())
                        | (bit_cast::<32, 1>(self.engine_idle.val().into()) << 1);
                }
                17 => {
                    self.rdata.d.next = (bit_cast::<32, 1>(self.stat_valid.val().into()) << 31)
                        | (bit_cast::<32, 8>(self.stat_error.val()) << 16)
                        | bit_cast::<32, 16>(self.stat_tag.val());
                }
                _ => {}
            }
        }
        if self.cpu_sel.val() && self.cpu_we.val() {
            match self.cpu_addr.val().index() {
                0 => self.w0.d.next = self.cpu_wdata.val(),
                1 => self.w1.d.next = self.cpu_wdata.val(),
                2 => self.w2.d.next = self.cpu_wdata.val(),
                3 => self.w3.d.next = self.cpu_wdata.val(),
                4 => self.w4.d.next = self.cpu_wdata.val(),
                5 => self.w5.d.next = self.cpu_wdata.val(),
                6 => self.w6.d.next = self.cpu_wdata.val(),
                7 => self.w7.d.next = self.cpu_wdata.val(),
                8 => self.w8.d.next = self.cpu_wdata.val(),
                9 => self.w9.d.next = self.cpu_wdata.val(),
                10 => self.w10.d.next = self.cpu_wdata.val(),
                11 => self.w11.d.next = self.cpu_wdata.val(),
                12 => self.w12.d.next = self.cpu_wdata.val(),
                13 => self.w13.d.next = self.cpu_wdata.val(),
                14 => self.w14.d.next = self.cpu_wdata.val(),
                15 => self.w15.d.next = self.cpu_wdata.val(),
                16 => self.pending.d.next = true,
                17 => self.stat_ready.next = self.stat_valid.val(),
                _ => {}
            }
        }
        if self.reset.val() {
            self.pending.d.next = false;
        }
    }
}
