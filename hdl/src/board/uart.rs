//! The UART link that stands in for PCIe on the ECP5 boards: an 8N1
//! receiver and transmitter and the bridge that turns framed requests into
//! BAR0 accesses and on-chip memory accesses (protocol: `docs/uart.md`,
//! constants: `tiledma_contract::board`).

use crate::fifo::Fifo;
use rust_hdl::prelude::*;
use tiledma_contract::board as b;

// rust-hdl's `hdl_gen` takes literals, not paths: the bridge spells the
// protocol's numbers out, and these asserts keep them equal to the contract.
const _: () = {
    assert!(b::UART_PING == 0x00 && b::UART_BAR_WRITE == 0x01 && b::UART_BAR_READ == 0x02);
    assert!(b::UART_MEM_WRITE == 0x03 && b::UART_MEM_READ == 0x04 && b::UART_RESET == 0x05);
    assert!(b::UART_REPLY == 0x80 && b::UART_IRQ == 0xC0 && b::UART_BAD_OPCODE == 0xEE);
    assert!(b::UART_STATUS_DECERR == 1);
};

/// Receiver state.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum RxState {
    /// Line idle (high).
    Idle,
    /// In the start bit, waiting for its middle.
    Start,
    /// Sampling data bits.
    Data,
    /// Waiting for the middle of the stop bit.
    Stop,
}

/// 8N1 receiver: one `valid` pulse per byte, sampled mid-bit.
#[derive(LogicBlock)]
pub struct UartRx {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset.
    pub reset: Signal<In, Bit>,
    /// Serial input (asynchronous).
    pub rx: Signal<In, Bit>,
    /// A byte arrived (one cycle).
    pub valid: Signal<Out, Bit>,
    /// The byte.
    pub data: Signal<Out, Bits<8>>,
    sync1: DFF<Bit>,
    sync2: DFF<Bit>,
    state: DFF<RxState>,
    count: DFF<Bits<16>>,
    bit_index: DFF<Bits<3>>,
    shift: DFF<Bits<8>>,
    out_valid: DFF<Bit>,
    clks_per_bit: Constant<Bits<16>>,
    half_bit: Constant<Bits<16>>,
}

impl UartRx {
    /// A receiver for `clks_per_bit` clock cycles per bit.
    pub fn new(clks_per_bit: u32) -> Self {
        assert!((4..65536).contains(&clks_per_bit));
        Self {
            clock: Default::default(),
            reset: Default::default(),
            rx: Default::default(),
            valid: Default::default(),
            data: Default::default(),
            sync1: Default::default(),
            sync2: Default::default(),
            state: Default::default(),
            count: Default::default(),
            bit_index: Default::default(),
            shift: Default::default(),
            out_valid: Default::default(),
            clks_per_bit: Constant::new((clks_per_bit as u64 - 1).to_bits()),
            half_bit: Constant::new((clks_per_bit as u64 / 2 - 1).to_bits()),
        }
    }
}

impl Logic for UartRx {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, sync1, sync2, state, count, bit_index, shift, out_valid);
        self.sync1.d.next = self.rx.val();
        self.sync2.d.next = self.sync1.q.val();
        self.valid.next = self.out_valid.q.val();
        self.data.next = self.shift.q.val();
        self.out_valid.d.next = false;
        match self.state.q.val() {
            RxState::Idle => {
                if !self.sync2.q.val() {
                    self.count.d.next = self.half_bit.val();
                    self.state.d.next = RxState::Start;
                }
            }
            RxState::Start => {
                if self.count.q.val() == 0 {
                    self.count.d.next = self.clks_per_bit.val();
                    self.bit_index.d.next = 0.into();
                    if self.sync2.q.val() {
                        self.state.d.next = RxState::Idle;
                    } else {
                        self.state.d.next = RxState::Data;
                    }
                } else {
                    self.count.d.next = self.count.q.val() - 1;
                }
            }
            RxState::Data => {
                if self.count.q.val() == 0 {
                    self.count.d.next = self.clks_per_bit.val();
                    self.shift.d.next = (self.shift.q.val() >> 1)
                        | (bit_cast::<8, 1>(self.sync2.q.val().into()) << 7);
                    self.bit_index.d.next = self.bit_index.q.val() + 1;
                    if self.bit_index.q.val() == 7 {
                        self.state.d.next = RxState::Stop;
                    }
                } else {
                    self.count.d.next = self.count.q.val() - 1;
                }
            }
            RxState::Stop => {
                if self.count.q.val() == 0 {
                    // A framing error (low stop bit) drops the byte.
                    self.out_valid.d.next = self.sync2.q.val();
                    self.state.d.next = RxState::Idle;
                } else {
                    self.count.d.next = self.count.q.val() - 1;
                }
            }
            _ => {
                self.state.d.next = RxState::Idle;
            }
        }
        if self.reset.val() {
            self.state.d.next = RxState::Idle;
            self.sync1.d.next = true;
            self.sync2.d.next = true;
            self.out_valid.d.next = false;
        }
    }
}

