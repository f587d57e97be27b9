//! The command processor: fetch, check, split, feed the engine, complete.
//!
//! Commands complete in the order they were fetched; up to [`IN_FLIGHT`] are
//! open at once, so the next commands are fetched and checked while the
//! engine works. Engine descriptors carry the command's slot as their tag.

use crate::check::{check_command, Windows};
use crate::hw::{BusError, Hardware};
use crate::ring::{Ring, RingError};
use crate::split::Splitter;
use tiledma_contract::regs::*;
use tiledma_contract::{CommandRecord, CompletionStatus, EngineError};

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

/// An open command, kept in place in its slot (nothing big is moved).
#[derive(Clone, Debug, Default)]
struct Open {
    /// The record and how far it is split.
    split: Splitter,
    /// A [`CompletionStatus`] code.
    status: u16,
    outstanding: u32,
    descriptors: u32,
    fetched_at: u64,
}

/// Fills `rec` in place from the 16 little-endian words of its wire form
/// (as `CommandRecord::from_words`).
#[inline(always)]
fn load_record(rec: &mut CommandRecord, w: impl Fn(usize) -> u32) {
    let w0 = w(0);
    rec.opcode = w0 as u16;
    rec.flags = (w0 >> 16) as u16;
    rec.row_bytes = w(1);
    rec.cookie = w(2);
    rec.layout = w(3);
    rec.src_addr = w(4) as u64 | (w(5) as u64) << 32;
    rec.dst_addr = w(6) as u64 | (w(7) as u64) << 32;
    rec.src_slice_pitch = w(8) as u64 | (w(9) as u64) << 32;
    rec.dst_slice_pitch = w(10) as u64 | (w(11) as u64) << 32;
    rec.src_row_pitch = w(12);
    rec.dst_row_pitch = w(13);
    rec.rows = w(14);
    rec.slices = w(15);
}

/// The processor's state between polls.
pub struct Processor {
    cmd: Ring,
    cpl: Ring,
    cmd_head: u32,
    cpl_head: u32,
    open: [Open; IN_FLIGHT],
    /// Slot of the oldest open command.
    first: usize,
    count: usize,
    /// Open commands, from the oldest, whose descriptors have all gone to
    /// the engine.
    fed: usize,
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
            fed: 0,
            window_generation: hw.reg(WINDOW_GENERATION),
            windows: Windows::read(hw),
        })
    }

    /// One pass of the main loop: retire engine statuses, feed the engine,
    /// write completions, fetch commands (and feed the engine the fetched
    /// one's first descriptors). Returns whether anything happened.
    #[inline]
    pub fn poll(&mut self, hw: &mut impl Hardware) -> Result<bool, Fatal> {
        let mut busy = self.retire(hw);
        if self.count > 0 {
            busy |= self.feed(hw);
            busy |= self.complete(hw)?;
        }
        busy |= self.fetch(hw)?;
        Ok(busy)
    }

    /// Whether `slot` holds an open command.
    fn is_open(&self, slot: usize) -> bool {
        (slot + IN_FLIGHT - self.first) % IN_FLIGHT < self.count
    }

    #[inline]
    fn retire(&mut self, hw: &mut impl Hardware) -> bool {
        let mut any = false;
        while let Some((tag, err)) = hw.engine_status() {
            any = true;
            let slot = tag as usize % IN_FLIGHT;
            if !self.is_open(slot) {
                continue;
            }
            let open = &mut self.open[slot];
            open.outstanding -= 1;
            let status = match EngineError::from_code(err) {
                Some(EngineError::Ok) => continue,
                Some(EngineError::ReadBusError) => CompletionStatus::ReadFault,
                _ => CompletionStatus::WriteFault,
            };
            if open.status == CompletionStatus::Ok as u16 {
                open.status = status as u16;
            }
            // Nothing more of a failed command goes to the engine.
            open.split.stop();
        }
        any
    }

    #[inline]
    fn feed(&mut self, hw: &mut impl Hardware) -> bool {
        let mut any = false;
        while self.fed < self.count {
            let slot = (self.first + self.fed) % IN_FLIGHT;
            let open = &mut self.open[slot];
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
            self.fed += 1;
        }
        any
    }

    fn complete(&mut self, hw: &mut impl Hardware) -> Result<bool, Fatal> {
        let mut written = 0;
        while self.count > 0 {
            let open = &self.open[self.first];
            if open.outstanding > 0 || !open.split.done() {
                break;
            }
            if !self.cpl.has_room(hw.reg(CPL_RING_TAIL), self.cpl_head) {
                break;
            }
            let now = hw.cycles();
            // The completion record's wire form (`CompletionRecord::to_words`).
            let words = [
                open.split.record().cookie,
                0,
                open.status as u32 | (self.cpl.phase(self.cpl_head) as u32) << 16,
                open.descriptors,
                open.fetched_at as u32,
                (open.fetched_at >> 32) as u32,
                now as u32,
                (now >> 32) as u32,
            ];
            hw.write_words(self.cpl.slot_addr(self.cpl_head), &words)?;
            hw.set_reg(FW_LAST_CMD_CYCLES, (now - open.fetched_at) as u32);
            self.cpl_head = self.cpl_head.wrapping_add(1);
            self.first = (self.first + 1) % IN_FLIGHT;
            self.count -= 1;
            // The oldest command was fed (its splitter is done).
            self.fed = self.fed.saturating_sub(1);
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

    #[inline]
    fn fetch(&mut self, hw: &mut impl Hardware) -> Result<bool, Fatal> {
        if self.count == IN_FLIGHT || hw.reg(CMD_RING_TAIL) == self.cmd_head {
            return Ok(false);
        }
        hw.start_read(self.cmd.slot_addr(self.cmd_head));
        // While the read crosses the bus: the time stamp and the windows.
        let fetched_at = hw.cycles();
        let generation = hw.reg(WINDOW_GENERATION);
        if generation != self.window_generation {
            self.windows = Windows::read(hw);
            self.window_generation = generation;
        }
        hw.bridge_wait()?;
        let slot = (self.first + self.count) % IN_FLIGHT;
        let open = &mut self.open[slot];
        load_record(open.split.record_mut(), |i| hw.beat_word(i));
        open.outstanding = 0;
        open.descriptors = 0;
        open.fetched_at = fetched_at;
        open.status = match check_command(open.split.record(), &self.windows) {
            Ok(()) => {
                open.split.restart(slot as u16);
                CompletionStatus::Ok as u16
            }
            Err(status) => {
                open.split.stop();
                hw.set_reg(FW_REJECTED, hw.reg(FW_REJECTED).wrapping_add(1));
                status as u16
            }
        };
        self.count += 1;
        // Its first descriptors go out before anything else is done.
        self.feed(hw);
        self.cmd_head = self.cmd_head.wrapping_add(1);
        hw.set_reg(CMD_RING_HEAD, self.cmd_head);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_card::{FakeCard, CMD};
    use tiledma_contract::command::{completion_phase, OP_COPY, OP_NOP};

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
