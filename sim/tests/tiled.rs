//! Tiled copies on the Verilated engine: every layout pair (linear, X, Y,
//! Tile4 on either side) with placements anywhere inside the first tile,
//! random regions, pitches and slices (proptest, fixed seed), at 8 and 64
//! bytes per beat with latency and back-pressure. Guard bytes surround every
//! destination piece; the oracle moves byte by byte through the tiling
//! formulas.

mod common;

use common::{run_and_check, verilated};
use proptest::prelude::*;
use tiledma_contract::tiling::Tiling;
use tiledma_contract::{EngineDescriptor, Layout, Placement};
use tiledma_sim::memory::MemoryConfig;

const SEED: [u8; 32] = *b"tiledma tiled engine proptest 01";

/// One side of a random case.
#[derive(Clone, Debug)]
struct SideShape {
    tiling: Tiling,
    /// Placement inside the first tile (reduced to the tile's size).
    x: u16,
    y: u8,
    /// Row pitch in tile widths (tiled) or extra bytes past the row (linear).
    pitch: u32,
    /// Byte offset of the base (tiled surfaces are usually 4 KiB-aligned;
    /// the engine does not need it).
    base_off: u64,
}

fn side() -> impl Strategy<Value = SideShape> {
    (
        prop::sample::select(Tiling::ALL.to_vec()),
        0u16..512,
        0u8..32,
        1u32..=4,
        prop_oneof![3 => Just(0u64), 1 => 0u64..4096],
    )
        .prop_map(|(tiling, x, y, pitch, base_off)| SideShape {
            tiling,
            x: (x as u64 % tiling.tile_width()) as u16,
            y: (y as u64 % tiling.tile_height()) as u8,
            pitch,
            base_off,
        })
}

/// Row pitch of a side for rows of `row_bytes`.
fn pitch_of(s: &SideShape, row_bytes: u32) -> u32 {
    if s.tiling == Tiling::Linear {
        row_bytes + s.pitch * 7
    } else {
        let tw = s.tiling.tile_width() as u32;
        (s.x as u32 + row_bytes).div_ceil(tw) * tw + (s.pitch - 1) * tw
    }
}

/// Bytes one slice of a side occupies (whole tile rows).
fn slice_of(s: &SideShape, pitch: u32, rows: u32) -> u64 {
    let th = s.tiling.tile_height() as u32;
    ((s.y as u32 + rows).div_ceil(th) * th) as u64 * pitch as u64
}

fn descriptor(
    (src, dst, row_bytes, rows, slices): (SideShape, SideShape, u32, u32, u32),
    k: u64,
) -> EngineDescriptor {
    let (sp, dp) = (pitch_of(&src, row_bytes), pitch_of(&dst, row_bytes));
    let place = |s: &SideShape| Placement {
        tiling: s.tiling,
        x: s.x,
        y: s.y,
    };
    EngineDescriptor {
        src_addr: 0x0040_0000 * (k + 1) + src.base_off,
        dst_addr: 0x4000_0000 + 0x0040_0000 * k + dst.base_off,
        src_row_pitch: sp,
        dst_row_pitch: dp,
        src_slice_pitch: slice_of(&src, sp, rows),
        dst_slice_pitch: slice_of(&dst, dp, rows) + 4096,
        row_bytes,
        rows,
        slices,
        tag: 0x200 + k as u16,
        layout: Layout {
            src: place(&src),
            dst: place(&dst),
        }
        .to_word(),
        ..Default::default()
    }
}

fn case() -> impl Strategy<Value = (SideShape, SideShape, u32, u32, u32)> {
    (
        side(),
        side(),
        prop_oneof![3 => 1u32..=150, 2 => 150u32..=700],
        1u32..=40,
        1u32..=2,
    )
}

/// One or two random tiled copies.
fn descriptors() -> impl Strategy<Value = Vec<EngineDescriptor>> {
    prop::collection::vec(case(), 1..=2).prop_map(|cases| {
        cases
            .into_iter()
            .enumerate()
            .map(|(k, c)| descriptor(c, k as u64))
            .collect()
    })
}

fn sweep(beat_bytes: usize, cases: u32) {
    common::sweep(&SEED, beat_bytes, cases, descriptors(), [1, 20, 130]);
}

#[test]
fn random_tiled_regions_8_bytes_per_beat() {
    sweep(8, 48);
}

#[test]
fn random_tiled_regions_64_bytes_per_beat() {
    sweep(64, 48);
}

/// All 16 layout pairs, each with an unaligned placement on both sides and
/// a region crossing tile columns and tile rows.
#[test]
fn every_layout_pair() {
    for w in [8, 64] {
        let mut descs = Vec::new();
        for (i, src) in Tiling::ALL.into_iter().enumerate() {
            for (j, dst) in Tiling::ALL.into_iter().enumerate() {
                let s = |tiling: Tiling, x: u64, y: u64| SideShape {
                    tiling,
                    x: (x % tiling.tile_width()) as u16,
                    y: (y % tiling.tile_height()) as u8,
                    pitch: 2,
                    base_off: 0,
                };
                let c = (s(src, 77, 29), s(dst, 205, 3), 600, 37, 2);
                descs.push(descriptor(c, (i * 4 + j) as u64));
            }
        }
        for chunk in descs.chunks(4) {
            let cfg = MemoryConfig {
                read_latency: 30,
                backpressure: 0.1,
                seed: w as u64,
                ..Default::default()
            };
            run_and_check(verilated(w), cfg, chunk, 11).unwrap();
        }
    }
}