/// 8N1 transmitter.
#[derive(LogicBlock)]
pub struct UartTx {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset.
    pub reset: Signal<In, Bit>,
    /// Send `data` (taken when `ready`).
    pub valid: Signal<In, Bit>,
    /// Byte to send.
    pub data: Signal<In, Bits<8>>,
    /// Idle: a byte may be handed over this cycle.
    pub ready: Signal<Out, Bit>,
    /// Serial output.
    pub tx: Signal<Out, Bit>,
    busy: DFF<Bit>,
    shift: DFF<Bits<10>>,
    count: DFF<Bits<16>>,
    bits_left: DFF<Bits<4>>,
    line: DFF<Bit>,
    clks_per_bit: Constant<Bits<16>>,
}

impl UartTx {
    /// A transmitter for `clks_per_bit` clock cycles per bit.
    pub fn new(clks_per_bit: u32) -> Self {
        assert!((4..65536).contains(&clks_per_bit));
        Self {
            clock: Default::default(),
            reset: Default::default(),
            valid: Default::default(),
            data: Default::default(),
            ready: Default::default(),
            tx: Default::default(),
            busy: Default::default(),
            shift: Default::default(),
            count: Default::default(),
            bits_left: Default::default(),
            line: Default::default(),
            clks_per_bit: Constant::new((clks_per_bit as u64 - 1).to_bits()),
        }
    }
}

impl Logic for UartTx {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, busy, shift, count, bits_left, line);
        // The line idles high; `line` is stored inverted so that the
        // power-on value of the flip-flop (0) is the idle level.
        self.tx.next = !self.line.q.val();
        self.ready.next = !self.busy.q.val();
        if !self.busy.q.val() {
            self.line.d.next = false;
            if self.valid.val() {
                // The start bit now, then the byte LSB first and the stop bit (1).
                self.shift.d.next = bit_cast::<10, 8>(self.data.val()) | 0x100;
                self.line.d.next = true;
                self.count.d.next = self.clks_per_bit.val();
                self.bits_left.d.next = 9.into();
                self.busy.d.next = true;
            }
        } else if self.count.q.val() == 0 {
            self.count.d.next = self.clks_per_bit.val();
            if self.bits_left.q.val() == 0 {
                self.busy.d.next = false;
                self.line.d.next = false;
            } else {
                self.line.d.next = !self.shift.q.val().get_bit(0);
                self.shift.d.next = self.shift.q.val() >> 1;
                self.bits_left.d.next = self.bits_left.q.val() - 1;
            }
        } else {
            self.count.d.next = self.count.q.val() - 1;
        }
        if self.reset.val() {
            self.busy.d.next = false;
            self.line.d.next = false;
        }
    }
}

