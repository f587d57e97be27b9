//! The oracle: what a descriptor must do to memory, in plain Rust.

use crate::memory::SparseMemory;
use std::ops::Range;
use tiledma_contract::EngineDescriptor;

/// Applies `desc` to `mem` byte by byte. Every source byte is read before any
/// byte is written (the engine does not support overlapping regions, so for
/// the copies it is given this is exactly its effect).
pub fn apply(desc: &EngineDescriptor, mem: &mut SparseMemory) {
    let mut moves = Vec::with_capacity(desc.total_bytes() as usize);
    for_each_row(desc, |src, dst| {
        for i in 0..desc.row_bytes as u64 {
            moves.push((dst.wrapping_add(i), mem.byte(src.wrapping_add(i))));
        }
    });
    for (addr, byte) in moves {
        mem.set_byte(addr, byte);
    }
}

/// Calls `f(src_row, dst_row)` for every row of `desc`, slice by slice.
pub fn for_each_row(desc: &EngineDescriptor, mut f: impl FnMut(u64, u64)) {
    if desc.row_bytes == 0 {
        return;
    }
    for z in 0..desc.slices {
        for y in 0..desc.rows {
            f(desc.src_row_addr(y, z), desc.dst_row_addr(y, z));
        }
    }
}

/// The destination byte ranges of `desc`, one per row.
pub fn dst_ranges(desc: &EngineDescriptor) -> Vec<Range<u64>> {
    let mut v = Vec::new();
    for_each_row(desc, |_, dst| v.push(dst..dst + desc.row_bytes as u64));
    v
}
