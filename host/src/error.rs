//! The host driver's errors.

use tiledma_contract::CompletionStatus;

/// What went wrong talking to the card.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// BAR0 does not identify a tiledma card.
    #[error("no tiledma card: ID register reads {0:#010x}")]
    NotACard(u32),
    /// The firmware image is unusable.
    #[error("firmware image: {0}")]
    Firmware(String),
    /// The firmware did not report running in time, or stopped.
    #[error("firmware did not start: FW_STATUS = {0:#x}")]
    FirmwareNotRunning(u32),
    /// The transport refused a DMA mapping.
    #[error("DMA mapping failed: {0}")]
    Map(String),
    /// No IOVA space or card memory is left for the request.
    #[error("out of {what}: {bytes} bytes requested")]
    OutOfSpace {
        /// Which space.
        what: &'static str,
        /// Bytes asked for.
        bytes: u64,
    },
    /// The command ring stayed full (the card is not consuming).
    #[error("command ring full for too long (card not consuming)")]
    RingStalled,
    /// A command completed with an error status.
    #[error("command failed on the card: {0:?}")]
    Command(CompletionStatus),
    /// A region cannot be expressed as a card command.
    #[error("bad region: {0}")]
    BadRegion(&'static str),
    /// The device name is not one this build knows.
    #[error(
        "unknown device {0:?} (use \"sim\", \"vfio:DDDD:BB:DD.F\" or \"uart:/dev/ttyUSB0[@BAUD]\")"
    )]
    UnknownDevice(String),
    /// The transport could not be set up (what to fix is in the message).
    #[error("{0}")]
    Transport(String),
}
