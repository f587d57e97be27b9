//! The ECP5 board top (`tiledma_board`: card, on-chip memory, UART bridge)
//! Verilated, seen from its serial pins only, as a host sees a board through
//! its USB-UART. Bytes go in and come out bit by bit at the board's line
//! rate ([`CLKS_PER_BIT`] clock cycles per bit); the model runs only while
//! the host talks or listens, which is all a host can observe.

use std::collections::VecDeque;
use std::ffi::c_void;

extern "C" {
    fn tdm_board_new() -> *mut c_void;
    fn tdm_board_free(h: *mut c_void);
    fn tdm_board_run(h: *mut c_void, cycles: u32, rx: u8, tx: *mut u8) -> u32;
}

/// Clock cycles per bit of the simulated board's UART.
pub use tiledma_hdl::verilog::BOARD_SIM_CLKS_PER_BIT as CLKS_PER_BIT;

/// Receiver of the board's `uart_tx` line (8N1), sampled every cycle.
#[derive(Default)]
struct LineDecoder {
    /// Cycles until the next sample; `None` while the line idles.
    next: Option<u32>,
    bit: u32,
    shift: u8,
}

impl LineDecoder {
    fn sample(&mut self, level: u8, out: &mut VecDeque<u8>) {
        match self.next {
            None => {
                if level == 0 {
                    // Start bit: sample its middle, then every bit's.
                    self.next = Some(CLKS_PER_BIT / 2);
                    self.bit = 0;
                }
            }
            Some(0) => {
                match self.bit {
                    0 => {
                        if level != 0 {
                            self.next = None; // a glitch, not a start bit
                            return;
                        }
                    }
                    1..=8 => self.shift = (self.shift >> 1) | (level << 7),
                    _ => {
                        if level != 0 {
                            out.push_back(self.shift);
                        }
                        self.next = None;
                        return;
                    }
                }
                self.bit += 1;
                self.next = Some(CLKS_PER_BIT - 1);
            }
            Some(n) => self.next = Some(n - 1),
        }
    }
}

/// A simulated board behind its serial port.
pub struct SimBoard {
    h: *mut c_void,
    decoder: LineDecoder,
    received: VecDeque<u8>,
    trace: Vec<u8>,
    cycles: u64,
    lines: u32,
}

// The model is only touched through &mut self.
unsafe impl Send for SimBoard {}

impl SimBoard {
    /// Powers the board on (its power-on reset runs in the first cycles).
    pub fn new() -> Self {
        let mut b = Self {
            h: unsafe { tdm_board_new() },
            decoder: LineDecoder::default(),
            received: VecDeque::new(),
            trace: vec![0; CLKS_PER_BIT as usize],
            cycles: 0,
            lines: 0,
        };
        b.run(1000);
        b
    }

    fn bit(&mut self, rx: u8) {
        self.lines = unsafe { tdm_board_run(self.h, CLKS_PER_BIT, rx, self.trace.as_mut_ptr()) };
        self.cycles += CLKS_PER_BIT as u64;
        for i in 0..self.trace.len() {
            let level = self.trace[i];
            self.decoder.sample(level, &mut self.received);
        }
    }

    /// Sends bytes to the board (8N1), listening meanwhile.
    pub fn send(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.bit(0);
            for i in 0..8 {
                self.bit((b >> i) & 1);
            }
            self.bit(1);
        }
    }

    /// Runs the board with the line idle for at least `cycles` cycles.
    pub fn run(&mut self, cycles: u64) {
        for _ in 0..cycles.div_ceil(CLKS_PER_BIT as u64) {
            self.bit(1);
        }
    }

    /// The next byte from the board, running it up to `max_cycles` for one.
    pub fn recv(&mut self, max_cycles: u64) -> Option<u8> {
        let end = self.cycles + max_cycles;
        while self.received.is_empty() && self.cycles < end {
            self.bit(1);
        }
        self.received.pop_front()
    }

    /// Clock cycles run so far.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// The card's interrupt line after the last cycle.
    pub fn irq(&self) -> bool {
        self.lines & 1 != 0
    }

    /// The soft core trapped.
    pub fn cpu_trap(&self) -> bool {
        self.lines & 2 != 0
    }
}

impl Default for SimBoard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for SimBoard {
    fn drop(&mut self) {
        unsafe { tdm_board_free(self.h) }
    }
}
