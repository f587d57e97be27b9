//! The simulated card: the Verilated card top (PicoRV32 + firmware RAM +
//! register block + engine) running in its own thread, reached only through
//! what VFIO gives a driver: BAR0 reads and writes, DMA mappings of host
//! memory at IOVAs (translated here like an IOMMU: an unmapped IOVA is a
//! decode error on the bus), and an interrupt.

use crate::card_trace::{self, CycleView};
use crate::memory::{
    AxiSlave, Backing, DecodeError, Injected, MasterOut, MemoryConfig, SlaveOut, SparseMemory,
};
use std::collections::BTreeMap;
use std::ffi::{c_char, c_int, c_void, CString};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tiledma_contract::regs::{CARD_MEMORY_BASE, CARD_MEMORY_BYTES, FW_RAM_BYTES};
use tiledma_contract::trace::CardEvent;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
struct CardInputs {
    clock: u8,
    reset: u8,
    bar_valid: u8,
    bar_write: u8,
    bar_addr: u32,
    bar_wdata: u32,
    m: SlaveOut,
    h: SlaveOut,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
struct CardOutputs {
    bar_ack: u8,
    irq: u8,
    cpu_trap: u8,
    /// Trace strobes: issued (bit 0), started (1), done (2).
    trace: u8,
    bar_rdata: u32,
    /// The soft core's program counter (the instruction in progress).
    cpu_pc: u32,
    m: MasterOut,
    h: MasterOut,
}

extern "C" {
    fn tdm_card_new() -> *mut c_void;
    fn tdm_card_free(h: *mut c_void);
    fn tdm_card_eval(h: *mut c_void, i: *const CardInputs, o: *mut CardOutputs);
    fn tdm_card_trace_open(h: *mut c_void, path: *const c_char) -> c_int;
    fn tdm_card_trace_dump(h: *mut c_void, t: u64);
}

/// The Verilated card top.
struct CardModel {
    handle: *mut c_void,
    time: u64,
    tracing: bool,
}

impl CardModel {
    fn new() -> Self {
        // SAFETY: the harness owns the model until `free`.
        Self {
            handle: unsafe { tdm_card_new() },
            time: 0,
            tracing: false,
        }
    }

    fn trace_to(&mut self, path: &std::path::Path) -> std::io::Result<()> {
        let c = CString::new(path.as_os_str().as_encoded_bytes()).map_err(std::io::Error::other)?;
        // SAFETY: valid handle, NUL-terminated path.
        if unsafe { tdm_card_trace_open(self.handle, c.as_ptr()) } != 0 {
            return Err(std::io::Error::other(format!(
                "cannot open VCD {}",
                path.display()
            )));
        }
        self.tracing = true;
        Ok(())
    }

    fn eval(&mut self, i: &CardInputs) -> CardOutputs {
        let mut o = CardOutputs::default();
        // SAFETY: valid handle; the structs match csrc/card.cpp.
        unsafe { tdm_card_eval(self.handle, i, &mut o) };
        if self.tracing {
            unsafe { tdm_card_trace_dump(self.handle, self.time) };
        }
        self.time += 1;
        o
    }
}

// SAFETY: the model is owned by exactly one thread at a time.
unsafe impl Send for CardModel {}

impl Drop for CardModel {
    fn drop(&mut self) {
        // SAFETY: freed once.
        unsafe { tdm_card_free(self.handle) };
    }
}

/// IOVA → host memory translations, as the IOMMU holds them.
#[derive(Default)]
pub struct Iommu {
    maps: BTreeMap<u64, (u64, usize)>,
}

impl Iommu {
    /// Host address of `iova` and how many bytes from there the same
    /// mapping covers.
    fn translate(&self, iova: u64) -> Option<(*mut u8, u64)> {
        let (&base, &(size, host)) = self.maps.range(..=iova).next_back()?;
        let off = iova - base;
        (off < size).then(|| ((host + off as usize) as *mut u8, size - off))
    }

