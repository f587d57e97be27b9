//! A cycle-driven bench around one engine model: descriptor queue in,
//! statuses out, [`AxiMemory`] on the master port.

use crate::ffi::{EngineInputs, EngineOutputs};
use crate::memory::{AxiMemory, MemoryConfig};
use crate::model::EngineModel;
use std::collections::VecDeque;
use tiledma_contract::{EngineDescriptor, EngineError, EngineStatus};

/// The engine's counters as a driver reads them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineCounters {
    /// Cycles spent running a descriptor.
    pub busy_cycles: u64,
    /// Bytes written by successful descriptors.
    pub bytes: u64,
    /// Descriptors finished.
    pub descriptors: u64,
    /// Busy cycles without a write beat.
    pub stall_cycles: u64,
}

/// The bench did not reach idle in time.
#[derive(Debug, thiserror::Error)]
#[error("engine not idle after {cycles} cycles ({pending} descriptors still queued)")]
pub struct Timeout {
    /// Cycles run.
    pub cycles: u64,
    /// Descriptors not yet accepted by the engine.
    pub pending: usize,
}

/// Called every cycle with the inputs and settled outputs (for checkers).
pub type Observer = Box<dyn FnMut(u64, &EngineInputs, &EngineOutputs)>;

/// An engine, its memory and its descriptor and status queues.
pub struct EngineBench<M: EngineModel> {
    /// The engine.
    pub model: M,
    /// The memory on its master port.
    pub memory: AxiMemory,
    /// Accept statuses (`stat_ready`); true unless a test holds them back.
    pub take_status: bool,
    pending: VecDeque<EngineDescriptor>,
    statuses: Vec<EngineStatus>,
    cycle: u64,
    last: EngineOutputs,
    /// A descriptor was accepted in the last cycle (not yet visible in `last`).
    accepted: bool,
    observer: Option<Observer>,
}

impl<M: EngineModel> EngineBench<M> {
    /// A bench around `model` with a memory configured by `config`; the
    /// engine is reset.
    pub fn new(model: M, config: MemoryConfig) -> Self {
        let memory = AxiMemory::new(model.beat_bytes(), config);
        let mut bench = Self {
            model,
            memory,
            take_status: true,
            pending: VecDeque::new(),
            statuses: Vec::new(),
            cycle: 0,
            last: EngineOutputs::default(),
            accepted: false,
            observer: None,
        };
        bench.reset();
        bench
    }

    /// Installs a per-cycle observer.
    pub fn observe(&mut self, observer: Observer) {
        self.observer = Some(observer);
    }

    /// Holds reset for two cycles; queued descriptors and in-flight bus
    /// traffic are dropped.
    pub fn reset(&mut self) {
        self.pending.clear();
        self.memory.port.reset_bus();
        let inputs = EngineInputs {
            reset: 1,
            ..Default::default()
        };
        for _ in 0..2 {
            self.last = self.model.settle(&inputs);
            self.model.clock_edge();
            self.cycle += 1;
        }
        self.last = self.model.settle(&EngineInputs::default());
    }

    /// Queues a descriptor; the bench offers it when the engine is ready.
    pub fn submit(&mut self, desc: EngineDescriptor) {
        self.pending.push_back(desc);
    }

    /// Statuses received so far, oldest first (drained).
    pub fn take_statuses(&mut self) -> Vec<EngineStatus> {
        std::mem::take(&mut self.statuses)
    }

    /// Cycles since the bench was created.
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    /// The counters as of the last cycle.
    pub fn counters(&self) -> EngineCounters {
        EngineCounters {
            busy_cycles: self.last.cnt_busy_cycles,
            bytes: self.last.cnt_bytes,
            descriptors: self.last.cnt_descriptors,
            stall_cycles: self.last.cnt_stall_cycles,
        }
    }

    /// Runs one clock cycle.
    pub fn step(&mut self) {
        let mut i = EngineInputs {
            m: self.memory.port.drive(&mut self.memory.mem),
            stat_ready: self.take_status as u8,
            ..Default::default()
        };
        if let Some(d) = self.pending.front() {
            i.desc_valid = 1;
            i.desc_src_addr = d.src_addr;
            i.desc_dst_addr = d.dst_addr;
            i.desc_src_slice_pitch = d.src_slice_pitch;
            i.desc_dst_slice_pitch = d.dst_slice_pitch;
            i.desc_src_row_pitch = d.src_row_pitch;
            i.desc_dst_row_pitch = d.dst_row_pitch;
            i.desc_row_bytes = d.row_bytes;
            i.desc_rows = d.rows;
            i.desc_slices = d.slices;
            i.desc_tag = d.tag;
            i.desc_layout = d.layout;
        }
        let out = self.model.settle(&i);
        if let Some(obs) = self.observer.as_mut() {
            obs(self.cycle, &i, &out);
        }
        self.accepted = i.desc_valid != 0 && out.desc_ready != 0;
        if self.accepted {
            self.pending.pop_front();
        }
        if out.stat_valid != 0 && i.stat_ready != 0 {
            let error = EngineError::from_code(out.stat_error)
                .unwrap_or_else(|| panic!("engine sent unknown error code {}", out.stat_error));
            self.statuses.push(EngineStatus {
                tag: out.stat_tag,
                error,
            });
        }
        self.model.clock_edge();
        self.memory.port.update(&mut self.memory.mem, &out.m);
        self.last = out;
        self.cycle += 1;
    }

    /// Runs `n` cycles.
    pub fn step_n(&mut self, n: u64) {
        for _ in 0..n {
            self.step();
        }
    }

    /// True when nothing is queued, running or in flight.
    pub fn idle(&self) -> bool {
        self.pending.is_empty()
            && !self.accepted
            && self.last.idle != 0
            && self.last.stat_valid == 0
            && self.memory.quiet()
    }

    /// Runs until idle; returns the cycles it took.
    pub fn run_until_idle(&mut self, max_cycles: u64) -> Result<u64, Timeout> {
        let start = self.cycle;
        // The engine needs a cycle to see a freshly queued descriptor.
        self.step();
        while !self.idle() {
            if self.cycle - start >= max_cycles {
                return Err(Timeout {
                    cycles: self.cycle - start,
                    pending: self.pending.len(),
                });
            }
            self.step();
        }
        Ok(self.cycle - start)
    }
}
