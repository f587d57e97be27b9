//! The register block: BAR0 for the host, the same registers at
//! `CPU_REGS_BASE` for the soft core (map: `tiledma_contract::regs`).
//!
//! Host-owned and card-owned registers are RAMs (two copies each, so host
//! and CPU read in parallel); the hardware registers are flip-flops. Reads
//! answer the cycle after the access, on both sides. Host writes to the
//! firmware-RAM window go to the RAM load port while the CPU is in reset.

use rust_hdl::prelude::*;
use tiledma_contract::regs as r;

/// Read mux of the hardware registers (`0x400..0x500`), by word index.
#[derive(LogicBlock, Default)]
pub struct HwRead {
    /// Word index (byte offset / 4) within the register block.
    pub word: Signal<In, Bits<10>>,
    /// CONTROL.
    pub control: Signal<In, Bits<32>>,
    /// IRQ_STATUS.
    pub irq_status: Signal<In, Bits<32>>,
    /// IRQ_MASK.
    pub irq_mask: Signal<In, Bits<32>>,
    /// Cycle counter.
    pub cycles: Signal<In, Bits<64>>,
    /// Engine busy cycles.
    pub busy: Signal<In, Bits<64>>,
    /// Engine bytes.
    pub bytes: Signal<In, Bits<64>>,
    /// Engine descriptors.
    pub descs: Signal<In, Bits<64>>,
    /// Engine stall cycles.
    pub stalls: Signal<In, Bits<64>>,
    /// The register's value.
    pub value: Signal<Out, Bits<32>>,
}

impl Logic for HwRead {
    #[hdl_gen]
    fn update(&mut self) {
        self.value.next = 0.into();
        match self.word.val().index() {
            256 => self.value.next = 0x7464_6d61.into(),
            257 => self.value.next = 0x0001_0000.into(),
            258 => self.value.next = 0x0100_0006.into(),
            259 => self.value.next = self.control.val(),
            260 => self.value.next = self.irq_status.val(),
            261 => self.value.next = self.irq_mask.val(),
            262 => self.value.next = self.cycles.val().get_bits::<32>(0),
            263 => self.value.next = self.cycles.val().get_bits::<32>(32),
            264 => self.value.next = self.busy.val().get_bits::<32>(0),
            265 => self.value.next = self.busy.val().get_bits::<32>(32),
            266 => self.value.next = self.bytes.val().get_bits::<32>(0),
            267 => self.value.next = self.bytes.val().get_bits::<32>(32),
            268 => self.value.next = self.descs.val().get_bits::<32>(0),
            269 => self.value.next = self.descs.val().get_bits::<32>(32),
            270 => self.value.next = self.stalls.val().get_bits::<32>(0),
            271 => self.value.next = self.stalls.val().get_bits::<32>(32),
            _ => {}
        }
    }
}

/// The hardware values the read mux above hard-codes, checked by a test.
pub const HW_CONSTANTS: [(u32, u32); 3] = [
    (r::ID, r::ID_VALUE),
    (r::VERSION, r::VERSION_VALUE),
    (r::CAPS, 6 | ((r::CARD_MEMORY_BYTES >> 20) as u32) << 16),
];

