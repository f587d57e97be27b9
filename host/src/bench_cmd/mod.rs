//! `tiledma bench`: the performance figures of issue 11 on the simulated
//! card, in exact simulated cycles: the engine alone across sizes, layout
//! pairs, bus widths and read latencies; batched copies end to end; the
//! firmware's latency to the engine; simulator speed; host CPU per command.
//! Prints tables and the targets, and writes a chart.

mod card_runs;
mod chart;
mod engine_sweep;

use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::PathBuf;
use tiledma_contract::tiling::Tiling;

/// `tiledma bench` options.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Engine sweep: bytes per copy (suffix K or M), a 1024-byte-wide image each.
    #[arg(long, value_delimiter = ',', default_value = "4K,16K,64K,256K,1M", value_parser = parse_size)]
    sizes: Vec<u32>,
    /// Engine sweep: layout pairs as SRC-DST (linear, x, y, tile4), or `all`.
    #[arg(long, value_delimiter = ',', default_value = "all")]
    pairs: Vec<String>,
    /// Engine sweep: bus widths in bytes per beat (8, 64).
    #[arg(long, value_delimiter = ',', default_value = "8,64")]
    beats: Vec<usize>,
    /// Engine sweep: memory read latencies in cycles.
    #[arg(long, value_delimiter = ',', default_value = "128")]
    latencies: Vec<u64>,
    /// Card runs: bytes per copy of the batched runs.
    #[arg(long, value_delimiter = ',', default_value = "4K,64K", value_parser = parse_size)]
    batch_sizes: Vec<u32>,
    /// Card runs: copies per batch (at most the ring's 256).
    #[arg(long, default_value_t = 64)]
    commands: u32,
    /// Host CPU: commands timed, queued one by one and in batches of 64.
    #[arg(long, default_value_t = 1024)]
    cpu_commands: u32,
    /// Card runs: the engine bus's read latency in cycles.
    #[arg(long, default_value_t = 128)]
    card_latency: u64,
    /// Where to write the chart (SVG).
    #[arg(long, default_value = "target/bench/throughput.svg")]
    chart: PathBuf,
    /// Skip the engine sweep (card runs only).
    #[arg(long)]
    no_sweep: bool,
}

