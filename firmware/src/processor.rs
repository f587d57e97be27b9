//! The command processor: fetch, check, split, feed the engine, complete.
//!
//! Commands complete in the order they were fetched; up to [`IN_FLIGHT`] are
//! open at once, so the next commands are fetched and checked while the
//! engine works. Engine descriptors carry the command's slot as their tag.

use crate::check::{check_command, Windows};
use crate::hw::{BusError, Hardware};
use crate::ring::{Ring, RingError};
use crate::split::Splitter;
use tiledma_contract::command::{completion_phase, COMPLETION_BYTES};
use tiledma_contract::regs::*;
use tiledma_contract::{CommandRecord, CompletionRecord, CompletionStatus, EngineError};

/// Commands open at once.
pub const IN_FLIGHT: usize = 8;

/// Why the processor stopped for good (reported in `FW_STATUS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fatal {
    /// A ring register is invalid.
    BadRing(RingError),
    /// A ring access got a bus error.
    RingFault,
}

impl Fatal {
    /// The `FW_STATUS` value.
    pub fn code(&self) -> u32 {
        match self {
            Fatal::BadRing(_) => FW_BAD_RING,
            Fatal::RingFault => FW_RING_FAULT,
        }
    }
}

impl From<BusError> for Fatal {
    fn from(_: BusError) -> Self {
        Fatal::RingFault
    }
}

#[derive(Clone, Debug)]
struct Open {
    cookie: u32,
    status: CompletionStatus,
    split: Splitter,
    outstanding: u32,
    descriptors: u32,
    fetched_at: u64,
}

/// The processor's state between polls.
pub struct Processor {
    cmd: Ring,
    cpl: Ring,
    cmd_head: u32,
    cpl_head: u32,
    open: [Option<Open>; IN_FLIGHT],
    /// Slot of the oldest open command.
    first: usize,
    count: usize,
    windows: Windows,
    window_generation: u32,
}

impl Processor {
    /// Reads the ring registers and announces the firmware.
    pub fn start(hw: &mut impl Hardware) -> Result<Self, Fatal> {
        let base = |lo, hi| hw.reg(lo) as u64 | (hw.reg(hi) as u64) << 32;
        let cmd = Ring::commands(
            base(CMD_RING_BASE_LO, CMD_RING_BASE_HI),
            hw.reg(CMD_RING_ENTRIES),
        )
        .map_err(Fatal::BadRing)?;
        let cpl = Ring::completions(
            base(CPL_RING_BASE_LO, CPL_RING_BASE_HI),
            hw.reg(CPL_RING_ENTRIES),
        )
        .map_err(Fatal::BadRing)?;
        // The host may have rung the doorbell before the firmware started:
        // consumption starts at 0 whatever the tail says.
        hw.set_reg(CMD_RING_HEAD, 0);
        hw.set_reg(CPL_RING_HEAD, 0);
        Ok(Self {
            cmd,
            cpl,
            cmd_head: 0,
            cpl_head: 0,
            open: Default::default(),
            first: 0,
            count: 0,
            window_generation: hw.reg(WINDOW_GENERATION),
            windows: Windows::read(hw),
        })
    }

    /// One pass of the main loop: retire engine statuses, feed the engine,
    /// write completions, fetch commands. Returns whether anything happened.
    pub fn poll(&mut self, hw: &mut impl Hardware) -> Result<bool, Fatal> {
        let mut busy = self.retire(hw);
        busy |= self.feed(hw);
        busy |= self.complete(hw)?;
        busy |= self.fetch(hw)?;
        Ok(busy)
    }

    fn retire(&mut self, hw: &mut impl Hardware) -> bool {
        let mut any = false;
        while let Some((tag, err)) = hw.engine_status() {
            any = true;
            let Some(open) = self.open[tag as usize % IN_FLIGHT].as_mut() else {
                continue;
            };
            open.outstanding -= 1;
            let status = match EngineError::from_code(err) {
                Some(EngineError::Ok) => continue,
                Some(EngineError::ReadBusError) => CompletionStatus::ReadFault,
                _ => CompletionStatus::WriteFault,
            };
            if open.status == CompletionStatus::Ok {
                open.status = status;
            }
            // Nothing more of a failed command goes to the engine.
            open.split = Splitter::empty();
        }
        any
    }

    fn feed(&mut self, hw: &mut impl Hardware) -> bool {
        let mut any = false;
        for i in 0..self.count {
            let slot = (self.first + i) % IN_FLIGHT;
            let open = self.open[slot].as_mut().unwrap();
            while !open.split.done() {
                if !hw.engine_ready() {
                    return any;
                }
                let d = open.split.next().unwrap();
                hw.engine_push(&d);
                open.outstanding += 1;
                open.descriptors += 1;
                any = true;
            }
        }
        any
    }

