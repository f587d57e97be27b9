//! Engine benchmark: bytes per cycle of large copies on the Verilated engine.
//!
//! `engine-bench [--beat-bytes 64] [--bytes 65536] [--latency 128] [--backpressure 0.0]`

use clap::Parser;
use tiledma_contract::{EngineDescriptor, EngineError};
use tiledma_sim::bench::EngineBench;
use tiledma_sim::memory::MemoryConfig;
use tiledma_sim::model::VerilatedEngine;
use tiledma_sim::reference;

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
    /// Write a VCD waveform of the run here.
    #[arg(long)]
    vcd: Option<std::path::PathBuf>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = Args::parse();
    let config = MemoryConfig {
        read_latency: a.latency,
        backpressure: a.backpressure,
        ..Default::default()
    };
    let mut model = VerilatedEngine::new(a.beat_bytes);
    if let Some(path) = &a.vcd {
        model.trace_to(path)?;
    }
    let mut bench = EngineBench::new(model, config);
    let src = 0x1000_0000 + a.src_offset;
    let dst = 0x8000_0000 + a.dst_offset;
    let data: Vec<u8> = (0..a.bytes)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    bench.memory.mem.write(src, &data);
    let desc = EngineDescriptor {
        src_addr: src,
        dst_addr: dst,
        row_bytes: a.bytes,
        rows: 1,
        slices: 1,
        tag: 1,
        ..Default::default()
    };
    let mut expect = bench.memory.mem.clone();
    reference::apply(&desc, &mut expect);
    bench.submit(desc);
    let cycles = bench.run_until_idle(100 * a.bytes as u64 + 100_000)?;
    let status = bench.take_statuses();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].error, EngineError::Ok);
    if let Some(addr) = bench.memory.mem.first_difference(&expect) {
        return Err(format!("copy is wrong at {addr:#x}").into());
    }
    let c = bench.counters();
    println!(
        "copy {} B, {} B/beat, read latency {} cycles, back-pressure {}: byte-exact; {} cycles submit→idle, \
         busy {} cycles, {:.2} bytes/cycle (peak {}), stall {} cycles; max reads in flight {}",
        a.bytes,
        a.beat_bytes,
        a.latency,
        a.backpressure,
        cycles,
        c.busy_cycles,
        a.bytes as f64 / c.busy_cycles as f64,
        a.beat_bytes,
        c.stall_cycles,
        bench.memory.stats().max_reads_in_flight
    );
    Ok(())
}
