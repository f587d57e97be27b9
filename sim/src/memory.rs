//! Memory behind the engine's master port: sparse byte storage plus an AXI4
//! slave with configurable read latency, random back-pressure (fixed seed)
//! and injectable bus errors. It also checks the engine's side of the
//! protocol (alignment, burst limits, `w_last`) and panics on a violation.

use crate::ffi::{EngineInputs, EngineOutputs};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use tiledma_contract::bus::{BURST_BOUNDARY, MAX_BURST_BEATS, RESP_OKAY, RESP_SLVERR};

const PAGE: u64 = 4096;

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
        }
    }
}

struct ReadBurst {
    addr: u64,
    beats: u64,
    sent: u64,
    ready_at: u64,
}

struct WriteBurst {
    addr: u64,
    beats: u64,
    received: u64,
    failed: bool,
}

/// What the memory saw, for benchmarks and protocol checks.
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
}

/// AXI4 slave over a [`SparseMemory`].
pub struct AxiMemory {
    /// The storage.
    pub mem: SparseMemory,
    config: MemoryConfig,
    beat_bytes: u64,
    rng: ChaCha8Rng,
    cycle: u64,
    reads: VecDeque<ReadBurst>,
    writes: VecDeque<WriteBurst>,
    responses: VecDeque<(u64, u8)>,
    stats: BusStats,
    drive: EngineInputs,
}

impl AxiMemory {
    /// An empty memory for a bus of `beat_bytes` bytes per beat.
    pub fn new(beat_bytes: usize, config: MemoryConfig) -> Self {
        Self {
            mem: SparseMemory::default(),
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            config,
            beat_bytes: beat_bytes as u64,
            cycle: 0,
            reads: VecDeque::new(),
            writes: VecDeque::new(),
            responses: VecDeque::new(),
            stats: BusStats::default(),
            drive: EngineInputs::default(),
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

    /// Forgets everything in flight (with an engine reset).
    pub fn reset_bus(&mut self) {
        self.reads.clear();
        self.writes.clear();
        self.responses.clear();
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

    /// Fills the memory-driven inputs of `inputs` for this cycle. They depend
    /// only on the memory's state, never on this cycle's engine outputs.
    pub fn drive(&mut self, inputs: &mut EngineInputs) {
        let mut d = EngineInputs::default();
        let ar_room = self.reads.len() < self.config.max_reads_in_flight;
        d.m_ar_ready = (ar_room && self.gate()) as u8;
        let r_due = self.reads.front().is_some_and(|r| r.ready_at <= self.cycle);
        if r_due && self.gate() {
            let r = self.reads.front().unwrap();
            let addr = r.addr + r.sent * self.beat_bytes;
            d.m_r_valid = 1;
            if self.faulty(addr, self.beat_bytes) {
                d.m_r_resp = RESP_SLVERR;
                d.m_r_data = [0xDEAD_BEEF_DEAD_BEEF; 8];
            } else {
                let mut beat = [0u8; 64];
                self.mem.read(addr, &mut beat[..self.beat_bytes as usize]);
                for (i, w) in d.m_r_data.iter_mut().enumerate() {
                    *w = u64::from_le_bytes(beat[8 * i..8 * i + 8].try_into().unwrap());
                }
            }
        }
        d.m_aw_ready = (self.writes.len() < 16 && self.gate()) as u8;
        let w_open = self.writes.iter().any(|w| w.received < w.beats);
        d.m_w_ready = (w_open && self.gate()) as u8;
        let b_due = self
            .responses
            .front()
            .is_some_and(|(t, _)| *t <= self.cycle);
        if b_due && self.gate() {
            d.m_b_valid = 1;
            d.m_b_resp = self.responses.front().unwrap().1;
        }
        self.drive = d;
        inputs.m_ar_ready = d.m_ar_ready;
        inputs.m_r_valid = d.m_r_valid;
        inputs.m_r_resp = d.m_r_resp;
        inputs.m_r_data = d.m_r_data;
        inputs.m_aw_ready = d.m_aw_ready;
        inputs.m_w_ready = d.m_w_ready;
        inputs.m_b_valid = d.m_b_valid;
        inputs.m_b_resp = d.m_b_resp;
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

    /// Applies this cycle's handshakes (after the engine saw `drive`'s inputs
    /// and produced `out`), then advances one cycle.
    pub fn update(&mut self, out: &EngineOutputs) {
        let d = self.drive;
        if d.m_ar_ready != 0 && out.m_ar_valid != 0 {
            let beats = self.check_burst("read", out.m_ar_addr, out.m_ar_len);
            let ready_at = self.cycle + self.config.read_latency.max(1);
            self.reads.push_back(ReadBurst {
                addr: out.m_ar_addr,
                beats,
                sent: 0,
                ready_at,
            });
            self.stats.read_bursts += 1;
            self.stats.max_reads_in_flight = self.stats.max_reads_in_flight.max(self.reads.len());
        }
        if d.m_r_valid != 0 && out.m_r_ready != 0 {
            let r = self.reads.front_mut().unwrap();
            r.sent += 1;
            self.stats.read_beats += 1;
            if r.sent == r.beats {
                self.reads.pop_front();
            }
        }
        if d.m_aw_ready != 0 && out.m_aw_valid != 0 {
            let beats = self.check_burst("write", out.m_aw_addr, out.m_aw_len);
            self.writes.push_back(WriteBurst {
                addr: out.m_aw_addr,
                beats,
                received: 0,
                failed: false,
            });
            self.stats.write_bursts += 1;
        }
        if d.m_w_ready != 0 && out.m_w_valid != 0 {
            self.accept_write_beat(out);
        }
        if d.m_b_valid != 0 && out.m_b_ready != 0 {
            self.responses.pop_front();
        }
        self.cycle += 1;
    }

    fn accept_write_beat(&mut self, out: &EngineOutputs) {
        let bb = self.beat_bytes;
        let idx = self
            .writes
            .iter()
            .position(|w| w.received < w.beats)
            .unwrap();
        let (addr, last) = {
            let w = &self.writes[idx];
            (w.addr + w.received * bb, w.received + 1 == w.beats)
        };
        assert_eq!(
            out.m_w_last != 0,
            last,
            "w_last wrong on the beat at {addr:#x}"
        );
        let faulty = self.faulty(addr, bb);
        if !faulty {
            let mut bytes = [0u8; 64];
            for (i, w) in out.m_w_data.iter().enumerate() {
                bytes[8 * i..8 * i + 8].copy_from_slice(&w.to_le_bytes());
            }
            for i in 0..bb {
                if out.m_w_strb >> i & 1 != 0 {
                    self.mem.set_byte(addr + i, bytes[i as usize]);
                }
            }
        }
        let w = &mut self.writes[idx];
        w.received += 1;
        w.failed |= faulty;
        self.stats.write_beats += 1;
        if last {
            let resp = if w.failed { RESP_SLVERR } else { RESP_OKAY };
            let at = self.cycle + self.config.write_response_latency.max(1);
            self.responses.push_back((at, resp));
            // Bursts retire in order; only a fully received head leaves.
            while self.writes.front().is_some_and(|w| w.received == w.beats) {
                self.writes.pop_front();
            }
        }
    }
}
