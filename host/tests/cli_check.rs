//! `tiledma check` (the VM test's guest program) passes on the simulated
//! card in-process too: the same steps, without the kernel in between.

mod common;
use common::{tiledma_fails, tiledma_ok};

#[test]
fn check_passes_on_the_simulated_card() {
    let text = tiledma_ok(&["check"]);
    for step in [
        "demo copy",
        "map/unmap",
        "tiled copy",
        "unmapped IOVA",
        "interrupts",
    ] {
        assert!(
            text.contains(&format!("ok   {step}")),
            "step {step} missing:\n{text}"
        );
    }
    assert!(text.contains("PASS tiledma check"), "{text}");
}

#[test]
fn a_bad_device_name_says_what_is_accepted() {
    let err = tiledma_fails(&["--device", "board7", "info"]);
    assert!(err.contains("vfio:DDDD:BB:DD.F"), "{err}");
}

#[test]
fn a_missing_pci_device_is_named() {
    let err = tiledma_fails(&["--device", "vfio:ffff:ff:1f.7", "info"]);
    assert!(err.contains("no PCI device ffff:ff:1f.7"), "{err}");
}
