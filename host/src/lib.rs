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
pub mod fw_profile;
pub mod trace;
pub mod transport;
pub mod uart;
pub mod vfio;
pub mod vk;

pub use copy::{Copy3d, View};
pub use device::{Device, DeviceConfig};
pub use error::DeviceError;
pub use event::{Completion, Event};

use std::sync::Arc;

/// Settings of the simulated card.
#[cfg(feature = "sim")]
pub use tiledma_sim::card::CardConfig as SimConfig;

/// Settings of the simulated card, which this build (without the `sim`
/// feature) does not have: only `vfio:` devices open.
#[cfg(not(feature = "sim"))]
#[derive(Clone, Debug, Default)]
pub struct SimConfig {
    /// Where a VCD waveform would go.
    pub vcd: Option<std::path::PathBuf>,
}

/// Simulated-card settings: the defaults, with a VCD waveform if `vcd`.
pub fn sim_config(vcd: Option<std::path::PathBuf>) -> SimConfig {
    #[cfg(feature = "sim")]
    return SimConfig {
        vcd,
        ..Default::default()
    };
    #[cfg(not(feature = "sim"))]
    SimConfig { vcd }
}

/// Opens a device by name: `sim` (the default) starts a simulated card;
/// `vfio:DDDD:BB:DD.F` (or the bare PCI address) opens a card bound to
/// vfio-pci; `uart:/dev/ttyUSB0[@BAUD]` an ECP5 board over its USB serial
/// port ([`uart`]).
pub fn open(name: &str, sim: SimConfig) -> Result<Device, DeviceError> {
    open_with(name, sim, DeviceConfig::default())
}

/// Ring sizes for a board over UART: the rings must fit the board's 16 KiB
/// ring window (`tiledma_contract::board::BOARD_RING_WINDOW`).
pub fn uart_config(mut config: DeviceConfig) -> DeviceConfig {
    config.command_entries = config.command_entries.min(64);
    config.completion_entries = config.completion_entries.min(64);
    config
}

/// [`open`] with explicit ring sizes.
pub fn open_with(name: &str, sim: SimConfig, config: DeviceConfig) -> Result<Device, DeviceError> {
    let t: Arc<dyn transport::Transport> = match name {
        #[cfg(feature = "sim")]
        "sim" => Arc::new(
            transport::SimTransport::start(sim)
                .map_err(|e| DeviceError::Transport(e.to_string()))?,
        ),
        #[cfg(not(feature = "sim"))]
        "sim" => {
            let _ = sim;
            return Err(DeviceError::Transport(
                "this build has no simulated card (built without the `sim` feature)".into(),
            ));
        }
        other if other.starts_with("uart:") => {
            let t = uart::UartTransport::open(&other["uart:".len()..])
                .map_err(DeviceError::Transport)?;
            return Device::open(Arc::new(t), firmware::builtin_image(), uart_config(config));
        }
        other => {
            let addr = other.strip_prefix("vfio:").unwrap_or(other);
            if vfio::parse_address(addr).is_err() {
                return Err(DeviceError::UnknownDevice(other.into()));
            }
            Arc::new(vfio::VfioTransport::open(addr).map_err(DeviceError::Transport)?)
        }
    };
    Device::open(t, firmware::builtin_image(), config)
}
