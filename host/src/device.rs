//! The card, opened: firmware loaded and running, command and completion
//! rings set up, a thread turning completions into finished events.

use crate::alloc::RangeAllocator;
use crate::copy::Copy3d;
use crate::dma::DmaBuffer;
use crate::error::DeviceError;
use crate::event::{Completion, Event};
use crate::fw_profile::FirmwareProfile;
use crate::trace::{HostMark, HostMarkKind, RingGeometry, Timeline};
use crate::transport::Transport;
use std::collections::HashMap;
use std::sync::atomic::{fence, AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tiledma_contract::command::{completion_phase, COMMAND_BYTES, COMPLETION_BYTES};
use tiledma_contract::regs::*;
use tiledma_contract::{CommandRecord, CompletionRecord, CompletionStatus};

/// Ring sizes.
#[derive(Clone, Debug)]
pub struct DeviceConfig {
    /// Command ring entries (power of two).
    pub command_entries: u32,
    /// Completion ring entries (power of two).
    pub completion_entries: u32,
    /// Longest wait for the firmware to start.
    pub boot_timeout: Duration,
    /// Commands are pending and none completes for this long: the card is
    /// taken for hung, reset and restarted ([`Device::recover`]), and the
    /// commands it held complete with `DeviceLost`.
    pub command_timeout: Duration,
}

impl Default for DeviceConfig {
    fn default() -> Self {
        Self {
            command_entries: 256,
            completion_entries: 256,
            boot_timeout: Duration::from_secs(20),
            command_timeout: Duration::from_secs(20),
        }
    }
}

/// A block of card memory.
pub struct CardBuffer {
    addr: u64,
    len: u64,
    arena: Arc<Mutex<RangeAllocator>>,
}

impl CardBuffer {
    /// Its address in the card's DMA space.
    pub fn addr(&self) -> u64 {
        self.addr
    }
    /// Its size.
    pub fn len(&self) -> u64 {
        self.len
    }
    /// Zero size.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for CardBuffer {
    fn drop(&mut self) {
        self.arena.lock().unwrap().free(self.addr, self.len);
    }
}

struct Submit {
    tail: u32,
    head_seen: u32,
    next_cookie: u32,
}

struct Inner {
    t: Arc<dyn Transport>,
    cmd_ring: DmaBuffer,
    cpl_ring: DmaBuffer,
    submit: Mutex<Submit>,
    pending: Mutex<HashMap<u32, Event>>,
    cpl_tail: Mutex<u32>,
    stop: AtomicBool,
    firmware: Vec<u8>,
    config: DeviceConfig,
    recoveries: AtomicU64,
    lost: AtomicU64,
    trace: TraceLog,
}

/// The host's trace marks while a trace runs.
#[derive(Default)]
struct TraceLog {
    on: AtomicBool,
    marks: Mutex<Vec<HostMark>>,
}

impl TraceLog {
    fn mark(&self, t: &dyn Transport, kind: HostMarkKind) {
        if self.on.load(Ordering::Relaxed) {
            let cycle = t.cycles_now();
            self.marks.lock().unwrap().push(HostMark { cycle, kind });
        }
    }
}

/// An open card.
pub struct Device {
    inner: Arc<Inner>,
    data_iova: Arc<Mutex<RangeAllocator>>,
    card_mem: Arc<Mutex<RangeAllocator>>,
    completer: Option<JoinHandle<()>>,
}

impl Device {
    /// Resets the card's soft core, loads `firmware` (an ELF), sets up the
    /// rings and the DMA window, starts the firmware and waits until it runs.
    pub fn open(
        t: Arc<dyn Transport>,
        firmware: &[u8],
        config: DeviceConfig,
    ) -> Result<Self, DeviceError> {
        let id = t.read32(ID);
        if id != ID_VALUE {
            return Err(DeviceError::NotACard(id));
        }
        let rings = Arc::new(Mutex::new(RangeAllocator::new(
            RING_IOVA.0,
            RING_IOVA.1,
            4096,
        )));
        let cmd_ring = DmaBuffer::new(
            t.clone(),
            rings.clone(),
            config.command_entries as usize * COMMAND_BYTES,
        )?;
        let cpl_ring = DmaBuffer::new(
            t.clone(),
            rings,
            config.completion_entries as usize * COMPLETION_BYTES,
        )?;
        boot(t.as_ref(), firmware, &cmd_ring, &cpl_ring, &config)?;
        let inner = Arc::new(Inner {
            t,
            cmd_ring,
            cpl_ring,
            submit: Mutex::new(Submit {
                tail: 0,
                head_seen: 0,
                next_cookie: 1,
            }),
            pending: Mutex::new(HashMap::new()),
            cpl_tail: Mutex::new(0),
            stop: AtomicBool::new(false),
            firmware: firmware.to_vec(),
            config,
            recoveries: AtomicU64::new(0),
            lost: AtomicU64::new(0),
            trace: TraceLog::default(),
        });
        let worker = inner.clone();
        let completer = std::thread::Builder::new()
            .name("tiledma-completions".into())
            .spawn(move || worker.completion_loop())
            .map_err(|e| DeviceError::Firmware(e.to_string()))?;
        Ok(Self {
            inner,
            data_iova: Arc::new(Mutex::new(RangeAllocator::new(
                DATA_IOVA.0,
                DATA_IOVA.1,
                4096,
            ))),
            card_mem: Arc::new(Mutex::new(RangeAllocator::new(
                CARD_MEMORY_BASE,
                CARD_MEMORY_BYTES,
                64,
            ))),
            completer: Some(completer),
        })
    }

    /// The transport this device runs on.
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.inner.t
    }

    /// Allocates `len` bytes of host memory mapped for the card (inside DMA window 0).
    pub fn alloc_dma(&self, len: usize) -> Result<DmaBuffer, DeviceError> {
        DmaBuffer::new(self.inner.t.clone(), self.data_iova.clone(), len)
    }

    /// Maps application memory `[ptr, ptr + len)` for the card in place.
    ///
    /// # Safety
    /// The memory must stay allocated while the returned value lives; the
    /// card may read and write it meanwhile.
    pub unsafe fn pin_host(
        &self,
        ptr: *mut u8,
        len: usize,
    ) -> Result<crate::dma::PinnedHost, DeviceError> {
        crate::dma::PinnedHost::new(self.inner.t.clone(), self.data_iova.clone(), ptr, len)
    }

    /// Allocates `len` bytes of card memory (64-byte aligned).
    pub fn alloc_card(&self, len: u64) -> Result<CardBuffer, DeviceError> {
        let addr = self
            .card_mem
            .lock()
            .unwrap()
            .alloc(len)
            .ok_or(DeviceError::OutOfSpace {
                what: "card memory",
                bytes: len,
            })?;
        Ok(CardBuffer {
            addr,
            len,
            arena: self.card_mem.clone(),
        })
    }

    /// Queues a copy.
    pub fn copy(&self, c: &Copy3d) -> Result<Event, DeviceError> {
        self.submit_record(c.record())
    }

    /// Queues several copies behind one doorbell (fewer MMIO writes; the
    /// card sees them all at once).
    pub fn copy_batch(&self, copies: &[Copy3d]) -> Result<Vec<Event>, DeviceError> {
        let recs: Vec<_> = copies.iter().map(Copy3d::record).collect();
        self.submit_records(&recs)
    }

    /// Runs copies (all at once, in any order) and waits for every one;
    /// the first error status is returned after all have completed.
    pub fn run(&self, copies: &[Copy3d]) -> Result<(), DeviceError> {
        let events = self.copy_batch(copies)?;
        let mut failed = None;
        for e in events {
            let status = e.wait().status;
            if status != CompletionStatus::Ok {
                failed.get_or_insert(status);
            }
        }
        failed.map_or(Ok(()), |s| Err(DeviceError::Command(s)))
    }

    /// Queues a raw command record (its cookie is replaced). The firmware
    /// checks every field; a bad record completes with an error status.
    /// For diagnostics and tests of the firmware's checks.
    pub fn submit_record(&self, rec: CommandRecord) -> Result<Event, DeviceError> {
        Ok(self.submit_records(&[rec])?.remove(0))
    }

    /// Writes the records into the ring and rings the doorbell once per run
    /// that fits (waiting for room when the ring is full).
    fn submit_records(&self, recs: &[CommandRecord]) -> Result<Vec<Event>, DeviceError> {
        let inner = &self.inner;
        let mut s = inner.submit.lock().unwrap();
        let mut events = Vec::with_capacity(recs.len());
        let mut unrung = 0;
        for rec in recs {
            while s.tail.wrapping_add(unrung).wrapping_sub(s.head_seen)
                >= inner.config.command_entries
            {
                // Full: publish what is written so the card can make room.
                if unrung > 0 {
                    self.ring(&mut s, unrung);
                    unrung = 0;
                }
                self.wait_for_room(&mut s)?;
            }
            let mut rec = *rec;
            rec.cookie = s.next_cookie;
            s.next_cookie = s.next_cookie.wrapping_add(1);
            let ev = Event::new(rec.cookie);
            inner.pending.lock().unwrap().insert(rec.cookie, ev.clone());
            let position = s.tail.wrapping_add(unrung);
            let slot = (position % inner.config.command_entries) as usize;
            inner
                .cmd_ring
                .write(slot * COMMAND_BYTES, &rec.to_le_bytes());
            let cookie = rec.cookie;
            inner
                .trace
                .mark(inner.t.as_ref(), HostMarkKind::Enqueue { cookie, position });
            unrung += 1;
            events.push(ev);
        }
        if unrung > 0 {
            self.ring(&mut s, unrung);
        }
        Ok(events)
    }

    /// Publishes `n` written records: the doorbell.
    fn ring(&self, s: &mut Submit, n: u32) {
        // The records must be in memory before the card can see the new tail.
        fence(Ordering::Release);
        s.tail = s.tail.wrapping_add(n);
        let tail = s.tail;
        // Marked just before the write: the firmware can fetch within a
        // hundred cycles of it, sooner than a busy host gets to a mark
        // after it, and the timeline must not show a fetch before its
        // doorbell.
        self.inner
            .trace
            .mark(self.inner.t.as_ref(), HostMarkKind::Doorbell { tail });
        self.inner.t.write32(CMD_RING_TAIL, s.tail);
    }

    fn wait_for_room(&self, s: &mut Submit) -> Result<(), DeviceError> {
        let start = Instant::now();
        loop {
            s.head_seen = self.inner.t.read32(CMD_RING_HEAD);
            if s.tail.wrapping_sub(s.head_seen) < self.inner.config.command_entries {
                return Ok(());
            }
            if start.elapsed() > self.inner.config.command_timeout {
                return Err(DeviceError::RingStalled);
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// Resets the card (a PCI function reset through the transport),
    /// reloads the firmware and restarts both rings. Commands the card had
    /// not completed complete with `DeviceLost`; buffers, mappings and
    /// events stay valid. The driver does this itself when commands wait
    /// longer than [`DeviceConfig::command_timeout`] with none completing.
    pub fn recover(&self) -> Result<(), DeviceError> {
        self.inner.recover()
    }

    /// Recoveries so far, and commands they completed with `DeviceLost`.
    pub fn recoveries(&self) -> (u64, u64) {
        (
            self.inner.recoveries.load(Ordering::Relaxed),
            self.inner.lost.load(Ordering::Relaxed),
        )
    }

    /// Starts a per-command trace: the driver marks what it does from now
    /// on and a simulated card records its own events.
    pub fn start_trace(&self) {
        self.inner.trace.marks.lock().unwrap().clear();
        let _ = self.inner.t.take_card_events();
        self.inner.t.set_card_tracing(true);
        self.inner.trace.on.store(true, Ordering::Relaxed);
    }

    /// Starts the firmware profile (a simulated card counts every cycle
    /// against the soft core's program counter).
    pub fn start_firmware_profile(&self) {
        let _ = self.inner.t.take_cpu_profile();
        self.inner.t.set_cpu_profiling(true);
    }

    /// Stops the firmware profile and returns it (empty on a card that
    /// cannot count).
    pub fn finish_firmware_profile(&self) -> FirmwareProfile {
        self.inner.t.set_cpu_profiling(false);
        FirmwareProfile {
            cycles: self.inner.t.take_cpu_profile(),
        }
    }

    /// Stops the trace and returns what it recorded.
    pub fn finish_trace(&self) -> Timeline {
        self.inner.trace.on.store(false, Ordering::Relaxed);
        self.inner.t.set_card_tracing(false);
        let inner = &self.inner;
        Timeline {
            host: std::mem::take(&mut *inner.trace.marks.lock().unwrap()),
            card: inner.t.take_card_events(),
            rings: Some(RingGeometry {
                command_base: inner.cmd_ring.iova(),
                command_entries: inner.config.command_entries,
                completion_base: inner.cpl_ring.iova(),
                completion_bytes: inner.cpl_ring.len() as u64,
            }),
        }
    }

    /// The card's cycle counter.
    pub fn card_cycles(&self) -> u64 {
        crate::transport::read_cycle_registers(|offset| self.inner.t.read32(offset))
    }

    /// Reads a pair of BAR0 registers as one 64-bit value.
    pub fn read64(&self, lo: u32) -> u64 {
        self.inner.t.read32(lo) as u64 | (self.inner.t.read32(lo + 4) as u64) << 32
    }
}

/// Holds the soft core, loads the firmware, empties and programs the rings
/// and DMA window 0, starts the core and waits until the firmware runs.
fn boot(
    t: &dyn Transport,
    firmware: &[u8],
    cmd_ring: &DmaBuffer,
    cpl_ring: &DmaBuffer,
    config: &DeviceConfig,
) -> Result<(), DeviceError> {
    t.write32(CONTROL, 0);
    t.write32(IRQ_MASK, 0);
    t.write32(IRQ_STATUS, !0);
    crate::firmware::load(t, firmware)?;
    // Empty rings: no stale record may look current to either side.
    cmd_ring.write(0, &vec![0; cmd_ring.len()]);
    cpl_ring.write(0, &vec![0; cpl_ring.len()]);

    let split = |v: u64| (v as u32, (v >> 32) as u32);
    let (lo, hi) = split(cmd_ring.iova());
    t.write32(CMD_RING_BASE_LO, lo);
    t.write32(CMD_RING_BASE_HI, hi);
    t.write32(CMD_RING_ENTRIES, config.command_entries);
    t.write32(CMD_RING_TAIL, 0);
    let (lo, hi) = split(cpl_ring.iova());
    t.write32(CPL_RING_BASE_LO, lo);
    t.write32(CPL_RING_BASE_HI, hi);
    t.write32(CPL_RING_ENTRIES, config.completion_entries);
    t.write32(CPL_RING_TAIL, 0);
    for i in 0..WINDOWS {
        let (base, size) = if i == 0 { DATA_IOVA } else { (0, 0) };
        let at = WINDOW_BASE + 16 * i;
        t.write32(at, split(base).0);
        t.write32(at + 4, split(base).1);
        t.write32(at + 8, split(size).0);
        t.write32(at + 12, split(size).1);
    }
    t.write32(
        WINDOW_GENERATION,
        t.read32(WINDOW_GENERATION).wrapping_add(1),
    );
    t.write32(IRQ_MASK, IRQ_COMPLETION);
    t.write32(CONTROL, CONTROL_CPU_RUN);
    let start = Instant::now();
    loop {
        match t.read32(FW_STATUS) {
            FW_RUNNING => break,
            FW_OFF if start.elapsed() < config.boot_timeout => {
                std::thread::sleep(Duration::from_millis(1))
            }
            s => return Err(DeviceError::FirmwareNotRunning(s)),
        }
    }
    Ok(())
}

impl Inner {
    fn completion_loop(&self) {
        let mut seen = 0;
        let mut progress = Instant::now();
        while !self.stop.load(Ordering::Relaxed) {
            seen = self.t.wait_interrupt(seen, Duration::from_millis(20));
            // FIRST clear the interrupt, THEN scan the ring: a completion
            // written after the scan raises the line again.
            self.t.write32(IRQ_STATUS, IRQ_COMPLETION);
            // The watchdog: commands wait and none completes for too long.
            if self.drain() > 0 || self.pending.lock().unwrap().is_empty() {
                progress = Instant::now();
            } else if progress.elapsed() > self.config.command_timeout {
                // A failed restart leaves the card down; the next commands
                // time out again and retry it.
                let _ = self.recover();
                progress = Instant::now();
            }
        }
    }

    /// Resets the card and restarts it; the commands it held complete with
    /// `DeviceLost`, each exactly once.
    fn recover(&self) -> Result<(), DeviceError> {
        // No submission, no completion scan meanwhile.
        let mut submit = self.submit.lock().unwrap();
        let mut cpl_tail = self.cpl_tail.lock().unwrap();
        self.t.write32(CONTROL, 0);
        let booted = self
            .t
            .reset()
            .map_err(DeviceError::Transport)
            .and_then(|()| {
                boot(
                    self.t.as_ref(),
                    &self.firmware,
                    &self.cmd_ring,
                    &self.cpl_ring,
                    &self.config,
                )
            });
        // Both rings start over; cookies go on, so none is ever reused.
        submit.tail = 0;
        submit.head_seen = 0;
        *cpl_tail = 0;
        let lost: Vec<Event> = self
            .pending
            .lock()
            .unwrap()
            .drain()
            .map(|(_, e)| e)
            .collect();
        drop(cpl_tail);
        drop(submit);
        self.recoveries.fetch_add(1, Ordering::Relaxed);
        self.lost.fetch_add(lost.len() as u64, Ordering::Relaxed);
        for e in lost {
            let status = CompletionStatus::DeviceLost;
            e.complete(Completion {
                status,
                record: CompletionRecord {
                    cookie: e.cookie(),
                    status: status as u16,
                    ..Default::default()
                },
            });
        }
        booted
    }

    /// Hands every new completion record to its event; returns how many.
    fn drain(&self) -> u32 {
        let mut tail = self.cpl_tail.lock().unwrap();
        let start = *tail;
        loop {
            let slot = (*tail % self.config.completion_entries) as usize;
            let mut b = [0u8; COMPLETION_BYTES];
            self.cpl_ring.read(slot * COMPLETION_BYTES, &mut b);
            let rec = CompletionRecord::from_le_bytes(&b);
            if rec.phase != completion_phase(*tail, self.config.completion_entries) {
                break;
            }
            // The phase says the record is whole; read nothing of it earlier.
            fence(Ordering::Acquire);
            let status =
                CompletionStatus::from_code(rec.status).unwrap_or(CompletionStatus::BadOpcode);
            if let Some(ev) = self.pending.lock().unwrap().remove(&rec.cookie) {
                let kind = HostMarkKind::Complete {
                    cookie: rec.cookie,
                    descriptors: rec.descriptors,
                    status: rec.status,
                };
                self.trace.mark(self.t.as_ref(), kind);
                ev.complete(Completion {
                    status,
                    record: rec,
                });
            }
            *tail = tail.wrapping_add(1);
        }
        if *tail != start {
            self.t.write32(CPL_RING_TAIL, *tail);
        }
        tail.wrapping_sub(start)
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.completer.take() {
            let _ = t.join();
        }
        // Hold the soft core so it stops touching the rings before they go;
        // the read flushes the posted write.
        self.inner.t.write32(CONTROL, 0);
        let _ = self.inner.t.read32(CONTROL);
    }
}
