//! `tiledma check` (the VM test's guest program) passes on the simulated
//! card in-process too: the same steps, without the kernel in between.

use std::process::Command;

#[test]
fn check_passes_on_the_simulated_card() {
    let out = Command::new(env!("CARGO_BIN_EXE_tiledma"))
        .arg("check")
        .output()
        .expect("tiledma runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
    let out = Command::new(env!("CARGO_BIN_EXE_tiledma"))
        .args(["--device", "board7", "info"])
        .output()
        .expect("tiledma runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("vfio:DDDD:BB:DD.F"), "{err}");
}

#[test]
fn a_missing_pci_device_is_named() {
    let out = Command::new(env!("CARGO_BIN_EXE_tiledma"))
        .args(["--device", "vfio:ffff:ff:1f.7", "info"])
        .output()
        .expect("tiledma runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no PCI device ffff:ff:1f.7"), "{err}");
}