/// Bridge state.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum UartState {
    /// Waiting for a request's opcode.
    Op,
    /// Collecting the request's header bytes.
    Header,
    /// Starting the BAR access.
    BarGo,
    /// Waiting for the BAR access to finish.
    BarWait,
    /// Collecting the 4 bytes of a word to write.
    MemGather,
    /// Writing a word to memory.
    MemWrite,
    /// Reading a word from memory.
    MemRead,
    /// Holding the card in reset.
    Reset,
    /// Sending `txb`, then going to `ret`.
    SendByte,
    /// Sending the 4 bytes of `word`, then going to `ret`.
    SendWord,
    /// Sending the status byte, then back to `Op`.
    Status,
}

/// Framed requests from the UART to BAR0 and the on-chip memory.
#[derive(LogicBlock)]
pub struct UartBridge {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset (power-on only: a card reset keeps the link up).
    pub reset: Signal<In, Bit>,
    /// Serial input from the host.
    pub rx: Signal<In, Bit>,
    /// Serial output to the host.
    pub tx: Signal<Out, Bit>,
    /// BAR access this cycle.
    pub bar_valid: Signal<Out, Bit>,
    /// The access is a write.
    pub bar_write: Signal<Out, Bit>,
    /// Byte offset in BAR0.
    pub bar_addr: Signal<Out, Bits<20>>,
    /// Write data.
    pub bar_wdata: Signal<Out, Bits<32>>,
    /// The BAR access is done.
    pub bar_ack: Signal<In, Bit>,
    /// Read data, with `bar_ack`.
    pub bar_rdata: Signal<In, Bits<32>>,
    /// Memory word access (held until `mem_ack`).
    pub mem_valid: Signal<Out, Bit>,
    /// The access is a write.
    pub mem_write: Signal<Out, Bit>,
    /// Byte address.
    pub mem_addr: Signal<Out, Bits<64>>,
    /// Write data.
    pub mem_wdata: Signal<Out, Bits<32>>,
    /// The access is done.
    pub mem_ack: Signal<In, Bit>,
    /// Read data, with `mem_ack`.
    pub mem_rdata: Signal<In, Bits<32>>,
    /// The access hit no window, with `mem_ack`.
    pub mem_err: Signal<In, Bit>,
    /// The card's interrupt line.
    pub irq: Signal<In, Bit>,
    /// Reset the card.
    pub card_reset: Signal<Out, Bit>,
    rxu: UartRx,
    txu: UartTx,
    rx_fifo: Fifo<Bits<8>, 4, 5>,
    state: DFF<UartState>,
    ret: DFF<UartState>,
    op: DFF<Bits<8>>,
    left: DFF<Bits<4>>,
    args: DFF<Bits<80>>,
    addr: DFF<Bits<64>>,
    count: DFF<Bits<16>>,
    word: DFF<Bits<32>>,
    k: DFF<Bits<2>>,
    txb: DFF<Bits<8>>,
    status: DFF<Bits<8>>,
    irq_prev: DFF<Bit>,
    irq_pending: DFF<Bit>,
    hold: DFF<Bits<5>>,
    rx_byte: Signal<Local, Bits<8>>,
    have_byte: Signal<Local, Bit>,
}

impl UartBridge {
    /// A bridge for `clks_per_bit` clock cycles per bit.
    pub fn new(clks_per_bit: u32) -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            rx: Default::default(),
            tx: Default::default(),
            bar_valid: Default::default(),
            bar_write: Default::default(),
            bar_addr: Default::default(),
            bar_wdata: Default::default(),
            bar_ack: Default::default(),
            bar_rdata: Default::default(),
            mem_valid: Default::default(),
            mem_write: Default::default(),
            mem_addr: Default::default(),
            mem_wdata: Default::default(),
            mem_ack: Default::default(),
            mem_rdata: Default::default(),
            mem_err: Default::default(),
            irq: Default::default(),
            card_reset: Default::default(),
            rxu: UartRx::new(clks_per_bit),
            txu: UartTx::new(clks_per_bit),
            rx_fifo: Fifo::new(),
            state: Default::default(),
            ret: Default::default(),
            op: Default::default(),
            left: Default::default(),
            args: Default::default(),
            addr: Default::default(),
            count: Default::default(),
            word: Default::default(),
            k: Default::default(),
            txb: Default::default(),
            status: Default::default(),
            irq_prev: Default::default(),
            irq_pending: Default::default(),
            hold: Default::default(),
            rx_byte: Default::default(),
            have_byte: Default::default(),
        }
    }
}