    /// Calls `f(host, offset, len)` for each piece of `[iova, iova + len)`,
    /// which may span several adjacent mappings (a vIOMMU maps page by
    /// page); `None` if any byte is unmapped, before `f` is called at all.
    fn for_each_piece(
        &self,
        iova: u64,
        len: u64,
        mut f: impl FnMut(*mut u8, usize, usize),
    ) -> Option<()> {
        let mut pieces = [(std::ptr::null_mut(), 0usize, 0usize); 8];
        let (mut n, mut done) = (0, 0u64);
        while done < len {
            let (p, avail) = self.translate(iova + done)?;
            let take = avail.min(len - done);
            if n == pieces.len() {
                return None;
            }
            pieces[n] = (p, done as usize, take as usize);
            n += 1;
            done += take;
        }
        for &(p, off, take) in &pieces[..n] {
            f(p, off, take);
        }
        Some(())
    }

    /// Removes every translation inside `[iova, iova + len)`, splitting
    /// mappings that straddle its ends. Returns the bytes unmapped.
    fn unmap_range(&mut self, iova: u64, len: u64) -> u64 {
        let end = iova.saturating_add(len);
        let hit: Vec<(u64, u64, usize)> = self
            .maps
            .range(..end)
            .filter(|(&b, &(s, _))| b + s > iova)
            .map(|(&b, &(s, h))| (b, s, h))
            .collect();
        let mut removed = 0;
        for (b, s, h) in hit {
            self.maps.remove(&b);
            if b < iova {
                self.maps.insert(b, (iova - b, h));
            }
            if b + s > end {
                self.maps.insert(end, (b + s - end, h + (end - b) as usize));
            }
            removed += (b + s).min(end) - b.max(iova);
        }
        removed
    }
}

/// Why a DMA mapping was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MapError {
    /// The IOVA range overlaps an existing mapping.
    #[error("IOVA range {0:#x}+{1:#x} overlaps a mapping")]
    Overlap(u64, u64),
    /// Zero length, or the range wraps or reaches card memory addresses.
    #[error("IOVA range {0:#x}+{1:#x} is not mappable")]
    BadRange(u64, u64),
    /// No mapping starts at that IOVA.
    #[error("nothing is mapped at IOVA {0:#x}")]
    NotMapped(u64),
}

/// What the card thread shares with its users.
struct Shared {
    iommu: Mutex<Iommu>,
    /// PCI Bus Master Enable: without it the card's requests to host
    /// memory fail (card memory stays reachable).
    bus_master: AtomicBool,
    /// The interrupt line's level now.
    irq_level: AtomicBool,
    injected_errors: AtomicU64,
    injected_stalls: AtomicU64,
    irq: Mutex<u64>,
    irq_cv: Condvar,
    cycles: AtomicU64,
    trapped: AtomicBool,
    /// Record [`CardEvent`]s into `events`.
    tracing: AtomicBool,
    events: Mutex<Vec<CardEvent>>,
    /// Count cycles per firmware address into `profile`.
    profiling: AtomicBool,
    /// Cycles per 2-byte slot of the firmware RAM.
    profile: Mutex<Vec<u64>>,
}

/// Entries of the firmware profile: one per 2-byte slot of the firmware RAM.
const PROFILE_SLOTS: usize = (FW_RAM_BYTES / 2) as usize;

enum Request {
    Read(u32, Sender<u32>),
    /// A write; posted writes carry no sender.
    Write(u32, u32, Option<Sender<u32>>),
    /// Holds the whole card in reset for a few cycles (PCI function reset).
    Reset(Sender<u32>),
    /// Sets the faults injected into the card's buses.
    Inject(CardFaults, Sender<u32>),
}

/// Faults injected into a running card (see [`SimCard::inject`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardFaults {
    /// Into the engine's port: bus errors on random beats, long stalls.
    pub engine: Injected,
    /// The card stops answering: neither the engine's nor the soft core's
    /// bus moves (registers still read). A function reset clears it, as
    /// it would revive a wedged card.
    pub hang: bool,
}

/// Counts of injected faults that took effect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Beats failed with a bus error.
    pub errors: u64,
    /// Bursts stalled.
    pub stalls: u64,
}

