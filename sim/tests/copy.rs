//! Byte-exact copies on the Verilated engine: random 3D regions, pitches and
//! unaligned offsets (proptest, fixed seed), at 8 and 64 bytes per beat,
//! with read latency and random back-pressure; guard bytes around every
//! destination row; the reference model is the oracle.

mod common;

use common::{linear, run_and_check, verilated};
use proptest::prelude::*;
use tiledma_contract::EngineDescriptor;
use tiledma_sim::memory::MemoryConfig;

const SEED: [u8; 32] = *b"tiledma copy engine proptest 01\0";

/// Region `k` of a case: sources and destinations live 1 MiB apart.
fn region(k: u64) -> (u64, u64) {
    (0x0010_0000 * (k + 1), 0x4000_0000 + 0x0010_0000 * k)
}

#[derive(Clone, Debug)]
struct Shape {
    src_off: u64,
    dst_off: u64,
    row_bytes: u32,
    rows: u32,
    slices: u32,
    src_pad: u32,
    dst_pad: u32,
    src_slice_pad: u64,
    dst_slice_pad: u64,
}

fn shape() -> impl Strategy<Value = Shape> {
    let row_bytes = prop_oneof![6 => 1u32..=200, 3 => 200u32..=1200, 1 => 4000u32..=9000];
    (
        0u64..4200,
        0u64..4200,
        row_bytes,
        1u32..=5,
        1u32..=3,
        0u32..=70,
        0u32..=70,
        0u64..=300,
        0u64..=300,
    )
        .prop_map(
            |(src_off, dst_off, row_bytes, rows, slices, src_pad, dst_pad, ssp, dsp)| {
                let (rows, slices) = if row_bytes > 1200 {
                    (rows.min(2), 1)
                } else {
                    (rows, slices)
                };
                Shape {
                    src_off,
                    dst_off,
                    row_bytes,
                    rows,
                    slices,
                    src_pad,
                    dst_pad,
                    src_slice_pad: ssp,
                    dst_slice_pad: dsp,
                }
            },
        )
}

fn descriptor(s: &Shape, k: u64) -> EngineDescriptor {
    let (src, dst) = region(k);
    let srp = s.row_bytes + s.src_pad;
    let drp = s.row_bytes + s.dst_pad;
    EngineDescriptor {
        src_addr: src + s.src_off,
        dst_addr: dst + s.dst_off,
        src_row_pitch: srp,
        dst_row_pitch: drp,
        src_slice_pitch: srp as u64 * s.rows as u64 + s.src_slice_pad,
        dst_slice_pitch: drp as u64 * s.rows as u64 + s.dst_slice_pad,
        row_bytes: s.row_bytes,
        rows: s.rows,
        slices: s.slices,
        tag: 0x100 + k as u16,
        ..Default::default()
    }
}

/// One to three random region copies, each in its own 1 MiB region.
fn descriptors() -> impl Strategy<Value = Vec<EngineDescriptor>> {
    prop::collection::vec(shape(), 1..=3).prop_map(|shapes| {
        shapes
            .iter()
            .enumerate()
            .map(|(k, s)| descriptor(s, k as u64))
            .collect()
    })
}

fn sweep(beat_bytes: usize, cases: u32) {
    common::sweep(&SEED, beat_bytes, cases, descriptors(), [1, 8, 130]);
}

#[test]
fn random_regions_8_bytes_per_beat() {
    sweep(8, 64);
}

#[test]
fn random_regions_64_bytes_per_beat() {
    sweep(64, 64);
}

