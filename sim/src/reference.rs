//! The oracle: what a descriptor must do to memory, in plain Rust.

use crate::memory::SparseMemory;
use std::ops::Range;
use tiledma_contract::EngineDescriptor;

/// Applies `desc` to `mem` byte by byte, each side's address from the
/// contract's tiling formulas. Every source byte is read before any byte is
/// written (the engine does not support overlapping regions, so for the
/// copies it is given this is exactly its effect).
pub fn apply(desc: &EngineDescriptor, mem: &mut SparseMemory) {
    let mut moves = Vec::with_capacity(desc.total_bytes() as usize);
    for z in 0..desc.slices {
        for y in 0..desc.rows {
            for x in 0..desc.row_bytes {
                let byte = mem.byte(desc.src_byte_addr(x, y, z));
                moves.push((desc.dst_byte_addr(x, y, z), byte));
            }
        }
    }
    for (addr, byte) in moves {
        mem.set_byte(addr, byte);
    }
}

/// The destination byte ranges of `desc`, one per piece.
pub fn dst_ranges(desc: &EngineDescriptor) -> Vec<Range<u64>> {
    let mut v = Vec::new();
    desc.for_each_piece(|_, dst, len| v.push(dst..dst.wrapping_add(len as u64)));
    v
}

/// A box of an image level, in blocks: origin (x, y, slice) and size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// First block column, row and slice.
    pub origin: [u64; 3],
    /// Blocks across, rows, slices.
    pub size: [u64; 3],
}

/// Copies `region` of `src` (based at `src_base`) to the same-sized box at
/// `dst_origin` of `dst` (based at `dst_base`), byte by byte through each
/// side's layout. `block_bytes` is the size of one element or block. This is
/// the oracle for tiled copies.
pub fn copy_region(
    mem: &mut SparseMemory,
    block_bytes: u64,
    (src_base, src): (u64, &tiledma_contract::surface::Subresource),
    region: Region,
    (dst_base, dst): (u64, &tiledma_contract::surface::Subresource),
    dst_origin: [u64; 3],
) {
    let [w, h, d] = region.size;
    let mut moves = Vec::with_capacity((w * h * d * block_bytes) as usize);
    for z in 0..d {
        for y in 0..h {
            for xb in 0..w * block_bytes {
                let s = src.byte_offset(
                    region.origin[0] * block_bytes + xb,
                    region.origin[1] + y,
                    region.origin[2] + z,
                );
                let t = dst.byte_offset(
                    dst_origin[0] * block_bytes + xb,
                    dst_origin[1] + y,
                    dst_origin[2] + z,
                );
                moves.push((dst_base + t, mem.byte(src_base + s)));
            }
        }
    }
    for (a, b) in moves {
        mem.set_byte(a, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiledma_contract::surface::{Format, ImageKind, Surface};
    use tiledma_contract::tiling::Tiling;

    fn rgba8(tiling: Tiling) -> Surface {
        Surface {
            kind: ImageKind::D2,
            format: Format::element(4),
            width: 1024,
            height: 768,
            depth: 1,
            layers: 1,
            levels: 1,
            tiling,
        }
    }

    /// 1024×768 RGBA8: linear → each tiled layout → linear gives the input
    /// back, and the tiled copy is not just the linear bytes.
    #[test]
    fn rgba8_round_trips_through_every_tiling() {
        let lin = rgba8(Tiling::Linear).level(0);
        let whole = Region {
            origin: [0, 0, 0],
            size: [1024, 768, 1],
        };
        for t in [Tiling::X, Tiling::Y, Tiling::Tile4] {
            let tiled = rgba8(t).level(0);
            let mut mem = SparseMemory::default();
            let data: Vec<u8> = (0..lin.slice_pitch)
                .map(|i| ((i * 2654435761) >> 11) as u8)
                .collect();
            mem.write(0, &data);
            copy_region(&mut mem, 4, (0, &lin), whole, (1 << 30, &tiled), [0, 0, 0]);
            copy_region(
                &mut mem,
                4,
                (1 << 30, &tiled),
                whole,
                (2 << 30, &lin),
                [0, 0, 0],
            );
            let mut back = vec![0u8; data.len()];
            mem.read(2 << 30, &mut back);
            assert!(back == data, "{t:?} round trip");
            let mut tiled_bytes = vec![0u8; 4096];
            mem.read((1 << 30) + 4096, &mut tiled_bytes);
            assert_ne!(&tiled_bytes[..], &data[4096..8192], "{t:?} must permute");
        }
    }

    /// A sub-box at odd origins lands exactly, nothing else changes.
    #[test]
    fn sub_box_touches_only_its_bytes() {
        let lin = rgba8(Tiling::Linear).level(0);
        let y = rgba8(Tiling::Y).level(0);
        let mut mem = SparseMemory::default();
        mem.write(0, &vec![7u8; lin.slice_pitch as usize]);
        let r = Region {
            origin: [3, 5, 0],
            size: [33, 9, 1],
        };
        copy_region(&mut mem, 4, (0, &lin), r, (1 << 30, &y), [40, 31, 0]);
        let mut changed = 0;
        for yy in 0..768u64 {
            for xb in 0..4096u64 {
                let a = (1 << 30) + y.byte_offset(xb, yy, 0);
                let inside = (160..160 + 132).contains(&xb) && (31..40).contains(&yy);
                assert_eq!(mem.byte(a) == 7, inside, "byte ({xb},{yy})");
                changed += inside as u32;
            }
        }
        assert_eq!(changed, 33 * 4 * 9);
    }
}
