//! Ring geometry: free-running 32-bit counts (lap and position in one
//! number), slot = count mod entries, entries a power of two.

use tiledma_contract::command::{COMMAND_BYTES, COMPLETION_BYTES};

/// Why a ring's registers are unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RingError {
    /// Entries is not a power of two in 2..=65536.
    BadEntries,
    /// Base is not 64-byte aligned.
    BadBase,
}

/// A ring in host memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ring {
    /// IOVA of slot 0.
    pub base: u64,
    /// Slots (a power of two).
    pub entries: u32,
    /// Bytes per slot.
    pub entry_bytes: u32,
    /// log2 of `entry_bytes` (a power of two).
    entry_shift: u32,
    /// log2 of `entries`.
    entries_shift: u32,
}

impl Ring {
    fn new(base: u64, entries: u32, entry_bytes: usize) -> Result<Self, RingError> {
        if !(2..=65536).contains(&entries) || !entries.is_power_of_two() {
            return Err(RingError::BadEntries);
        }
        if !base.is_multiple_of(64) {
            return Err(RingError::BadBase);
        }
        Ok(Self {
            base,
            entries,
            entry_bytes: entry_bytes as u32,
            entry_shift: entry_bytes.trailing_zeros(),
            entries_shift: entries.trailing_zeros(),
        })
    }

    /// The command ring.
    pub fn commands(base: u64, entries: u32) -> Result<Self, RingError> {
        Self::new(base, entries, COMMAND_BYTES)
    }

    /// The completion ring.
    pub fn completions(base: u64, entries: u32) -> Result<Self, RingError> {
        Self::new(base, entries, COMPLETION_BYTES)
    }

    /// IOVA of the slot that free-running count `count` lands in.
    #[inline]
    pub fn slot_addr(&self, count: u32) -> u64 {
        // At most 65536 slots of 64 bytes: the offset fits in 32 bits.
        self.base + ((count & (self.entries - 1)) << self.entry_shift) as u64
    }

    /// The phase bit of entry number `count` (free-running):
    /// `completion_phase(count, entries)` without a division.
    #[inline]
    pub fn phase(&self, count: u32) -> u16 {
        (((count >> self.entries_shift) & 1) ^ 1) as u16
    }

    /// Entries between consumer count `head` and producer count `tail`
    /// (counts wrap at 2^32; a power-of-two ring keeps slots consistent).
    pub fn used(&self, head: u32, tail: u32) -> u32 {
        tail.wrapping_sub(head)
    }

    /// The producer may write another entry.
    pub fn has_room(&self, consumer: u32, producer: u32) -> bool {
        self.used(consumer, producer) < self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_wrap_and_counts_wrap_at_u32() {
        let r = Ring::commands(0x1000, 4).unwrap();
        let slots: Vec<u64> = (0..9).map(|c| r.slot_addr(c)).collect();
        assert_eq!(
            slots,
            [0x1000, 0x1040, 0x1080, 0x10c0, 0x1000, 0x1040, 0x1080, 0x10c0, 0x1000]
        );
        assert_eq!(r.slot_addr(u32::MAX), 0x10c0);
        assert_eq!(r.slot_addr(u32::MAX.wrapping_add(1)), 0x1000);
        assert_eq!(r.used(u32::MAX - 1, 1), 3);
        assert!(r.has_room(u32::MAX - 1, 1));
        assert!(!r.has_room(u32::MAX - 2, 1));
    }

    #[test]
    fn phase_is_the_contract_phase() {
        use tiledma_contract::command::completion_phase;
        for entries in [2, 4, 64, 65536] {
            let r = Ring::completions(0, entries).unwrap();
            for c in (0..300_000).chain(u32::MAX - 300_000..=u32::MAX) {
                assert_eq!(r.phase(c), completion_phase(c, entries));
            }
        }
    }

    #[test]
    fn bad_geometry_is_refused() {
        assert_eq!(Ring::commands(0x1000, 3), Err(RingError::BadEntries));
        assert_eq!(Ring::commands(0x1000, 0), Err(RingError::BadEntries));
        assert_eq!(Ring::commands(0x1000, 1), Err(RingError::BadEntries));
        assert_eq!(Ring::commands(0x1000, 131072), Err(RingError::BadEntries));
        assert_eq!(Ring::completions(0x1010, 8), Err(RingError::BadBase));
        assert_eq!(Ring::completions(0x1000, 8).unwrap().slot_addr(3), 0x1060);
    }
}