/// Bus timing of the simulated card's two master ports.
#[derive(Clone, Debug)]
pub struct CardConfig {
    /// Timing of the engine's port (host reads cross PCIe: ~100+ cycles).
    pub engine_bus: MemoryConfig,
    /// Timing of the CPU bridge's port.
    pub bridge_bus: MemoryConfig,
    /// Dump a VCD waveform of the whole card here.
    pub vcd: Option<PathBuf>,
}

impl Default for CardConfig {
    fn default() -> Self {
        let bus = MemoryConfig {
            read_latency: 100,
            write_response_latency: 20,
            ..Default::default()
        };
        Self {
            engine_bus: bus.clone(),
            bridge_bus: bus,
            vcd: None,
        }
    }
}

/// The card's DMA address space: host memory through the IOMMU, card memory above.
struct CardBus<'a> {
    iommu: &'a Mutex<Iommu>,
    bus_master: bool,
    card_mem: &'a mut SparseMemory,
}

impl Backing for CardBus<'_> {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> Result<(), DecodeError> {
        let len = buf.len() as u64;
        if addr >= CARD_MEMORY_BASE {
            if addr - CARD_MEMORY_BASE + len > CARD_MEMORY_BYTES {
                return Err(DecodeError);
            }
            SparseMemory::read(self.card_mem, addr, buf);
            return Ok(());
        }
        if !self.bus_master {
            return Err(DecodeError);
        }
        let iommu = self.iommu.lock().unwrap();
        iommu
            .for_each_piece(addr, len, |p, off, n| {
                for (i, b) in buf[off..off + n].iter_mut().enumerate() {
                    // SAFETY: the host mapped this memory for DMA and keeps it
                    // alive until it unmaps it (under this same lock).
                    // Volatile: the host touches it concurrently, as a
                    // device would see it.
                    *b = unsafe { p.add(i).read_volatile() };
                }
            })
            .ok_or(DecodeError)
    }

    fn write(&mut self, addr: u64, data: &[u8], strobes: u64) -> Result<(), DecodeError> {
        let len = data.len() as u64;
        if addr >= CARD_MEMORY_BASE {
            if addr - CARD_MEMORY_BASE + len > CARD_MEMORY_BYTES {
                return Err(DecodeError);
            }
            return Backing::write(self.card_mem, addr, data, strobes);
        }
        if !self.bus_master {
            return Err(DecodeError);
        }
        let iommu = self.iommu.lock().unwrap();
        iommu
            .for_each_piece(addr, len, |p, off, n| {
                for i in 0..n {
                    if strobes >> (off + i) & 1 != 0 {
                        // SAFETY: as in `read`.
                        unsafe { p.add(i).write_volatile(data[off + i]) };
                    }
                }
            })
            .ok_or(DecodeError)
    }
}

