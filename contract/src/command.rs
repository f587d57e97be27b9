//! Command and completion records: what the host puts in the command ring
//! and what the firmware writes back to the completion ring. Both rings live
//! in DMA-mapped host memory; entries are 64 bytes, little-endian.

/// Opcode: do nothing (completes with [`CompletionStatus::Ok`]).
pub const OP_NOP: u16 = 0;
/// Opcode: copy a 3D region (the region fields of [`CommandRecord`]).
pub const OP_COPY: u16 = 1;

/// One command (64 bytes). For [`OP_COPY`] the region means exactly what
/// [`crate::EngineDescriptor`] means; addresses are host IOVAs (checked
/// against the DMA windows) or card-memory addresses.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CommandRecord {
    /// One of the `OP_*` values.
    pub opcode: u16,
    /// Must be zero.
    pub flags: u16,
    /// Bytes per row.
    pub row_bytes: u32,
    /// Host's identifier, echoed in the completion.
    pub cookie: u64,
    /// First source byte.
    pub src_addr: u64,
    /// First destination byte.
    pub dst_addr: u64,
    /// Source slice pitch.
    pub src_slice_pitch: u64,
    /// Destination slice pitch.
    pub dst_slice_pitch: u64,
    /// Source row pitch.
    pub src_row_pitch: u32,
    /// Destination row pitch.
    pub dst_row_pitch: u32,
    /// Rows per slice.
    pub rows: u32,
    /// Slices.
    pub slices: u32,
}

const _: () = assert!(core::mem::size_of::<CommandRecord>() == 64);

/// Bytes of one command-ring entry.
pub const COMMAND_BYTES: usize = 64;

/// How a command ended, as written in its completion.
#[repr(u16)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionStatus {
    /// Done.
    Ok = 0,
    /// Unknown opcode.
    BadOpcode = 1,
    /// Non-zero flags or reserved fields.
    BadFlags = 2,
    /// Region geometry is invalid (rows overlap their pitch, sizes overflow).
    BadGeometry = 3,
    /// The source is not inside a DMA window (or card memory).
    BadSource = 4,
    /// The destination is not inside a DMA window (or card memory).
    BadDestination = 5,
    /// The engine got a read bus error.
    ReadFault = 6,
    /// The engine got a write bus error.
    WriteFault = 7,
}

impl CompletionStatus {
    /// Decodes a status field.
    pub fn from_code(code: u16) -> Option<Self> {
        use CompletionStatus::*;
        [
            Ok,
            BadOpcode,
            BadFlags,
            BadGeometry,
            BadSource,
            BadDestination,
            ReadFault,
            WriteFault,
        ]
        .into_iter()
        .find(|s| *s as u16 == code)
    }
}

/// One completion (32 bytes; two per 64-byte beat).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CompletionRecord {
    /// The command's cookie.
    pub cookie: u64,
    /// A [`CompletionStatus`] code.
    pub status: u16,
    /// Bit 0: the phase of the lap this entry was written in (1 on the first
    /// lap, then alternating), so the host sees new entries without MMIO.
    pub phase: u16,
    /// Engine descriptors the command was split into.
    pub descriptors: u32,
    /// Card cycles from the command's fetch to its completion.
    pub cycles: u64,
    /// Bytes copied.
    pub bytes: u64,
}

const _: () = assert!(core::mem::size_of::<CompletionRecord>() == 32);

/// Bytes of one completion-ring entry.
pub const COMPLETION_BYTES: usize = 32;

/// Phase bit expected for completion number `count` (free-running) in a ring
/// of `entries` slots: 1 on the first lap, 0 on the second, and so on.
pub fn completion_phase(count: u32, entries: u32) -> u16 {
    (((count / entries) & 1) ^ 1) as u16
}
