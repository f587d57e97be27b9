//! Reset in the middle of a copy leaves the engine idle, its queues empty and
//! its counters zero; the next copy is byte-exact.

mod common;

use common::{linear, run_and_check, verilated};
use tiledma_sim::bench::EngineBench;
use tiledma_sim::memory::MemoryConfig;

#[test]
fn reset_mid_copy_then_copy_again() {
    for w in [8, 64] {
        let mut bench = EngineBench::new(
            verilated(w),
            MemoryConfig {
                read_latency: 40,
                ..Default::default()
            },
        );
        bench.submit(linear(0x10_0000, 0x80_0000, 50_000, 1));
        bench.submit(linear(0x20_0000, 0x90_0000, 50_000, 2));
        bench.step_n(500);
        assert!(bench.counters().busy_cycles > 0);
        bench.reset();
        bench.step_n(2);
        assert!(bench.idle(), "engine not idle after reset");
        assert_eq!(bench.counters(), Default::default());
        assert!(bench.take_statuses().is_empty());
        bench.step_n(100);
        assert!(
            bench.take_statuses().is_empty(),
            "a status appeared after reset"
        );
        // The engine still works: a fresh bench on the same model.
        let model = bench.model;
        run_and_check(
            model,
            MemoryConfig::default(),
            &[linear(0x30_0003, 0xa0_0009, 777, 3)],
            5,
        )
        .unwrap();
    }
}
