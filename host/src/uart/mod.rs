//! The UART transport: an ECP5 board (no PCIe) driven over its USB serial
//! port through the fabric's UART bridge (protocol: `docs/uart.md`,
//! constants: `tiledma_contract::board`).
//!
//! BAR0 reads and writes are frames on the line; the interrupt arrives as a
//! notification byte between replies. DMA cannot reach the host's memory
//! from the board, so mapped host memory is *staged*: each mapping has a
//! copy in the board's on-chip memory, at the same IOVA (the board decodes
//! the driver's ring and data arenas as windows of its block RAM), and the
//! transport keeps the two in step at the points where a PCIe card's view
//! would matter to the driver:
//!
//! - before every BAR write (doorbells among them), bytes the host changed
//!   since the last sync are written to the board;
//! - after the host clears an interrupt (`IRQ_STATUS`) that has arrived,
//!   bytes the card changed are read back into host memory.
//!
//! Each side's changes are found against a shadow of what both last agreed
//! on, so a host write and a card write to different words never overwrite
//! each other. The limits: mappings must fit the board's windows (16 KiB of
//! rings, 32 KiB of data buffers), and every sync moves bytes at the line
//! rate (~100 KB/s at 1 Mbit/s).

mod tty;

pub use tty::TtyLink;

use crate::transport::Transport;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tiledma_contract::board::*;
use tiledma_contract::regs::IRQ_STATUS;

/// A byte pipe to the board.
pub trait SerialLink: Send {
    /// Sends all of `bytes`.
    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// The next byte from the board, or `None` when `timeout` passes first.
    fn recv(&mut self, timeout: Duration) -> std::io::Result<Option<u8>>;
    /// A short description of the line.
    fn describe(&self) -> String;
}

/// The simulated board (Verilated `tiledma_board`), bit by bit on its pins.
/// Its clock runs only while the host talks or listens; a timeout is
/// counted in the board's clock cycles (`BOARD_CLOCK_HZ`).
#[cfg(feature = "sim")]
impl SerialLink for tiledma_sim::board::SimBoard {
    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        tiledma_sim::board::SimBoard::send(self, bytes);
        Ok(())
    }
    fn recv(&mut self, timeout: Duration) -> std::io::Result<Option<u8>> {
        let cycles = timeout.as_nanos() as u64 * BOARD_CLOCK_HZ as u64 / 1_000_000_000;
        Ok(tiledma_sim::board::SimBoard::recv(self, cycles.max(1)))
    }
    fn describe(&self) -> String {
        format!(
            "simulated ECP5 board (Verilator), UART at {} clocks per bit",
            tiledma_sim::board::CLKS_PER_BIT
        )
    }
}

/// Longest wait for a reply byte (a memory frame of 4 KiB at 115200 bit/s
/// takes ~0.4 s; the board answers each byte as it comes).
const REPLY_TIMEOUT: Duration = Duration::from_secs(2);
/// Words per memory frame the transport sends (4 KiB).
const FRAME_WORDS: usize = 1024;

struct Mapping {
    iova: u64,
    host: *mut u8,
    len: usize,
    /// What host and board last agreed on.
    shadow: Vec<u8>,
}

struct State {
    link: Box<dyn SerialLink>,
    maps: Vec<Mapping>,
    /// BAR writes sent whose acknowledgement has not been read yet.
    posted: usize,
}

// The raw pointers are host memory the driver keeps mapped (dma_map's contract).
unsafe impl Send for State {}

/// A board behind a serial line.
pub struct UartTransport {
    state: Mutex<State>,
    irqs: AtomicU64,
    /// An interrupt arrived since the last read-back of card writes.
    irq_pending_sync: AtomicBool,
    /// The first link error, reported once.
    failed: AtomicBool,
}

