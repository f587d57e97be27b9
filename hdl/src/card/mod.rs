//! The card top: PicoRV32 soft core with its RAM, the register block (BAR0),
//! the copy engine with the CPU's descriptor port, and the CPU's bridge to
//! the DMA address space.
//!
//! ```text
//!  host ── BAR0 ──▶ RegFile ◀──┐                      ┌──▶ m_* (engine, 64 B/beat)
//!                     │ fw load │ CPU bus (decode)     │
//!                     ▼        │                      │
//!  FwRam ◀────────── PicoRV32 ─┼──▶ EnginePort ──▶ CopyEngine
//!                              └──▶ Bridge ──────────────▶ h_* (single 64 B beats)
//! ```
//!
//! Both master ports address the card's DMA space: host IOVAs below
//! `CARD_MEMORY_BASE`, card memory above it. The interconnect that routes
//! them (PCIe to the host, the memory controller to card memory) is outside
//! this module: the simulator models it, a board flow instantiates it.
//!
//! CPU map: RAM at 0, registers at `0x1000_0000`, engine port at
//! `0x1000_1000`, bridge at `0x1000_2000` (see `tiledma_contract::regs`).
//! RAM accesses end in the request's first cycle (reads start on the core's
//! look-ahead address a cycle earlier); peripheral accesses take two cycles
//! (address, then registered data).

mod bridge;
mod engine_port;
mod fw_ram;
mod picorv32;
mod regs;

pub use bridge::{Bridge, BridgeState};
pub use engine_port::EnginePort;
pub use fw_ram::FwRam;
pub use picorv32::PicoRv32;
pub use regs::{HwRead, RegFile, HW_CONSTANTS};

use crate::engine::CopyEngine64;
use rust_hdl::prelude::*;

/// Which block answers the CPU access in progress.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum CpuTarget {
    /// Firmware RAM.
    Ram,
    /// Register block.
    Regs,
    /// Engine port.
    Engine,
    /// Bridge.
    Bridge,
}

/// The whole card as it sits behind the PCIe core.
#[derive(LogicBlock, Default)]
pub struct Card {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Card reset (PCIe reset): everything to its power-on state.
    pub reset: Signal<In, Bit>,
    /// BAR0 access this cycle (one-cycle pulse; one access at a time).
    pub bar_valid: Signal<In, Bit>,
    /// The access is a write.
    pub bar_write: Signal<In, Bit>,
    /// Byte offset in BAR0.
    pub bar_addr: Signal<In, Bits<20>>,
    /// Write data.
    pub bar_wdata: Signal<In, Bits<32>>,
    /// Access done (the cycle after it).
    pub bar_ack: Signal<Out, Bit>,
    /// Read data, with `bar_ack`.
    pub bar_rdata: Signal<Out, Bits<32>>,
    /// Interrupt to the host (level).
    pub irq: Signal<Out, Bit>,
    /// The soft core trapped.
    pub cpu_trap: Signal<Out, Bit>,
    // ---- trace strobes (simulation timelines; a board may leave them open) ----
    /// The firmware hands the engine a descriptor this cycle.
    pub trace_issued: Signal<Out, Bit>,
    /// The engine starts running a descriptor this cycle.
    pub trace_started: Signal<Out, Bit>,
    /// The engine hands the firmware a descriptor's status this cycle.
    pub trace_done: Signal<Out, Bit>,
    // ---- engine master port ----
    /// AR valid.
    pub m_ar_valid: Signal<Out, Bit>,
    /// AR ready.
    pub m_ar_ready: Signal<In, Bit>,
    /// AR address.
    pub m_ar_addr: Signal<Out, Bits<64>>,
    /// AR beats - 1.
    pub m_ar_len: Signal<Out, Bits<8>>,
    /// R valid.
    pub m_r_valid: Signal<In, Bit>,
    /// R ready.
    pub m_r_ready: Signal<Out, Bit>,
    /// R data.
    pub m_r_data: Signal<In, Bits<512>>,
    /// R response.
    pub m_r_resp: Signal<In, Bits<2>>,
    /// AW valid.
    pub m_aw_valid: Signal<Out, Bit>,
    /// AW ready.
    pub m_aw_ready: Signal<In, Bit>,
    /// AW address.
    pub m_aw_addr: Signal<Out, Bits<64>>,
    /// AW beats - 1.
    pub m_aw_len: Signal<Out, Bits<8>>,
    /// W valid.
    pub m_w_valid: Signal<Out, Bit>,
    /// W ready.
    pub m_w_ready: Signal<In, Bit>,
    /// W data.
    pub m_w_data: Signal<Out, Bits<512>>,
    /// W strobes.
    pub m_w_strb: Signal<Out, Bits<64>>,
    /// W last.
    pub m_w_last: Signal<Out, Bit>,
    /// B valid.
    pub m_b_valid: Signal<In, Bit>,
    /// B ready.
    pub m_b_ready: Signal<Out, Bit>,
    /// B response.
    pub m_b_resp: Signal<In, Bits<2>>,
    // ---- bridge master port (single beats, len 0) ----
    /// AR valid.
    pub h_ar_valid: Signal<Out, Bit>,
    /// AR ready.
    pub h_ar_ready: Signal<In, Bit>,
    /// AR address.
    pub h_ar_addr: Signal<Out, Bits<64>>,
    /// R valid.
    pub h_r_valid: Signal<In, Bit>,
    /// R ready.
    pub h_r_ready: Signal<Out, Bit>,
    /// R data.
    pub h_r_data: Signal<In, Bits<512>>,
    /// R response.
    pub h_r_resp: Signal<In, Bits<2>>,
    /// AW valid.
    pub h_aw_valid: Signal<Out, Bit>,
    /// AW ready.
    pub h_aw_ready: Signal<In, Bit>,
    /// AW address.
    pub h_aw_addr: Signal<Out, Bits<64>>,
    /// W valid.
    pub h_w_valid: Signal<Out, Bit>,
    /// W ready.
    pub h_w_ready: Signal<In, Bit>,
    /// W data.
    pub h_w_data: Signal<Out, Bits<512>>,
    /// W strobes.
    pub h_w_strb: Signal<Out, Bits<64>>,
    /// B valid.
    pub h_b_valid: Signal<In, Bit>,
    /// B ready.
    pub h_b_ready: Signal<Out, Bit>,
    /// B response.
    pub h_b_resp: Signal<In, Bits<2>>,

