//! Memory behind a master port: an AXI4 slave ([`AxiSlave`]) with
//! configurable read latency, random back-pressure (fixed seed) and
//! injectable bus errors, over any [`Backing`] store (sparse memory for the
//! engine bench; the IOMMU and card memory for the simulated card). The
//! slave checks the master's side of the protocol (alignment, burst limits,
//! `w_last`) and panics on a violation.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use tiledma_contract::bus::{BURST_BOUNDARY, MAX_BURST_BEATS, RESP_DECERR, RESP_OKAY, RESP_SLVERR};

const PAGE: u64 = 4096;

/// Nothing answers at that address (an unmapped IOVA, past card memory).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError;

/// A byte store behind the bus.
pub trait Backing {
    /// Reads `buf.len()` bytes at `addr`.
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> Result<(), DecodeError>;
    /// Writes the bytes of `data` whose bit is set in `strobes` at `addr`.
    fn write(&mut self, addr: u64, data: &[u8], strobes: u64) -> Result<(), DecodeError>;
}

/// Sparse byte-addressed memory; bytes never written read as zero.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SparseMemory {
    pages: HashMap<u64, Box<[u8; PAGE as usize]>>,
}

impl SparseMemory {
    /// Reads one byte.
    pub fn byte(&self, addr: u64) -> u8 {
        self.pages
            .get(&(addr / PAGE))
            .map_or(0, |p| p[(addr % PAGE) as usize])
    }

    /// Writes one byte.
    pub fn set_byte(&mut self, addr: u64, value: u8) {
        self.page_mut(addr)[(addr % PAGE) as usize] = value;
    }

    /// Reads `buf.len()` bytes from `addr`.
    pub fn read(&self, addr: u64, buf: &mut [u8]) {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = self.byte(addr.wrapping_add(i as u64));
        }
    }

    /// Writes `data` at `addr`.
    pub fn write(&mut self, addr: u64, data: &[u8]) {
        for (i, b) in data.iter().enumerate() {
            self.set_byte(addr.wrapping_add(i as u64), *b);
        }
    }

    /// The first address at which the two memories differ, if any.
    pub fn first_difference(&self, other: &SparseMemory) -> Option<u64> {
        let mut keys: Vec<u64> = self
            .pages
            .keys()
            .chain(other.pages.keys())
            .copied()
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            for off in 0..PAGE {
                let a = k * PAGE + off;
                if self.byte(a) != other.byte(a) {
                    return Some(a);
                }
            }
        }
        None
    }

    fn page_mut(&mut self, addr: u64) -> &mut [u8; PAGE as usize] {
        self.pages
            .entry(addr / PAGE)
            .or_insert_with(|| Box::new([0; PAGE as usize]))
    }
}

/// Timing and fault behaviour of the memory.
#[derive(Clone, Debug)]
pub struct MemoryConfig {
    /// Cycles from a read address being accepted to its first data beat.
    pub read_latency: u64,
    /// Cycles from a write burst's last beat to its response.
    pub write_response_latency: u64,
    /// Probability that a ready or valid is withheld in a given cycle.
    pub backpressure: f64,
    /// Seed of the back-pressure pattern.
    pub seed: u64,
    /// Read bursts accepted but not yet returned, at most.
    pub max_reads_in_flight: usize,
    /// Accesses touching these address ranges fail with SLVERR.
    pub faults: Vec<Range<u64>>,
    /// Faults injected at random (seeded from `seed`).
    pub injected: Injected,
}

/// Faults injected at random into a running bus: errors on random beats,
/// long stalls, or a slave that stops answering.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Injected {
    /// Probability that a beat fails with SLVERR (decided per burst when
    /// it is accepted: one random beat of the burst fails).
    pub error_rate: f64,
    /// Probability that a burst's data (reads) or response (writes) is
    /// held back by `stall_cycles`.
    pub stall_rate: f64,
    /// Length of an injected stall in cycles.
    pub stall_cycles: u64,
    /// The slave stops answering: no ready, no valid, until cleared.
    pub hang: bool,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        Self {
            read_latency: 8,
            write_response_latency: 4,
            backpressure: 0.0,
            seed: 1,
            max_reads_in_flight: 64,
            faults: Vec::new(),
            injected: Injected::default(),
        }
    }
}