impl UartTransport {
    /// A transport over `link`; checks that a board answers.
    pub fn new(link: Box<dyn SerialLink>) -> Result<Self, String> {
        let t = Self {
            state: Mutex::new(State {
                link,
                maps: Vec::new(),
                posted: 0,
            }),
            irqs: AtomicU64::new(0),
            irq_pending_sync: AtomicBool::new(false),
            failed: AtomicBool::new(false),
        };
        {
            let mut s = t.state.lock().unwrap();
            // Whatever a previous session left on the line goes.
            while s
                .link
                .recv(Duration::from_millis(20))
                .map_err(|e| e.to_string())?
                .is_some()
            {}
            t.request(&mut s, &[UART_PING], 1)
                .map_err(|e| format!("no tiledma board answers on {}: {e}", s.link.describe()))?;
        }
        Ok(t)
    }

    /// Opens `/dev/ttyXXX[@BAUD]` (default `UART_DEFAULT_BAUD`).
    pub fn open(spec: &str) -> Result<Self, String> {
        let (path, baud) = match spec.split_once('@') {
            Some((p, b)) => (p, b.parse().map_err(|_| format!("bad baud rate {b:?}"))?),
            None => (spec, UART_DEFAULT_BAUD),
        };
        Self::new(Box::new(TtyLink::open(path, baud)?))
    }

    /// Reads the acknowledgements of posted BAR writes.
    fn drain_posted(&self, s: &mut State) -> Result<(), String> {
        while s.posted > 0 {
            s.posted -= 1;
            self.reply(s, UART_BAR_WRITE, 1)?;
        }
        Ok(())
    }

    /// Sends a request, returns its reply without the reply byte; counts
    /// interrupt notifications that arrive before the reply.
    fn request(&self, s: &mut State, req: &[u8], reply_len: usize) -> Result<Vec<u8>, String> {
        self.drain_posted(s)?;
        s.link.send(req).map_err(|e| e.to_string())?;
        self.reply(s, req[0], reply_len)
    }

    /// Reads the reply to request `op`.
    fn reply(&self, s: &mut State, op: u8, reply_len: usize) -> Result<Vec<u8>, String> {
        let req = [op];
        let first = loop {
            match s.link.recv(REPLY_TIMEOUT).map_err(|e| e.to_string())? {
                Some(UART_IRQ) => self.note_irq(),
                Some(b) => break b,
                None => return Err(format!("no reply to request {:#04x}", req[0])),
            }
        };
        if first != req[0] | UART_REPLY {
            return Err(format!(
                "request {:#04x} answered with {first:#04x}",
                req[0]
            ));
        }
        let mut out = Vec::with_capacity(reply_len - 1);
        while out.len() < reply_len - 1 {
            match s.link.recv(REPLY_TIMEOUT).map_err(|e| e.to_string())? {
                Some(b) => out.push(b),
                None => return Err(format!("reply to {:#04x} cut short", req[0])),
            }
        }
        Ok(out)
    }

    fn note_irq(&self) {
        self.irqs.fetch_add(1, Ordering::SeqCst);
        self.irq_pending_sync.store(true, Ordering::SeqCst);
    }

    fn fail(&self, what: &str, e: String) {
        if !self.failed.swap(true, Ordering::SeqCst) {
            eprintln!("tiledma: UART link: {what}: {e}");
        }
    }

    fn mem_write(&self, s: &mut State, addr: u64, data: &[u8]) -> Result<(), String> {
        for (i, chunk) in data.chunks(4 * FRAME_WORDS).enumerate() {
            let a = addr + (i * 4 * FRAME_WORDS) as u64;
            let mut req = Vec::with_capacity(11 + chunk.len());
            req.push(UART_MEM_WRITE);
            req.extend(a.to_be_bytes());
            req.extend(((chunk.len() / 4) as u16).to_be_bytes());
            req.extend(chunk);
            let status = self.request(s, &req, 2)?[0];
            if status != 0 {
                return Err(format!(
                    "board memory write at {a:#x} refused (status {status:#x})"
                ));
            }
        }
        Ok(())
    }

