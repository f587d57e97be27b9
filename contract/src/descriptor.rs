//! The engine descriptor: one 3D region copy.
//!
//! A descriptor moves `row_bytes × rows × slices` bytes. Each side is laid
//! out as its [`Placement`] in the `layout` word says (see [`crate::layout`]):
//! for linear sides, row `y` of slice `z` starts at
//! `addr + z*slice_pitch + y*row_pitch`; tiled sides follow their tiling
//! formula. Addresses and pitches are byte-granular: nothing needs to be
//! aligned to the bus width. The engine walks the region row by row and
//! moves it in pieces that are contiguous on both sides
//! ([`EngineDescriptor::for_each_piece`]). Any of
//! `row_bytes`, `rows` or `slices` being zero makes an empty copy that
//! completes at once with [`crate::EngineError::Ok`].
//!
//! The same field order is the engine's descriptor port (`desc_*` signals in
//! the Verilog) and the in-memory record the firmware writes (64 bytes,
//! little-endian).

use crate::layout::{Layout, Placement};

/// One region copy for the engine. `#[repr(C)]`, 64 bytes, little-endian.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EngineDescriptor {
    /// Byte address of the first source byte.
    pub src_addr: u64,
    /// Byte address of the first destination byte.
    pub dst_addr: u64,
    /// Distance in bytes between consecutive source slices.
    pub src_slice_pitch: u64,
    /// Distance in bytes between consecutive destination slices.
    pub dst_slice_pitch: u64,
    /// Distance in bytes between consecutive source rows.
    pub src_row_pitch: u32,
    /// Distance in bytes between consecutive destination rows.
    pub dst_row_pitch: u32,
    /// Bytes per row.
    pub row_bytes: u32,
    /// Rows per slice.
    pub rows: u32,
    /// Number of slices.
    pub slices: u32,
    /// Caller's tag, returned unchanged in the status.
    pub tag: u16,
    /// Reserved, must be zero.
    pub flags: u16,
    /// Both sides' [`Placement`]s ([`Layout::to_word`]); 0 is linear → linear.
    pub layout: u32,
    /// Reserved, must be zero.
    pub reserved: u32,
}

const _: () = assert!(core::mem::size_of::<EngineDescriptor>() == 64);

impl EngineDescriptor {
    /// A copy record's whole region as one descriptor (tag 0), whatever its
    /// size: the reference for what the record's bytes are.
    pub fn of_record(rec: &crate::CommandRecord) -> Self {
        EngineDescriptor {
            src_addr: rec.src_addr,
            dst_addr: rec.dst_addr,
            src_slice_pitch: rec.src_slice_pitch,
            dst_slice_pitch: rec.dst_slice_pitch,
            src_row_pitch: rec.src_row_pitch,
            dst_row_pitch: rec.dst_row_pitch,
            row_bytes: rec.row_bytes,
            rows: rec.rows,
            slices: rec.slices,
            layout: rec.layout,
            ..Default::default()
        }
    }

    /// Calls `f(src, dst)` for every byte, in order (slices, rows, bytes).
    pub fn for_each_byte(&self, mut f: impl FnMut(u64, u64)) {
        for z in 0..self.slices {
            for y in 0..self.rows {
                for x in 0..self.row_bytes {
                    f(self.src_byte_addr(x, y, z), self.dst_byte_addr(x, y, z));
                }
            }
        }
    }

    /// Total bytes the descriptor moves.
    pub fn total_bytes(&self) -> u64 {
        self.row_bytes as u64 * self.rows as u64 * self.slices as u64
    }

    /// The decoded layout word.
    pub fn layout(&self) -> Layout {
        Layout::from_word(self.layout)
    }

    /// Source address of region byte `(x, y, z)`.
    pub fn src_byte_addr(&self, x: u32, y: u32, z: u32) -> u64 {
        let p = self.layout().src;
        side_addr(
            self.src_addr,
            self.src_row_pitch,
            self.src_slice_pitch,
            p,
            x,
            y,
            z,
        )
    }

    /// Destination address of region byte `(x, y, z)`.
    pub fn dst_byte_addr(&self, x: u32, y: u32, z: u32) -> u64 {
        let p = self.layout().dst;
        side_addr(
            self.dst_addr,
            self.dst_row_pitch,
            self.dst_slice_pitch,
            p,
            x,
            y,
            z,
        )
    }

    /// Calls `f(src, dst, len)` for every piece the engine moves, in the
    /// engine's order: slices, rows, then across the row, each piece as long
    /// as both sides stay contiguous.
    pub fn for_each_piece(&self, mut f: impl FnMut(u64, u64, u32)) {
        let l = self.layout();
        for z in 0..self.slices {
            for y in 0..self.rows {
                let mut x = 0;
                while x < self.row_bytes {
                    let left = (self.row_bytes - x) as u64;
                    let len = left
                        .min(l.src.run_from(x as u64))
                        .min(l.dst.run_from(x as u64)) as u32;
                    f(
                        self.src_byte_addr(x, y, z),
                        self.dst_byte_addr(x, y, z),
                        len,
                    );
                    x += len;
                }
            }
        }
    }
}

/// Address arithmetic wraps at 64 bits, as the hardware's adders do.
fn side_addr(
    base: u64,
    row_pitch: u32,
    slice_pitch: u64,
    p: Placement,
    x: u32,
    y: u32,
    z: u32,
) -> u64 {
    base.wrapping_add(slice_pitch.wrapping_mul(z as u64))
        .wrapping_add(p.offset(row_pitch as u64, x as u64, y as u64))
}

/// Widths in bits of the engine's `desc_*` port signals, in field order.
/// The hdl crate checks its ports against this table.
pub const DESCRIPTOR_PORT_BITS: [(&str, usize); 11] = [
    ("src_addr", 64),
    ("dst_addr", 64),
    ("src_slice_pitch", 64),
    ("dst_slice_pitch", 64),
    ("src_row_pitch", 32),
    ("dst_row_pitch", 32),
    ("row_bytes", 32),
    ("rows", 32),
    ("slices", 32),
    ("tag", 16),
    ("layout", 32),
];

impl EngineDescriptor {
    /// The descriptor as the 16 little-endian words the engine port stages.
    pub fn to_words(&self) -> [u32; 16] {
        let lo = |v: u64| v as u32;
        let hi = |v: u64| (v >> 32) as u32;
        [
            lo(self.src_addr),
            hi(self.src_addr),
            lo(self.dst_addr),
            hi(self.dst_addr),
            lo(self.src_slice_pitch),
            hi(self.src_slice_pitch),
            lo(self.dst_slice_pitch),
            hi(self.dst_slice_pitch),
            self.src_row_pitch,
            self.dst_row_pitch,
            self.row_bytes,
            self.rows,
            self.slices,
            self.tag as u32 | (self.flags as u32) << 16,
            self.layout,
            self.reserved,
        ]
    }
}