/// A running simulated card.
pub struct SimCard {
    requests: Mutex<Sender<Request>>,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SimCard {
    /// Powers the card on (reset, CPU held, firmware RAM empty) in its own thread.
    pub fn start(config: CardConfig) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            iommu: Mutex::new(Iommu::default()),
            bus_master: AtomicBool::new(true),
            irq_level: AtomicBool::new(false),
            injected_errors: AtomicU64::new(0),
            injected_stalls: AtomicU64::new(0),
            irq: Mutex::new(0),
            irq_cv: Condvar::new(),
            cycles: AtomicU64::new(0),
            trapped: AtomicBool::new(false),
            tracing: AtomicBool::new(false),
            events: Mutex::new(Vec::new()),
            profiling: AtomicBool::new(false),
            profile: Mutex::new(vec![0; PROFILE_SLOTS]),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let mut model = CardModel::new();
        if let Some(p) = &config.vcd {
            model.trace_to(p)?;
        }
        let (sh, st) = (shared.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("tiledma-sim-card".into())
            .spawn(move || run_card(model, config, sh, st, rx))?;
        Ok(Self {
            requests: Mutex::new(tx),
            shared,
            stop,
            thread: Some(thread),
        })
    }

    fn request(&self, make: impl FnOnce(Sender<u32>) -> Request) -> u32 {
        let (tx, rx) = channel();
        self.requests
            .lock()
            .unwrap()
            .send(make(tx))
            .expect("card thread gone");
        rx.recv().expect("card thread gone")
    }

    /// 32-bit BAR0 read.
    pub fn read32(&self, offset: u32) -> u32 {
        self.request(|tx| Request::Read(offset, tx))
    }

    /// 32-bit BAR0 write (returns when the card has taken it).
    pub fn write32(&self, offset: u32, value: u32) {
        self.request(|tx| Request::Write(offset, value, Some(tx)));
    }

    /// 32-bit BAR0 write, posted as PCIe memory writes are: returns at once.
    /// Requests are taken in order, so a later read returns after it (the
    /// usual read-back flush works).
    pub fn write32_posted(&self, offset: u32, value: u32) {
        self.requests
            .lock()
            .unwrap()
            .send(Request::Write(offset, value, None))
            .expect("card thread gone");
    }

    /// Maps `len` bytes of host memory at `host` to `iova`.
    ///
    /// # Safety
    /// The memory must stay valid until [`dma_unmap`](Self::dma_unmap); the
    /// card reads and writes it at any time (volatile accesses).
    pub unsafe fn dma_map(&self, host: *mut u8, len: u64, iova: u64) -> Result<(), MapError> {
        if len == 0
            || iova
                .checked_add(len)
                .is_none_or(|end| end > CARD_MEMORY_BASE)
        {
            return Err(MapError::BadRange(iova, len));
        }
        let mut m = self.shared.iommu.lock().unwrap();
        let clash = m
            .maps
            .range(..iova + len)
            .next_back()
            .is_some_and(|(&b, &(s, _))| b + s > iova);
        if clash {
            return Err(MapError::Overlap(iova, len));
        }
        m.maps.insert(iova, (len, host as usize));
        Ok(())
    }

    /// Removes the mapping that starts at `iova`; the card can no longer reach it.
    pub fn dma_unmap(&self, iova: u64) -> Result<(), MapError> {
        let mut m = self.shared.iommu.lock().unwrap();
        m.maps
            .remove(&iova)
            .map(|_| ())
            .ok_or(MapError::NotMapped(iova))
    }

    /// Removes every translation inside `[iova, iova + len)` (what an
    /// IOMMU unmap of a range does; mappings straddling its ends are cut).
    /// Returns the bytes that were mapped.
    pub fn dma_unmap_range(&self, iova: u64, len: u64) -> u64 {
        self.shared.iommu.lock().unwrap().unmap_range(iova, len)
    }

    /// Sets PCI Bus Master Enable (on after [`start`](Self::start), as the
    /// in-process card has no config space; a PCI front end drives it).
    pub fn set_bus_master(&self, on: bool) {
        self.shared.bus_master.store(on, Ordering::Relaxed);
    }

    /// The interrupt line is asserted now.
    pub fn irq_level(&self) -> bool {
        self.shared.irq_level.load(Ordering::Relaxed)
    }

    /// Resets the whole card (registers, soft core, engine, bus state) as
    /// a PCI function reset does; card memory keeps its contents.
    pub fn reset(&self) {
        self.request(Request::Reset);
    }

    /// Injects faults from now on (replacing the previous ones);
    /// `CardFaults::default()` clears them.
    pub fn inject(&self, faults: CardFaults) {
        self.request(|tx| Request::Inject(faults, tx));
    }

    /// Injected faults that took effect so far.
    pub fn fault_counts(&self) -> FaultCounts {
        FaultCounts {
            errors: self.shared.injected_errors.load(Ordering::Relaxed),
            stalls: self.shared.injected_stalls.load(Ordering::Relaxed),
        }
    }

    /// Interrupts raised so far (rising edges of the line).
    pub fn interrupts(&self) -> u64 {
        *self.shared.irq.lock().unwrap()
    }

    /// Waits until more than `seen` interrupts were raised, or `timeout`.
    /// Returns the count.
    pub fn wait_interrupt(&self, seen: u64, timeout: Duration) -> u64 {
        let deadline = Instant::now() + timeout;
        let mut n = self.shared.irq.lock().unwrap();
        while *n <= seen {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            n = self.shared.irq_cv.wait_timeout(n, left).unwrap().0;
        }
        *n
    }

    /// Card cycles simulated so far.
    pub fn cycles(&self) -> u64 {
        self.shared.cycles.load(Ordering::Relaxed)
    }

    /// Starts or stops recording what the card does (see [`CardEvent`]).
    pub fn set_tracing(&self, on: bool) {
        self.shared.tracing.store(on, Ordering::Relaxed);
    }

    /// Starts or stops the firmware profile: every cycle is counted against
    /// the address of the instruction the soft core is running.
    pub fn set_profiling(&self, on: bool) {
        self.shared.profiling.store(on, Ordering::Relaxed);
    }

    /// Cycles per firmware address so far, one entry per 2-byte slot of
    /// the firmware RAM (the entry for address `a` is `a / 2`); the counts
    /// start at zero again.
    pub fn take_profile(&self) -> Vec<u64> {
        let mut p = self.shared.profile.lock().unwrap();
        std::mem::replace(&mut *p, vec![0; PROFILE_SLOTS])
    }

    /// The events recorded so far, oldest first; the record starts empty again.
    pub fn take_events(&self) -> Vec<CardEvent> {
        std::mem::take(&mut *self.shared.events.lock().unwrap())
    }

    /// The soft core has trapped (firmware crashed).
    pub fn cpu_trapped(&self) -> bool {
        self.shared.trapped.load(Ordering::Relaxed)
    }
}

impl Drop for SimCard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run_card(
    mut model: CardModel,
    config: CardConfig,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    rx: Receiver<Request>,
) {
    let mut card_mem = SparseMemory::default();
    let mut m_port = AxiSlave::new(64, config.engine_bus);
    let mut h_port = AxiSlave::new(64, config.bridge_bus);
    let cycle = |model: &mut CardModel, i: &CardInputs| {
        let mut i = *i;
        i.clock = 0;
        let o = model.eval(&i);
        i.clock = 1;
        model.eval(&i);
        o
    };
    // Power-on reset and function reset alike: reset held for 4 cycles.
    let hold_reset = |model: &mut CardModel| {
        for _ in 0..4 {
            cycle(
                model,
                &CardInputs {
                    reset: 1,
                    ..Default::default()
                },
            );
        }
    };
    hold_reset(&mut model);
    let mut pending: Option<(Request, bool)> = None;
    let mut m_port_injected = Injected::default();
    let mut irq_level = false;
    let mut n: u64 = 0;
    while !stop.load(Ordering::Relaxed) {
        if pending.is_none() {
            match rx.try_recv() {
                Ok(r) => pending = Some((r, false)),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => break,
            }
        }
        if let Some((Request::Reset(_), _)) = &pending {
            hold_reset(&mut model);
            m_port.reset_bus();
            h_port.reset_bus();
            // A function reset revives a hung card; random faults stay.
            let mut engine = m_port_injected.clone();
            engine.hang = false;
            m_port.inject(engine.clone());
            m_port_injected = engine;
            h_port.inject(Injected::default());
            if let Some((Request::Reset(tx), _)) = pending.take() {
                let _ = tx.send(0);
            }
            continue;
        }
        if let Some((Request::Inject(..), _)) = &pending {
            if let Some((Request::Inject(f, tx), _)) = pending.take() {
                m_port_injected = Injected {
                    hang: f.hang || f.engine.hang,
                    ..f.engine
                };
                m_port.inject(m_port_injected.clone());
                h_port.inject(Injected {
                    hang: f.hang,
                    ..Default::default()
                });
                let _ = tx.send(0);
            }
            continue;
        }
        let mut i = CardInputs::default();
        let mut register_write = None;
        if let Some((req, issued)) = pending.as_mut() {
            if !*issued {
                *issued = true;
                i.bar_valid = 1;
                match req {
                    Request::Read(a, _) => i.bar_addr = *a,
                    Request::Write(a, v, _) => {
                        i.bar_addr = *a;
                        i.bar_wdata = *v;
                        i.bar_write = 1;
                        register_write = Some((*a, *v));
                    }
                    Request::Reset(_) | Request::Inject(..) => unreachable!("handled above"),
                }
            }
        }
        let mut bus = CardBus {
            iommu: &shared.iommu,
            bus_master: shared.bus_master.load(Ordering::Relaxed),
            card_mem: &mut card_mem,
        };
        i.m = m_port.drive(&mut bus);
        i.h = h_port.drive(&mut bus);
        let o = cycle(&mut model, &i);
        m_port.update(&mut bus, &o.m);
        h_port.update(&mut bus, &o.h);
        if o.bar_ack != 0 {
            if let Some((req, _)) = pending.take() {
                let _ = match req {
                    Request::Read(_, tx) => tx.send(o.bar_rdata),
                    Request::Write(_, _, Some(tx))
                    | Request::Reset(tx)
                    | Request::Inject(_, tx) => tx.send(0),
                    Request::Write(_, _, None) => Ok(()),
                };
            }
        }
        let irq_rose = o.irq != 0 && !irq_level;
        if shared.tracing.load(Ordering::Relaxed) {
            let view = CycleView {
                register_write,
                h_in: &i.h,
                h_out: &o.h,
                m_in: &i.m,
                m_out: &o.m,
                strobes: o.trace,
                irq_rose,
            };
            card_trace::record(n, &view, &mut shared.events.lock().unwrap());
        }
        if shared.profiling.load(Ordering::Relaxed) {
            // A program counter outside the RAM (a crashed core) is not counted.
            if let Some(c) = shared
                .profile
                .lock()
                .unwrap()
                .get_mut((o.cpu_pc / 2) as usize)
            {
                *c += 1;
            }
        }
        if irq_rose {
            *shared.irq.lock().unwrap() += 1;
            shared.irq_cv.notify_all();
        }
        irq_level = o.irq != 0;
        shared.irq_level.store(irq_level, Ordering::Relaxed);
        n += 1;
        // Every cycle: a host timestamping its own events reads it.
        shared.cycles.store(n, Ordering::Relaxed);
        if n.is_multiple_of(256) {
            let st = m_port.stats();
            shared
                .injected_errors
                .store(st.injected_errors, Ordering::Relaxed);
            shared
                .injected_stalls
                .store(st.injected_stalls, Ordering::Relaxed);
            if o.cpu_trap != 0 {
                shared.trapped.store(true, Ordering::Relaxed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Iommu;

    fn iommu(maps: &[(u64, u64, usize)]) -> Iommu {
        let mut m = Iommu::default();
        for &(iova, len, host) in maps {
            m.maps.insert(iova, (len, host));
        }
        m
    }

    #[test]
    fn a_range_across_adjacent_mappings_is_split_into_pieces() {
        // Two 4 KiB IOVA pages backed by unrelated host pages.
        let m = iommu(&[(0x1000, 0x1000, 0x10_0000), (0x2000, 0x1000, 0x50_0000)]);
        let mut pieces = Vec::new();
        m.for_each_piece(0x1fe0, 64, |p, off, n| pieces.push((p as usize, off, n)))
            .unwrap();
        assert_eq!(pieces, [(0x10_0fe0, 0, 32), (0x50_0000, 32, 32)]);
        // One unmapped byte fails the whole access, before any piece.
        let mut called = false;
        assert!(m
            .for_each_piece(0x2fe0, 64, |_, _, _| called = true)
            .is_none());
        assert!(!called);
    }

    #[test]
    fn unmapping_a_range_cuts_straddling_mappings() {
        let mut m = iommu(&[(0x1000, 0x3000, 0x10_0000), (0x8000, 0x1000, 0x20_0000)]);
        assert_eq!(m.unmap_range(0x2000, 0x1000), 0x1000);
        assert_eq!(m.translate(0x1fff).unwrap().0 as usize, 0x10_0fff);
        assert!(m.translate(0x2000).is_none());
        assert_eq!(m.translate(0x3000).unwrap(), (0x10_2000 as *mut u8, 0x1000));
        assert_eq!(m.unmap_range(0, u64::MAX), 0x3000);
        assert!(m.maps.is_empty());
    }
}
