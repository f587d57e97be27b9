//! A card for host tests of the processor: host memory as 64-byte beats,
//! registers in a map, and an engine that finishes one descriptor per
//! status query (optionally failing some).

use crate::hw::{BusError, Hardware};
use std::collections::{HashMap, VecDeque};
use tiledma_contract::command::{COMMAND_BYTES, COMPLETION_BYTES};
use tiledma_contract::regs::*;
use tiledma_contract::{CommandRecord, CompletionRecord, EngineDescriptor};

/// Where the fake card's rings live.
pub const CMD: u64 = 0x1000;
/// Completion ring base.
pub const CPL: u64 = 0x8000;

#[derive(Default)]
pub struct FakeCard {
    pub regs: HashMap<u32, u32>,
    pub mem: HashMap<u64, [u8; 64]>,
    /// A beat whose reads fail.
    pub unmapped: Option<u64>,
    pub engine: VecDeque<EngineDescriptor>,
    pub statuses: VecDeque<(u16, u8)>,
    /// Descriptors with this source address fail.
    pub fail_src: Option<u64>,
    /// Every descriptor pushed, in order.
    pub pushed: Vec<EngineDescriptor>,
    pub irqs: u32,
    pub clock: u64,
    /// The bridge read under way.
    reading: Option<u64>,
    /// The beat read last.
    beat: [u32; 16],
}

impl FakeCard {
    /// A card with rings of the given sizes and one 15 MiB DMA window at 1 MiB.
    pub fn new(cmd_entries: u32, cpl_entries: u32) -> Self {
        let mut c = FakeCard::default();
        c.set_reg(CMD_RING_BASE_LO, CMD as u32);
        c.set_reg(CMD_RING_ENTRIES, cmd_entries);
        c.set_reg(CPL_RING_BASE_LO, CPL as u32);
        c.set_reg(CPL_RING_ENTRIES, cpl_entries);
        c.set_reg(WINDOW_BASE, 0x10_0000);
        c.set_reg(WINDOW_BASE + 8, 0x100_0000);
        c
    }

    /// Writes `rec` into the next command slot and rings the doorbell.
    pub fn post(&mut self, rec: CommandRecord) {
        let tail = self.reg(CMD_RING_TAIL);
        let entries = self.reg(CMD_RING_ENTRIES);
        let a = CMD + (tail % entries) as u64 * COMMAND_BYTES as u64;
        self.mem.insert(a, rec.to_le_bytes());
        self.set_reg(CMD_RING_TAIL, tail.wrapping_add(1));
    }

    /// Completion number `n` (free-running count).
    pub fn completion(&self, n: u32) -> CompletionRecord {
        let entries = self.reg(CPL_RING_ENTRIES);
        let a = CPL + (n % entries) as u64 * COMPLETION_BYTES as u64;
        let beat = self.mem.get(&(a & !63)).unwrap();
        let half = (a % 64) as usize;
        CompletionRecord::from_le_bytes(beat[half..half + 32].try_into().unwrap())
    }
}

impl Hardware for FakeCard {
    fn reg(&self, o: u32) -> u32 {
        *self.regs.get(&o).unwrap_or(&0)
    }
    fn set_reg(&mut self, o: u32, v: u32) {
        self.regs.insert(o, v);
    }
    fn cycles(&self) -> u64 {
        self.clock
    }
    fn start_read(&mut self, a: u64) {
        assert_eq!(a % 64, 0);
        assert!(self.reading.is_none(), "one bridge access at a time");
        self.reading = Some(a);
    }
    fn bridge_wait(&mut self) -> Result<(), BusError> {
        let a = self.reading.take().expect("a read under way");
        self.clock += 100;
        if Some(a) == self.unmapped {
            return Err(BusError);
        }
        let b = *self.mem.get(&a).unwrap_or(&[0; 64]);
        self.beat =
            core::array::from_fn(|i| u32::from_le_bytes(b[4 * i..4 * i + 4].try_into().unwrap()));
        Ok(())
    }
    fn beat_word(&self, i: usize) -> u32 {
        self.beat[i]
    }
    fn write_words(&mut self, a: u64, d: &[u32]) -> Result<(), BusError> {
        assert!(self.reading.is_none(), "one bridge access at a time");
        assert_eq!(a % 4, 0);
        let half = (a % 64) as usize;
        assert!(half + 4 * d.len() <= 64, "inside one beat");
        let beat = self.mem.entry(a - half as u64).or_insert([0; 64]);
        for (i, w) in d.iter().enumerate() {
            beat[half + 4 * i..half + 4 * i + 4].copy_from_slice(&w.to_le_bytes());
        }
        Ok(())
    }
    fn engine_ready(&self) -> bool {
        self.engine.len() < 4
    }
    fn engine_push(&mut self, d: &EngineDescriptor) {
        self.pushed.push(*d);
        self.engine.push_back(*d);
    }
    fn engine_status(&mut self) -> Option<(u16, u8)> {
        if let Some(d) = self.engine.pop_front() {
            let err = u8::from(Some(d.src_addr) == self.fail_src);
            self.statuses.push_back((d.tag, err));
        }
        self.statuses.pop_front()
    }
    fn raise_irq(&mut self) {
        self.irqs += 1;
    }
}
