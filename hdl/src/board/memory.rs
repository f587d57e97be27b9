//! The board's on-chip memory: 64-byte-wide block RAM behind both of the
//! card's master ports (engine bursts, bridge single beats) and the UART
//! bridge's 32-bit word port, decoded in the windows of
//! `tiledma_contract::board` (everything else answers `DECERR`).
//!
//! Written as Verilog inside a rust-hdl wrapper: rust-hdl's RAM has no byte
//! enables, and 64 byte-lane RAMs would each take a whole block RAM. This
//! form lets yosys map the memory onto DP16KD blocks with their own byte
//! enables (4 bytes per block, 16 blocks per 512 beats).
//!
//! One read port and one write port: reads (burst or single) and writes run
//! in parallel, one beat per cycle each; a port serves one requester at a
//! time, the bridge first (firmware latency), then the engine, then UART.

use rust_hdl::prelude::*;
use tiledma_contract::board::{BoardWindow, BOARD_MEMORY_BYTES, BOARD_WINDOWS};

/// Module name of the memory inside the generated Verilog.
pub const BOARD_MEMORY_MODULE: &str = "tiledma_board_memory";

/// The on-chip memory with its three ports.
#[derive(LogicBlock, Default)]
pub struct BoardMemory {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset (ends any access in progress).
    pub reset: Signal<In, Bit>,
    // ---- engine (AXI, bursts) ----
    /// AR valid.
    pub e_ar_valid: Signal<In, Bit>,
    /// AR ready.
    pub e_ar_ready: Signal<Out, Bit>,
    /// AR address.
    pub e_ar_addr: Signal<In, Bits<64>>,
    /// AR beats - 1.
    pub e_ar_len: Signal<In, Bits<8>>,
    /// R valid.
    pub e_r_valid: Signal<Out, Bit>,
    /// R ready.
    pub e_r_ready: Signal<In, Bit>,
    /// R data.
    pub e_r_data: Signal<Out, Bits<512>>,
    /// R response.
    pub e_r_resp: Signal<Out, Bits<2>>,
    /// AW valid.
    pub e_aw_valid: Signal<In, Bit>,
    /// AW ready.
    pub e_aw_ready: Signal<Out, Bit>,
    /// AW address.
    pub e_aw_addr: Signal<In, Bits<64>>,
    /// AW beats - 1 (the end of a burst is `w_last`).
    pub e_aw_len: Signal<In, Bits<8>>,
    /// W valid.
    pub e_w_valid: Signal<In, Bit>,
    /// W ready.
    pub e_w_ready: Signal<Out, Bit>,
    /// W data.
    pub e_w_data: Signal<In, Bits<512>>,
    /// W strobes.
    pub e_w_strb: Signal<In, Bits<64>>,
    /// W last.
    pub e_w_last: Signal<In, Bit>,
    /// B valid.
    pub e_b_valid: Signal<Out, Bit>,
    /// B ready.
    pub e_b_ready: Signal<In, Bit>,
    /// B response.
    pub e_b_resp: Signal<Out, Bits<2>>,
    // ---- bridge (AXI, single beats) ----
    /// AR valid.
    pub h_ar_valid: Signal<In, Bit>,
    /// AR ready.
    pub h_ar_ready: Signal<Out, Bit>,
    /// AR address.
    pub h_ar_addr: Signal<In, Bits<64>>,
    /// R valid.
    pub h_r_valid: Signal<Out, Bit>,
    /// R ready.
    pub h_r_ready: Signal<In, Bit>,
    /// R data.
    pub h_r_data: Signal<Out, Bits<512>>,
    /// R response.
    pub h_r_resp: Signal<Out, Bits<2>>,
    /// AW valid.
    pub h_aw_valid: Signal<In, Bit>,
    /// AW ready.
    pub h_aw_ready: Signal<Out, Bit>,
    /// AW address.
    pub h_aw_addr: Signal<In, Bits<64>>,
    /// W valid.
    pub h_w_valid: Signal<In, Bit>,
    /// W ready.
    pub h_w_ready: Signal<Out, Bit>,
    /// W data.
    pub h_w_data: Signal<In, Bits<512>>,
    /// W strobes.
    pub h_w_strb: Signal<In, Bits<64>>,
    /// B valid.
    pub h_b_valid: Signal<Out, Bit>,
    /// B ready.
    pub h_b_ready: Signal<In, Bit>,
    /// B response.
    pub h_b_resp: Signal<Out, Bits<2>>,
    // ---- UART bridge (32-bit words) ----
    /// A word access is requested (held until `u_ack`).
    pub u_valid: Signal<In, Bit>,
    /// The access is a write.
    pub u_write: Signal<In, Bit>,
    /// Byte address (4-byte aligned).
    pub u_addr: Signal<In, Bits<64>>,
    /// Write data.
    pub u_wdata: Signal<In, Bits<32>>,
    /// The access is done (one cycle).
    pub u_ack: Signal<Out, Bit>,
    /// Read data, with `u_ack`.
    pub u_rdata: Signal<Out, Bits<32>>,
    /// The access hit no window, with `u_ack`.
    pub u_err: Signal<Out, Bit>,
}

