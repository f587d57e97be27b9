//! Block mode (64-byte bus, a Y or Tile4 side, whole 128 B × 32-row blocks,
//! beat-aligned sides): random eligible regions of every layout pair mixed
//! back to back with near-misses that must take the piece path, guard bytes
//! around every written range, the byte-by-byte oracle; long bursts really
//! used; bus errors in the middle of a block.

// Fault lists of one range are meant as such.
#![allow(clippy::single_range_in_vec_init)]

mod common;

use common::{prepare, run_and_check, verilated};
use proptest::prelude::*;
use tiledma_contract::tiling::Tiling;
use tiledma_contract::{EngineDescriptor, EngineError, Layout, Placement};
use tiledma_sim::bench::EngineBench;
use tiledma_sim::memory::MemoryConfig;
use tiledma_sim::reference;

const SEED: [u8; 32] = *b"tiledma block mode proptest 0001";

/// Block width and height (the Y/Tile4 tile).
const BW: u32 = 128;
const BH: u32 = 32;

/// One side of a block-mode case.
#[derive(Clone, Debug)]
struct Side {
    tiling: Tiling,
    /// X placement in 128-byte steps (X sides only).
    x: u16,
    /// Extra pitch in units of the side's pitch granule.
    extra: u32,
    /// Base offset in 64-byte steps.
    base_beats: u64,
}

/// How a case is spoiled so that it must take the piece path.
#[derive(Clone, Copy, Debug)]
enum Spoil {
    None,
    /// Base 16 bytes off a beat.
    Base,
    /// Rows not a multiple of 32.
    Rows,
    /// Row bytes not a multiple of 128.
    RowBytes,
    /// A tiled side placed at x = 16 (or an X side at x % 128 = 64).
    Place,
}

fn side(tiled: bool) -> impl Strategy<Value = Side> {
    let t = if tiled {
        prop::sample::select(vec![Tiling::Y, Tiling::Tile4]).boxed()
    } else {
        prop::sample::select(Tiling::ALL.to_vec()).boxed()
    };
    (
        t,
        0u16..4,
        0u32..3,
        prop_oneof![3 => Just(0u64), 1 => 0u64..64],
    )
        .prop_map(|(tiling, x, extra, base_beats)| Side {
            tiling,
            x: if tiling == Tiling::X { x * 128 } else { 0 },
            extra,
            base_beats,
        })
}

fn pitch_of(s: &Side, row_bytes: u32) -> u32 {
    match s.tiling {
        Tiling::Linear => row_bytes + 64 * s.extra,
        t => {
            let tw = t.tile_width() as u32;
            (s.x as u32 + row_bytes).div_ceil(tw) * tw + s.extra * tw
        }
    }
}

fn build(
    (src, dst, across, bands, slices, spoil): (Side, Side, u32, u32, u32, Spoil),
    k: u64,
) -> EngineDescriptor {
    let mut row_bytes = across * BW;
    let mut rows = bands * BH;
    match spoil {
        Spoil::Rows => rows -= 3,
        Spoil::RowBytes => row_bytes -= 16,
        _ => {}
    }
    let (sp, dp) = (pitch_of(&src, row_bytes), pitch_of(&dst, row_bytes));
    let slice = |p: u32| (bands * BH) as u64 * p as u64 + 64;
    let place = |s: &Side| Placement {
        tiling: s.tiling,
        x: s.x,
        y: 0,
    };
    let mut layout = Layout {
        src: place(&src),
        dst: place(&dst),
    };
    let mut src_addr = 0x0100_0000 * (k + 1) + 64 * src.base_beats;
    if let Spoil::Base = spoil {
        src_addr += 16;
    }
    if let Spoil::Place = spoil {
        // Spoil whichever side can take it while staying a valid placement.
        let p = if src.tiling != Tiling::Linear {
            &mut layout.src
        } else {
            &mut layout.dst
        };
        p.x = if p.tiling == Tiling::X { p.x + 64 } else { 16 };
    }
    EngineDescriptor {
        src_addr,
        dst_addr: 0x4000_0000 + 0x0100_0000 * k + 64 * dst.base_beats,
        src_row_pitch: sp + 512,
        dst_row_pitch: dp + 512,
        src_slice_pitch: slice(sp + 512),
        dst_slice_pitch: slice(dp + 512) + 4096,
        row_bytes,
        rows,
        slices,
        tag: 0x300 + k as u16,
        layout: layout.to_word(),
        ..Default::default()
    }
}

