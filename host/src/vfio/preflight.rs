//! Before opening a device through VFIO: what the system must provide, and
//! when it does not, what to run to fix it. The kernel's own errors at that
//! point are bare errnos; these name the cause.

use std::path::{Path, PathBuf};

/// A PCI address `DDDD:BB:DD.F` (the domain may be left out: `BB:DD.F`).
pub fn parse_address(s: &str) -> Result<String, String> {
    let full = if s.matches(':').count() == 1 {
        format!("0000:{s}")
    } else {
        s.to_string()
    };
    let ok = full.len() == 12
        && full.char_indices().all(|(i, c)| match i {
            4 | 7 => c == ':',
            10 => c == '.',
            _ => c.is_ascii_hexdigit(),
        });
    if ok {
        Ok(full.to_ascii_lowercase())
    } else {
        Err(format!(
            "{s:?} is not a PCI address (DDDD:BB:DD.F, as `lspci -D` prints)"
        ))
    }
}

fn driver_of(dev: &Path) -> Option<String> {
    std::fs::read_link(dev.join("driver"))
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
}

/// Drivers a VFIO group may hold besides vfio-pci (the kernel's list).
const GROUP_FRIENDLY: [&str; 3] = ["vfio-pci", "pci-stub", "pcieport"];

/// Checks the device at `addr` is ready for VFIO; returns its sysfs path
/// and IOMMU group number.
pub fn check(addr: &str) -> Result<(PathBuf, u32), String> {
    let dev = Path::new("/sys/bus/pci/devices").join(addr);
    if !dev.exists() {
        return Err(format!(
            "no PCI device {addr} (`lspci -D -d 10ee:` lists the cards)"
        ));
    }
    let bind = format!(
        "bind it to vfio-pci:\n  modprobe vfio-pci\n  echo vfio-pci > /sys/bus/pci/devices/{addr}/driver_override\n  \
         echo {addr} > /sys/bus/pci/devices/{addr}/driver/unbind   # if bound elsewhere\n  \
         echo {addr} > /sys/bus/pci/drivers_probe"
    );
    match driver_of(&dev) {
        Some(d) if d == "vfio-pci" => {}
        Some(d) => return Err(format!("{addr} is bound to {d}, not vfio-pci; {bind}")),
        None => return Err(format!("{addr} has no driver; {bind}")),
    }
    let group: u32 = std::fs::read_link(dev.join("iommu_group"))
        .ok()
        .and_then(|p| p.file_name()?.to_str()?.parse().ok())
        .ok_or_else(|| {
            "the device has no IOMMU group: the IOMMU is off. Enable VT-d/AMD-Vi in the \
             firmware and boot with intel_iommu=on (or amd_iommu=on)"
                .to_string()
        })?;
    let members = Path::new("/sys/kernel/iommu_groups")
        .join(group.to_string())
        .join("devices");
    let mut blockers = Vec::new();
    for e in std::fs::read_dir(&members).map_err(|e| format!("{}: {e}", members.display()))? {
        let e = e.map_err(|e| e.to_string())?;
        if let Some(d) = driver_of(&e.path()) {
            if !GROUP_FRIENDLY.contains(&d.as_str()) {
                blockers.push(format!("{} ({d})", e.file_name().to_string_lossy()));
            }
        }
    }
    if !blockers.is_empty() {
        return Err(format!(
            "IOMMU group {group} is not viable: {} share it and are bound to other drivers; \
             bind them to vfio-pci too or unbind them",
            blockers.join(", ")
        ));
    }
    let node = Path::new("/dev/vfio").join(group.to_string());
    if !node.exists() {
        return Err(format!(
            "{} does not exist: is vfio-pci loaded? (modprobe vfio-pci)",
            node.display()
        ));
    }
    for p in [Path::new("/dev/vfio/vfio"), node.as_path()] {
        if let Err(e) = std::fs::OpenOptions::new().read(true).write(true).open(p) {
            return Err(format!(
                "cannot open {}: {e}; run as root or give your user the file \
                 (chown $USER {})",
                p.display(),
                p.display()
            ));
        }
    }
    Ok((dev, group))
}

/// The process's locked-memory limit in bytes (`None`: unlimited).
pub fn memlock_limit() -> Option<u64> {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: a plain query into a local.
    if unsafe { libc::getrlimit(libc::RLIMIT_MEMLOCK, &mut r) } != 0
        || r.rlim_cur == libc::RLIM_INFINITY
    {
        return None;
    }
    Some(r.rlim_cur)
}

/// What to say when the kernel refuses to pin `len` bytes.
pub fn explain_map_failure(err: &str, len: u64) -> String {
    match memlock_limit() {
        Some(limit) if err.contains("ENOMEM") || err.contains("Cannot allocate") => format!(
            "{err}: pinning {len} bytes exceeds RLIMIT_MEMLOCK ({limit} bytes); raise it \
             (`ulimit -l unlimited`, or memlock in /etc/security/limits.conf) or run as root"
        ),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(parse_address("00:04.0").unwrap(), "0000:00:04.0");
        assert_eq!(parse_address("0000:3B:00.1").unwrap(), "0000:3b:00.1");
        assert!(parse_address("sim").is_err());
        assert!(parse_address("0000:00:04").is_err());
        assert!(parse_address("0000:0g:04.0").is_err());
    }

    #[test]
    fn a_missing_device_is_named() {
        let e = check("ffff:ff:1f.7").unwrap_err();
        assert!(e.contains("no PCI device ffff:ff:1f.7"), "{e}");
    }
}
