//! A cycle-driven bench around one engine model: descriptor queue in,
//! statuses out, [`AxiMemory`] on the master port.

use crate::ffi::{EngineInputs, EngineOutputs};
use crate::memory::{AxiMemory, MemoryConfig};
use crate::model::EngineModel;
use std::collections::VecDeque;
use tiledma_contract::tiling::Tiling;
use tiledma_contract::{EngineDescriptor, EngineError, EngineStatus, Layout, Placement};

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

/// One measured copy on a fresh engine (see [`measure_copy`]).
#[derive(Clone, Copy, Debug)]
pub struct CopyRun {
    /// Cycles from submitting the descriptor to the engine being idle.
    pub cycles: u64,
    /// Cycles the engine was busy with it.
    pub busy: u64,
    /// Busy cycles without a write beat.
    pub stall: u64,
    /// Read bursts in flight at most.
    pub max_reads: usize,
    /// Wall-clock seconds the simulation of those cycles took.
    pub sim_seconds: f64,
}

/// Why [`measure_copy`] failed.
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    /// The engine did not finish.
    #[error(transparent)]
    Timeout(#[from] Timeout),
    /// The engine reported an error status.
    #[error("engine reported {0:?}")]
    Status(EngineError),
    /// The destination differs from the oracle.
    #[error("copy is wrong at {0:#x}")]
    Wrong(u64),
    /// The waveform file could not be opened.
    #[error("waveform: {0}")]
    Vcd(#[from] std::io::Error),
}

/// Runs `desc` alone on a fresh Verilated engine of `beat_bytes` with memory
/// timing `config`, checks every byte against the reference model and
/// returns the cycle counts. Source bytes are a fixed pseudo-random pattern.
pub fn measure_copy(
    beat_bytes: usize,
    config: MemoryConfig,
    desc: EngineDescriptor,
    vcd: Option<&std::path::Path>,
) -> Result<CopyRun, MeasureError> {
    let mut model = crate::model::VerilatedEngine::new(beat_bytes);
    if let Some(path) = vcd {
        model.trace_to(path)?;
    }
    measure_on(model, config, desc)
}

/// [`measure_copy`] on any engine model (rust-hdl's own simulator, say).
pub fn measure_on<M: EngineModel>(
    model: M,
    config: MemoryConfig,
    desc: EngineDescriptor,
) -> Result<CopyRun, MeasureError> {
    let mut bench = EngineBench::new(model, config);
    let mut k = 0u32;
    desc.for_each_piece(|src, _, len| {
        let data: Vec<u8> = (0..len)
            .map(|i| ((k + i).wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        k += len;
        bench.memory.mem.write(src, &data);
    });
    let mut expect = bench.memory.mem.clone();
    crate::reference::apply(&desc, &mut expect);
    bench.submit(desc);
    let started = std::time::Instant::now();
    let cycles = bench.run_until_idle(100 * desc.total_bytes() + 100_000)?;
    let sim_seconds = started.elapsed().as_secs_f64();
    if let Some(s) = bench.take_statuses().first() {
        if s.error != EngineError::Ok {
            return Err(MeasureError::Status(s.error));
        }
    }
    if let Some(addr) = bench.memory.mem.first_difference(&expect) {
        return Err(MeasureError::Wrong(addr));
    }
    let c = bench.counters();
    Ok(CopyRun {
        cycles,
        busy: c.busy_cycles,
        stall: c.stall_cycles,
        max_reads: bench.memory.stats().max_reads_in_flight,
        sim_seconds,
    })
}

/// A `width` B × `rows` image copied whole from `src` to `dst` layout
/// (pitch = width, placement at the tile origin), apart in memory.
pub fn image_copy(src: Tiling, dst: Tiling, width: u32, rows: u32) -> EngineDescriptor {
    let place = |tiling| Placement { tiling, x: 0, y: 0 };
    EngineDescriptor {
        src_addr: 0x1000_0000,
        dst_addr: 0x8000_0000,
        src_row_pitch: width,
        dst_row_pitch: width,
        row_bytes: width,
        rows,
        slices: 1,
        tag: 1,
        layout: Layout {
            src: place(src),
            dst: place(dst),
        }
        .to_word(),
        ..Default::default()
    }
}