fn case() -> impl Strategy<Value = (Side, Side, u32, u32, u32, Spoil)> {
    (any::<bool>(), side(true), side(false))
        .prop_map(|(flip, t, o)| if flip { (t, o) } else { (o, t) })
        .prop_flat_map(|(src, dst)| {
            (
                Just(src),
                Just(dst),
                1u32..=3,
                1u32..=2,
                1u32..=2,
                prop_oneof![
                    6 => Just(Spoil::None),
                    1 => Just(Spoil::Base),
                    1 => Just(Spoil::Rows),
                    1 => Just(Spoil::RowBytes),
                    1 => Just(Spoil::Place),
                ],
            )
        })
}

/// One to three descriptors back to back, block and piece mode mixed.
fn descriptors() -> impl Strategy<Value = Vec<EngineDescriptor>> {
    prop::collection::vec(case(), 1..=3).prop_map(|cases| {
        cases
            .into_iter()
            .enumerate()
            .map(|(k, c)| build(c, k as u64))
            .collect()
    })
}

#[test]
fn random_block_regions() {
    common::sweep(&SEED, 64, 40, descriptors(), [1, 20, 130]);
}

fn whole(src: Tiling, dst: Tiling, k: u64) -> EngineDescriptor {
    blocks(src, dst, 8, k)
}

/// `across` tiles by two tile rows, both sides placed at (0, 0): wide
/// blocks when `across` is even.
fn blocks(src: Tiling, dst: Tiling, across: u32, k: u64) -> EngineDescriptor {
    let s = |tiling| Side {
        tiling,
        x: 0,
        extra: 0,
        base_beats: 0,
    };
    build((s(src), s(dst), across, 2, 1, Spoil::None), k)
}

/// Every pair with a Y or Tile4 side, wide (8 tiles across) and narrow
/// (3) blocks: byte-exact, and moved in long bursts (the piece path would
/// need one read burst per 16 bytes).
#[test]
fn every_tiled_pair_uses_long_bursts() {
    for src in Tiling::ALL {
        for (dst, across) in Tiling::ALL.into_iter().flat_map(|d| [(d, 8), (d, 3)]) {
            if !matches!(src, Tiling::Y | Tiling::Tile4)
                && !matches!(dst, Tiling::Y | Tiling::Tile4)
            {
                continue;
            }
            let d = blocks(src, dst, across, 0);
            let cfg = MemoryConfig {
                read_latency: 128,
                ..Default::default()
            };
            let bench = run_and_check(verilated(64), cfg, &[d], 5)
                .unwrap_or_else(|e| panic!("{src:?} -> {dst:?}: {e}"));
            let beats = d.total_bytes() / 64;
            let st = bench.memory.stats();
            assert!(
                st.read_bursts * 2 <= beats && st.write_bursts * 2 <= beats,
                "{src:?} -> {dst:?}: {} read and {} write bursts for {beats} beats",
                st.read_bursts,
                st.write_bursts
            );
        }
    }
}

/// Block index (in the engine's order) of region byte (x, y, z).
/// Both sides must be placed at x = 0; wide blocks (256 B × 16 rows) when
/// rows are whole 256-byte blocks, narrow (128 B × 32) otherwise.
fn block_of(d: &EngineDescriptor, x: u32, y: u32, z: u32) -> u32 {
    let (w, h) = if d.row_bytes.is_multiple_of(256) {
        (2 * BW, BH / 2)
    } else {
        (BW, BH)
    };
    ((z * (d.rows / h)) + y / h) * (d.row_bytes / w) + x / w
}

/// `bad` fails with `want` because of `faults`; `good` (block mode) and a
/// piece-mode copy after it run normally. Returns the block of the fault.
fn fail_in_block(
    bad: EngineDescriptor,
    faults: Vec<std::ops::Range<u64>>,
    want: EngineError,
) -> EngineBench<tiledma_sim::model::VerilatedEngine> {
    let good = whole(Tiling::Tile4, Tiling::Y, 5);
    let mut piece = whole(Tiling::Linear, Tiling::Y, 6);
    piece.src_addr += 3;
    let config = MemoryConfig {
        read_latency: 40,
        backpressure: 0.1,
        faults: faults.clone(),
        ..Default::default()
    };
    let mut bench = EngineBench::new(verilated(64), config);
    for (i, d) in [bad, good, piece].iter().enumerate() {
        prepare(&mut bench.memory.mem, d, 20 + i as u64);
    }
    let before = bench.memory.mem.clone();
    let mut done = before.clone();
    for d in [bad, good, piece] {
        reference::apply(&d, &mut done);
    }
    for d in [bad, good, piece] {
        bench.submit(d);
    }
    bench.run_until_idle(400_000).expect("engine hung");
    let st = bench.take_statuses();
    let got: Vec<_> = st.iter().map(|s| (s.tag, s.error)).collect();
    assert_eq!(
        got,
        vec![
            (bad.tag, want),
            (good.tag, EngineError::Ok),
            (piece.tag, EngineError::Ok)
        ]
    );
    for d in [good, piece] {
        d.for_each_byte(|_, a| {
            assert_eq!(
                bench.memory.mem.byte(a),
                done.byte(a),
                "good copy at {a:#x}"
            )
        });
    }
    // The failed copy wrote nothing but correct bytes, none into a fault.
    for z in 0..bad.slices {
        for y in 0..bad.rows {
            for x in 0..bad.row_bytes {
                let a = bad.dst_byte_addr(x, y, z);
                let g = bench.memory.mem.byte(a);
                let in_fault = faults.iter().any(|f| f.contains(&a));
                assert!(
                    g == before.byte(a) || (g == done.byte(a) && !in_fault),
                    "byte {a:#x}"
                );
            }
        }
    }
    bench
}

