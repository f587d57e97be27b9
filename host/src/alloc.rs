//! First-fit allocation of address ranges: IOVA arenas and card memory.

use std::collections::BTreeMap;

/// Free ranges of an address space, allocated first-fit with an alignment.
#[derive(Debug)]
pub struct RangeAllocator {
    free: BTreeMap<u64, u64>,
    align: u64,
}

impl RangeAllocator {
    /// The space `[base, base + len)`, handing out multiples of `align` (a power of two).
    pub fn new(base: u64, len: u64, align: u64) -> Self {
        assert!(align.is_power_of_two() && base.is_multiple_of(align));
        Self {
            free: BTreeMap::from([(base, len)]),
            align,
        }
    }

    /// Takes `len` bytes (rounded up to the alignment); `None` if no free range fits.
    pub fn alloc(&mut self, len: u64) -> Option<u64> {
        let len = len.max(1).checked_next_multiple_of(self.align)?;
        let (&start, &size) = self.free.iter().find(|(_, &s)| s >= len)?;
        self.free.remove(&start);
        if size > len {
            self.free.insert(start + len, size - len);
        }
        Some(start)
    }

    /// Returns `[start, start + len)` (as passed to/returned by `alloc`),
    /// merging it with free neighbours.
    pub fn free(&mut self, start: u64, len: u64) {
        let mut start = start;
        let mut len = len.max(1).next_multiple_of(self.align);
        if let Some((&ns, &nl)) = self.free.range(start + len..).next() {
            if ns == start + len {
                self.free.remove(&ns);
                len += nl;
            }
        }
        if let Some((&ps, &pl)) = self.free.range(..start).next_back() {
            if ps + pl == start {
                self.free.remove(&ps);
                start = ps;
                len += pl;
            }
        }
        self.free.insert(start, len);
    }

    /// Bytes free in total.
    pub fn free_bytes(&self) -> u64 {
        self.free.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alloc_free_merge() {
        let mut a = RangeAllocator::new(0x1000, 0x10000, 0x1000);
        let x = a.alloc(1).unwrap();
        let y = a.alloc(0x1800).unwrap();
        let z = a.alloc(0x1000).unwrap();
        assert_eq!((x, y, z), (0x1000, 0x2000, 0x4000));
        a.free(y, 0x1800);
        assert_eq!(a.alloc(0x2000), Some(0x2000), "freed hole reused");
        a.free(x, 1);
        a.free(0x2000, 0x2000);
        a.free(z, 0x1000);
        assert_eq!(a.free_bytes(), 0x10000);
        assert_eq!(a.alloc(0x10000), Some(0x1000), "all merged back");
        assert_eq!(a.alloc(1), None);
    }
}