    fn mem_read(&self, s: &mut State, addr: u64, len: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            let words = ((len - out.len()) / 4).min(FRAME_WORDS);
            let a = addr + out.len() as u64;
            let mut req = vec![UART_MEM_READ];
            req.extend(a.to_be_bytes());
            req.extend((words as u16).to_be_bytes());
            let mut reply = self.request(s, &req, 2 + 4 * words)?;
            let status = reply.pop().unwrap();
            if status != 0 {
                return Err(format!(
                    "board memory read at {a:#x} refused (status {status:#x})"
                ));
            }
            out.extend(reply);
        }
        Ok(out)
    }

    /// Host changes → board, word runs that differ from the shadow.
    fn flush(&self, s: &mut State) -> Result<(), String> {
        let mut writes = Vec::new();
        for m in s.maps.iter_mut() {
            let now = read_host(m.host, m.len);
            for (start, end) in changed_runs(&now, &m.shadow) {
                writes.push((m.iova + start as u64, now[start..end].to_vec()));
                m.shadow[start..end].copy_from_slice(&now[start..end]);
            }
        }
        for (addr, data) in writes {
            self.mem_write(s, addr, &data)?;
        }
        Ok(())
    }

    /// Board changes → host, words that differ from the shadow.
    fn fetch(&self, s: &mut State) -> Result<(), String> {
        for i in 0..s.maps.len() {
            let (iova, len) = (s.maps[i].iova, s.maps[i].len);
            let card = self.mem_read(s, iova, len)?;
            let m = &mut s.maps[i];
            for (start, end) in changed_runs(&card, &m.shadow) {
                for (k, &b) in card[start..end].iter().enumerate() {
                    // SAFETY: inside the mapping, which the driver keeps alive.
                    unsafe { m.host.add(start + k).write_volatile(b) };
                }
                m.shadow[start..end].copy_from_slice(&card[start..end]);
            }
        }
        Ok(())
    }
}

fn read_host(p: *const u8, len: usize) -> Vec<u8> {
    // SAFETY: a live mapping (dma_map's contract); the card's view is a copy.
    (0..len)
        .map(|i| unsafe { p.add(i).read_volatile() })
        .collect()
}

/// Byte ranges, in whole 4-byte words, where `a` and `b` differ.
fn changed_runs(a: &[u8], b: &[u8]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (w, (x, y)) in a.chunks(4).zip(b.chunks(4)).enumerate() {
        if x != y {
            let (s, e) = (4 * w, 4 * w + x.len());
            match runs.last_mut() {
                // Join runs less than a frame header apart.
                Some(last) if s <= last.1 + 12 => last.1 = e,
                _ => runs.push((s, e)),
            }
        }
    }
    runs
}

impl Transport for UartTransport {
    fn read32(&self, offset: u32) -> u32 {
        let mut s = self.state.lock().unwrap();
        let mut req = vec![UART_BAR_READ];
        req.extend(offset.to_be_bytes());
        match self.request(&mut s, &req, 5) {
            Ok(v) => u32::from_le_bytes([v[0], v[1], v[2], v[3]]),
            Err(e) => {
                // As a PCIe read the card does not answer.
                self.fail("BAR read", e);
                u32::MAX
            }
        }
    }

    fn write32(&self, offset: u32, value: u32) {
        let mut s = self.state.lock().unwrap();
        if let Err(e) = self.flush(&mut s) {
            self.fail("staging host memory to the board", e);
        }
        let mut req = vec![UART_BAR_WRITE];
        req.extend(offset.to_be_bytes());
        req.extend(value.to_be_bytes());
        // Posted, as on PCIe: the acknowledgement is read before the next
        // request that needs an answer, so a USB-serial adapter's latency
        // is paid once per batch of writes (a firmware load), not per write.
        match s.link.send(&req) {
            Ok(()) => s.posted += 1,
            Err(e) => self.fail("BAR write", e.to_string()),
        }
        let must_drain = s.posted >= 256 || offset == IRQ_STATUS;
        if must_drain {
            if let Err(e) = self.drain_posted(&mut s) {
                self.fail("BAR write", e);
            }
        }
        // Clear, then read back: a completion written after this read
        // raises the interrupt again (the driver's order for its ring scan).
        if offset == IRQ_STATUS && self.irq_pending_sync.swap(false, Ordering::SeqCst) {
            if let Err(e) = self.fetch(&mut s) {
                self.fail("reading card writes back", e);
            }
        }
    }