/// Signals a slave drives (ready/valid/data/response of the five channels).
/// `repr(C)`: the card harness passes it as is.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlaveOut {
    pub ar_ready: u8,
    pub r_valid: u8,
    pub r_resp: u8,
    pub r_data: [u64; 8],
    pub aw_ready: u8,
    pub w_ready: u8,
    pub b_valid: u8,
    pub b_resp: u8,
}

/// Signals a master drives. `repr(C)`: the card harness passes it as is.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MasterOut {
    pub ar_valid: u8,
    pub ar_addr: u64,
    pub ar_len: u8,
    pub r_ready: u8,
    pub aw_valid: u8,
    pub aw_addr: u64,
    pub aw_len: u8,
    pub w_valid: u8,
    pub w_data: [u64; 8],
    pub w_strb: u64,
    pub w_last: u8,
    pub b_ready: u8,
}

struct ReadBurst {
    addr: u64,
    beats: u64,
    sent: u64,
    ready_at: u64,
    /// The beat an injected error fails.
    fail_beat: Option<u64>,
}

struct WriteBurst {
    addr: u64,
    beats: u64,
    received: u64,
    failed: bool,
    /// The beat an injected error fails.
    fail_beat: Option<u64>,
    /// Extra cycles before the response (an injected stall).
    stall: u64,
}

/// What the slave saw, for benchmarks and protocol checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BusStats {
    /// Read bursts accepted.
    pub read_bursts: u64,
    /// Read beats returned.
    pub read_beats: u64,
    /// Write bursts accepted.
    pub write_bursts: u64,
    /// Write beats accepted.
    pub write_beats: u64,
    /// Most read bursts in flight at once.
    pub max_reads_in_flight: usize,
    /// Beats failed by [`Injected::error_rate`].
    pub injected_errors: u64,
    /// Bursts stalled by [`Injected::stall_rate`].
    pub injected_stalls: u64,
}

/// The AXI4 slave protocol engine for one master port.
pub struct AxiSlave {
    config: MemoryConfig,
    beat_bytes: u64,
    rng: ChaCha8Rng,
    /// Decides injected faults; apart from `rng` so that back-pressure
    /// patterns stay the same with and without them.
    fault_rng: ChaCha8Rng,
    cycle: u64,
    reads: VecDeque<ReadBurst>,
    writes: VecDeque<WriteBurst>,
    responses: VecDeque<(u64, u8)>,
    stats: BusStats,
    drive: SlaveOut,
}

