//! The firmware profile on the simulated card: copies put their cycles on
//! the firmware's command path, each cycle is counted once, and nothing is
//! counted once the profile is finished.

use tiledma::Copy3d;

mod common;
use common::sim_card;

#[test]
fn copies_are_counted_on_the_firmware_command_path() {
    let dev = sim_card();
    let n = 16 * 1024;
    let src = dev.alloc_dma(n).unwrap();
    let dst = dev.alloc_dma(n).unwrap();
    let before = dev.card_cycles();
    dev.start_firmware_profile();
    let batch: Vec<_> = (0..8u64)
        .map(|i| Copy3d::linear(src.iova() + i * 2048, dst.iova() + i * 2048, 2048))
        .collect();
    dev.run(&batch).unwrap();
    let profile = dev.finish_firmware_profile();
    let after = dev.card_cycles();

    let total = profile.total();
    assert!(total > 0, "no cycle counted");
    assert!(
        total <= after - before,
        "{total} cycles counted, only {} ran",
        after - before
    );
    let elf = tiledma::firmware::builtin_image();
    let by = profile.by_function(elf).unwrap();
    assert_eq!(by.iter().map(|f| f.cycles).sum::<u64>(), total);
    // Splitting records into descriptors and pushing them to the engine.
    let feed = by
        .iter()
        .find(|f| f.name.ends_with("Processor::feed"))
        .expect("cycles in Processor::feed");
    assert!(feed.cycles > 0);
    let report = profile.report(elf).unwrap();
    assert!(report.starts_with(&format!("firmware profile: {total} card cycles")));

    // Off: more copies add nothing.
    dev.run(&batch).unwrap();
    assert_eq!(dev.finish_firmware_profile().total(), 0);
}
