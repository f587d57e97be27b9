//! Helpers shared by the engine tests: random source data, guard bytes
//! around every destination, the oracle comparison, and fixed-seed random
//! sweeps.
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tiledma_contract::{EngineDescriptor, EngineError};
use tiledma_sim::bench::EngineBench;
use tiledma_sim::memory::{MemoryConfig, SparseMemory};
use tiledma_sim::model::{EngineModel, VerilatedEngine};
use tiledma_sim::reference;

/// Bytes of guard pattern before and after every destination row.
pub const GUARD: u64 = 96;
/// The guard pattern; source data is random, so a stray write shows.
pub const GUARD_BYTE: u8 = 0xA5;

/// Fills every source piece of `desc` with random bytes and every
/// destination piece, widened by [`GUARD`] on both sides, with [`GUARD_BYTE`].
pub fn prepare(mem: &mut SparseMemory, desc: &EngineDescriptor, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    desc.for_each_piece(|_, dst, len| {
        let lo = dst.saturating_sub(GUARD);
        let hi = dst + len as u64 + GUARD;
        mem.write(lo, &vec![GUARD_BYTE; (hi - lo) as usize]);
    });
    desc.for_each_piece(|src, _, len| {
        let data: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        mem.write(src, &data);
    });
}

/// Runs `descs` on a fresh bench and checks statuses, counters and every
/// byte of memory against the reference model.
pub fn run_and_check<M: EngineModel>(
    model: M,
    config: MemoryConfig,
    descs: &[EngineDescriptor],
    seed: u64,
) -> Result<EngineBench<M>, String> {
    let mut bench = EngineBench::new(model, config);
    for (k, d) in descs.iter().enumerate() {
        prepare(&mut bench.memory.mem, d, seed.wrapping_add(k as u64));
    }
    let mut expect = bench.memory.mem.clone();
    for d in descs {
        reference::apply(d, &mut expect);
    }
    let total: u64 = descs.iter().map(|d| d.total_bytes()).sum();
    for d in descs {
        bench.submit(*d);
    }
    let limit = 50_000 + total * 40 + descs.len() as u64 * 2_000;
    bench.run_until_idle(limit).map_err(|e| e.to_string())?;
    let st = bench.take_statuses();
    let tags: Vec<u16> = st.iter().map(|s| s.tag).collect();
    let want: Vec<u16> = descs.iter().map(|d| d.tag).collect();
    if tags != want {
        return Err(format!("status tags {tags:?}, expected {want:?}"));
    }
    if let Some(s) = st.iter().find(|s| s.error != EngineError::Ok) {
        return Err(format!("descriptor {} failed: {:?}", s.tag, s.error));
    }
    if let Some(a) = bench.memory.mem.first_difference(&expect) {
        return Err(format!(
            "memory differs at {a:#x}: engine wrote {:#04x}, reference {:#04x}",
            bench.memory.mem.byte(a),
            expect.byte(a)
        ));
    }
    let c = bench.counters();
    if c.bytes != total || c.descriptors != descs.len() as u64 {
        return Err(format!(
            "counters {c:?}, expected {total} bytes, {} descriptors",
            descs.len()
        ));
    }
    if c.stall_cycles > c.busy_cycles {
        return Err(format!("stall cycles exceed busy cycles: {c:?}"));
    }
    Ok(bench)
}

/// Shorthand for the Verilated engine.
pub fn verilated(beat_bytes: usize) -> VerilatedEngine {
    VerilatedEngine::new(beat_bytes)
}

/// A one-slice, one-row copy of `len` bytes.
pub fn linear(src: u64, dst: u64, len: u32, tag: u16) -> EngineDescriptor {
    EngineDescriptor {
        src_addr: src,
        dst_addr: dst,
        row_bytes: len,
        rows: 1,
        slices: 1,
        tag,
        ..Default::default()
    }
}

/// Memory set-ups for random cases: one of `latencies`, back-pressure 0 or
/// 0.25, a random back-pressure seed.
pub fn memory(latencies: [u64; 3]) -> impl Strategy<Value = MemoryConfig> {
    (
        prop_oneof![Just(latencies[0]), Just(latencies[1]), Just(latencies[2])],
        prop_oneof![Just(0.0), Just(0.25)],
        any::<u64>(),
    )
        .prop_map(|(read_latency, backpressure, seed)| MemoryConfig {
            read_latency,
            backpressure,
            seed,
            ..Default::default()
        })
}

/// Runs `cases` random descriptor lists from `descs` on the Verilated engine
/// of `beat_bytes`, each with memory from `latencies`, checked against the
/// oracle. The runner's seed is fixed, so every run sees the same cases.
pub fn sweep(
    seed: &[u8; 32],
    beat_bytes: usize,
    cases: u32,
    descs: impl Strategy<Value = Vec<EngineDescriptor>>,
    latencies: [u64; 3],
) {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, seed));
    let strategy = (descs, memory(latencies), any::<u64>());
    runner
        .run(&strategy, |(descs, mem, seed)| {
            run_and_check(verilated(beat_bytes), mem, &descs, seed).map_err(TestCaseError::fail)?;
            Ok(())
        })
        .unwrap();
}