    fn complete(&mut self, hw: &mut impl Hardware) -> Result<bool, Fatal> {
        let mut written = 0;
        while self.count > 0 {
            let open = self.open[self.first].as_ref().unwrap();
            if open.outstanding > 0 || !open.split.done() {
                break;
            }
            if !self.cpl.has_room(hw.reg(CPL_RING_TAIL), self.cpl_head) {
                break;
            }
            let now = hw.cycles();
            let rec = CompletionRecord {
                cookie: open.cookie,
                status: open.status as u16,
                phase: completion_phase(self.cpl_head, self.cpl.entries),
                descriptors: open.descriptors,
                fetched_at: open.fetched_at,
                done_at: now,
            };
            let addr = self.cpl.slot_addr(self.cpl_head);
            let half = (addr % 64) as usize;
            let mut beat = [0u32; 16];
            beat[half / 4..half / 4 + COMPLETION_BYTES / 4].copy_from_slice(&rec.to_words());
            let strobes = 0xFFFF_FFFFu64 << half;
            hw.write_beat(addr - half as u64, &beat, strobes)?;
            hw.set_reg(FW_LAST_CMD_CYCLES, (now - rec.fetched_at) as u32);
            self.cpl_head = self.cpl_head.wrapping_add(1);
            self.open[self.first] = None;
            self.first = (self.first + 1) % IN_FLIGHT;
            self.count -= 1;
            written += 1;
        }
        if written > 0 {
            // Order: the records are written (bridge writes complete in order)
            // before the head moves and the interrupt is raised.
            hw.set_reg(CPL_RING_HEAD, self.cpl_head);
            hw.raise_irq();
        }
        Ok(written > 0)
    }

