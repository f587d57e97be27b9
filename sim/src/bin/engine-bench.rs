//! Engine benchmark: bytes per cycle of large copies on the Verilated engine.
//!
//! `engine-bench [--beat-bytes 64] [--bytes 65536] [--latency 128] [--backpressure 0.0]`
//! copies one linear row; `--layouts` instead copies a 1024-byte-wide image
//! of `--bytes` between every pair of layouts (linear, X, Y, Tile4) and
//! prints a table.

use clap::Parser;
use tiledma_contract::tiling::Tiling;
use tiledma_contract::EngineDescriptor;
use tiledma_sim::bench::{image_copy, measure_copy, CopyRun, MeasureError};
use tiledma_sim::memory::MemoryConfig;

#[derive(Parser)]
#[command(about = "Measure the copy engine's throughput in simulated cycles")]
struct Args {
    /// Bus width in bytes per beat (8 or 64).
    #[arg(long, default_value_t = 64)]
    beat_bytes: usize,
    /// Bytes to copy.
    #[arg(long, default_value_t = 65536)]
    bytes: u32,
    /// Memory read latency in cycles.
    #[arg(long, default_value_t = 128)]
    latency: u64,
    /// Probability that the memory withholds ready/valid in a cycle.
    #[arg(long, default_value_t = 0.0)]
    backpressure: f64,
    /// Source offset from a beat boundary (0 = aligned).
    #[arg(long, default_value_t = 0)]
    src_offset: u64,
    /// Destination offset from a beat boundary.
    #[arg(long, default_value_t = 0)]
    dst_offset: u64,
    /// Sweep every layout pair with a 1024-byte-wide image instead.
    #[arg(long)]
    layouts: bool,
    /// Write a VCD waveform of the run here.
    #[arg(long)]
    vcd: Option<std::path::PathBuf>,
}

/// Runs `desc` alone on a fresh engine, checks it byte by byte.
fn measure(a: &Args, desc: EngineDescriptor) -> Result<CopyRun, MeasureError> {
    let config = MemoryConfig {
        read_latency: a.latency,
        backpressure: a.backpressure,
        ..Default::default()
    };
    measure_copy(a.beat_bytes, config, desc, a.vcd.as_deref())
}

fn linear_row(a: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let desc = EngineDescriptor {
        src_addr: 0x1000_0000 + a.src_offset,
        dst_addr: 0x8000_0000 + a.dst_offset,
        row_bytes: a.bytes,
        rows: 1,
        slices: 1,
        tag: 1,
        ..Default::default()
    };
    let r = measure(a, desc)?;
    println!(
        "copy {} B, {} B/beat, read latency {} cycles, back-pressure {}: byte-exact; {} cycles submit→idle, \
         busy {} cycles, {:.2} bytes/cycle (peak {}), stall {} cycles; max reads in flight {}",
        a.bytes,
        a.beat_bytes,
        a.latency,
        a.backpressure,
        r.cycles,
        r.busy,
        a.bytes as f64 / r.busy as f64,
        a.beat_bytes,
        r.stall,
        r.max_reads
    );
    Ok(())
}

fn layout_pairs(a: &Args) -> Result<(), Box<dyn std::error::Error>> {
    const WIDTH: u32 = 1024;
    let rows = (a.bytes / WIDTH).max(1);
    println!(
        "{} B image ({WIDTH} B × {rows} rows), {} B/beat, read latency {}, back-pressure {}:",
        WIDTH * rows,
        a.beat_bytes,
        a.latency,
        a.backpressure
    );
    println!(
        "  {:<8} {:<8} {:>10} {:>12} {:>8}",
        "from", "to", "cycles", "bytes/cycle", "of peak"
    );
    for src in Tiling::ALL {
        for dst in Tiling::ALL {
            let desc = image_copy(src, dst, WIDTH, rows);
            let r = measure(a, desc)?;
            let bpc = desc.total_bytes() as f64 / r.busy as f64;
            println!(
                "  {:<8} {:<8} {:>10} {:>12.2} {:>7.0}%",
                format!("{src:?}"),
                format!("{dst:?}"),
                r.busy,
                bpc,
                100.0 * bpc / a.beat_bytes as f64
            );
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = Args::parse();
    if a.layouts {
        layout_pairs(&a)
    } else {
        linear_row(&a)
    }
}
