//! `tiledma bench` runs end to end on a small sweep: the engine table
//! (byte-exact runs), the card runs, the targets and the chart.

mod common;
use common::tiledma_ok;

#[test]
fn a_small_bench_prints_every_section_and_writes_the_chart() {
    let chart = std::env::temp_dir().join(format!("tiledma-bench-{}.svg", std::process::id()));
    let text = tiledma_ok(&[
        "bench",
        "--sizes",
        "4K,8K",
        "--pairs",
        "linear-y,x-linear",
        "--beats",
        "8,64",
        "--batch-sizes",
        "4K",
        "--commands",
        "8",
        "--cpu-commands",
        "64",
        "--chart",
        chart.to_str().expect("a UTF-8 temp path"),
    ]);
    // 2 sizes × 2 pairs × 2 bus widths.
    let rows = text
        .lines()
        .filter(|l| l.contains(" 128 Linear  Y ") || l.contains(" 128 X       Linear "))
        .count();
    assert_eq!(rows, 8, "{text}");
    for needle in [
        "whole card",
        "doorbell → first engine read",
        "host CPU per enqueued command",
        "Verilator ÷ rust-hdl",
        "targets (issue 11):",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
    let svg = std::fs::read_to_string(&chart).expect("chart written");
    assert!(
        svg.starts_with("<svg") && svg.contains("Linear → Y"),
        "{svg:.200}"
    );
    let _ = std::fs::remove_file(chart);
}