/// Runs the benchmark.
pub fn run(a: &BenchArgs) -> Result<()> {
    if a.commands == 0 || a.commands > 256 {
        bail!("--commands must be 1..=256 (the command ring holds 256)");
    }
    let pairs = parse_pairs(&a.pairs)?;
    let mut targets = Vec::new();
    if !a.no_sweep {
        let points = engine_sweep::run(&a.sizes, &pairs, &a.beats, &a.latencies)?;
        print_sweep(&points);
        targets.extend(sweep_targets(&points));
        if let Some(dir) = a.chart.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        chart::write(&points, &a.chart)?;
        println!("chart: {}\n", a.chart.display());
    }

    let mut sim = tiledma::sim_config(None);
    sim.engine_bus.read_latency = a.card_latency;
    let dev = tiledma::open("sim", sim).context("starting the simulated card")?;
    println!(
        "whole card (firmware on PicoRV32, 64 B/beat engine, read latency {}): linear host → host copies",
        a.card_latency
    );
    println!(
        "  {:>9} {:>8} {:>12} {:>14} {:>11} {:>8} {:>16}",
        "bytes", "copies", "cycles", "cycles/copy", "bytes/cycle", "of peak", "sim cycles/s"
    );
    let mut batches = Vec::new();
    for &bytes in &a.batch_sizes {
        let b = card_runs::batched(&dev, bytes, a.commands)?;
        println!(
            "  {:>9} {:>8} {:>12} {:>14.0} {:>11.2} {:>7.1}% {:>16.0}",
            b.bytes,
            b.commands,
            b.cycles,
            b.cycles_per_command(),
            b.bytes_per_cycle(),
            100.0 * b.bytes_per_cycle() / 64.0,
            b.sim_rate
        );
        batches.push(b);
    }
    let (first_read, done) = card_runs::single(&dev, 4096, 16)?;
    println!(
        "  one 4 KiB copy at a time (median of 16): doorbell → first engine read {first_read} cycles, \
         → completion written {done} cycles"
    );
    let (cpu_batched, cpu_single) = card_runs::host_cpu_per_command(&dev, a.cpu_commands, 64)?;
    println!(
        "  host CPU per enqueued command (waits excluded, {} commands): {:.2} µs batched 64 per doorbell, \
         {:.2} µs one per doorbell",
        a.cpu_commands,
        micros(cpu_batched),
        micros(cpu_single)
    );
    let busy_rate = batches.iter().map(|b| b.sim_rate).fold(0.0, f64::max);
    let idle = card_runs::idle_rate(&dev);
    let (verilator, native) = engine_sweep::simulator_speeds(16 * 1024)?;
    println!(
        "  simulator: whole card {busy_rate:.0} cycles/s copying, {idle:.0} idle; \
         engine alone (8 B/beat) Verilator {verilator:.0} vs rust-hdl {native:.0} cycles/s = {:.0}×\n",
        verilator / native
    );

    if let Some(b) = batches.iter().find(|b| b.bytes == 4096) {
        targets.push(Target::at_least(
            "4 KiB copies batched, end to end (of 64 B peak)",
            b.bytes_per_cycle() / 64.0,
            0.5,
        ));
    }
    targets.push(Target::at_most(
        "doorbell → first engine read, one command (cycles)",
        first_read as f64,
        500.0,
    ));
    targets.push(Target::at_least(
        "whole card simulated (cycles/s)",
        busy_rate,
        2e6,
    ));
    targets.push(Target::at_least(
        "Verilator ÷ rust-hdl, engine alone",
        verilator / native,
        30.0,
    ));
    targets.push(Target::at_most(
        "host CPU per enqueued command, one per doorbell (µs)",
        micros(cpu_single),
        2.0,
    ));
    println!("targets (issue 11):");
    for t in &targets {
        println!("  {t}");
    }
    Ok(())
}