/// Register block with the host BAR port and the CPU port.
#[derive(LogicBlock, Default)]
pub struct RegFile {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset.
    pub reset: Signal<In, Bit>,
    // ---- host BAR0 ----
    /// A BAR access this cycle (one cycle pulse).
    pub bar_valid: Signal<In, Bit>,
    /// The access is a write.
    pub bar_write: Signal<In, Bit>,
    /// Byte offset in BAR0.
    pub bar_addr: Signal<In, Bits<20>>,
    /// Write data.
    pub bar_wdata: Signal<In, Bits<32>>,
    /// The access is done (the cycle after it).
    pub bar_ack: Signal<Out, Bit>,
    /// Read data, with `bar_ack`.
    pub bar_rdata: Signal<Out, Bits<32>>,
    // ---- CPU ----
    /// CPU access this cycle.
    pub cpu_sel: Signal<In, Bit>,
    /// The access is a write.
    pub cpu_we: Signal<In, Bit>,
    /// Word index of the access.
    pub cpu_addr: Signal<In, Bits<10>>,
    /// Write data.
    pub cpu_wdata: Signal<In, Bits<32>>,
    /// Read data, the cycle after the access.
    pub cpu_rdata: Signal<Out, Bits<32>>,
    // ---- firmware load, control, interrupt ----
    /// Write a firmware RAM word.
    pub fw_write: Signal<Out, Bit>,
    /// Its word address.
    pub fw_addr: Signal<Out, Bits<14>>,
    /// Its data.
    pub fw_data: Signal<Out, Bits<32>>,
    /// Run the soft core.
    pub cpu_run: Signal<Out, Bit>,
    /// Hold the engine in reset.
    pub engine_reset: Signal<Out, Bit>,
    /// Interrupt line to the host.
    pub irq: Signal<Out, Bit>,
    /// Engine busy cycles.
    pub cnt_busy: Signal<In, Bits<64>>,
    /// Engine bytes.
    pub cnt_bytes: Signal<In, Bits<64>>,
    /// Engine descriptors.
    pub cnt_descs: Signal<In, Bits<64>>,
    /// Engine stall cycles.
    pub cnt_stalls: Signal<In, Bits<64>>,
    hreg_h: RAM<Bits<32>, 7>,
    hreg_c: RAM<Bits<32>, 7>,
    creg_h: RAM<Bits<32>, 7>,
    creg_c: RAM<Bits<32>, 7>,
    hw_h: HwRead,
    hw_c: HwRead,
    control: DFF<Bits<32>>,
    irq_status: DFF<Bits<32>>,
    irq_mask: DFF<Bits<32>>,
    cycles: DFF<Bits<64>>,
    bar_ack_q: DFF<Bit>,
    bar_src: DFF<Bits<2>>,
    bar_hw: DFF<Bits<32>>,
    cpu_src: DFF<Bits<2>>,
    cpu_hw: DFF<Bits<32>>,
    bar_word: Signal<Local, Bits<10>>,
    host_wr: Signal<Local, Bit>,
    cpu_wr: Signal<Local, Bit>,
    irq_set: Signal<Local, Bits<32>>,
    irq_clear: Signal<Local, Bits<32>>,
}

