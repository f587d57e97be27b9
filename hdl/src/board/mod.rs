//! The card on an ECP5 board without PCIe: the card top, on-chip memory
//! behind both of its master ports, and the UART bridge in place of the
//! PCIe core (BAR0 accesses, memory accesses, the interrupt).
//!
//! ```text
//!  USB serial ── UartBridge ──▶ bar_* ──▶ Card ── m_* (engine) ──▶ BoardMemory
//!                    │  ▲                  │   └─ h_* (bridge) ──▶     ▲
//!                    │  └──── irq ─────────┘                           │
//!                    └──────────── u_* (32-bit words) ─────────────────┘
//! ```
//!
//! The firmware is baked into the firmware RAM's initial contents, so the
//! board starts with it; a host can still load another one through BAR0.
//! The card's soft core waits for `CONTROL.run` as on every card.

mod memory;
mod uart;

pub use memory::{memory_verilog, BoardMemory, BOARD_MEMORY_MODULE};
pub use uart::{RxState, UartBridge, UartRx, UartState, UartTx};

use crate::card::Card;
use rust_hdl::prelude::*;

/// The board top: ports are the board's pins (clock, UART).
#[derive(LogicBlock)]
pub struct Board {
    /// Card clock (`tiledma_contract::board::BOARD_CLOCK_HZ`).
    pub clock: Signal<In, Clock>,
    /// Serial line from the host (the USB-UART's TXD).
    pub uart_rx: Signal<In, Bit>,
    /// Serial line to the host.
    pub uart_tx: Signal<Out, Bit>,
    /// The soft core trapped (for an LED).
    pub cpu_trap: Signal<Out, Bit>,
    /// The card's interrupt line (for an LED).
    pub irq: Signal<Out, Bit>,
    card: Card,
    mem: BoardMemory,
    uart: UartBridge,
    por: DFF<Bits<8>>,
    por_reset: Signal<Local, Bit>,
}

impl Board {
    /// A board whose firmware RAM starts with `firmware` (32-bit words from
    /// address 0) and whose UART runs at `clks_per_bit` clock cycles per bit.
    pub fn new(firmware: &[u32], clks_per_bit: u32) -> Self {
        Self {
            clock: Default::default(),
            uart_rx: Default::default(),
            uart_tx: Default::default(),
            cpu_trap: Default::default(),
            irq: Default::default(),
            card: Card::with_firmware(firmware),
            mem: Default::default(),
            uart: UartBridge::new(clks_per_bit),
            por: Default::default(),
            por_reset: Default::default(),
        }
    }
}

impl Logic for Board {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, por);
        clock!(self, clock, card, mem, uart);
        // Power-on reset: flip-flops start at 0 on the FPGA (and in Verilator).
        self.por_reset.next = self.por.q.val() != 255;
        if self.por_reset.val() {
            self.por.d.next = self.por.q.val() + 1;
        }
        self.uart.reset.next = self.por_reset.val();
        self.card.reset.next = self.por_reset.val() || self.uart.card_reset.val();
        self.mem.reset.next = self.por_reset.val() || self.uart.card_reset.val();
        self.uart.rx.next = self.uart_rx.val();
        self.uart_tx.next = self.uart.tx.val();
        self.cpu_trap.next = self.card.cpu_trap.val();
        self.irq.next = self.card.irq.val();
        self.uart.irq.next = self.card.irq.val();

        // ---- UART bridge: BAR0 and the memory word port ----
        self.card.bar_valid.next = self.uart.bar_valid.val();
        self.card.bar_write.next = self.uart.bar_write.val();
        self.card.bar_addr.next = self.uart.bar_addr.val();
        self.card.bar_wdata.next = self.uart.bar_wdata.val();
        self.uart.bar_ack.next = self.card.bar_ack.val();
        self.uart.bar_rdata.next = self.card.bar_rdata.val();
        self.mem.u_valid.next = self.uart.mem_valid.val();
        self.mem.u_write.next = self.uart.mem_write.val();
        self.mem.u_addr.next = self.uart.mem_addr.val();
        self.mem.u_wdata.next = self.uart.mem_wdata.val();
        self.uart.mem_ack.next = self.mem.u_ack.val();
        self.uart.mem_rdata.next = self.mem.u_rdata.val();
        self.uart.mem_err.next = self.mem.u_err.val();

        // ---- engine master port ----
        self.mem.e_ar_valid.next = self.card.m_ar_valid.val();
        self.card.m_ar_ready.next = self.mem.e_ar_ready.val();
        self.mem.e_ar_addr.next = self.card.m_ar_addr.val();
        self.mem.e_ar_len.next = self.card.m_ar_len.val();
        self.card.m_r_valid.next = self.mem.e_r_valid.val();
        self.mem.e_r_ready.next = self.card.m_r_ready.val();
        self.card.m_r_data.next = self.mem.e_r_data.val();
        self.card.m_r_resp.next = self.mem.e_r_resp.val();
        self.mem.e_aw_valid.next = self.card.m_aw_valid.val();
        self.card.m_aw_ready.next = self.mem.e_aw_ready.val();
        self.mem.e_aw_addr.next = self.card.m_aw_addr.val();
        self.mem.e_aw_len.next = self.card.m_aw_len.val();
        self.mem.e_w_valid.next = self.card.m_w_valid.val();
        self.card.m_w_ready.next = self.mem.e_w_ready.val();
        self.mem.e_w_data.next = self.card.m_w_data.val();
        self.mem.e_w_strb.next = self.card.m_w_strb.val();
        self.mem.e_w_last.next = self.card.m_w_last.val();
        self.card.m_b_valid.next = self.mem.e_b_valid.val();
        self.mem.e_b_ready.next = self.card.m_b_ready.val();
        self.card.m_b_resp.next = self.mem.e_b_resp.val();

        // ---- bridge master port ----
        self.mem.h_ar_valid.next = self.card.h_ar_valid.val();
        self.card.h_ar_ready.next = self.mem.h_ar_ready.val();
        self.mem.h_ar_addr.next = self.card.h_ar_addr.val();
        self.card.h_r_valid.next = self.mem.h_r_valid.val();
        self.mem.h_r_ready.next = self.card.h_r_ready.val();
        self.card.h_r_data.next = self.mem.h_r_data.val();
        self.card.h_r_resp.next = self.mem.h_r_resp.val();
        self.mem.h_aw_valid.next = self.card.h_aw_valid.val();
        self.card.h_aw_ready.next = self.mem.h_aw_ready.val();
        self.mem.h_aw_addr.next = self.card.h_aw_addr.val();
        self.mem.h_w_valid.next = self.card.h_w_valid.val();
        self.card.h_w_ready.next = self.mem.h_w_ready.val();
        self.mem.h_w_data.next = self.card.h_w_data.val();
        self.mem.h_w_strb.next = self.card.h_w_strb.val();
        self.card.h_b_valid.next = self.mem.h_b_valid.val();
        self.mem.h_b_ready.next = self.card.h_b_ready.val();
        self.card.h_b_resp.next = self.mem.h_b_resp.val();
    }
}