    fn fetch(&mut self, hw: &mut impl Hardware) -> Result<bool, Fatal> {
        if self.count == IN_FLIGHT || hw.reg(CMD_RING_TAIL) == self.cmd_head {
            return Ok(false);
        }
        let fetched_at = hw.cycles();
        let beat = hw.read_beat(self.cmd.slot_addr(self.cmd_head))?;
        self.cmd_head = self.cmd_head.wrapping_add(1);
        hw.set_reg(CMD_RING_HEAD, self.cmd_head);
        let rec = CommandRecord::from_words(&beat);
        let slot = (self.first + self.count) % IN_FLIGHT;
        let generation = hw.reg(WINDOW_GENERATION);
        if generation != self.window_generation {
            self.windows = Windows::read(hw);
            self.window_generation = generation;
        }
        let (status, split) = match check_command(&rec, &self.windows) {
            Ok(()) => (CompletionStatus::Ok, Splitter::new(&rec, slot as u16)),
            Err(status) => {
                hw.set_reg(FW_REJECTED, hw.reg(FW_REJECTED).wrapping_add(1));
                (status, Splitter::empty())
            }
        };
        self.open[slot] = Some(Open {
            cookie: rec.cookie,
            status,
            split,
            outstanding: 0,
            descriptors: 0,
            fetched_at,
        });
        self.count += 1;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_card::{FakeCard, CMD};
    use tiledma_contract::command::{OP_COPY, OP_NOP};

    fn copy(cookie: u32, len: u32) -> CommandRecord {
        CommandRecord {
            opcode: OP_COPY,
            cookie,
            row_bytes: len,
            rows: 1,
            slices: 1,
            src_addr: 0x10_0000 + cookie as u64 * 0x100,
            dst_addr: 0x18_0000 + cookie as u64 * 0x100,
            ..Default::default()
        }
    }

    fn run(p: &mut Processor, c: &mut FakeCard) {
        while p.poll(c).unwrap() {}
    }

    #[test]
    fn ring_wraps_many_laps_and_phases_alternate() {
        let mut c = FakeCard::new(4, 2);
        let mut p = Processor::start(&mut c).unwrap();
        let mut done = 0u32;
        for round in 0..10u32 {
            for k in 0..3 {
                c.post(copy(round * 3 + k, 64));
            }
            // The host consumes completions as they come, so the small
            // completion ring never blocks for long.
            for _ in 0..20 {
                p.poll(&mut c).unwrap();
                let head = c.reg(CPL_RING_HEAD);
                while done != head {
                    let r = c.completion(done);
                    assert_eq!(r.cookie, done, "completions in order");
                    assert_eq!(r.status, CompletionStatus::Ok as u16);
                    assert_eq!(r.phase, completion_phase(done, 2));
                    assert!(r.done_at > r.fetched_at);
                    done += 1;
                    c.set_reg(CPL_RING_TAIL, done);
                }
            }
        }
        assert_eq!(done, 30);
        assert_eq!(c.reg(CMD_RING_HEAD), 30);
        assert!(c.irqs > 0);
    }

    #[test]
    fn counts_wrap_at_u32() {
        let mut c = FakeCard::new(4, 4);
        let mut p = Processor::start(&mut c).unwrap();
        p.cmd_head = u32::MAX - 1;
        p.cpl_head = u32::MAX - 1;
        c.set_reg(CMD_RING_TAIL, u32::MAX - 1);
        c.set_reg(CPL_RING_TAIL, u32::MAX - 1);
        for k in 0..4 {
            c.post(copy(k, 8));
        }
        run(&mut p, &mut c);
        assert_eq!(c.reg(CPL_RING_HEAD), 2);
        for (k, n) in [u32::MAX - 1, u32::MAX, 0, 1].into_iter().enumerate() {
            assert_eq!(c.completion(n).cookie, k as u32);
            assert_eq!(c.completion(n).phase, completion_phase(n, 4));
        }
    }

    #[test]
    fn malformed_records_complete_with_errors_and_touch_nothing() {
        let mut c = FakeCard::new(8, 8);
        let mut p = Processor::start(&mut c).unwrap();
        let mut bad_op = copy(1, 8);
        bad_op.opcode = 9;
        let mut outside = copy(2, 8);
        outside.dst_addr = 0x200_0000;
        let mut flags = copy(3, 8);
        flags.flags = 4;
        for r in [bad_op, outside, flags, copy(4, 8)] {
            c.post(r);
        }
        run(&mut p, &mut c);
        let st: Vec<u16> = (0..4).map(|n| c.completion(n).status).collect();
        assert_eq!(
            st,
            [
                CompletionStatus::BadOpcode as u16,
                CompletionStatus::BadDestination as u16,
                CompletionStatus::BadFlags as u16,
                CompletionStatus::Ok as u16
            ]
        );
        assert_eq!(c.reg(FW_REJECTED), 3);
        assert_eq!(c.completion(0).descriptors, 0);
    }

    #[test]
    fn a_nop_moves_nothing_whatever_its_other_fields_say() {
        // Found by the fuzz target: a NOP with copy fields reached the engine
        // without any window check.
        let mut c = FakeCard::new(8, 8);
        let mut p = Processor::start(&mut c).unwrap();
        let mut nop = copy(1, 64);
        nop.opcode = OP_NOP;
        nop.dst_addr = 0xdead_0000;
        c.post(nop);
        run(&mut p, &mut c);
        assert_eq!(c.completion(0).status, CompletionStatus::Ok as u16);
        assert_eq!(c.completion(0).descriptors, 0);
        assert!(c.pushed.is_empty());
    }

    #[test]
    fn engine_error_ends_the_command_only() {
        let mut c = FakeCard::new(8, 8);
        let mut p = Processor::start(&mut c).unwrap();
        let mut big = copy(1, 4096);
        big.rows = 1000; // 16 descriptors of 64 rows
        big.src_row_pitch = 4096;
        big.dst_row_pitch = 4096;
        big.dst_addr = CARD_MEMORY_BASE;
        c.fail_src = Some(big.src_addr);
        c.post(big);
        c.post(copy(2, 16));
        run(&mut p, &mut c);
        let a = c.completion(0);
        assert_eq!(a.status, CompletionStatus::ReadFault as u16);
        assert!(
            a.descriptors < 16,
            "stopped feeding after the error: {}",
            a.descriptors
        );
        assert_eq!(c.completion(1).status, CompletionStatus::Ok as u16);
    }

    #[test]
    fn full_completion_ring_waits_for_the_host() {
        let mut c = FakeCard::new(8, 2);
        let mut p = Processor::start(&mut c).unwrap();
        for k in 0..5 {
            c.post(copy(k, 8));
        }
        run(&mut p, &mut c);
        assert_eq!(
            c.reg(CPL_RING_HEAD),
            2,
            "no room past two unread completions"
        );
        c.set_reg(CPL_RING_TAIL, 2);
        run(&mut p, &mut c);
        assert_eq!(c.reg(CPL_RING_HEAD), 4);
    }

    #[test]
    fn windows_are_reread_when_their_generation_changes() {
        let mut c = FakeCard::new(8, 8);
        let mut p = Processor::start(&mut c).unwrap();
        let mut far = copy(1, 8);
        far.src_addr = 0x4000_0000;
        c.post(far);
        run(&mut p, &mut c);
        assert_eq!(c.completion(0).status, CompletionStatus::BadSource as u16);
        c.set_reg(WINDOW_BASE + 16, 0x4000_0000);
        c.set_reg(WINDOW_BASE + 16 + 8, 0x1000);
        c.set_reg(WINDOW_GENERATION, 1);
        c.post(far);
        run(&mut p, &mut c);
        assert_eq!(c.completion(1).status, CompletionStatus::Ok as u16);
    }

    #[test]
    fn bad_rings_and_ring_faults_are_fatal() {
        let mut c = FakeCard::new(6, 8);
        assert_eq!(
            Processor::start(&mut c).err(),
            Some(Fatal::BadRing(RingError::BadEntries))
        );
        let mut c = FakeCard::new(8, 8);
        let mut p = Processor::start(&mut c).unwrap();
        c.unmapped = Some(CMD);
        c.post(copy(1, 8));
        assert_eq!(p.poll(&mut c), Err(Fatal::RingFault));
    }
}