impl Logic for BoardMemory {
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.e_ar_ready.connect();
        self.e_r_valid.connect();
        self.e_r_data.connect();
        self.e_r_resp.connect();
        self.e_aw_ready.connect();
        self.e_w_ready.connect();
        self.e_b_valid.connect();
        self.e_b_resp.connect();
        self.h_ar_ready.connect();
        self.h_r_valid.connect();
        self.h_r_data.connect();
        self.h_r_resp.connect();
        self.h_aw_ready.connect();
        self.h_w_ready.connect();
        self.h_b_valid.connect();
        self.h_b_resp.connect();
        self.u_ack.connect();
        self.u_rdata.connect();
        self.u_err.connect();
    }

    fn hdl(&self) -> Verilog {
        let ports = [
            "e_ar_valid",
            "e_ar_ready",
            "e_ar_addr",
            "e_ar_len",
            "e_r_valid",
            "e_r_ready",
            "e_r_data",
            "e_r_resp",
            "e_aw_valid",
            "e_aw_ready",
            "e_aw_addr",
            "e_aw_len",
            "e_w_valid",
            "e_w_ready",
            "e_w_data",
            "e_w_strb",
            "e_w_last",
            "e_b_valid",
            "e_b_ready",
            "e_b_resp",
            "h_ar_valid",
            "h_ar_ready",
            "h_ar_addr",
            "h_r_valid",
            "h_r_ready",
            "h_r_data",
            "h_r_resp",
            "h_aw_valid",
            "h_aw_ready",
            "h_aw_addr",
            "h_w_valid",
            "h_w_ready",
            "h_w_data",
            "h_w_strb",
            "h_b_valid",
            "h_b_ready",
            "h_b_resp",
            "u_valid",
            "u_write",
            "u_addr",
            "u_wdata",
            "u_ack",
            "u_rdata",
            "u_err",
        ];
        let conns: Vec<String> = ports.iter().map(|p| format!(".{p}({p})")).collect();
        Verilog::Wrapper(Wrapper {
            code: format!(
                "{BOARD_MEMORY_MODULE} memory(.clk(clock), .rst(reset),\n    {});\n",
                conns.join(",\n    ")
            ),
            cores: memory_verilog(),
        })
    }
}

/// `hit` and on-chip byte offset of the 64-bit address `a`, one window.
fn decode_terms(w: &BoardWindow, a: &str) -> (String, String) {
    let low = w.bytes.trailing_zeros();
    let ob = BOARD_MEMORY_BYTES.trailing_zeros();
    (
        format!("({a}[63:{low}] == {}'h{:x})", 64 - low, w.base >> low),
        format!(
            "({ob}'h{:x} | {{{}'b0, {a}[{}:0]}})",
            w.offset,
            ob - low,
            low - 1
        ),
    )
}

