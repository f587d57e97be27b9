//! What the engine reports when a descriptor ends.

/// Why a descriptor ended. The numeric values are the engine's `stat_error`
/// port and the firmware's completion codes.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EngineError {
    /// Every byte was copied.
    Ok = 0,
    /// A read got an error response (SLVERR/DECERR). The copy stopped early;
    /// no byte of the failing beat or any later one was written.
    ReadBusError = 1,
    /// A write got an error response. The copy stopped early.
    WriteBusError = 2,
}

impl EngineError {
    /// Decodes the `stat_error` value; `None` for a value the engine never sends.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Ok),
            1 => Some(Self::ReadBusError),
            2 => Some(Self::WriteBusError),
            _ => None,
        }
    }
}

/// The engine's report for one descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EngineStatus {
    /// The descriptor's tag.
    pub tag: u16,
    /// How it ended.
    pub error: EngineError,
}
