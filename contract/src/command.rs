//! Command and completion records: what the host puts in the command ring
//! and what the firmware writes back to the completion ring. Both rings live
//! in DMA-mapped host memory; entries are 64 bytes, little-endian.

/// Opcode: do nothing (completes with [`CompletionStatus::Ok`]).
pub const OP_NOP: u16 = 0;
/// Opcode: copy a 3D region (the region fields of [`CommandRecord`]).
pub const OP_COPY: u16 = 1;

/// One command (64 bytes). For [`OP_COPY`] the region and `layout` mean
/// exactly what they mean in [`crate::EngineDescriptor`]; addresses are host
/// IOVAs (checked against the DMA windows) or card-memory addresses.
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
    pub cookie: u32,
    /// Both sides' placements ([`crate::Layout::to_word`]); 0 is linear → linear.
    pub layout: u32,
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
    /// The layout word is invalid: a placement outside its tile, or a
    /// tiled side whose row pitch is not a multiple of the tile width.
    BadLayout = 8,
    /// Never written by the card: the host driver gives it to commands the
    /// card did not complete before the driver reset it (a hung card).
    DeviceLost = 0x100,
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
            BadLayout,
            DeviceLost,
        ]
        .into_iter()
        .find(|s| *s as u16 == code)
    }
}

/// One completion (32 bytes; two per 64-byte beat).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CompletionRecord {
    /// The command's cookie (the next word is reserved, written as zero).
    pub cookie: u32,
    /// A [`CompletionStatus`] code.
    pub status: u16,
    /// Bit 0: the phase of the lap this entry was written in (1 on the first
    /// lap, then alternating), so the host sees new entries without MMIO.
    pub phase: u16,
    /// Engine descriptors the command was split into.
    pub descriptors: u32,
    /// Card cycle counter (`CYCLES_LO/HI`) when the firmware fetched the command.
    pub fetched_at: u64,
    /// Card cycle counter when the firmware wrote this completion.
    pub done_at: u64,
}

const _: () = assert!(core::mem::size_of::<CompletionRecord>() == 32);

/// Bytes of one completion-ring entry.
pub const COMPLETION_BYTES: usize = 32;

/// Phase bit expected for completion number `count` (free-running) in a ring
/// of `entries` slots: 1 on the first lap, 0 on the second, and so on.
pub fn completion_phase(count: u32, entries: u32) -> u16 {
    (((count / entries) & 1) ^ 1) as u16
}

fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([b[o], b[o + 1]])
}
fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}
fn u64_at(b: &[u8], o: usize) -> u64 {
    u32_at(b, o) as u64 | (u32_at(b, o + 4) as u64) << 32
}

impl CommandRecord {
    /// Decodes the wire form given as 16 little-endian words (as the card's
    /// bridge delivers a 64-byte beat).
    pub fn from_words(w: &[u32; 16]) -> Self {
        let u64_at = |i: usize| w[i] as u64 | (w[i + 1] as u64) << 32;
        Self {
            opcode: w[0] as u16,
            flags: (w[0] >> 16) as u16,
            row_bytes: w[1],
            cookie: w[2],
            layout: w[3],
            src_addr: u64_at(4),
            dst_addr: u64_at(6),
            src_slice_pitch: u64_at(8),
            dst_slice_pitch: u64_at(10),
            src_row_pitch: w[12],
            dst_row_pitch: w[13],
            rows: w[14],
            slices: w[15],
        }
    }

    /// Decodes the little-endian wire form.
    pub fn from_le_bytes(b: &[u8; 64]) -> Self {
        Self::from_words(&core::array::from_fn(|i| u32_at(b, 4 * i)))
    }

    /// Encodes the little-endian wire form.
    pub fn to_le_bytes(&self) -> [u8; 64] {
        let mut b = [0u8; 64];
        b[0..2].copy_from_slice(&self.opcode.to_le_bytes());
        b[2..4].copy_from_slice(&self.flags.to_le_bytes());
        b[4..8].copy_from_slice(&self.row_bytes.to_le_bytes());
        b[8..12].copy_from_slice(&self.cookie.to_le_bytes());
        b[12..16].copy_from_slice(&self.layout.to_le_bytes());
        b[16..24].copy_from_slice(&self.src_addr.to_le_bytes());
        b[24..32].copy_from_slice(&self.dst_addr.to_le_bytes());
        b[32..40].copy_from_slice(&self.src_slice_pitch.to_le_bytes());
        b[40..48].copy_from_slice(&self.dst_slice_pitch.to_le_bytes());
        b[48..52].copy_from_slice(&self.src_row_pitch.to_le_bytes());
        b[52..56].copy_from_slice(&self.dst_row_pitch.to_le_bytes());
        b[56..60].copy_from_slice(&self.rows.to_le_bytes());
        b[60..64].copy_from_slice(&self.slices.to_le_bytes());
        b
    }
}

impl CompletionRecord {
    /// Decodes the little-endian wire form.
    pub fn from_le_bytes(b: &[u8; 32]) -> Self {
        Self {
            cookie: u32_at(b, 0),
            status: u16_at(b, 8),
            phase: u16_at(b, 10),
            descriptors: u32_at(b, 12),
            fetched_at: u64_at(b, 16),
            done_at: u64_at(b, 24),
        }
    }

    /// Encodes the wire form as 8 little-endian words.
    pub fn to_words(&self) -> [u32; 8] {
        [
            self.cookie,
            0,
            self.status as u32 | (self.phase as u32) << 16,
            self.descriptors,
            self.fetched_at as u32,
            (self.fetched_at >> 32) as u32,
            self.done_at as u32,
            (self.done_at >> 32) as u32,
        ]
    }

    /// Encodes the little-endian wire form.
    pub fn to_le_bytes(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        for (chunk, w) in b.chunks_exact_mut(4).zip(self.to_words()) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let c = CommandRecord {
            opcode: OP_COPY,
            flags: 0,
            row_bytes: 0x0102_0304,
            cookie: 0x5566_7788,
            layout: 0x1122_3344,
            src_addr: 0xA0A1_A2A3_A4A5_A6A7,
            dst_addr: 0xB0B1_B2B3_B4B5_B6B7,
            src_slice_pitch: 0xC0C1_C2C3_C4C5_C6C7,
            dst_slice_pitch: 0xD0D1_D2D3_D4D5_D6D7,
            src_row_pitch: 0xE0E1_E2E3,
            dst_row_pitch: 0xF0F1_F2F3,
            rows: 7,
            slices: 9,
        };
        assert_eq!(CommandRecord::from_le_bytes(&c.to_le_bytes()), c);
        assert_eq!(c.to_le_bytes()[8], 0x88);
        let words: [u32; 16] = core::array::from_fn(|i| {
            u32::from_le_bytes(c.to_le_bytes()[4 * i..4 * i + 4].try_into().unwrap())
        });
        assert_eq!(CommandRecord::from_words(&words), c);
        let p = CompletionRecord {
            cookie: 5,
            status: 3,
            phase: 1,
            descriptors: 2,
            fetched_at: 99,
            done_at: 1 << 40,
        };
        assert_eq!(CompletionRecord::from_le_bytes(&p.to_le_bytes()), p);
    }

    #[test]
    fn phase_alternates_per_lap() {
        assert_eq!(completion_phase(0, 4), 1);
        assert_eq!(completion_phase(3, 4), 1);
        assert_eq!(completion_phase(4, 4), 0);
        assert_eq!(completion_phase(8, 4), 1);
        assert_eq!(completion_phase(u32::MAX, 4), 0);
        assert_eq!(completion_phase(u32::MAX.wrapping_add(1), 4), 1);
    }
}