fn micros(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn print_sweep(points: &[engine_sweep::Point]) {
    println!(
        "engine alone (Verilated, {} B wide images, placement at tile origin; cycles = descriptor start → status):",
        engine_sweep::WIDTH
    );
    println!(
        "  {:>4} {:>7} {:<7} {:<7} {:>9} {:>9} {:>11} {:>8} {:>9} {:>14}",
        "bus",
        "latency",
        "from",
        "to",
        "bytes",
        "cycles",
        "bytes/cycle",
        "of peak",
        "ceiling",
        "sim cycles/s"
    );
    for p in points {
        println!(
            "  {:>4} {:>7} {:<7} {:<7} {:>9} {:>9} {:>11.2} {:>7.1}% {:>8.1}% {:>14.0}",
            p.beat,
            p.latency,
            format!("{:?}", p.src),
            format!("{:?}", p.dst),
            p.bytes,
            p.cycles,
            p.bytes_per_cycle(),
            100.0 * p.of_peak(),
            100.0 * p.latency_ceiling(),
            p.sim_rate
        );
    }
    println!("  (ceiling: the best any engine does that waits out one read latency per copy)\n");
}

/// The engine target: the worst pair per bus width and latency, copies ≥ 64 KiB.
fn sweep_targets(points: &[engine_sweep::Point]) -> Vec<Target> {
    let mut keys: Vec<(usize, u64)> = points.iter().map(|p| (p.beat, p.latency)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|(beat, latency)| {
            let worst = points
                .iter()
                .filter(|p| p.beat == beat && p.latency == latency && p.bytes >= 64 * 1024)
                .min_by(|a, b| a.of_peak().total_cmp(&b.of_peak()))?;
            Some(Target::at_least(
                &format!(
                    "engine ≥ 64 KiB, {beat} B/beat, latency {latency}: worst pair {:?} → {:?} at {} B \
                     (one-latency ceiling {:.3})",
                    worst.src,
                    worst.dst,
                    worst.bytes,
                    worst.latency_ceiling()
                ),
                worst.of_peak(),
                0.95,
            ))
        })
        .collect()
}

/// A measured figure against its target.
struct Target {
    what: String,
    value: f64,
    goal: f64,
    higher_is_better: bool,
}

impl Target {
    fn at_least(what: &str, value: f64, goal: f64) -> Self {
        Self {
            what: what.into(),
            value,
            goal,
            higher_is_better: true,
        }
    }

    fn at_most(what: &str, value: f64, goal: f64) -> Self {
        Self {
            higher_is_better: false,
            ..Self::at_least(what, value, goal)
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let met = if self.higher_is_better {
            self.value >= self.goal
        } else {
            self.value <= self.goal
        };
        let (op, verdict) = match (self.higher_is_better, met) {
            (true, true) => ("≥", "met"),
            (false, true) => ("≤", "met"),
            (true, false) => ("≥", "MISSED"),
            (false, false) => ("≤", "MISSED"),
        };
        write!(
            f,
            "{:<6} {}: {} (target {op} {})",
            verdict,
            self.what,
            figure(self.value),
            figure(self.goal)
        )
    }
}

fn figure(v: f64) -> String {
    if v >= 1e5 {
        format!("{:.2} M", v / 1e6)
    } else if v >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

fn parse_size(s: &str) -> Result<u32, String> {
    let (num, mult) = match s.trim().to_ascii_uppercase() {
        t if t.ends_with('K') => (t.trim_end_matches('K').to_string(), 1024),
        t if t.ends_with('M') => (t.trim_end_matches('M').to_string(), 1 << 20),
        t => (t, 1),
    };
    let n: u32 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size like 4K or 1M"))?;
    let bytes = n.checked_mul(mult).ok_or(format!("{s:?} is too large"))?;
    if bytes == 0 || !bytes.is_multiple_of(engine_sweep::WIDTH) {
        return Err(format!("{s:?}: sizes must be whole multiples of 1 KiB"));
    }
    Ok(bytes)
}

fn parse_pairs(names: &[String]) -> Result<Vec<(Tiling, Tiling)>> {
    let tiling = |s: &str| match s {
        "linear" => Ok(Tiling::Linear),
        "x" => Ok(Tiling::X),
        "y" => Ok(Tiling::Y),
        "tile4" => Ok(Tiling::Tile4),
        _ => bail!("unknown layout {s:?} (linear, x, y, tile4)"),
    };
    if names.iter().any(|n| n == "all") {
        return Ok(Tiling::ALL
            .iter()
            .flat_map(|&s| Tiling::ALL.iter().map(move |&d| (s, d)))
            .collect());
    }
    names
        .iter()
        .map(|n| {
            let (s, d) = n
                .split_once('-')
                .with_context(|| format!("{n:?}: a pair is SRC-DST, e.g. linear-y"))?;
            Ok((tiling(s)?, tiling(d)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_k_and_m_suffixes_and_whole_kibibytes() {
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("1m"), Ok(1 << 20));
        assert_eq!(parse_size("2048"), Ok(2048));
        assert!(parse_size("100").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("5000000M").is_err());
        assert!(parse_size("four").is_err());
    }

    #[test]
    fn pairs_are_src_dst_or_all() {
        assert_eq!(parse_pairs(&["all".into()]).unwrap().len(), 16);
        assert_eq!(
            parse_pairs(&["linear-y".into(), "tile4-x".into()]).unwrap(),
            [(Tiling::Linear, Tiling::Y), (Tiling::Tile4, Tiling::X)]
        );
        assert!(parse_pairs(&["linear".into()]).is_err());
        assert!(parse_pairs(&["linear-z".into()]).is_err());
    }
}
