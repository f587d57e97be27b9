//! The whole card (firmware on the soft core, engine, rings) driven through
//! the driver, timed in card cycles from its own trace: batched copies end
//! to end, one command's latency to the engine, and the host's CPU time per
//! enqueued command.

use anyhow::{bail, ensure, Result};
use rand::{RngCore, SeedableRng};
use std::time::{Duration, Instant};
use tiledma::trace::{median, CommandSpan, HostMarkKind, Timeline};
use tiledma::{Copy3d, Device};
use tiledma_contract::CompletionStatus;

/// Copies run behind one doorbell and timed as a whole.
#[derive(Clone, Copy, Debug)]
pub struct Batch {
    /// Bytes per copy.
    pub bytes: u32,
    /// Copies.
    pub commands: u32,
    /// Card cycles from the doorbell to the last completion record written.
    pub cycles: u64,
    /// Card cycles simulated per wall-clock second meanwhile.
    pub sim_rate: f64,
}

impl Batch {
    /// Card cycles per command.
    pub fn cycles_per_command(&self) -> f64 {
        self.cycles as f64 / self.commands as f64
    }

    /// Bytes per card cycle, doorbell to last completion.
    pub fn bytes_per_cycle(&self) -> f64 {
        self.bytes as f64 * self.commands as f64 / self.cycles as f64
    }
}

fn all_ok(events: Vec<tiledma::Event>) -> Result<()> {
    for e in events {
        let c = e.wait();
        ensure!(
            c.status == CompletionStatus::Ok,
            "copy failed: {:?}",
            c.status
        );
    }
    Ok(())
}

/// `commands` linear host → host copies of `bytes` each, all queued behind
/// one doorbell; the destination is checked byte for byte.
pub fn batched(dev: &Device, bytes: u32, commands: u32) -> Result<Batch> {
    let n = bytes as usize * commands as usize;
    let src = dev.alloc_dma(n)?;
    let dst = dev.alloc_dma(n)?;
    let mut data = vec![0u8; n];
    rand_chacha::ChaCha8Rng::seed_from_u64(bytes as u64).fill_bytes(&mut data);
    src.write(0, &data);
    let copies: Vec<_> = (0..commands as u64)
        .map(|i| {
            let off = i * bytes as u64;
            Copy3d::linear(src.iova() + off, dst.iova() + off, bytes)
        })
        .collect();
    dev.start_trace();
    let (c0, t0) = (dev.transport().cycles_now(), Instant::now());
    all_ok(dev.copy_batch(&copies)?)?;
    let sim_rate = (dev.transport().cycles_now() - c0) as f64 / t0.elapsed().as_secs_f64();
    let timeline = dev.finish_trace();
    ensure!(dst.to_vec() == data, "batched copies are not byte-exact");
    let spans = timeline.commands();
    let rung = doorbells(&timeline).first().copied();
    let last = spans.iter().filter_map(|s| s.completion_written).max();
    let (Some(rung), Some(last)) = (rung, last) else {
        bail!("the trace lacks the doorbell or the completions");
    };
    Ok(Batch {
        bytes,
        commands,
        cycles: last - rung,
        sim_rate,
    })
}

fn doorbells(t: &Timeline) -> Vec<u64> {
    t.host
        .iter()
        .filter(|m| matches!(m.kind, HostMarkKind::Doorbell { .. }))
        .map(|m| m.cycle)
        .collect()
}

/// One command at a time on an idle card: the median card cycles from the
/// doorbell to the engine's first read, and to the completion record.
pub fn single(dev: &Device, bytes: u32, commands: u32) -> Result<(u64, u64)> {
    let src = dev.alloc_dma(bytes as usize)?;
    let dst = dev.alloc_dma(bytes as usize)?;
    dev.start_trace();
    for _ in 0..commands {
        all_ok(vec![dev.copy(&Copy3d::linear(
            src.iova(),
            dst.iova(),
            bytes,
        ))?])?;
    }
    let spans = dev.finish_trace().commands();
    let first_read = median(&spans, CommandSpan::doorbell_to_first_read);
    let done = median(&spans, |s| Some(s.completion_written? - s.doorbell?));
    match (first_read, done) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => bail!("the trace lacks the engine's reads or the completions"),
    }
}

/// This thread's CPU time.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid timespec for the call to fill.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "CLOCK_THREAD_CPUTIME_ID");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Host CPU time per enqueued command, waiting for the card excluded:
/// (`batch` queued behind one doorbell, `batch` queued each with its own
/// doorbell), over `commands` commands.
pub fn host_cpu_per_command(
    dev: &Device,
    commands: u32,
    batch: u32,
) -> Result<(Duration, Duration)> {
    let src = dev.alloc_dma(4096)?;
    let dst = dev.alloc_dma(4096)?;
    let copy = Copy3d::linear(src.iova(), dst.iova(), 64);
    let copies = vec![copy; batch as usize];
    let (mut batched, mut single) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..commands / batch {
        let t = thread_cpu();
        let events = dev.copy_batch(&copies)?;
        batched += thread_cpu() - t;
        all_ok(events)?;
    }
    for _ in 0..commands / batch {
        // Each command rung on its own; the clock read once per round, as
        // a clock read costs about as much as what it measures.
        let t = thread_cpu();
        let events = (0..batch)
            .map(|_| dev.copy(&copy))
            .collect::<Result<Vec<_>, _>>()?;
        single += thread_cpu() - t;
        all_ok(events)?;
    }
    let per = |d: Duration, n: u32| d / n.max(1);
    Ok((
        per(batched, commands / batch * batch),
        per(single, commands),
    ))
}

/// Card cycles per wall-clock second with nothing to do (soft core polling).
pub fn idle_rate(dev: &Device) -> f64 {
    let (c0, t0) = (dev.transport().cycles_now(), Instant::now());
    std::thread::sleep(Duration::from_secs(1));
    (dev.transport().cycles_now() - c0) as f64 / t0.elapsed().as_secs_f64()
}