impl Logic for UartBridge {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            state,
            ret,
            op,
            left,
            args,
            addr,
            count,
            word,
            k,
            txb,
            status,
            irq_prev,
            irq_pending,
            hold
        );
        clock!(self, clock, rxu, txu, rx_fifo);
        self.rxu.reset.next = self.reset.val();
        self.txu.reset.next = self.reset.val();
        self.rx_fifo.reset.next = self.reset.val();
        self.rxu.rx.next = self.rx.val();
        self.tx.next = self.txu.tx.val();
        self.rx_fifo.push.next = self.rxu.valid.val();
        self.rx_fifo.data_in.next = self.rxu.data.val();
        self.rx_byte.next = self.rx_fifo.data_out.val();
        self.have_byte.next = !self.rx_fifo.empty.val();
        self.rx_fifo.pop.next = false;
        self.txu.valid.next = false;
        self.txu.data.next = self.txb.q.val();
        self.bar_valid.next = false;
        self.bar_write.next = self.op.q.val() == 0x01;
        self.bar_addr.next = self.args.q.val().get_bits::<20>(32);
        if self.op.q.val() == 0x02 {
            self.bar_addr.next = self.args.q.val().get_bits::<20>(0);
        }
        self.bar_wdata.next = self.args.q.val().get_bits::<32>(0);
        self.mem_valid.next = false;
        self.mem_write.next = self.state.q.val() == UartState::MemWrite;
        self.mem_addr.next = self.addr.q.val();
        self.mem_wdata.next = self.word.q.val();
        self.card_reset.next = self.state.q.val() == UartState::Reset;

        self.irq_prev.d.next = self.irq.val();
        if self.irq.val() && !self.irq_prev.q.val() {
            self.irq_pending.d.next = true;
        }

        match self.state.q.val() {
            UartState::Op => {
                if self.irq_pending.q.val() {
                    self.irq_pending.d.next = false;
                    self.txb.d.next = 0xC0.into();
                    self.ret.d.next = UartState::Op;
                    self.state.d.next = UartState::SendByte;
                } else if self.have_byte.val() {
                    self.rx_fifo.pop.next = true;
                    self.op.d.next = self.rx_byte.val();
                    self.txb.d.next = self.rx_byte.val() | 0x80;
                    self.ret.d.next = UartState::Op;
                    self.status.d.next = 0.into();
                    match self.rx_byte.val().index() {
                        0 => self.state.d.next = UartState::SendByte,
                        1 => {
                            self.left.d.next = 8.into();
                            self.state.d.next = UartState::Header;
                        }
                        2 => {
                            self.left.d.next = 4.into();
                            self.state.d.next = UartState::Header;
                        }
                        3 => {
                            self.left.d.next = 10.into();
                            self.state.d.next = UartState::Header;
                        }
                        4 => {
                            self.left.d.next = 10.into();
                            self.state.d.next = UartState::Header;
                        }
                        5 => {
                            self.hold.d.next = 0.into();
                            self.state.d.next = UartState::Reset;
                        }
                        _ => {
                            self.txb.d.next = 0xEE.into();
                            self.state.d.next = UartState::SendByte;
                        }
                    }
                }
            }
            UartState::Header => {
                if self.left.q.val() == 0 {
                    self.addr.d.next = self.args.q.val().get_bits::<64>(16);
                    self.count.d.next = self.args.q.val().get_bits::<16>(0);
                    self.k.d.next = 0.into();
                    if (self.op.q.val() == 0x01) || (self.op.q.val() == 0x02) {
                        self.state.d.next = UartState::BarGo;
                    } else if self.args.q.val().get_bits::<16>(0) == 0 {
                        // Nothing to move: the reply (and the read's status) only.
                        self.ret.d.next = UartState::Status;
                        self.state.d.next = UartState::SendByte;
                    } else if self.op.q.val() == 0x03 {
                        self.state.d.next = UartState::MemGather;
                    } else {
                        self.ret.d.next = UartState::MemRead;
                        self.state.d.next = UartState::SendByte;
                    }
                } else if self.have_byte.val() {
                    self.rx_fifo.pop.next = true;
                    self.args.d.next =
                        (self.args.q.val() << 8) | bit_cast::<80, 8>(self.rx_byte.val());
                    self.left.d.next = self.left.q.val() - 1;
                }
            }
            UartState::BarGo => {
                self.bar_valid.next = true;
                self.state.d.next = UartState::BarWait;
            }
            UartState::BarWait => {
                if self.bar_ack.val() {
                    self.word.d.next = self.bar_rdata.val();
                    if self.op.q.val() == 0x02 {
                        self.ret.d.next = UartState::SendWord;
                    } else {
                        self.ret.d.next = UartState::Op;
                    }
                    self.state.d.next = UartState::SendByte;
                }
            }
            UartState::MemGather => {
                if self.have_byte.val() {
                    self.rx_fifo.pop.next = true;
                    self.word.d.next =
                        (self.word.q.val() >> 8) | (bit_cast::<32, 8>(self.rx_byte.val()) << 24);
                    self.k.d.next = self.k.q.val() + 1;
                    if self.k.q.val() == 3 {
                        self.state.d.next = UartState::MemWrite;
                    }
                }
            }
            UartState::MemWrite => {
                self.mem_valid.next = true;
                if self.mem_ack.val() {
                    if self.mem_err.val() {
                        self.status.d.next = self.status.q.val() | 1;
                    }
                    self.addr.d.next = self.addr.q.val() + 4;
                    self.count.d.next = self.count.q.val() - 1;
                    if self.count.q.val() == 1 {
                        self.ret.d.next = UartState::Status;
                        self.state.d.next = UartState::SendByte;
                    } else {
                        self.state.d.next = UartState::MemGather;
                    }
                }
            }
            UartState::MemRead => {
                self.mem_valid.next = true;
                if self.mem_ack.val() {
                    if self.mem_err.val() {
                        self.status.d.next = self.status.q.val() | 1;
                    }
                    self.word.d.next = self.mem_rdata.val();
                    self.addr.d.next = self.addr.q.val() + 4;
                    self.count.d.next = self.count.q.val() - 1;
                    self.k.d.next = 0.into();
                    if self.count.q.val() == 1 {
                        self.ret.d.next = UartState::Status;
                    } else {
                        self.ret.d.next = UartState::MemRead;
                    }
                    self.state.d.next = UartState::SendWord;
                }
            }
            UartState::Reset => {
                self.hold.d.next = self.hold.q.val() + 1;
                if self.hold.q.val() == 31 {
                    self.state.d.next = UartState::SendByte;
                }
            }
            UartState::SendByte => {
                if self.txu.ready.val() {
                    self.txu.valid.next = true;
                    self.state.d.next = self.ret.q.val();
                    self.k.d.next = 0.into();
                    // A BAR read's value follows its reply byte, then the next request.
                    if self.ret.q.val() == UartState::SendWord {
                        self.ret.d.next = UartState::Op;
                    }
                }
            }
            UartState::SendWord => {
                self.txu.data.next = self.word.q.val().get_bits::<8>(0);
                if self.txu.ready.val() {
                    self.txu.valid.next = true;
                    self.word.d.next = self.word.q.val() >> 8;
                    self.k.d.next = self.k.q.val() + 1;
                    if self.k.q.val() == 3 {
                        self.state.d.next = self.ret.q.val();
                    }
                }
            }
            UartState::Status => {
                self.txb.d.next = self.status.q.val();
                self.ret.d.next = UartState::Op;
                self.state.d.next = UartState::SendByte;
            }
            _ => {
                self.state.d.next = UartState::Op;
            }
        }
        if self.reset.val() {
            self.state.d.next = UartState::Op;
            self.irq_pending.d.next = false;
        }
    }
}
