//! Faults injected into the running simulated card (real firmware, real
//! engine): bus errors on random beats, long memory stalls, a card that
//! stops answering. Each command ends exactly once; a failed one with an
//! error status and no garbage written; the others byte-exact; the driver
//! recovers a hung card without a restart of the process.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;
use std::time::Duration;
use tiledma::transport::SimTransport;
use tiledma::{Copy3d, Device, DeviceConfig};
use tiledma_contract::CompletionStatus;
use tiledma_sim::card::{CardConfig, CardFaults};
use tiledma_sim::memory::Injected;
use tiledma_system_tests::{wait, GUARD, GUARD_BYTE};

fn card(config: DeviceConfig) -> (Arc<SimTransport>, Device) {
    let t = Arc::new(SimTransport::start(CardConfig::default()).expect("card starts"));
    let dev = Device::open(t.clone(), tiledma::firmware::builtin_image(), config).expect("opens");
    (t, dev)
}

/// `n` random copies between host buffers, each into its own guarded slot;
/// returns how many completed Ok and how many failed (Read/WriteFault).
/// Every destination is checked: an Ok copy is exact; a failed one left
/// each byte either as it was or as the copy would have made it; no guard
/// byte changed.
fn copies(dev: &Device, seed: u64, n: usize) -> (usize, usize) {
    const SLOT: usize = 8192 + 2 * GUARD;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let src = dev.alloc_dma(n * 8192).unwrap();
    let dst = dev.alloc_dma(n * SLOT).unwrap();
    let data: Vec<u8> = (0..n * 8192).map(|_| rng.gen()).collect();
    src.write(0, &data);
    dst.write(0, &vec![GUARD_BYTE; n * SLOT]);
    let plan: Vec<(usize, usize, usize)> = (0..n)
        .map(|i| {
            let len = rng.gen_range(1..=8192usize);
            let from = i * 8192 + rng.gen_range(0..=8192 - len);
            let to = i * SLOT + GUARD + rng.gen_range(0..=8192 - len);
            (from, to, len)
        })
        .collect();
    let batch: Vec<Copy3d> = plan
        .iter()
        .map(|&(f, t, l)| Copy3d::linear(src.iova() + f as u64, dst.iova() + t as u64, l as u32))
        .collect();
    let events = dev.copy_batch(&batch).unwrap();
    let out = {
        for e in &events {
            wait(e);
        }
        dst.to_vec()
    };
    let (mut ok, mut failed) = (0, 0);
    for (i, (&(from, to, len), e)) in plan.iter().zip(&events).enumerate() {
        let status = e.status().unwrap().status;
        let slot = &out[i * SLOT..(i + 1) * SLOT];
        let (start, end) = (to - i * SLOT, to - i * SLOT + len);
        assert!(
            slot[..start]
                .iter()
                .chain(&slot[end..])
                .all(|&b| b == GUARD_BYTE),
            "copy {i}: guard bytes changed ({status:?})"
        );
        match status {
            CompletionStatus::Ok => {
                assert_eq!(&slot[start..end], &data[from..from + len], "copy {i} wrong");
                ok += 1;
            }
            CompletionStatus::ReadFault | CompletionStatus::WriteFault => {
                for (k, &b) in slot[start..end].iter().enumerate() {
                    assert!(
                        b == GUARD_BYTE || b == data[from + k],
                        "copy {i} ({status:?}) wrote garbage at byte {k}"
                    );
                }
                failed += 1;
            }
            other => panic!("copy {i}: unexpected status {other:?}"),
        }
    }
    (ok, failed)
}

#[test]
fn bus_errors_on_random_beats_fail_only_their_commands() {
    let (t, dev) = card(DeviceConfig::default());
    t.card().inject(CardFaults {
        engine: Injected {
            error_rate: 0.002,
            ..Default::default()
        },
        hang: false,
    });
    let (ok, failed) = copies(&dev, 1, 300);
    let injected = t.card().fault_counts().errors;
    assert_eq!(ok + failed, 300, "every command completes exactly once");
    assert!(failed > 0 && ok > 0, "ok {ok}, failed {failed}");
    assert!(
        injected >= failed as u64,
        "{injected} errors injected, {failed} commands failed"
    );
    // Without faults the same card is exact again.
    t.card().inject(CardFaults::default());
    assert_eq!(copies(&dev, 2, 100), (100, 0));
    println!("bus errors: {injected} injected, {failed} of 300 commands failed, {ok} exact");
}

#[test]
fn long_memory_stalls_only_slow_things_down() {
    let (t, dev) = card(DeviceConfig::default());
    t.card().inject(CardFaults {
        engine: Injected {
            stall_rate: 0.05,
            stall_cycles: 5000,
            ..Default::default()
        },
        hang: false,
    });
    assert_eq!(copies(&dev, 3, 200), (200, 0));
    let stalls = t.card().fault_counts().stalls;
    assert!(stalls > 0);
    println!("stalls: {stalls} bursts held 5000 cycles, 200 of 200 commands exact");
}

#[test]
fn a_hung_card_is_reset_and_its_commands_fail_once() {
    let config = DeviceConfig {
        command_timeout: Duration::from_millis(500),
        ..Default::default()
    };
    let (t, dev) = card(config);
    assert_eq!(copies(&dev, 4, 20), (20, 0));
    t.card().inject(CardFaults {
        hang: true,
        ..Default::default()
    });
    let src = dev.alloc_dma(4096).unwrap();
    let card_mem = dev.alloc_card(4096).unwrap();
    let batch = vec![Copy3d::linear(src.iova(), card_mem.addr(), 4096); 16];
    let events = dev.copy_batch(&batch).unwrap();
    for e in &events {
        let c = e
            .wait_timeout(Duration::from_secs(30))
            .expect("the host's timeout turns a dead card into an error");
        assert_eq!(c.status, CompletionStatus::DeviceLost);
    }
    assert_eq!(dev.recoveries(), (1, 16));
    // The reset revived the card: the same process goes on, byte-exact.
    assert_eq!(copies(&dev, 5, 50), (50, 0));
    println!("hang: 16 commands lost once each, 1 recovery, 50 exact after it");
}

#[test]
fn recovery_on_request_keeps_buffers_and_later_commands_working() {
    let (_t, dev) = card(DeviceConfig::default());
    assert_eq!(copies(&dev, 6, 10), (10, 0));
    dev.recover().unwrap();
    dev.recover().unwrap();
    assert_eq!(dev.recoveries(), (2, 0));
    // Ring positions start over; cookies do not repeat.
    assert_eq!(copies(&dev, 7, 300), (300, 0));
}