#[test]
fn read_error_mid_block() {
    for (src, dst, across) in [
        (Tiling::Y, Tiling::Linear, 8),
        (Tiling::X, Tiling::Tile4, 8),
        (Tiling::Tile4, Tiling::Y, 3),
        (Tiling::Linear, Tiling::Tile4, 3),
    ] {
        let bad = blocks(src, dst, across, 0);
        // Source byte (200, 40): wide blocks, block 8 of 16 (block row 2,
        // column 0); narrow, block 4 of 6 (tile row 1, column 1).
        let (fx, fy) = (200, 40);
        let f = bad.src_byte_addr(fx, fy, 0);
        let fb = block_of(&bad, fx, fy, 0);
        let bench = fail_in_block(bad, vec![f..f + 1], EngineError::ReadBusError);
        // Blocks before the failing one are complete; it and every block
        // after it are untouched.
        for y in 0..bad.rows {
            for x in 0..bad.row_bytes {
                let a = bad.dst_byte_addr(x, y, 0);
                let s = bad.src_byte_addr(x, y, 0);
                let copied = bench.memory.mem.byte(a) == bench.memory.mem.byte(s);
                let b = block_of(&bad, x, y, 0);
                if b < fb {
                    assert!(
                        copied,
                        "{src:?}->{dst:?}: block {b} before the error incomplete"
                    );
                } else {
                    assert_eq!(
                        bench.memory.mem.byte(a),
                        common::GUARD_BYTE,
                        "{src:?}->{dst:?}: block {b} written after the error in block {fb}"
                    );
                }
            }
        }
    }
}

#[test]
fn write_error_mid_block() {
    for (src, dst) in [(Tiling::Tile4, Tiling::X), (Tiling::Linear, Tiling::Y)] {
        let bad = whole(src, dst, 0);
        let f = bad.dst_byte_addr(300, 50, 0);
        fail_in_block(bad, vec![f..f + 16], EngineError::WriteBusError);
    }
}

/// Near-misses of the eligibility rules take the piece path (one read
/// burst per 16-byte piece of the Y side), byte-exact; the unspoiled copy
/// takes block mode.
#[test]
fn near_misses_take_the_piece_path() {
    let y = Side {
        tiling: Tiling::Y,
        x: 0,
        extra: 0,
        base_beats: 0,
    };
    let lin = Side {
        tiling: Tiling::Linear,
        ..y.clone()
    };
    let x_side = Side {
        tiling: Tiling::X,
        ..y.clone()
    };
    for (src, spoil) in [
        (y.clone(), Spoil::None),
        (y.clone(), Spoil::Base),
        (y.clone(), Spoil::Rows),
        (y.clone(), Spoil::RowBytes),
        (y.clone(), Spoil::Place),
        (x_side, Spoil::Place),
        (lin, Spoil::Base),
    ] {
        let dst = if src.tiling == Tiling::Y {
            lin_side()
        } else {
            y.clone()
        };
        let d = build((src.clone(), dst, 4, 1, 1, spoil), 0);
        let cfg = MemoryConfig::default();
        let bench = run_and_check(verilated(64), cfg, &[d], 9)
            .unwrap_or_else(|e| panic!("{:?} {spoil:?}: {e}", src.tiling));
        let pieces = d.total_bytes() / 16;
        let bursts = bench.memory.stats().read_bursts;
        match spoil {
            Spoil::None => assert!(bursts < pieces / 8, "block mode: {bursts} bursts"),
            _ => assert!(
                bursts * 4 >= pieces,
                "{:?} {spoil:?}: {bursts} read bursts for {pieces} pieces: not the piece path",
                src.tiling
            ),
        }
    }
}

fn lin_side() -> Side {
    Side {
        tiling: Tiling::Linear,
        x: 0,
        extra: 0,
        base_beats: 0,
    }
}