impl Logic for RegFile {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, control, irq_status, irq_mask, cycles, bar_ack_q, bar_src, bar_hw,
            cpu_src, cpu_hw
        );
        self.hreg_h.read_clock.next = self.clock.val();
        self.hreg_c.read_clock.next = self.clock.val();
        self.creg_h.read_clock.next = self.clock.val();
        self.creg_c.read_clock.next = self.clock.val();
        self.hreg_h.write_clock.next = self.clock.val();
        self.hreg_c.write_clock.next = self.clock.val();
        self.creg_h.write_clock.next = self.clock.val();
        self.creg_c.write_clock.next = self.clock.val();
        self.cycles.d.next = self.cycles.q.val() + 1;
        self.cpu_run.next = self.control.q.val().get_bit(0);
        self.engine_reset.next = self.control.q.val().get_bit(1);
        self.irq.next = (self.irq_status.q.val() & self.irq_mask.q.val()).any();

        // ---- host side ----
        self.bar_word.next = self.bar_addr.val().get_bits::<10>(2);
        self.host_wr.next = self.bar_valid.val() && self.bar_write.val();
        self.hreg_h.read_address.next = self.bar_word.val().get_bits::<7>(0);
        self.creg_h.read_address.next = self.bar_word.val().get_bits::<7>(0);
        self.hreg_h.write_address.next = self.bar_word.val().get_bits::<7>(0);
        self.hreg_c.write_address.next = self.bar_word.val().get_bits::<7>(0);
        self.hreg_h.write_data.next = self.bar_wdata.val();
        self.hreg_c.write_data.next = self.bar_wdata.val();
        self.hreg_h.write_enable.next = self.host_wr.val() && (self.bar_addr.val() < 0x200);
        self.hreg_c.write_enable.next = self.host_wr.val() && (self.bar_addr.val() < 0x200);
        self.hw_h.word.next = self.bar_word.val();
        self.bar_ack_q.d.next = self.bar_valid.val();
        self.bar_ack.next = self.bar_ack_q.q.val();
        if self.bar_valid.val() {
            self.bar_hw.d.next = self.hw_h.value.val();
            self.bar_src.d.next = 2.into();
            if self.bar_addr.val() < 0x400 {
                self.bar_src.d.next = 1.into();
            }
            if self.bar_addr.val() < 0x200 {
                self.bar_src.d.next = 0.into();
            }
            if self.bar_addr.val() >= 0x1000 {
                self.bar_src.d.next = 3.into();
            }
        }
        self.bar_rdata.next = self.bar_hw.q.val();
        if self.bar_src.q.val() == 0 {
            self.bar_rdata.next = self.hreg_h.read_data.val();
        }
        if self.bar_src.q.val() == 1 {
            self.bar_rdata.next = self.creg_h.read_data.val();
        }
        if self.bar_src.q.val() == 3 {
            self.bar_rdata.next = 0.into();
        }
        // Firmware RAM window: only while the CPU is held in reset.
        self.fw_write.next = self.host_wr.val()
            && self.bar_addr.val().get_bit(16)
            && !self.control.q.val().get_bit(0);
        self.fw_addr.next = self.bar_addr.val().get_bits::<14>(2);
        self.fw_data.next = self.bar_wdata.val();

        // ---- CPU side ----
        self.cpu_wr.next = self.cpu_sel.val() && self.cpu_we.val();
        self.hreg_c.read_address.next = self.cpu_addr.val().get_bits::<7>(0);
        self.creg_c.read_address.next = self.cpu_addr.val().get_bits::<7>(0);
        self.creg_h.write_address.next = self.cpu_addr.val().get_bits::<7>(0);
        self.creg_c.write_address.next = self.cpu_addr.val().get_bits::<7>(0);
        self.creg_h.write_data.next = self.cpu_wdata.val();
        self.creg_c.write_data.next = self.cpu_wdata.val();
        self.creg_h.write_enable.next =
            self.cpu_wr.val() && (self.cpu_addr.val() >= 128) && (self.cpu_addr.val() < 256);
        self.creg_c.write_enable.next =
            self.cpu_wr.val() && (self.cpu_addr.val() >= 128) && (self.cpu_addr.val() < 256);
        self.hw_c.word.next = self.cpu_addr.val();
        if self.cpu_sel.val() {
            self.cpu_hw.d.next = self.hw_c.value.val();
            self.cpu_src.d.next = 2.into();
            if self.cpu_addr.val() < 256 {
                self.cpu_src.d.next = 1.into();
            }
            if self.cpu_addr.val() < 128 {
                self.cpu_src.d.next = 0.into();
            }
        }
        self.cpu_rdata.next = self.cpu_hw.q.val();
        if self.cpu_src.q.val() == 0 {
            self.cpu_rdata.next = self.hreg_c.read_data.val();
        }
        if self.cpu_src.q.val() == 1 {
            self.cpu_rdata.next = self.creg_c.read_data.val();
        }

        // ---- hardware registers ----
        self.hw_h.control.next = self.control.q.val();
        self.hw_c.control.next = self.control.q.val();
        self.hw_h.irq_status.next = self.irq_status.q.val();
        self.hw_c.irq_status.next = self.irq_status.q.val();
        self.hw_h.irq_mask.next = self.irq_mask.q.val();
        self.hw_c.irq_mask.next = self.irq_mask.q.val();
        self.hw_h.cycles.next = self.cycles.q.val();
        self.hw_c.cycles.next = self.cycles.q.val();
        self.hw_h.busy.next = self.cnt_busy.val();
        self.hw_c.busy.next = self.cnt_busy.val();
        self.hw_h.bytes.next = self.cnt_bytes.val();
        self.hw_c.bytes.next = self.cnt_bytes.val();
        self.hw_h.descs.next = self.cnt_descs.val();
        self.hw_c.descs.next = self.cnt_descs.val();
        self.hw_h.stalls.next = self.cnt_stalls.val();
        self.hw_c.stalls.next = self.cnt_stalls.val();
        self.irq_set.next = 0.into();
        self.irq_clear.next = 0.into();
        // Only the register page decodes registers: the firmware-RAM window
        // above aliases the same low address bits.
        if self.host_wr.val() && (self.bar_addr.val() < 0x1000) {
            match self.bar_word.val().index() {
                259 => self.control.d.next = self.bar_wdata.val(),
                260 => self.irq_clear.next = self.bar_wdata.val(),
                261 => self.irq_mask.d.next = self.bar_wdata.val(),
                _ => {}
            }
        }
        if self.cpu_wr.val() && (self.cpu_addr.val() == 260) {
            self.irq_set.next = self.cpu_wdata.val();
        }
        self.irq_status.d.next =
            (self.irq_status.q.val() | self.irq_set.val()) & !self.irq_clear.val();
        if self.reset.val() {
            self.control.d.next = 0.into();
            self.irq_status.d.next = 0.into();
            self.irq_mask.d.next = 0.into();
            self.cycles.d.next = 0.into();
        }
    }
}
