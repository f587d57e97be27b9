//! Soak: many small commands through the rings (wrapping hundreds of times)
//! from several threads at once, every destination byte checked after
//! every batch against a host model of what the copies must leave, and
//! the counts of submitted and completed commands equal.
//!
//! `TILEDMA_SOAK_COMMANDS` sets the total (default 100 000: the firmware
//! spends ~5 900 card cycles per command, so this is the longest test).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tiledma::{Copy3d, Device};
use tiledma_contract::CompletionStatus;
use tiledma_system_tests::{device, env_count, wait};

const THREADS: usize = 4;
const BATCH: usize = 64;
const BUF: usize = 64 * 1024;

fn worker(dev: &Device, seed: u64, commands: usize, completed: &AtomicU64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let src = dev.alloc_dma(BUF).unwrap();
    let dst = dev.alloc_dma(BUF).unwrap();
    let data: Vec<u8> = (0..BUF).map(|_| rng.gen()).collect();
    src.write(0, &data);
    let mut model = vec![0u8; BUF];
    dst.write(0, &model);
    let mut left = commands;
    while left > 0 {
        let n = left.min(BATCH);
        // Copies into disjoint destination slots, so the order in which the
        // card runs them does not matter to the model.
        let slot = BUF / n;
        let batch: Vec<Copy3d> = (0..n)
            .map(|i| {
                let len = rng.gen_range(1..=slot.min(1024));
                let from = rng.gen_range(0..=BUF - len);
                let to = i * slot + rng.gen_range(0..=slot - len);
                model[to..to + len].copy_from_slice(&data[from..from + len]);
                Copy3d::linear(src.iova() + from as u64, dst.iova() + to as u64, len as u32)
            })
            .collect();
        for e in dev.copy_batch(&batch).unwrap() {
            assert_eq!(wait(&e).status, CompletionStatus::Ok);
            completed.fetch_add(1, Ordering::Relaxed);
        }
        let got = dst.to_vec();
        if let Some(i) = (0..BUF).find(|&i| got[i] != model[i]) {
            panic!(
                "thread {seed}: byte {i:#x} is {:#04x}, the model says {:#04x}",
                got[i], model[i]
            );
        }
        left -= n;
    }
}

#[test]
fn soak_many_commands_from_several_threads() {
    let total: usize = env_count("TILEDMA_SOAK_COMMANDS", 100_000);
    let dev = Arc::new(device());
    let completed = Arc::new(AtomicU64::new(0));
    let cycles0 = dev.card_cycles();
    let started = std::time::Instant::now();
    let threads: Vec<_> = (0..THREADS)
        .map(|k| {
            let (dev, completed) = (dev.clone(), completed.clone());
            std::thread::spawn(move || worker(&dev, k as u64, total / THREADS, &completed))
        })
        .collect();
    for t in threads {
        t.join().expect("a soak thread failed");
    }
    let submitted = (total / THREADS * THREADS) as u64;
    assert_eq!(completed.load(Ordering::Relaxed), submitted);
    let t = dev.transport();
    use tiledma_contract::regs::{CMD_RING_HEAD, CPL_RING_HEAD, FW_REJECTED};
    // The firmware's own counters (ring positions, mod 2^32) agree.
    assert_eq!(t.read32(CMD_RING_HEAD) as u64, submitted);
    assert_eq!(t.read32(CPL_RING_HEAD) as u64, submitted);
    assert_eq!(t.read32(FW_REJECTED), 0);
    let cycles = dev.card_cycles() - cycles0;
    println!(
        "soak: {submitted} commands from {THREADS} threads, {} ring wraps, all byte-exact, \
         0 lost; {cycles} card cycles ({:.0} per command), {:.1} s",
        submitted / 256,
        cycles as f64 / submitted as f64,
        started.elapsed().as_secs_f64()
    );
}