/// The Verilog of the memory module.
pub fn memory_verilog() -> String {
    let ob = BOARD_MEMORY_BYTES.trailing_zeros() as usize;
    let beats = BOARD_MEMORY_BYTES / 64;
    let bw = ob - 6;
    let mut hit = Vec::new();
    let mut off = String::from(&format!("{ob}'h0"));
    for w in BOARD_WINDOWS.iter().rev() {
        let (h, o) = decode_terms(w, "a");
        off = format!("{h} ? {o} :\n        {off}");
        hit.push(h);
    }
    let hit = hit.join(" ||\n        ");
    format!(
        r#"
module {BOARD_MEMORY_MODULE}(
    input clk, input rst,
    input e_ar_valid, output e_ar_ready, input [63:0] e_ar_addr, input [7:0] e_ar_len,
    output e_r_valid, input e_r_ready, output [511:0] e_r_data, output [1:0] e_r_resp,
    input e_aw_valid, output e_aw_ready, input [63:0] e_aw_addr, input [7:0] e_aw_len,
    input e_w_valid, output e_w_ready, input [511:0] e_w_data, input [63:0] e_w_strb, input e_w_last,
    output e_b_valid, input e_b_ready, output [1:0] e_b_resp,
    input h_ar_valid, output h_ar_ready, input [63:0] h_ar_addr,
    output h_r_valid, input h_r_ready, output [511:0] h_r_data, output [1:0] h_r_resp,
    input h_aw_valid, output h_aw_ready, input [63:0] h_aw_addr,
    input h_w_valid, output h_w_ready, input [511:0] h_w_data, input [63:0] h_w_strb,
    output h_b_valid, input h_b_ready, output [1:0] h_b_resp,
    input u_valid, input u_write, input [63:0] u_addr, input [31:0] u_wdata,
    output u_ack, output [31:0] u_rdata, output u_err
);
    // Window decode: hit, and the byte offset in the on-chip memory.
    function automatic dec_hit(input [63:0] a);
        dec_hit = {hit};
    endfunction
    function automatic [{obm1}:0] dec_off(input [63:0] a);
        dec_off = {off};
    endfunction
    localparam SRC_E = 2'd1, SRC_H = 2'd2, SRC_U = 2'd3;

    reg [511:0] mem [0:{beatsm1}];

    // ---- read port ----
    reg [511:0] rd_q;
    reg [1:0] rsrc;          // 0: idle
    reg rdata;               // rd_q holds the current beat
    reg [{bwm1}:0] rbeat;
    reg [7:0] rleft;
    reg rerr;
    reg [3:0] rlane;
    reg [1:0] wsrc;          // write port, 0: idle
    wire u_busy_w = wsrc == SRC_U;
    wire pick_h_r = h_ar_valid;
    wire pick_e_r = !h_ar_valid && e_ar_valid;
    wire pick_u_r = !h_ar_valid && !e_ar_valid && u_valid && !u_write && !u_busy_w;
    wire [63:0] r_a = pick_h_r ? h_ar_addr : pick_e_r ? e_ar_addr : u_addr;
    wire r_fire = (rsrc == SRC_E && e_r_ready) || (rsrc == SRC_H && h_r_ready) || rsrc == SRC_U;
    wire rd_en = (rsrc != 2'd0) && (!rdata || (r_fire && rleft != 8'd0));
    wire [{bwm1}:0] rd_addr = rdata ? rbeat + 1'b1 : rbeat;
    always @(posedge clk) begin
        if (rd_en) rd_q <= mem[rd_addr];
    end
    assign h_ar_ready = rsrc == 2'd0;
    assign e_ar_ready = rsrc == 2'd0 && !h_ar_valid;
    assign e_r_valid = rsrc == SRC_E && rdata;
    assign h_r_valid = rsrc == SRC_H && rdata;
    assign e_r_data = rd_q;
    assign h_r_data = rd_q;
    assign e_r_resp = rerr ? 2'd3 : 2'd0;
    assign h_r_resp = rerr ? 2'd3 : 2'd0;
    assign u_rdata = rd_q[rlane*32 +: 32];
    wire u_ack_r = rsrc == SRC_U && rdata;
    always @(posedge clk) begin
        if (rst) begin
            rsrc <= 2'd0;
            rdata <= 1'b0;
        end else if (rsrc == 2'd0) begin
            if (pick_h_r || pick_e_r || pick_u_r) begin
                rsrc <= pick_h_r ? SRC_H : pick_e_r ? SRC_E : SRC_U;
                rbeat <= dec_off(r_a) >> 6;
                rleft <= pick_e_r ? e_ar_len : 8'd0;
                rerr <= !dec_hit(r_a);
                rlane <= r_a[5:2];
                rdata <= 1'b0;
            end
        end else if (!rdata) begin
            rdata <= 1'b1;
        end else if (r_fire) begin
            if (rleft == 8'd0) begin
                rsrc <= 2'd0;
                rdata <= 1'b0;
            end else begin
                rleft <= rleft - 8'd1;
                rbeat <= rbeat + 1'b1;
            end
        end
    end

    // ---- write port ----
    reg wresp;               // the burst is written; B (or the UART ack) is due
    reg [{bwm1}:0] wbeat;
    reg werr;
    wire pick_h_w = h_aw_valid;
    wire pick_e_w = !h_aw_valid && e_aw_valid;
    wire pick_u_w = !h_aw_valid && !e_aw_valid && u_valid && u_write && rsrc != SRC_U;
    wire [63:0] w_a = pick_h_w ? h_aw_addr : pick_e_w ? e_aw_addr : u_addr;
    assign h_aw_ready = wsrc == 2'd0;
    assign e_aw_ready = wsrc == 2'd0 && !h_aw_valid;
    assign h_w_ready = wsrc == SRC_H && !wresp;
    assign e_w_ready = wsrc == SRC_E && !wresp;
    assign h_b_valid = wsrc == SRC_H && wresp;
    assign e_b_valid = wsrc == SRC_E && wresp;
    assign h_b_resp = werr ? 2'd3 : 2'd0;
    assign e_b_resp = werr ? 2'd3 : 2'd0;
    wire u_ack_w = wsrc == SRC_U;
    wire h_w_fire = h_w_valid && h_w_ready;
    wire e_w_fire = e_w_valid && e_w_ready;
    wire u_w_now = wsrc == 2'd0 && pick_u_w;
    wire we = ((h_w_fire || e_w_fire) && !werr) || (u_w_now && dec_hit(u_addr));
    wire [{bwm1}:0] waddr = u_w_now ? dec_off(u_addr) >> 6 : wbeat;
    wire [511:0] wdata = u_w_now ? {{16{{u_wdata}}}} : h_w_fire ? h_w_data : e_w_data;
    wire [63:0] wstrb = u_w_now ? (64'hf << {{u_addr[5:2], 2'b00}}) : h_w_fire ? h_w_strb : e_w_strb;
    integer i;
    always @(posedge clk) begin
        for (i = 0; i < 64; i = i + 1)
            if (we && wstrb[i]) mem[waddr][i*8 +: 8] <= wdata[i*8 +: 8];
    end
    always @(posedge clk) begin
        if (rst) begin
            wsrc <= 2'd0;
            wresp <= 1'b0;
        end else if (wsrc == 2'd0) begin
            if (pick_h_w || pick_e_w || pick_u_w) begin
                wsrc <= pick_h_w ? SRC_H : pick_e_w ? SRC_E : SRC_U;
                wbeat <= dec_off(w_a) >> 6;
                werr <= !dec_hit(w_a);
                wresp <= pick_u_w;
            end
        end else if (wsrc == SRC_U) begin
            wsrc <= 2'd0;
            wresp <= 1'b0;
        end else if (!wresp) begin
            if (h_w_fire || (e_w_fire && e_w_last)) wresp <= 1'b1;
            if (h_w_fire || e_w_fire) wbeat <= wbeat + 1'b1;
        end else if ((wsrc == SRC_H && h_b_ready) || (wsrc == SRC_E && e_b_ready)) begin
            wsrc <= 2'd0;
            wresp <= 1'b0;
        end
    end
    assign u_ack = u_ack_r || u_ack_w;
    assign u_err = u_ack_r ? rerr : werr;
endmodule
"#,
        obm1 = ob - 1,
        beatsm1 = beats - 1,
        bwm1 = bw - 1,
    )
}
