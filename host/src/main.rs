//! `tiledma`: identity, counters, a demo copy through the whole spine, and
//! layout conversion of raw image files on the card.

#[cfg(feature = "sim")]
mod bench_cmd;
mod check_cmd;
mod cl_demo_cmd;
mod convert_cmd;
mod vk_demo_cmd;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use rand::{RngCore, SeedableRng};
use std::path::PathBuf;
use tiledma::{Copy3d, Device};
use tiledma_contract::regs::*;
use tiledma_contract::CompletionStatus;

#[derive(Parser)]
#[command(
    name = "tiledma",
    about = "Drive a tiledma copy/tiling DMA card",
    version
)]
struct Cli {
    /// Device: `sim` (a simulated card, the default),
    /// `vfio:DDDD:BB:DD.F` (a card bound to vfio-pci) or
    /// `uart:/dev/ttyUSB0[@BAUD]` (an ECP5 board over its USB serial port).
    #[arg(long, global = true, default_value = "sim")]
    device: String,
    /// Simulated card only: write a VCD waveform of the whole card here.
    #[arg(long, global = true)]
    vcd: Option<PathBuf>,
    /// Write a per-command timeline of the run here (Chrome trace JSON: open it
    /// in ui.perfetto.dev or chrome://tracing; 1 µs shown = 1 card cycle).
    /// Card-side events need the simulated card.
    #[arg(long, global = true)]
    trace: Option<PathBuf>,
    /// Simulated card only: count every card cycle of the run against the
    /// firmware instruction the soft core is running, and write the profile
    /// here (cycles per function, hottest addresses) with the firmware's ELF
    /// next to it as FILE.elf (`llvm-objdump -d -l FILE.elf` gives the lines).
    #[arg(long, global = true)]
    fw_profile: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Identity, version, capabilities, firmware state and counters.
    Info,
    /// Copy host → card memory → host through firmware and engine, verify, report cycles.
    Demo {
        /// Bytes to copy.
        #[arg(long, default_value_t = 65536)]
        bytes: u32,
        /// Small commands to time for the firmware's per-command cost.
        #[arg(long, default_value_t = 64)]
        commands: u32,
    },
    /// Transport check for a board or VM: demo copy, map/unmap cycles, a
    /// tiled copy against the tiling math, a copy from an unmapped IOVA
    /// (must fail, harmlessly), interrupts. Exits non-zero on any failure.
    Check,
    /// Convert a raw image file between layouts (linear, x, y, tile4) on the card.
    Convert(Box<convert_cmd::ConvertArgs>),
    /// The OpenCL memory API on the card: write, map, copy and fill an image
    /// (device from TILEDMA_DEVICE, default the simulated card).
    ClDemo(cl_demo_cmd::ClDemoArgs),
    /// Vulkan host image copy on the card: levels written and read with
    /// padded host rows, then a MEMCPY copy into a second image.
    VkDemo(vk_demo_cmd::VkDemoArgs),
    /// Performance on the simulated card: engine sweep (size × layout pair ×
    /// bus width × latency), batched copies end to end, firmware latency,
    /// simulator speed, host CPU per command; tables, targets and a chart.
    #[cfg(feature = "sim")]
    Bench(Box<bench_cmd::BenchArgs>),
}

fn open(cli: &Cli) -> Result<Device> {
    let sim = tiledma::sim_config(cli.vcd.clone());
    tiledma::open(&cli.device, sim).with_context(|| format!("opening device {:?}", cli.device))
}

fn info(dev: &Device) {
    let t = dev.transport();
    let caps = t.read32(CAPS);
    let ver = |v: u32| format!("{}.{}", v >> 16, v & 0xffff);
    println!("device:        {}", t.describe());
    println!(
        "id:            {:#010x} ({})",
        t.read32(ID),
        if t.read32(ID) == ID_VALUE {
            "tiledma"
        } else {
            "unknown"
        }
    );
    println!("hw version:    {}", ver(t.read32(VERSION)));
    println!("engine:        {} bytes per beat", 1u32 << (caps & 0xff));
    println!("card memory:   {} MiB", caps >> 16);
    println!(
        "firmware:      {} (status {:#x})",
        ver(t.read32(FW_VERSION)),
        t.read32(FW_STATUS)
    );
    println!(
        "commands:      {} fetched, {} completed, {} rejected",
        t.read32(CMD_RING_HEAD),
        t.read32(CPL_RING_HEAD),
        t.read32(FW_REJECTED)
    );
    println!("card cycles:   {}", dev.card_cycles());
    let names = ["busy cycles", "bytes moved", "descriptors", "stall cycles"];
    for (i, n) in names.iter().enumerate() {
        println!(
            "engine {n:<13} {}",
            dev.read64(ENGINE_COUNTERS + 8 * i as u32)
        );
    }
}

