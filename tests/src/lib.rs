//! Shared helpers of the system tests.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;
use tiledma::{Completion, Device, DeviceConfig, Event};
use tiledma_sim::card::CardConfig;

/// Guard bytes around every destination.
pub const GUARD: usize = 64;
/// Their value.
pub const GUARD_BYTE: u8 = 0xA5;
/// Longest wait for one command in a test.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// A simulated card with default rings.
pub fn device() -> Device {
    tiledma::open("sim", CardConfig::default()).expect("simulated card opens")
}

/// A simulated card with `cmd` command and `cpl` completion slots.
pub fn device_with_rings(cmd: u32, cpl: u32) -> Device {
    let config = DeviceConfig {
        command_entries: cmd,
        completion_entries: cpl,
        ..Default::default()
    };
    tiledma::open_with("sim", CardConfig::default(), config).expect("simulated card opens")
}

/// `n` random bytes from `seed`.
pub fn random_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    ChaCha8Rng::seed_from_u64(seed).fill(&mut v[..]);
    v
}

/// Waits for `ev`, failing the test on a hang.
pub fn wait(ev: &Event) -> Completion {
    ev.wait_timeout(TIMEOUT)
        .unwrap_or_else(|| panic!("command {} never completed", ev.cookie()))
}
