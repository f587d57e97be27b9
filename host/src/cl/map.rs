//! Map flags, host-access flags and the write-map overlap rule of
//! clEnqueueMapBuffer / clEnqueueMapImage.
//!
//! - `map_flags`: only `CL_MAP_READ`, `CL_MAP_WRITE` and
//!   `CL_MAP_WRITE_INVALIDATE_REGION`; the last excludes the other two.
//!   Anything else is `CL_INVALID_VALUE`. (0 has no invalid bit and is
//!   accepted: a map that promises neither reading nor writing.)
//! - Host access: `CL_MEM_HOST_WRITE_ONLY`/`CL_MEM_HOST_NO_ACCESS` forbid
//!   `CL_MAP_READ`; `CL_MEM_HOST_READ_ONLY`/`CL_MEM_HOST_NO_ACCESS` forbid
//!   either write flag: `CL_INVALID_OPERATION`.
//! - A map for writing may not overlap any other map of the same storage
//!   (through sub-buffers and 1D image buffers too), and no map may overlap
//!   a map for writing: `CL_INVALID_OPERATION`. The MapBuffer page lists
//!   this under `CL_OUT_OF_HOST_MEMORY` (its two descriptions are swapped);
//!   the MapImage page and the parameter text say `CL_INVALID_OPERATION`.

use opencl_sys::{
    cl_int, cl_map_flags, cl_mem_flags, CL_INVALID_OPERATION, CL_INVALID_VALUE, CL_MAP_READ,
    CL_MAP_WRITE, CL_MAP_WRITE_INVALIDATE_REGION, CL_MEM_HOST_NO_ACCESS, CL_MEM_HOST_READ_ONLY,
    CL_MEM_HOST_WRITE_ONLY,
};
use std::ops::Range;

/// What a map promises to do with the region.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapAccess {
    /// The host reads: the map brings the current contents.
    pub read: bool,
    /// The host writes: the unmap brings the region back.
    pub write: bool,
    /// The contents may be discarded (`CL_MAP_WRITE_INVALIDATE_REGION`).
    pub invalidate: bool,
}

/// Decodes `map_flags` (`CL_INVALID_VALUE` for unknown bits or a mix with
/// `CL_MAP_WRITE_INVALIDATE_REGION`).
pub fn check_map_flags(flags: cl_map_flags) -> Result<MapAccess, cl_int> {
    let known = CL_MAP_READ | CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION;
    if flags & !known != 0 {
        return Err(CL_INVALID_VALUE);
    }
    let invalidate = flags & CL_MAP_WRITE_INVALIDATE_REGION != 0;
    if invalidate && flags & (CL_MAP_READ | CL_MAP_WRITE) != 0 {
        return Err(CL_INVALID_VALUE);
    }
    Ok(MapAccess {
        read: flags & CL_MAP_READ != 0,
        write: invalidate || flags & CL_MAP_WRITE != 0,
        invalidate,
    })
}

/// Whether a memory object created with `mem_flags` may be mapped so.
pub fn check_host_access(mem_flags: cl_mem_flags, access: MapAccess) -> Result<(), cl_int> {
    let no_read = CL_MEM_HOST_WRITE_ONLY | CL_MEM_HOST_NO_ACCESS;
    let no_write = CL_MEM_HOST_READ_ONLY | CL_MEM_HOST_NO_ACCESS;
    if (access.read && mem_flags & no_read != 0) || (access.write && mem_flags & no_write != 0) {
        return Err(CL_INVALID_OPERATION);
    }
    Ok(())
}

/// What a map covers in its storage: a box of one mip level (x, y, z in
/// the storage's own units). A buffer range is a box one unit high and deep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapRegion {
    /// Mip level (0 for buffers).
    pub level: u32,
    /// First corner.
    pub lo: [u64; 3],
    /// One past the last corner.
    pub hi: [u64; 3],
}

impl MapRegion {
    /// Bytes `range` of a buffer's storage.
    pub fn bytes(range: Range<u64>) -> Self {
        MapRegion {
            level: 0,
            lo: [range.start, 0, 0],
            hi: [range.end, 1, 1],
        }
    }

    fn overlaps(&self, o: &MapRegion) -> bool {
        self.level == o.level && (0..3).all(|i| self.lo[i] < o.hi[i] && o.lo[i] < self.hi[i])
    }
}

/// The maps alive on one storage (a buffer and everything that aliases it).
#[derive(Debug, Default)]
pub struct MapTracker {
    maps: Vec<(u64, MapRegion, bool)>,
    next: u64,
}

/// Identifies one live map in its [`MapTracker`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MapId(u64);

impl MapTracker {
    /// Records a map of `region` (`CL_INVALID_OPERATION` if it would
    /// overlap a map for writing, or is for writing and overlaps any map).
    pub fn map(&mut self, region: MapRegion, write: bool) -> Result<MapId, cl_int> {
        if self
            .maps
            .iter()
            .any(|(_, r, w)| r.overlaps(&region) && (write || *w))
        {
            return Err(CL_INVALID_OPERATION);
        }
        self.next += 1;
        self.maps.push((self.next, region, write));
        Ok(MapId(self.next))
    }