    cpu: PicoRv32,
    ram: FwRam,
    regs: RegFile,
    eport: EnginePort,
    bridge: Bridge,
    engine: CopyEngine64,
    responding: DFF<Bit>,
    target: DFF<CpuTarget>,
    ram_hit: DFF<Bit>,
    fast_read: Signal<Local, Bit>,
    fast_write: Signal<Local, Bit>,
    cpu_req: Signal<Local, Bit>,
    cpu_we: Signal<Local, Bit>,
    cpu_periph: Signal<Local, Bit>,
}

impl Card {
    /// A card in its power-on state (firmware stack at the top of its RAM).
    pub fn new() -> Self {
        Self::default()
    }

    /// A card whose firmware RAM starts with `image` (32-bit words from
    /// address 0), for a board's bitstream. Its engine has no block mode:
    /// the staging RAM (16 block RAMs on ECP5) would not fit the Versa's
    /// limit, and a board's UART link is far slower than the piece path.
    pub fn with_firmware(image: &[u32]) -> Self {
        Self {
            ram: FwRam::with_image(image),
            engine: CopyEngine64::without_block_mode(),
            ..Default::default()
        }
    }
}

impl Logic for Card {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, responding, target, ram_hit);
        clock!(self, clock, cpu, ram, regs, eport, bridge, engine);
        self.regs.reset.next = self.reset.val();
        self.eport.reset.next = self.reset.val();
        self.bridge.reset.next = self.reset.val();
        self.engine.reset.next = self.reset.val() || self.regs.engine_reset.val();
        self.cpu.resetn.next = !self.reset.val() && self.regs.cpu_run.val();
        self.cpu_trap.next = self.cpu.trap.val();

        // ---- host BAR0 and interrupt ----
        self.regs.bar_valid.next = self.bar_valid.val();
        self.regs.bar_write.next = self.bar_write.val();
        self.regs.bar_addr.next = self.bar_addr.val();
        self.regs.bar_wdata.next = self.bar_wdata.val();
        self.bar_ack.next = self.regs.bar_ack.val();
        self.bar_rdata.next = self.regs.bar_rdata.val();
        self.irq.next = self.regs.irq.val();
        self.regs.cnt_busy.next = self.engine.cnt_busy_cycles.val();
        self.regs.cnt_bytes.next = self.engine.cnt_bytes.val();
        self.regs.cnt_descs.next = self.engine.cnt_descriptors.val();
        self.regs.cnt_stalls.next = self.engine.cnt_stall_cycles.val();

        // ---- CPU bus: RAM without wait states, peripherals a cycle later ----
        // A RAM read starts on the core's look-ahead address, the cycle
        // before `mem_valid`, so its data is there in the request's first
        // cycle; a RAM write is done at the edge that ends its request.
        // Peripherals are decoded from the request itself and answer the
        // next cycle: decoding them on the look-ahead address too saves
        // little and puts the core's look-ahead logic in front of every
        // peripheral's read path (35 MHz on the ULX3S, below its 40 MHz clock).
        self.ram_hit.d.next = self.cpu.mem_la_read.val() && !self.cpu.mem_la_addr.val().get_bit(28);
        self.fast_read.next = self.ram_hit.q.val() && self.cpu.mem_valid.val();
        self.fast_write.next = self.cpu.mem_valid.val()
            && self.cpu.mem_wstrb.val().any()
            && !self.cpu.mem_addr.val().get_bit(28);
        self.cpu_req.next = self.cpu.mem_valid.val()
            && !self.responding.q.val()
            && !self.fast_read.val()
            && !self.fast_write.val();
        self.cpu_we.next = self.cpu.mem_wstrb.val().any();
        self.cpu_periph.next = self.cpu.mem_addr.val().get_bit(28);
        self.responding.d.next = self.cpu_req.val();
        self.cpu.mem_ready.next =
            self.responding.q.val() || self.fast_read.val() || self.fast_write.val();
        self.regs.cpu_sel.next = self.cpu_req.val()
            && self.cpu_periph.val()
            && (self.cpu.mem_addr.val().get_bits::<2>(12) == 0);
        self.eport.cpu_sel.next = self.cpu_req.val()
            && self.cpu_periph.val()
            && (self.cpu.mem_addr.val().get_bits::<2>(12) == 1);
        self.bridge.cpu_sel.next = self.cpu_req.val()
            && self.cpu_periph.val()
            && (self.cpu.mem_addr.val().get_bits::<2>(12) == 2);
        self.regs.cpu_we.next = self.cpu_we.val();
        self.eport.cpu_we.next = self.cpu_we.val();
        self.bridge.cpu_we.next = self.cpu_we.val();
        self.regs.cpu_addr.next = self.cpu.mem_addr.val().get_bits::<10>(2);
        self.eport.cpu_addr.next = self.cpu.mem_addr.val().get_bits::<10>(2);
        self.bridge.cpu_addr.next = self.cpu.mem_addr.val().get_bits::<10>(2);
        self.regs.cpu_wdata.next = self.cpu.mem_wdata.val();
        self.eport.cpu_wdata.next = self.cpu.mem_wdata.val();
        self.bridge.cpu_wdata.next = self.cpu.mem_wdata.val();
        if self.cpu_req.val() {
            self.target.d.next = CpuTarget::Ram;
            if self.cpu_periph.val() {
                match self.cpu.mem_addr.val().get_bits::<2>(12).index() {
                    0 => self.target.d.next = CpuTarget::Regs,
                    1 => self.target.d.next = CpuTarget::Engine,
                    _ => self.target.d.next = CpuTarget::Bridge,
                }
            }
        }
        // `target` keeps the last peripheral access: RAM reads override it.
        self.cpu.mem_rdata.next = self.ram.read_data.val();
        if !self.fast_read.val() {
            match self.target.q.val() {
                CpuTarget::Regs => self.cpu.mem_rdata.next = self.regs.cpu_rdata.val(),
                CpuTarget::Engine => self.cpu.mem_rdata.next = self.eport.cpu_rdata.val(),
                CpuTarget::Bridge => self.cpu.mem_rdata.next = self.bridge.cpu_rdata.val(),
                _ => {}
            }
        }

        // ---- firmware RAM: the CPU, or the host's loader while the CPU is in reset ----
        // Every read the core makes is announced on `mem_la_read` (its
        // contract), so the RAM reads at the look-ahead address only.
        self.ram.read_addr.next = self.cpu.mem_la_addr.val().get_bits::<14>(2);
        self.ram.write_addr.next = self.cpu.mem_addr.val().get_bits::<14>(2);
        self.ram.write_data.next = self.cpu.mem_wdata.val();
        self.ram.write_strb.next = 0.into();
        if self.fast_write.val() {
            self.ram.write_strb.next = self.cpu.mem_wstrb.val();
        }
        if !self.regs.cpu_run.val() {
            self.ram.write_addr.next = self.regs.fw_addr.val();
            self.ram.write_data.next = self.regs.fw_data.val();
            self.ram.write_strb.next = 0.into();
            if self.regs.fw_write.val() {
                self.ram.write_strb.next = 0xF.into();
            }
        }

        // ---- engine: descriptors from the CPU, bus to the master port ----
        self.engine.desc_valid.next = self.eport.desc_valid.val();
        self.eport.desc_ready.next = self.engine.desc_ready.val();
        self.engine.desc_src_addr.next = self.eport.desc.val().get_bits::<64>(0);
        self.engine.desc_dst_addr.next = self.eport.desc.val().get_bits::<64>(64);
        self.engine.desc_src_slice_pitch.next = self.eport.desc.val().get_bits::<64>(128);
        self.engine.desc_dst_slice_pitch.next = self.eport.desc.val().get_bits::<64>(192);
        self.engine.desc_src_row_pitch.next = self.eport.desc.val().get_bits::<32>(256);
        self.engine.desc_dst_row_pitch.next = self.eport.desc.val().get_bits::<32>(288);
        self.engine.desc_row_bytes.next = self.eport.desc.val().get_bits::<32>(320);
        self.engine.desc_rows.next = self.eport.desc.val().get_bits::<32>(352);
        self.engine.desc_slices.next = self.eport.desc.val().get_bits::<32>(384);
        self.engine.desc_tag.next = self.eport.desc.val().get_bits::<16>(416);
        self.engine.desc_layout.next = self.eport.desc.val().get_bits::<32>(448);
        self.eport.stat_valid.next = self.engine.stat_valid.val();
        self.eport.stat_tag.next = self.engine.stat_tag.val();
        self.eport.stat_error.next = self.engine.stat_error.val();
        self.engine.stat_ready.next = self.eport.stat_ready.val();
        self.eport.engine_idle.next = self.engine.idle.val();
        self.trace_issued.next = self.eport.desc_valid.val() && self.engine.desc_ready.val();
        self.trace_started.next = self.engine.started.val();
        self.trace_done.next = self.engine.stat_valid.val() && self.eport.stat_ready.val();
        self.m_ar_valid.next = self.engine.m_ar_valid.val();
        self.engine.m_ar_ready.next = self.m_ar_ready.val();
        self.m_ar_addr.next = self.engine.m_ar_addr.val();
        self.m_ar_len.next = self.engine.m_ar_len.val();
        self.engine.m_r_valid.next = self.m_r_valid.val();
        self.m_r_ready.next = self.engine.m_r_ready.val();
        self.engine.m_r_data.next = self.m_r_data.val();
        self.engine.m_r_resp.next = self.m_r_resp.val();
        self.m_aw_valid.next = self.engine.m_aw_valid.val();
        self.engine.m_aw_ready.next = self.m_aw_ready.val();
        self.m_aw_addr.next = self.engine.m_aw_addr.val();
        self.m_aw_len.next = self.engine.m_aw_len.val();
        self.m_w_valid.next = self.engine.m_w_valid.val();
        self.engine.m_w_ready.next = self.m_w_ready.val();
        self.m_w_data.next = self.engine.m_w_data.val();
        self.m_w_strb.next = self.engine.m_w_strb.val();
        self.m_w_last.next = self.engine.m_w_last.val();
        self.engine.m_b_valid.next = self.m_b_valid.val();
        self.m_b_ready.next = self.engine.m_b_ready.val();
        self.engine.m_b_resp.next = self.m_b_resp.val();

        // ---- bridge master port ----
        self.h_ar_valid.next = self.bridge.h_ar_valid.val();
        self.bridge.h_ar_ready.next = self.h_ar_ready.val();
        self.h_ar_addr.next = self.bridge.h_ar_addr.val();
        self.bridge.h_r_valid.next = self.h_r_valid.val();
        self.h_r_ready.next = self.bridge.h_r_ready.val();
        self.bridge.h_r_data.next = self.h_r_data.val();
        self.bridge.h_r_resp.next = self.h_r_resp.val();
        self.h_aw_valid.next = self.bridge.h_aw_valid.val();
        self.bridge.h_aw_ready.next = self.h_aw_ready.val();
        self.h_aw_addr.next = self.bridge.h_aw_addr.val();
        self.h_w_valid.next = self.bridge.h_w_valid.val();
        self.bridge.h_w_ready.next = self.h_w_ready.val();
        self.h_w_data.next = self.bridge.h_w_data.val();
        self.h_w_strb.next = self.bridge.h_w_strb.val();
        self.bridge.h_b_valid.next = self.h_b_valid.val();
        self.h_b_ready.next = self.bridge.h_b_ready.val();
        self.bridge.h_b_resp.next = self.h_b_resp.val();
    }
}
