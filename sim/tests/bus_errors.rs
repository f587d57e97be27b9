//! Bus errors: a read or write error response ends the descriptor with an
//! error status, writes no bad data, never hangs, and the engine runs the
//! next descriptor byte-exact.

// Fault lists of one range are meant as such.
#![allow(clippy::single_range_in_vec_init)]

mod common;

use common::{linear, prepare, verilated};
use tiledma_contract::{EngineDescriptor, EngineError};
use tiledma_sim::bench::EngineBench;
use tiledma_sim::memory::MemoryConfig;
use tiledma_sim::reference;

/// Runs `bad` then `good` with `faults`; returns the bench after checking
/// that `bad` failed with `want`, `good` succeeded byte-exact, and every
/// byte `bad` may have touched is either untouched or correct.
fn fail_then_recover(
    w: usize,
    bad: EngineDescriptor,
    good: EngineDescriptor,
    faults: Vec<std::ops::Range<u64>>,
    want: EngineError,
) {
    let config = MemoryConfig {
        read_latency: 20,
        backpressure: 0.1,
        faults: faults.clone(),
        ..Default::default()
    };
    let mut bench = EngineBench::new(verilated(w), config);
    prepare(&mut bench.memory.mem, &bad, 11);
    prepare(&mut bench.memory.mem, &good, 12);
    let before = bench.memory.mem.clone();
    let mut done = before.clone();
    reference::apply(&bad, &mut done);
    reference::apply(&good, &mut done);
    bench.submit(bad);
    bench.submit(good);
    bench
        .run_until_idle(200_000)
        .expect("engine hung after a bus error");
    let st = bench.take_statuses();
    assert_eq!(st.len(), 2, "one status per descriptor: {st:?}");
    assert_eq!((st[0].tag, st[0].error), (bad.tag, want));
    assert_eq!((st[1].tag, st[1].error), (good.tag, EngineError::Ok));
    // The good copy is exact.
    good.for_each_piece(|_, dst, len| {
        for a in dst..dst + len as u64 {
            assert_eq!(
                bench.memory.mem.byte(a),
                done.byte(a),
                "good copy wrong at {a:#x}"
            );
        }
    });
    // Elsewhere every byte is either as before or as the full copy would
    // leave it: a failed copy stops early but never writes garbage.
    let dst_rows = reference::dst_ranges(&bad);
    let lo = dst_rows.iter().map(|r| r.start).min().unwrap() - 256;
    let hi = dst_rows.iter().map(|r| r.end).max().unwrap() + 256;
    for a in lo..hi {
        let got = bench.memory.mem.byte(a);
        let in_fault = faults.iter().any(|f| f.contains(&a));
        assert!(
            got == before.byte(a) || (got == done.byte(a) && !in_fault),
            "byte {a:#x} is {got:#04x}: neither old {:#04x} nor copied {:#04x}",
            before.byte(a),
            done.byte(a)
        );
    }
    // Bytes moved counts rows written in full: the good copy and whole rows
    // of the failed one finished before the error.
    let c = bench.counters();
    assert_eq!(c.descriptors, 2);
    let partial = c.bytes - good.total_bytes();
    assert!(
        partial.is_multiple_of(bad.row_bytes as u64) && partial < bad.total_bytes(),
        "bytes counter {c:?}"
    );
}

fn pair() -> (EngineDescriptor, EngineDescriptor) {
    let mut bad = linear(0x10_0003, 0x80_0011, 700, 1);
    bad.rows = 6;
    bad.src_row_pitch = 750;
    bad.dst_row_pitch = 800;
    let good = linear(0x20_0005, 0x90_0007, 3000, 2);
    (bad, good)
}

#[test]
fn read_error_mid_copy() {
    for w in [8, 64] {
        let (bad, good) = pair();
        // Row 2 of the source is unreadable from byte 100 on.
        let f = bad.src_byte_addr(0, 2, 0) + 100;
        fail_then_recover(w, bad, good, vec![f..f + 64], EngineError::ReadBusError);
    }
}

#[test]
fn read_error_on_first_beat() {
    for w in [8, 64] {
        let (bad, good) = pair();
        fail_then_recover(
            w,
            bad,
            good,
            vec![bad.src_addr..bad.src_addr + 1],
            EngineError::ReadBusError,
        );
    }
}

#[test]
fn write_error_mid_copy() {
    for w in [8, 64] {
        let (bad, good) = pair();
        let f = bad.dst_byte_addr(0, 3, 0) + 10;
        fail_then_recover(w, bad, good, vec![f..f + 8], EngineError::WriteBusError);
    }
}

/// A source that is entirely unmapped (every beat answers DECERR-like
/// errors): the descriptor ends promptly, long before its full length.
#[test]
fn unmapped_source_ends_promptly() {
    for w in [8, 64] {
        let bad = linear(0x7000_0000, 0x80_0000, 1 << 20, 9);
        let config = MemoryConfig {
            faults: vec![0x7000_0000..0x8000_0000],
            ..Default::default()
        };
        let mut bench = EngineBench::new(verilated(w), config);
        let cycles = bench.run_until_idle(1).unwrap_or(0) + {
            bench.submit(bad);
            bench.run_until_idle(400_000).expect("hang")
        };
        let st = bench.take_statuses();
        assert_eq!(st.len(), 1);
        assert_eq!(st[0].error, EngineError::ReadBusError);
        let beats_full = (1u64 << 20) / w as u64;
        assert!(
            cycles < beats_full,
            "{cycles} cycles: the failed copy ran to the end"
        );
        assert!(
            bench
                .memory
                .mem
                .first_difference(&Default::default())
                .is_none(),
            "nothing was written"
        );
    }
}
