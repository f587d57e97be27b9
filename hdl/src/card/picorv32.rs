//! PicoRV32 (YosysHQ, ISC licence) as a rust-hdl black box.
//!
//! The core's Verilog is not in this repository: set-up installs the PyPI
//! package `pythondata-cpu-picorv32` and the simulator build passes its
//! `picorv32.v` to Verilator. rust-hdl has no native model of the core, so
//! the card top is simulated in Verilator only.

use rust_hdl::prelude::*;

/// PicoRV32 with its native memory interface (RV32IMC, no interrupts).
#[derive(LogicBlock)]
pub struct PicoRv32 {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Active-low reset.
    pub resetn: Signal<In, Bit>,
    /// A memory access is requested.
    pub mem_valid: Signal<Out, Bit>,
    /// The access is an instruction fetch.
    pub mem_instr: Signal<Out, Bit>,
    /// The access is done (read data valid).
    pub mem_ready: Signal<In, Bit>,
    /// Byte address.
    pub mem_addr: Signal<Out, Bits<32>>,
    /// Write data.
    pub mem_wdata: Signal<Out, Bits<32>>,
    /// Write byte enables (0 = read).
    pub mem_wstrb: Signal<Out, Bits<4>>,
    /// Read data.
    pub mem_rdata: Signal<In, Bits<32>>,
    /// Look-ahead: the next cycle starts a read at `mem_la_addr`
    /// (combinational, one cycle before `mem_valid`).
    pub mem_la_read: Signal<Out, Bit>,
    /// Look-ahead address (word-aligned).
    pub mem_la_addr: Signal<Out, Bits<32>>,
    /// The core trapped (illegal instruction, misaligned access).
    pub trap: Signal<Out, Bit>,
    _stack_top: u32,
}

impl PicoRv32 {
    /// A core whose stack pointer starts at `stack_top`.
    pub fn new(stack_top: u32) -> Self {
        Self {
            clock: Default::default(),
            resetn: Default::default(),
            mem_valid: Default::default(),
            mem_instr: Default::default(),
            mem_ready: Default::default(),
            mem_addr: Default::default(),
            mem_wdata: Default::default(),
            mem_wstrb: Default::default(),
            mem_rdata: Default::default(),
            mem_la_read: Default::default(),
            mem_la_addr: Default::default(),
            trap: Default::default(),
            _stack_top: stack_top,
        }
    }
}

/// The card's core: stack at the top of the firmware RAM.
impl Default for PicoRv32 {
    fn default() -> Self {
        Self::new(tiledma_contract::regs::FW_RAM_BYTES)
    }
}

impl Logic for PicoRv32 {
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.mem_valid.connect();
        self.mem_instr.connect();
        self.mem_addr.connect();
        self.mem_wdata.connect();
        self.mem_wstrb.connect();
        self.mem_la_read.connect();
        self.mem_la_addr.connect();
        self.trap.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Wrapper(Wrapper {
            code: format!(
                r#"
// Unused outputs are left open on purpose.
/* verilator lint_off PINCONNECTEMPTY */
picorv32 #(
    .COMPRESSED_ISA(1),
    .ENABLE_MUL(0),
    .ENABLE_FAST_MUL(1),
    .ENABLE_DIV(1),
    .BARREL_SHIFTER(1),
    .ENABLE_IRQ(0),
    .ENABLE_COUNTERS(1),
    .PROGADDR_RESET(32'h0),
    .STACKADDR(32'h{:08x})
) cpu (
    .clk(clock), .resetn(resetn), .trap(trap),
    .mem_valid(mem_valid), .mem_instr(mem_instr), .mem_ready(mem_ready),
    .mem_addr(mem_addr), .mem_wdata(mem_wdata), .mem_wstrb(mem_wstrb), .mem_rdata(mem_rdata),
    .mem_la_read(mem_la_read), .mem_la_addr(mem_la_addr),
    // Unused: look-ahead writes, co-processor interface, interrupts, trace.
    .mem_la_write(), .mem_la_wdata(), .mem_la_wstrb(),
    .pcpi_valid(), .pcpi_insn(), .pcpi_rs1(), .pcpi_rs2(),
    .pcpi_wr(1'b0), .pcpi_rd(32'b0), .pcpi_wait(1'b0), .pcpi_ready(1'b0),
    .irq(32'b0), .eoi(), .trace_valid(), .trace_data()
);
/* verilator lint_on PINCONNECTEMPTY */
"#,
                self._stack_top
            ),
            cores: r#"
(* blackbox *)
module picorv32(input clk, input resetn, output trap,
    output mem_valid, output mem_instr, input mem_ready,
    output [31:0] mem_addr, output [31:0] mem_wdata, output [3:0] mem_wstrb, input [31:0] mem_rdata,
    output mem_la_read, output [31:0] mem_la_addr);
endmodule
"#
            .into(),
        })
    }
}
