//! Loading the firmware into the card: the ELF's loadable segments are
//! written through BAR0's firmware-RAM window while the soft core is held
//! in reset.

use crate::error::DeviceError;
use crate::transport::Transport;
use object::{Object, ObjectSegment};
use tiledma_contract::regs::{FW_RAM_BYTES, FW_RAM_WINDOW};

/// The firmware built with this driver (host/build.rs), carried in the
/// binary so that a copy of it runs anywhere (a board's host, a VM guest).
pub fn builtin_image() -> &'static [u8] {
    // The ELF parser reads headers in place: they need their alignment.
    #[repr(C, align(8))]
    struct Aligned<T: ?Sized>(T);
    static IMAGE: &Aligned<[u8]> = &Aligned(*include_bytes!(env!("TILEDMA_FIRMWARE_ELF")));
    &IMAGE.0
}

/// Writes every loadable segment of `elf` into the firmware RAM. Returns
/// the bytes written.
pub fn load(t: &dyn Transport, elf: &[u8]) -> Result<u64, DeviceError> {
    let file = object::File::parse(elf).map_err(|e| DeviceError::Firmware(e.to_string()))?;
    if file.entry() != 0 {
        return Err(DeviceError::Firmware(format!(
            "entry point {:#x}, the core starts at 0",
            file.entry()
        )));
    }
    let mut written = 0;
    for seg in file.segments() {
        let data = seg
            .data()
            .map_err(|e| DeviceError::Firmware(e.to_string()))?;
        let addr = seg.address();
        if data.is_empty() {
            continue;
        }
        if addr % 4 != 0 || addr + data.len() as u64 > FW_RAM_BYTES as u64 {
            return Err(DeviceError::Firmware(format!(
                "segment {addr:#x}+{:#x} does not fit the {FW_RAM_BYTES:#x}-byte RAM",
                data.len()
            )));
        }
        for (i, chunk) in data.chunks(4).enumerate() {
            let mut w = [0u8; 4];
            w[..chunk.len()].copy_from_slice(chunk);
            t.write32(
                FW_RAM_WINDOW + addr as u32 + 4 * i as u32,
                u32::from_le_bytes(w),
            );
        }
        written += data.len() as u64;
    }
    Ok(written)
}
