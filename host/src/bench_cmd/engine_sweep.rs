//! The engine alone (Verilated, no firmware): one whole-image copy per
//! point of size × layout pair × bus width × read latency, each checked
//! byte for byte against the reference model.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use tiledma_contract::tiling::Tiling;
use tiledma_sim::bench::{image_copy, measure_copy, measure_on, CopyRun};
use tiledma_sim::memory::MemoryConfig;
use tiledma_sim::model::VerilatedEngine;
use tiledma_sim::native::NativeEngine;

/// Image width of every sweep copy: rows = size / width.
pub const WIDTH: u32 = 1024;

/// One point of the sweep.
#[derive(Clone, Copy, Debug)]
pub struct Point {
    /// Bytes copied.
    pub bytes: u32,
    /// Source layout.
    pub src: Tiling,
    /// Destination layout.
    pub dst: Tiling,
    /// Bus width, bytes per beat.
    pub beat: usize,
    /// Read latency, cycles.
    pub latency: u64,
    /// Engine busy cycles for the copy (descriptor start to status).
    pub cycles: u64,
    /// Simulated cycles per wall-clock second for this run.
    pub sim_rate: f64,
}

impl Point {
    /// Bytes per cycle.
    pub fn bytes_per_cycle(&self) -> f64 {
        self.bytes as f64 / self.cycles as f64
    }

    /// Bytes per cycle ÷ bus width.
    pub fn of_peak(&self) -> f64 {
        self.bytes_per_cycle() / self.beat as f64
    }

    /// The best a copy that waits out one read latency can do: every beat
    /// in one cycle after the first read returns.
    pub fn latency_ceiling(&self) -> f64 {
        let beats = self.bytes as f64 / self.beat as f64;
        beats / (beats + self.latency as f64)
    }
}

/// Runs every point; `pairs` are (source, destination) layouts.
pub fn run(
    sizes: &[u32],
    pairs: &[(Tiling, Tiling)],
    beats: &[usize],
    latencies: &[u64],
) -> Result<Vec<Point>> {
    let total = sizes.len() * pairs.len() * beats.len() * latencies.len();
    let bar = ProgressBar::new(total as u64).with_style(
        ProgressStyle::with_template("engine sweep {bar:40} {pos}/{len} {msg} [{elapsed}]")
            .expect("template"),
    );
    let mut out = Vec::with_capacity(total);
    for &beat in beats {
        for &latency in latencies {
            for &(src, dst) in pairs {
                for &bytes in sizes {
                    bar.set_message(format!("{beat} B/beat {src:?}→{dst:?} {bytes} B"));
                    let config = MemoryConfig {
                        read_latency: latency,
                        ..Default::default()
                    };
                    let desc = image_copy(src, dst, WIDTH, bytes / WIDTH);
                    let r = measure_copy(beat, config, desc, None)
                        .with_context(|| format!("{src:?} → {dst:?}, {bytes} B, {beat} B/beat"))?;
                    out.push(Point {
                        bytes,
                        src,
                        dst,
                        beat,
                        latency,
                        cycles: r.busy,
                        sim_rate: r.cycles as f64 / r.sim_seconds,
                    });
                    bar.inc(1);
                }
            }
        }
    }
    bar.finish_and_clear();
    Ok(out)
}

/// Verilator against rust-hdl's own simulator on the same engine (8 B/beat)
/// and the same copy: (Verilator cycles/s, rust-hdl cycles/s).
pub fn simulator_speeds(bytes: u32) -> Result<(f64, f64)> {
    let desc = image_copy(Tiling::Linear, Tiling::Y, WIDTH, bytes / WIDTH);
    let config = MemoryConfig {
        read_latency: 128,
        ..Default::default()
    };
    let rate = |r: CopyRun| r.cycles as f64 / r.sim_seconds;
    let verilator = rate(measure_on(VerilatedEngine::new(8), config.clone(), desc)?);
    let native = rate(measure_on(
        NativeEngine::<64, 8, 16>::default(),
        config,
        desc,
    )?);
    Ok((verilator, native))
}