/// Every source/destination alignment pair with lengths 1..=4 beats + 1, as
/// verilog-axi's tests do.
#[test]
fn every_alignment_and_short_length() {
    for w in [8u64, 64] {
        let mut descs = Vec::new();
        let mut k = 0u64;
        let step = if w == 8 { 1 } else { 7 };
        for so in (0..w).step_by(step) {
            for d in (0..w).step_by(step) {
                for len in [1, 2, w - 1, w, w + 1, 2 * w + 3, 4 * w + 1] {
                    let (src, dst) = (0x10_0000 + k * 0x400 + so, 0x80_0000 + k * 0x400 + d);
                    descs.push(linear(src, dst, len as u32, k as u16));
                    k += 1;
                }
            }
        }
        for chunk in descs.chunks(64) {
            let cfg = MemoryConfig {
                read_latency: 3,
                backpressure: 0.2,
                seed: w,
                ..Default::default()
            };
            run_and_check(verilated(w as usize), cfg, chunk, 7).unwrap();
        }
    }
}

/// A copy crossing many 4 KiB boundaries at odd offsets (the memory model
/// panics on any burst that crosses one).
#[test]
fn long_rows_split_at_4k_boundaries() {
    for w in [8, 64] {
        let descs = [
            linear(0x10_0ff3, 0x80_0005, 5 * 4096 + 77, 1),
            linear(0x20_0000, 0x90_0fc1, 3 * 4096, 2),
        ];
        run_and_check(verilated(w), MemoryConfig::default(), &descs, 3).unwrap();
    }
}

/// Zero rows, zero slices or zero bytes: completes with OK, writes nothing.
#[test]
fn empty_regions_complete_without_writing() {
    for w in [8, 64] {
        let mut a = linear(0x10_0000, 0x80_0000, 0, 1);
        let mut b = linear(0x10_0000, 0x80_0000, 64, 2);
        b.rows = 0;
        let mut c = linear(0x10_0000, 0x80_0000, 64, 3);
        c.slices = 0;
        a.rows = 4;
        let bench = run_and_check(verilated(w), MemoryConfig::default(), &[a, b, c], 1).unwrap();
        assert_eq!(bench.memory.stats().write_beats, 0);
        assert_eq!(bench.memory.stats().read_beats, 0);
    }
}

/// Statuses queue up (8 entries) while nobody takes them: the engine runs
/// the next descriptors meanwhile, stops only when the queue is full, and
/// reports every status in order once they are taken.
#[test]
fn statuses_queue_while_not_taken() {
    for w in [8, 64] {
        let descs: Vec<EngineDescriptor> = (0..10u64)
            .map(|k| {
                linear(
                    0x10_0000 + k * 0x1000,
                    0x80_0000 + k * 0x1000,
                    300,
                    k as u16,
                )
            })
            .collect();
        let mut bench = tiledma_sim::bench::EngineBench::new(verilated(w), MemoryConfig::default());
        for (k, d) in descs.iter().enumerate() {
            common::prepare(&mut bench.memory.mem, d, 40 + k as u64);
        }
        let mut expect = bench.memory.mem.clone();
        for d in &descs {
            tiledma_sim::reference::apply(d, &mut expect);
        }
        bench.take_status = false;
        for d in &descs {
            bench.submit(*d);
        }
        bench.step_n(20_000);
        assert!(bench.take_statuses().is_empty(), "no status taken yet");
        assert!(!bench.idle(), "statuses still queued: not idle");
        // Eight copies ran to the end without their statuses being taken;
        // the ninth waits for room in the status queue.
        for (k, d) in descs.iter().enumerate() {
            let done = (0..300).all(|x| {
                let a = d.dst_byte_addr(x, 0, 0);
                bench.memory.mem.byte(a) == expect.byte(a)
            });
            assert_eq!(done, k < 8, "{w} B/beat: descriptor {k} done: {done}");
        }
        bench.take_status = true;
        bench.run_until_idle(50_000).unwrap();
        let tags: Vec<u16> = bench.take_statuses().iter().map(|s| s.tag).collect();
        assert_eq!(tags, (0..10).collect::<Vec<u16>>());
        assert!(bench.memory.mem.first_difference(&expect).is_none());
        assert_eq!(bench.counters().descriptors, 10);
    }
}