    /// Forgets a map (at unmap). Returns whether it was alive.
    pub fn unmap(&mut self, id: MapId) -> bool {
        let before = self.maps.len();
        self.maps.retain(|(k, _, _)| *k != id.0);
        self.maps.len() != before
    }

    /// Live maps (the mapped count of everything on this storage).
    pub fn count(&self) -> usize {
        self.maps.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_flags_rules() {
        let r = check_map_flags(CL_MAP_READ).unwrap();
        assert!(r.read && !r.write);
        let rw = check_map_flags(CL_MAP_READ | CL_MAP_WRITE).unwrap();
        assert!(rw.read && rw.write && !rw.invalidate);
        let inv = check_map_flags(CL_MAP_WRITE_INVALIDATE_REGION).unwrap();
        assert!(!inv.read && inv.write && inv.invalidate);
        assert_eq!(check_map_flags(0), Ok(MapAccess::default()));
        // "CL_MAP_READ or CL_MAP_WRITE and CL_MAP_WRITE_INVALIDATE_REGION are mutually exclusive."
        for f in [CL_MAP_READ, CL_MAP_WRITE, CL_MAP_READ | CL_MAP_WRITE] {
            assert_eq!(
                check_map_flags(f | CL_MAP_WRITE_INVALIDATE_REGION),
                Err(CL_INVALID_VALUE)
            );
        }
        // "values specified in map_flags are not valid"
        assert_eq!(check_map_flags(1 << 3), Err(CL_INVALID_VALUE));
        assert_eq!(
            check_map_flags(CL_MAP_READ | 1 << 40),
            Err(CL_INVALID_VALUE)
        );
    }

    #[test]
    fn host_access_rules() {
        let read = check_map_flags(CL_MAP_READ).unwrap();
        let write = check_map_flags(CL_MAP_WRITE).unwrap();
        let inv = check_map_flags(CL_MAP_WRITE_INVALIDATE_REGION).unwrap();
        let op = Err(CL_INVALID_OPERATION);
        assert_eq!(check_host_access(CL_MEM_HOST_WRITE_ONLY, read), op);
        assert_eq!(check_host_access(CL_MEM_HOST_NO_ACCESS, read), op);
        assert_eq!(check_host_access(CL_MEM_HOST_READ_ONLY, write), op);
        assert_eq!(check_host_access(CL_MEM_HOST_READ_ONLY, inv), op);
        assert_eq!(check_host_access(CL_MEM_HOST_NO_ACCESS, inv), op);
        assert_eq!(check_host_access(CL_MEM_HOST_READ_ONLY, read), Ok(()));
        assert_eq!(check_host_access(CL_MEM_HOST_WRITE_ONLY, write), Ok(()));
        assert_eq!(check_host_access(CL_MEM_HOST_WRITE_ONLY, inv), Ok(()));
        assert_eq!(
            check_host_access(0, check_map_flags(CL_MAP_READ | CL_MAP_WRITE).unwrap()),
            Ok(())
        );
    }

    #[test]
    fn write_maps_may_not_overlap() {
        let mut t = MapTracker::default();
        let a = t.map(MapRegion::bytes(0..100), false).unwrap();
        let _b = t.map(MapRegion::bytes(50..150), false).unwrap();
        assert_eq!(
            t.map(MapRegion::bytes(90..95), true),
            Err(CL_INVALID_OPERATION),
            "write over reads"
        );
        let c = t.map(MapRegion::bytes(150..200), true).unwrap();
        assert_eq!(
            t.map(MapRegion::bytes(199..300), false),
            Err(CL_INVALID_OPERATION),
            "read over a write"
        );
        assert_eq!(
            t.map(MapRegion::bytes(150..151), true),
            Err(CL_INVALID_OPERATION),
            "write over a write"
        );
        assert_eq!(t.count(), 3);
        assert!(t.unmap(c));
        assert!(!t.unmap(c), "a map is unmapped once");
        t.map(MapRegion::bytes(150..300), true).unwrap();
        assert!(t.unmap(a));
        assert_eq!(t.count(), 2);
    }

    #[test]
    fn image_boxes_overlap_only_when_every_axis_does() {
        let b = |level, lo, hi| MapRegion { level, lo, hi };
        let mut t = MapTracker::default();
        t.map(b(0, [0, 0, 0], [8, 8, 1]), true).unwrap();
        t.map(b(0, [8, 0, 0], [16, 8, 1]), true).unwrap();
        t.map(b(1, [0, 0, 0], [8, 8, 1]), true).unwrap();
        assert_eq!(
            t.map(b(0, [7, 7, 0], [9, 9, 1]), false),
            Err(CL_INVALID_OPERATION)
        );
    }
}
