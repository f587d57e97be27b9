//! Host driver for the tiledma card.
//!
//! The card is reached through a [`transport::Transport`]: BAR0 MMIO, DMA
//! mappings at IOVAs and interrupts, exactly what VFIO gives a user-space
//! driver. [`device::Device`] loads the firmware onto the card's soft core,
//! sets up the command and completion rings in DMA memory and turns each
//! submitted command into an [`event::Event`].
//!
//! ```text
//! copy() ─▶ command record in the ring ─▶ doorbell (CMD_RING_TAIL)
//!        ◀─ event complete ◀─ completion record + interrupt
//! ```
#![deny(missing_docs)]

pub mod alloc;
pub mod cl;
pub mod convert;
pub mod copy;
pub mod device;
pub mod dma;
pub mod error;
pub mod event;
pub mod firmware;
pub mod transport;
pub mod vk;

pub use copy::{Copy3d, View};
pub use device::{Device, DeviceConfig};
pub use error::DeviceError;
pub use event::{Completion, Event};

use std::sync::Arc;

/// Opens a device by name: `sim` (the default) starts a simulated card.
pub fn open(name: &str, sim: tiledma_sim::card::CardConfig) -> Result<Device, DeviceError> {
    open_with(name, sim, DeviceConfig::default())
}

/// [`open`] with explicit ring sizes.
pub fn open_with(
    name: &str,
    sim: tiledma_sim::card::CardConfig,
    config: DeviceConfig,
) -> Result<Device, DeviceError> {
    match name {
        "sim" => {
            let t = transport::SimTransport::start(sim)
                .map_err(|e| DeviceError::Firmware(e.to_string()))?;
            Device::open(Arc::new(t), &firmware::builtin_image()?, config)
        }
        other => Err(DeviceError::UnknownDevice(other.into())),
    }
}
