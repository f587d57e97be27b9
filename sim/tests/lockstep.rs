//! The engine in rust-hdl's own simulator and in Verilator, on the same
//! inputs, compared output by output every cycle, at both bus widths.

mod common;

use common::{linear, run_and_check};
use tiledma_contract::tiling::Tiling;
use tiledma_contract::{EngineDescriptor, EngineError, Layout, Placement};
use tiledma_sim::bench::EngineBench;
use tiledma_sim::lockstep::LockStep;
use tiledma_sim::memory::MemoryConfig;
use tiledma_sim::model::VerilatedEngine;
use tiledma_sim::native::NativeEngine;

/// Tile4 (placed mid-tile) to X (placed mid-tile), two slices crossing
/// tile rows and columns.
fn tiled(tag: u16) -> EngineDescriptor {
    let mut d = linear(0x40_0000, 0xb0_0000, 150, tag);
    d.rows = 10;
    d.slices = 2;
    d.src_row_pitch = 256;
    d.dst_row_pitch = 1024;
    d.src_slice_pitch = 2 * 32 * 256;
    d.dst_slice_pitch = 3 * 8 * 1024;
    d.layout = Layout {
        src: Placement {
            tiling: Tiling::Tile4,
            x: 99,
            y: 27,
        },
        dst: Placement {
            tiling: Tiling::X,
            x: 450,
            y: 3,
        },
    }
    .to_word();
    d
}

fn pair() -> LockStep<VerilatedEngine, NativeEngine<64, 8, 16>> {
    LockStep::new(VerilatedEngine::new(8), NativeEngine::default())
}

#[test]
fn native_and_verilated_agree_every_cycle() {
    let mut d = linear(0x10_0ff5, 0x80_0003, 37, 1);
    d.rows = 3;
    d.slices = 2;
    d.src_row_pitch = 41;
    d.dst_row_pitch = 60;
    d.src_slice_pitch = 200;
    d.dst_slice_pitch = 300;
    let descs = [
        d,
        linear(0x20_0001, 0x90_0ff0, 70, 2),
        linear(0x30_0000, 0xa0_0000, 16, 3),
        tiled(4),
    ];
    let cfg = MemoryConfig {
        read_latency: 5,
        backpressure: 0.3,
        seed: 9,
        ..Default::default()
    };
    run_and_check(pair(), cfg, &descs, 4).unwrap();
}

#[test]
#[allow(clippy::single_range_in_vec_init)] // one fault range is meant
fn native_and_verilated_agree_on_errors_and_reset() {
    let cfg = MemoryConfig {
        read_latency: 3,
        faults: vec![0x10_0010..0x10_0018],
        ..Default::default()
    };
    let mut bench = EngineBench::new(pair(), cfg);
    bench.submit(linear(0x10_0000, 0x80_0000, 100, 1));
    bench.submit(linear(0x20_0000, 0x80_1000, 30, 2));
    bench.run_until_idle(5_000).unwrap();
    let st = bench.take_statuses();
    assert_eq!(st[0].error, EngineError::ReadBusError);
    assert_eq!(st[1].error, EngineError::Ok);
    bench.submit(linear(0x20_0000, 0x80_2000, 300, 3));
    bench.step_n(20);
    bench.reset();
    bench.step_n(30);
}

/// The 64-byte build in lock step too (fewer cycles: rust-hdl's native
/// simulation of 512-bit signals is slow).
#[test]
fn native_and_verilated_agree_at_64_bytes_per_beat() {
    let pair = LockStep::new(
        VerilatedEngine::new(64),
        NativeEngine::<512, 64, 128>::default(),
    );
    let mut d = linear(0x10_0fc5, 0x80_0033, 150, 1);
    d.rows = 2;
    d.src_row_pitch = 200;
    d.dst_row_pitch = 190;
    let cfg = MemoryConfig {
        read_latency: 4,
        backpressure: 0.2,
        seed: 3,
        ..Default::default()
    };
    // Two block-mode copies (staging RAM, both slots): Tile4 → linear, two
    // tiles across; linear → Y, one tile.
    let block = |src: Tiling, dst: Tiling, across: u32, tag: u16| {
        let mut b = linear(
            0x40_0000 + tag as u64 * 0x1_0000,
            0xc0_0000 + tag as u64 * 0x1_0000,
            across * 128,
            tag,
        );
        b.rows = 32;
        b.src_row_pitch = across * 128 + 128;
        b.dst_row_pitch = across * 128 + 256;
        b.layout = Layout {
            src: Placement {
                tiling: src,
                x: 0,
                y: 0,
            },
            dst: Placement {
                tiling: dst,
                x: 0,
                y: 0,
            },
        }
        .to_word();
        b
    };
    let descs = [
        d,
        linear(0x20_0000, 0x90_0001, 64, 2),
        tiled(3),
        block(Tiling::Tile4, Tiling::Linear, 2, 4),
        block(Tiling::Linear, Tiling::Y, 1, 5),
    ];
    run_and_check(pair, cfg, &descs, 8).unwrap();
}