fn demo(dev: &Device, bytes: u32, commands: u32) -> Result<()> {
    let n = bytes as usize;
    let mut data = vec![0u8; n];
    rand_chacha::ChaCha8Rng::seed_from_u64(7).fill_bytes(&mut data);
    // Host → card memory (3 bytes in, to show byte granularity), then back;
    // doorbell → completion of the way back in card cycles.
    let (back_c, rung_at) = check_cmd::round_trip(dev, &data, 3)?;
    let src = dev.alloc_dma(n)?;
    let card = dev.alloc_card(n as u64)?;
    let doorbell_to_completion = back_c.record.done_at - rung_at;
    println!("copied {bytes} B host → card memory → host: verified byte-exact, guard bytes intact");
    println!(
        "  card → host copy: {doorbell_to_completion} cycles doorbell → completion \
         ({} in firmware from fetch to completion, {} engine descriptors)",
        back_c.firmware_cycles(),
        back_c.record.descriptors
    );
    println!(
        "  = {:.2} bytes/cycle doorbell → completion",
        bytes as f64 / doorbell_to_completion as f64
    );

    // Firmware cost per command: one-beat copies, first one at a time, then
    // all queued at once.
    let small = 64u64;
    let copy_at = |i: u32| {
        Copy3d::linear(
            src.iova() + (i as u64 * small) % bytes as u64,
            card.addr(),
            small as u32,
        )
    };
    let busy = |d: &Device| d.read64(ENGINE_COUNTERS);
    let mut serial = Vec::new();
    let mut engine = Vec::new();
    for i in 0..commands {
        let b0 = busy(dev);
        let c = dev.copy(&copy_at(i))?.wait();
        if c.status != CompletionStatus::Ok {
            bail!("small copy failed: {:?}", c.status);
        }
        serial.push(c.firmware_cycles());
        engine.push(busy(dev) - b0);
    }
    serial.sort_unstable();
    engine.sort_unstable();
    let batch: Vec<_> = (0..commands).map(copy_at).collect();
    let events = dev.copy_batch(&batch)?;
    let done: Vec<_> = events.iter().map(|e| e.wait()).collect();
    if let Some(c) = done.iter().find(|c| c.status != CompletionStatus::Ok) {
        bail!("small copy failed: {:?}", c.status);
    }
    let first = done.iter().map(|c| c.record.done_at).min().unwrap_or(0);
    let last = done.iter().map(|c| c.record.done_at).max().unwrap_or(0);
    let mid = commands as usize / 2;
    println!(
        "{commands} copies of {small} B one at a time: median {} cycles fetch → completion, \
         of which the engine was busy {} (firmware ≈ {} cycles per command)",
        serial[mid],
        engine[mid],
        serial[mid].saturating_sub(engine[mid])
    );
    println!(
        "{commands} copies of {small} B behind one doorbell: one completion every {:.0} cycles",
        (last - first) as f64 / (commands.max(2) - 1) as f64
    );
    Ok(())
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::ClDemo(args) = &cli.command {
        // The OpenCL platform opens its own card.
        return cl_demo_cmd::run(args);
    }
    #[cfg(feature = "sim")]
    if let Command::Bench(args) = &cli.command {
        // Simulated cards of its own, with the latencies it sweeps.
        if cli.device != "sim" {
            bail!("bench runs on the simulated card only (cycle counts are exact there)");
        }
        return bench_cmd::run(args);
    }
    let dev = std::sync::Arc::new(open(&cli)?);
    if cli.trace.is_some() {
        dev.start_trace();
    }
    if cli.fw_profile.is_some() {
        dev.start_firmware_profile();
    }
    match cli.command {
        Command::Info => info(&dev),
        Command::Demo { bytes, commands } => {
            demo(&dev, bytes, commands)?;
            println!();
            info(&dev);
        }
        Command::Check => check_cmd::run(&dev)?,
        Command::Convert(args) => convert_cmd::run(&dev, &args)?,
        Command::VkDemo(args) => vk_demo_cmd::run(dev.clone(), &args)?,
        Command::ClDemo(_) => unreachable!("handled above"),
        #[cfg(feature = "sim")]
        Command::Bench(_) => unreachable!("handled above"),
    }
    if let Some(path) = &cli.trace {
        write_trace(&dev, path)?;
    }
    if let Some(path) = &cli.fw_profile {
        write_firmware_profile(&dev, path)?;
    }
    Ok(())
}

/// Writes the firmware profile and the ELF it refers to; prints the top functions.
fn write_firmware_profile(dev: &Device, path: &std::path::Path) -> Result<()> {
    let profile = dev.finish_firmware_profile();
    if profile.total() == 0 {
        bail!("--fw-profile: this device cannot count the soft core's cycles (the simulated card can)");
    }
    let elf = tiledma::firmware::builtin_image();
    let report = profile.report(elf).map_err(anyhow::Error::msg)?;
    std::fs::write(path, &report).with_context(|| format!("writing {}", path.display()))?;
    let elf_path = path.with_extension("elf");
    std::fs::write(&elf_path, elf).with_context(|| format!("writing {}", elf_path.display()))?;
    println!(
        "firmware profile: {} cycles → {} (ELF: {})",
        profile.total(),
        path.display(),
        elf_path.display()
    );
    for f in profile
        .by_function(elf)
        .map_err(anyhow::Error::msg)?
        .iter()
        .take(5)
    {
        println!(
            "  {:>5.1} %  {}",
            100.0 * f.cycles as f64 / profile.total() as f64,
            f.name
        );
    }
    Ok(())
}

/// Writes the timeline and prints the median of each stage.
fn write_trace(dev: &Device, path: &std::path::Path) -> Result<()> {
    let timeline = dev.finish_trace();
    let json = serde_json::to_vec(&timeline.chrome_json())?;
    std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
    let spans = timeline.commands();
    println!(
        "trace: {} commands, {} card events → {}",
        spans.len(),
        timeline.card.len(),
        path.display()
    );
    for (name, stage) in tiledma::trace::STAGES {
        if let Some(m) = tiledma::trace::median(&spans, stage) {
            println!("  median {name}: {m} cycles");
        }
    }
    Ok(())
}