impl AxiSlave {
    /// A slave for a bus of `beat_bytes` bytes per beat.
    pub fn new(beat_bytes: usize, config: MemoryConfig) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            fault_rng: ChaCha8Rng::seed_from_u64(config.seed ^ 0xFA17_FA17),
            config,
            beat_bytes: beat_bytes as u64,
            cycle: 0,
            reads: VecDeque::new(),
            writes: VecDeque::new(),
            responses: VecDeque::new(),
            stats: BusStats::default(),
            drive: SlaveOut::default(),
        }
    }

    /// Bus statistics so far.
    pub fn stats(&self) -> &BusStats {
        &self.stats
    }

    /// Nothing in flight on any channel.
    pub fn quiet(&self) -> bool {
        self.reads.is_empty() && self.writes.is_empty() && self.responses.is_empty()
    }

    /// Forgets everything in flight (with a reset of the master).
    pub fn reset_bus(&mut self) {
        self.reads.clear();
        self.writes.clear();
        self.responses.clear();
    }

    /// Sets the randomly injected faults (takes effect on the next burst;
    /// `hang` at once).
    pub fn inject(&mut self, injected: Injected) {
        self.config.injected = injected;
    }

    /// For a burst of `beats` being accepted: the beat an injected error
    /// fails (if any), and the extra delay of an injected stall.
    fn roll_faults(&mut self, beats: u64) -> (Option<u64>, u64) {
        let f = &self.config.injected;
        let (error_rate, stall_rate, stall_cycles) = (f.error_rate, f.stall_rate, f.stall_cycles);
        let mut fail = None;
        if error_rate > 0.0
            && self
                .fault_rng
                .gen_bool((error_rate * beats as f64).min(1.0))
        {
            fail = Some(self.fault_rng.gen_range(0..beats));
            self.stats.injected_errors += 1;
        }
        let mut delay = 0;
        if stall_rate > 0.0 && self.fault_rng.gen_bool(stall_rate.min(1.0)) {
            delay = stall_cycles;
            self.stats.injected_stalls += 1;
        }
        (fail, delay)
    }

    /// Sets the fault ranges.
    pub fn set_faults(&mut self, faults: Vec<Range<u64>>) {
        self.config.faults = faults;
    }

    fn faulty(&self, addr: u64, len: u64) -> bool {
        self.config
            .faults
            .iter()
            .any(|f| addr < f.end && f.start < addr + len)
    }

    fn gate(&mut self) -> bool {
        self.config.backpressure <= 0.0 || !self.rng.gen_bool(self.config.backpressure)
    }

    /// This cycle's slave outputs. They depend only on the slave's state,
    /// never on this cycle's master outputs.
    pub fn drive(&mut self, mem: &mut dyn Backing) -> SlaveOut {
        let mut d = SlaveOut::default();
        if self.config.injected.hang {
            self.drive = d;
            return d;
        }
        let ar_room = self.reads.len() < self.config.max_reads_in_flight;
        d.ar_ready = (ar_room && self.gate()) as u8;
        let r_due = self.reads.front().is_some_and(|r| r.ready_at <= self.cycle);
        if r_due && self.gate() {
            let r = self.reads.front().unwrap();
            let addr = r.addr + r.sent * self.beat_bytes;
            d.r_valid = 1;
            let mut beat = [0u8; 64];
            let n = self.beat_bytes as usize;
            if self.faulty(addr, self.beat_bytes) || r.fail_beat == Some(r.sent) {
                d.r_resp = RESP_SLVERR;
                beat = [0xDE; 64];
            } else if mem.read(addr, &mut beat[..n]).is_err() {
                d.r_resp = RESP_DECERR;
                beat = [0xDE; 64];
            }
            for (i, w) in d.r_data.iter_mut().enumerate() {
                *w = u64::from_le_bytes(beat[8 * i..8 * i + 8].try_into().unwrap());
            }
        }
        d.aw_ready = (self.writes.len() < 16 && self.gate()) as u8;
        let w_open = self.writes.iter().any(|w| w.received < w.beats);
        d.w_ready = (w_open && self.gate()) as u8;
        let b_due = self
            .responses
            .front()
            .is_some_and(|(t, _)| *t <= self.cycle);
        if b_due && self.gate() {
            d.b_valid = 1;
            d.b_resp = self.responses.front().unwrap().1;
        }
        self.drive = d;
        d
    }

    fn check_burst(&self, kind: &str, addr: u64, len: u8) -> u64 {
        let beats = len as u64 + 1;
        assert!(
            addr.is_multiple_of(self.beat_bytes),
            "{kind} burst at {addr:#x} is not beat-aligned"
        );
        assert!(
            beats <= MAX_BURST_BEATS as u64,
            "{kind} burst of {beats} beats is too long"
        );
        let last = addr + beats * self.beat_bytes - 1;
        assert!(
            addr / BURST_BOUNDARY == last / BURST_BOUNDARY,
            "{kind} burst {addr:#x}+{beats} beats crosses a 4 KiB boundary"
        );
        beats
    }

    /// Applies this cycle's handshakes (the master saw the last [`drive`](Self::drive)
    /// and answered with `out`), then advances one cycle.
    pub fn update(&mut self, mem: &mut dyn Backing, out: &MasterOut) {
        let d = self.drive;
        if d.ar_ready != 0 && out.ar_valid != 0 {
            let beats = self.check_burst("read", out.ar_addr, out.ar_len);
            let (fail_beat, stall) = self.roll_faults(beats);
            let ready_at = self.cycle + self.config.read_latency.max(1) + stall;
            self.reads.push_back(ReadBurst {
                addr: out.ar_addr,
                beats,
                sent: 0,
                ready_at,
                fail_beat,
            });
            self.stats.read_bursts += 1;
            self.stats.max_reads_in_flight = self.stats.max_reads_in_flight.max(self.reads.len());
        }
        if d.r_valid != 0 && out.r_ready != 0 {
            let r = self.reads.front_mut().unwrap();
            r.sent += 1;
            self.stats.read_beats += 1;
            if r.sent == r.beats {
                self.reads.pop_front();
            }
        }
        if d.aw_ready != 0 && out.aw_valid != 0 {
            let beats = self.check_burst("write", out.aw_addr, out.aw_len);
            let (fail_beat, stall) = self.roll_faults(beats);
            self.writes.push_back(WriteBurst {
                addr: out.aw_addr,
                beats,
                received: 0,
                failed: false,
                fail_beat,
                stall,
            });
            self.stats.write_bursts += 1;
        }
        if d.w_ready != 0 && out.w_valid != 0 {
            self.accept_write_beat(mem, out);
        }
        if d.b_valid != 0 && out.b_ready != 0 {
            self.responses.pop_front();
        }
        self.cycle += 1;
    }

    fn accept_write_beat(&mut self, mem: &mut dyn Backing, out: &MasterOut) {
        let bb = self.beat_bytes;
        let idx = self
            .writes
            .iter()
            .position(|w| w.received < w.beats)
            .unwrap();
        let (addr, last, injected, stall) = {
            let w = &self.writes[idx];
            (
                w.addr + w.received * bb,
                w.received + 1 == w.beats,
                w.fail_beat == Some(w.received),
                w.stall,
            )
        };
        assert_eq!(
            out.w_last != 0,
            last,
            "w_last wrong on the beat at {addr:#x}"
        );
        // An injected error drops the beat, as a failing slave would.
        let mut failed = self.faulty(addr, bb) || injected;
        if !failed {
            let mut bytes = [0u8; 64];
            for (i, w) in out.w_data.iter().enumerate() {
                bytes[8 * i..8 * i + 8].copy_from_slice(&w.to_le_bytes());
            }
            failed = mem.write(addr, &bytes[..bb as usize], out.w_strb).is_err();
        }
        let w = &mut self.writes[idx];
        w.received += 1;
        w.failed |= failed;
        self.stats.write_beats += 1;
        if last {
            let resp = if w.failed { RESP_SLVERR } else { RESP_OKAY };
            let at = self.cycle + self.config.write_response_latency.max(1) + stall;
            self.responses.push_back((at, resp));
            // Bursts retire in order; only a fully received head leaves.
            while self.writes.front().is_some_and(|w| w.received == w.beats) {
                self.writes.pop_front();
            }
        }
    }
}

impl Backing for SparseMemory {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> Result<(), DecodeError> {
        SparseMemory::read(self, addr, buf);
        Ok(())
    }

    fn write(&mut self, addr: u64, data: &[u8], strobes: u64) -> Result<(), DecodeError> {
        for (i, b) in data.iter().enumerate() {
            if strobes >> i & 1 != 0 {
                self.set_byte(addr + i as u64, *b);
            }
        }
        Ok(())
    }
}

/// The engine bench's memory: a [`SparseMemory`] behind an [`AxiSlave`].
pub struct AxiMemory {
    /// The storage.
    pub mem: SparseMemory,
    /// The port.
    pub port: AxiSlave,
}

impl AxiMemory {
    /// An empty memory for a bus of `beat_bytes` bytes per beat.
    pub fn new(beat_bytes: usize, config: MemoryConfig) -> Self {
        Self {
            mem: SparseMemory::default(),
            port: AxiSlave::new(beat_bytes, config),
        }
    }

    /// Bus statistics so far.
    pub fn stats(&self) -> &BusStats {
        self.port.stats()
    }

    /// Nothing in flight.
    pub fn quiet(&self) -> bool {
        self.port.quiet()
    }
}