    unsafe fn dma_map(&self, host: *mut u8, len: u64, iova: u64) -> Result<(), String> {
        if !len.is_multiple_of(4) || !iova.is_multiple_of(4) {
            return Err(format!("mapping {iova:#x}+{len:#x} is not in whole words"));
        }
        if !BOARD_WINDOWS[..2]
            .iter()
            .any(|w| w.offset_of(iova, len).is_some())
        {
            return Err(format!(
                "IOVA {iova:#x}+{len:#x} is outside the board's staging windows \
                 (rings {:#x}+{:#x}, data {:#x}+{:#x}): the board holds only {} KiB of on-chip memory",
                BOARD_RING_WINDOW.base,
                BOARD_RING_WINDOW.bytes,
                BOARD_DATA_WINDOW.base,
                BOARD_DATA_WINDOW.bytes,
                BOARD_MEMORY_BYTES >> 10
            ));
        }
        let mut s = self.state.lock().unwrap();
        if s.maps
            .iter()
            .any(|m| iova < m.iova + m.len as u64 && m.iova < iova + len)
        {
            return Err(format!("IOVA {iova:#x}+{len:#x} overlaps a mapping"));
        }
        let data = read_host(host, len as usize);
        self.mem_write(&mut s, iova, &data)?;
        s.maps.push(Mapping {
            iova,
            host,
            len: len as usize,
            shadow: data,
        });
        Ok(())
    }

    fn dma_unmap(&self, iova: u64) -> Result<(), String> {
        let mut s = self.state.lock().unwrap();
        let before = s.maps.len();
        s.maps.retain(|m| m.iova != iova);
        if s.maps.len() == before {
            return Err(format!("no mapping at IOVA {iova:#x}"));
        }
        Ok(())
    }

    fn wait_interrupt(&self, seen: u64, timeout: Duration) -> u64 {
        let end = Instant::now() + timeout;
        loop {
            let n = self.irqs.load(Ordering::SeqCst);
            let now = Instant::now();
            if n > seen || now >= end {
                return n;
            }
            let mut s = self.state.lock().unwrap();
            match s.link.recv((end - now).min(Duration::from_millis(2))) {
                Ok(Some(UART_IRQ)) => self.note_irq(),
                Ok(Some(b)) if b == UART_BAR_WRITE | UART_REPLY && s.posted > 0 => s.posted -= 1,
                Ok(Some(b)) => {
                    self.fail("line", format!("unexpected byte {b:#04x} between replies"))
                }
                Ok(None) => {}
                Err(e) => {
                    self.fail("line", e.to_string());
                    drop(s);
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        }
    }

    fn describe(&self) -> String {
        format!(
            "ECP5 board over UART ({}; {} KiB on-chip memory, DMA staged over the line)",
            self.state.lock().unwrap().link.describe(),
            BOARD_MEMORY_BYTES >> 10
        )
    }

    fn reset(&self) -> Result<(), String> {
        let mut s = self.state.lock().unwrap();
        self.request(&mut s, &[UART_RESET], 1)?;
        // On-chip memory keeps its contents across a card reset.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::changed_runs;

    #[test]
    fn runs_cover_changed_words_and_join_close_ones() {
        let a = [0u8; 64];
        let mut b = a;
        b[5] = 1;
        b[9] = 1;
        b[40] = 1;
        assert_eq!(changed_runs(&b, &a), vec![(4, 12), (40, 44)]);
        assert!(changed_runs(&a, &a).is_empty());
    }
}
