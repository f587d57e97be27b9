//! Fuzzing the command processor with random command records (proptest,
//! fixed seed). Built with overflow checks (the test profile), so any
//! arithmetic overflow on a record's fields is a panic and fails the run.
//!
//! For every batch of records it checks what must hold whatever the host
//! writes: one completion per record, in order, with its cookie and phase;
//! the status the checks give; rejected records reach no engine; an
//! accepted record's descriptors move exactly its bytes (every byte for
//! small records, the corners of every descriptor for large ones), all
//! inside a registered window or card memory, with the source and
//! destination apart. `TILEDMA_FUZZ_CASES` sets the number of batches.

use crate::check::{check_command, Windows};
use crate::fake_card::FakeCard;
use crate::hw::Hardware;
use crate::processor::{Processor, IN_FLIGHT};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::sync::atomic::{AtomicU64, Ordering};
use tiledma_contract::command::{completion_phase, OP_COPY, OP_NOP};
use tiledma_contract::layout::{Layout, Placement};
use tiledma_contract::regs::*;
use tiledma_contract::tiling::Tiling;
use tiledma_contract::{CommandRecord, CompletionStatus, EngineDescriptor};

/// Records up to this many bytes are checked byte by byte.
const EXHAUSTIVE_BYTES: u64 = 1 << 14;

/// DMA windows for one batch: `(base, size)`.
fn windows() -> impl Strategy<Value = Vec<(u64, u64)>> {
    let base = prop_oneof![
        (0u64..64).prop_map(|k| 0x10_0000 * (k + 1)),
        any::<u64>().prop_map(|b| b & !0xFFF),
        (0u64..4096).prop_map(|k| u64::MAX - k),
        Just(0),
    ];
    // Up to 64 MiB: a record that passes is split into at most a few
    // hundred descriptors (card memory is larger, 256 MiB).
    let size = prop_oneof![
        1 => 1u64..0x1000,
        1 => 0x1000u64..0x40_0000,
        1 => Just(0),
        3 => Just(0x100_0000),
        1 => Just(0x400_0000),
    ];
    prop::collection::vec((base, size), 1..4)
}

/// A u32 that is usually small, sometimes at an edge.
fn dim(small: u32) -> impl Strategy<Value = u32> {
    prop_oneof![
        6 => 0..=small,
        1 => Just(0),
        1 => Just(u32::MAX),
        1 => any::<u32>(),
        1 => (0u32..64).prop_map(|k| 1 << (k % 32)),
    ]
}

fn pitch64() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => 0u64..0x2_0000,
        1 => Just(0),
        1 => Just(u64::MAX),
        1 => any::<u64>(),
        1 => (0u64..64).prop_map(|k| 1 << k),
    ]
}

fn placement() -> impl Strategy<Value = Placement> {
    (0usize..4, any::<u16>(), any::<u8>()).prop_map(|(t, x, y)| {
        let tiling = Tiling::ALL[t];
        if tiling == Tiling::Linear {
            return Placement::LINEAR;
        }
        Placement {
            tiling,
            x: x % tiling.tile_width() as u16,
            y: y % tiling.tile_height() as u8,
        }
    })
}

fn layout_word() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => Just(Layout::LINEAR.to_word()),
        4 => (placement(), placement()).prop_map(|(src, dst)| Layout { src, dst }.to_word()),
        1 => any::<u32>(),
    ]
}

/// An address near a window (`pick` chooses which), in card memory, or anywhere.
fn address() -> impl Strategy<Value = (u8, u64)> {
    prop_oneof![
        6 => (0u8..4, 0u64..0x8000),
        2 => (Just(4u8), 0u64..0x10_0000),
        1 => (Just(5u8), any::<u64>()),
    ]
}

fn record() -> impl Strategy<Value = ([(u8, u64); 2], CommandRecord)> {
    let opcode = prop_oneof![8 => Just(OP_COPY), 1 => Just(OP_NOP), 1 => any::<u16>()];
    let flags = prop_oneof![9 => Just(0u16), 1 => any::<u16>()];
    (
        (opcode, flags, layout_word(), [address(), address()]),
        (dim(300), dim(40), dim(4)),
        (dim(4096), dim(4096), pitch64(), pitch64()),
    )
        .prop_map(
            |((opcode, flags, layout, addrs), (row_bytes, rows, slices), pitches)| {
                let rec = CommandRecord {
                    opcode,
                    flags,
                    layout,
                    row_bytes,
                    rows,
                    slices,
                    src_row_pitch: pitches.0,
                    dst_row_pitch: pitches.1,
                    src_slice_pitch: pitches.2,
                    dst_slice_pitch: pitches.3,
                    ..Default::default()
                };
                (addrs, rec)
            },
        )
}

/// A record a driver could have written: pitches that fit the rows and
/// slices, a tiled side with a whole number of tiles per row, addresses
/// near a window. Wild fields come from [`record`].
fn plausible_record() -> impl Strategy<Value = ([(u8, u64); 2], CommandRecord)> {
    let side = || (placement(), 0u64..3, 0u64..200, 0u8..4, 0u64..0x4000);
    // The destination sits 8 MiB past the source's window base: apart,
    // and inside the 16 MiB windows most batches have.
    let dst = side().prop_map(|(p, w, pad, pick, off)| (p, w, pad, pick, off + 0x80_0000));
    ((1u32..300, 1u32..24, 1u32..4), side(), dst).prop_map(|((row_bytes, rows, slices), s, d)| {
        let pitches = |(p, wide, pad, pick, off): (Placement, u64, u64, u8, u64)| {
            let (row_pitch, slice_pitch, off) = if p.tiling == Tiling::Linear {
                let rp = row_bytes as u64 + pad;
                (rp, rp * rows as u64 + pad, off)
            } else {
                let (tw, th) = (p.tiling.tile_width(), p.tiling.tile_height());
                let rp = (p.x as u64 + row_bytes as u64).div_ceil(tw) * tw + wide * tw;
                let bands = (p.y as u64 + rows as u64).div_ceil(th);
                (rp, bands * th * rp + wide * 4096, off & !0xFFF)
            };
            (row_pitch as u32, slice_pitch, (pick, off))
        };
        let (sp, ssp, sa) = pitches(s);
        let (dp, dsp, da) = pitches(d);
        let rec = CommandRecord {
            opcode: OP_COPY,
            layout: Layout { src: s.0, dst: d.0 }.to_word(),
            row_bytes,
            rows,
            slices,
            src_row_pitch: sp,
            dst_row_pitch: dp,
            src_slice_pitch: ssp,
            dst_slice_pitch: dsp,
            ..Default::default()
        };
        ([sa, da], rec)
    })
}

/// Resolves an `address()` choice against the batch's windows.
fn resolve((pick, off): (u8, u64), windows: &[(u64, u64)]) -> u64 {
    match pick {
        0..=3 => windows[pick as usize % windows.len()].0.wrapping_add(off),
        4 => CARD_MEMORY_BASE + off,
        _ => off,
    }
}

/// `(src, dst)` of every byte of `d`.
fn bytes_of(d: &EngineDescriptor) -> Vec<(u64, u64)> {
    let mut v = Vec::with_capacity(d.total_bytes() as usize);
    d.for_each_byte(|s, t| v.push((s, t)));
    v
}

fn inside(windows: &[(u64, u64)], addr: u64) -> bool {
    let within = |base: u64, size: u64| addr >= base && addr - base < size;
    within(CARD_MEMORY_BASE, CARD_MEMORY_BYTES)
        || windows.iter().any(|&(base, size)| within(base, size))
}

/// Tallies over the whole run, printed at the end.
#[derive(Default)]
struct Tally {
    records: AtomicU64,
    accepted: AtomicU64,
    rejected: AtomicU64,
    engine_faults: AtomicU64,
    descriptors: AtomicU64,
    bytes_checked: AtomicU64,
}

/// What a batch runs against.
struct Batch<'a> {
    /// The windows as `(base, size)`.
    windows: &'a [(u64, u64)],
    /// The same, as the firmware reads them.
    checked: Windows,
    /// The same, as firmware 1.0 read them.
    reference: crate::reference::check::Windows,
    cpl_entries: u32,
}

/// What one completion must say about its record and descriptors.
fn check_one(
    n: u32,
    rec: &CommandRecord,
    cpl: &tiledma_contract::CompletionRecord,
    descs: &[EngineDescriptor],
    batch: &Batch,
    tally: &Tally,
) -> Result<(), TestCaseError> {
    let (windows, checked) = (batch.windows, &batch.checked);
    prop_assert_eq!(cpl.cookie, rec.cookie, "completion {} out of order", n);
    prop_assert_eq!(cpl.phase, completion_phase(n, batch.cpl_entries));
    prop_assert_eq!(cpl.descriptors as usize, descs.len());
    let status = CompletionStatus::from_code(cpl.status).expect("a defined status");
    // The checks and the splitter decide exactly as firmware 1.0's did.
    let reference = crate::reference::check::check_command(rec, &batch.reference);
    prop_assert_eq!(check_command(rec, checked), reference);
    if reference.is_ok() && status == CompletionStatus::Ok {
        let tag = descs.first().map_or(0, |d| d.tag);
        let old: Vec<_> = crate::reference::split::Splitter::new(rec, tag).collect();
        prop_assert_eq!(descs, &old[..], "descriptors as firmware 1.0 split them");
    }
    match check_command(rec, checked) {
        Err(expected) => {
            prop_assert_eq!(status, expected);
            if std::env::var("TILEDMA_FUZZ_VERBOSE").is_ok() {
                eprintln!("rejected {expected:?}");
            }
            prop_assert!(descs.is_empty(), "a rejected record reached the engine");
            tally.rejected.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        Ok(()) => {
            prop_assert!(
                matches!(
                    status,
                    CompletionStatus::Ok
                        | CompletionStatus::ReadFault
                        | CompletionStatus::WriteFault
                ),
                "accepted record completed with {:?}",
                status
            );
        }
    }
    tally.accepted.fetch_add(1, Ordering::Relaxed);
    tally
        .descriptors
        .fetch_add(descs.len() as u64, Ordering::Relaxed);
    if status != CompletionStatus::Ok {
        tally.engine_faults.fetch_add(1, Ordering::Relaxed);
    }
    let whole = EngineDescriptor::of_record(rec);
    let total = if rec.opcode == OP_NOP {
        0
    } else {
        whole.total_bytes()
    };
    if status == CompletionStatus::Ok {
        let moved: u64 = descs.iter().map(|d| d.total_bytes()).sum();
        prop_assert_eq!(moved, total, "descriptors move the record's bytes");
    }
    // Every byte a descriptor touches lies inside a window or card memory.
    for d in descs {
        prop_assert!(d.total_bytes() > 0);
        let (lx, ly, lz) = (d.row_bytes - 1, d.rows - 1, d.slices - 1);
        for (x, y, z) in [
            (0, 0, 0),
            (lx, 0, 0),
            (0, ly, 0),
            (lx, ly, 0),
            (0, 0, lz),
            (lx, ly, lz),
        ] {
            let (s, t) = (d.src_byte_addr(x, y, z), d.dst_byte_addr(x, y, z));
            prop_assert!(
                inside(windows, s),
                "source byte {:#x} outside every window",
                s
            );
            prop_assert!(
                inside(windows, t),
                "destination byte {:#x} outside every window",
                t
            );
        }
    }
    // Small records: the descriptors move exactly the record's bytes, each
    // destination byte once, never reading a byte that is written.
    if status == CompletionStatus::Ok && total > 0 && total <= EXHAUSTIVE_BYTES {
        let mut want = bytes_of(&whole);
        let mut got: Vec<(u64, u64)> = descs.iter().flat_map(bytes_of).collect();
        want.sort_unstable();
        got.sort_unstable();
        prop_assert_eq!(&got, &want, "descriptors differ from the record");
        let mut dsts: Vec<u64> = want.iter().map(|b| b.1).collect();
        dsts.sort_unstable();
        dsts.dedup();
        prop_assert_eq!(dsts.len(), want.len(), "two bytes written to one address");
        for &(s, t) in &want {
            prop_assert!(inside(windows, s) && inside(windows, t));
            prop_assert!(
                dsts.binary_search(&s).is_err(),
                "byte {:#x} is read and written",
                s
            );
        }
        tally.bytes_checked.fetch_add(total, Ordering::Relaxed);
    }
    Ok(())
}

/// Runs one batch of records through a processor on a fake card.
fn run_batch(
    windows: &[(u64, u64)],
    recs: &[CommandRecord],
    ring_log2: (u32, u32),
    fail_every: Option<usize>,
    tally: &Tally,
) -> Result<(), TestCaseError> {
    let (cmd_entries, cpl_entries) = (1u32 << ring_log2.0, 1u32 << ring_log2.1);
    let mut card = FakeCard::new(cmd_entries, cpl_entries);
    for i in 0..WINDOWS {
        let (base, size) = windows.get(i as usize).copied().unwrap_or((0, 0));
        let at = WINDOW_BASE + 16 * i;
        card.set_reg(at, base as u32);
        card.set_reg(at + 4, (base >> 32) as u32);
        card.set_reg(at + 8, size as u32);
        card.set_reg(at + 12, (size >> 32) as u32);
    }
    let batch = Batch {
        windows,
        checked: Windows::read(&card),
        reference: crate::reference::check::Windows::read(&card),
        cpl_entries,
    };
    let mut p = Processor::start(&mut card).expect("valid rings");
    let mut by_tag: Vec<std::collections::VecDeque<EngineDescriptor>> =
        vec![Default::default(); IN_FLIGHT];
    let (mut posted, mut done, mut seen_pushed, mut idle, mut polls) =
        (0usize, 0u32, 0usize, 0, 0usize);
    while done < recs.len() as u32 {
        // The host posts while there is room.
        while posted < recs.len()
            && card
                .reg(CMD_RING_TAIL)
                .wrapping_sub(card.reg(CMD_RING_HEAD))
                < cmd_entries
        {
            card.post(recs[posted]);
            posted += 1;
        }
        // The engine fails the descriptor at its head now and then.
        polls += 1;
        card.fail_src = match (fail_every, card.engine.front()) {
            (Some(k), Some(d)) if polls % k == 0 => Some(d.src_addr),
            _ => None,
        };
        let busy = p
            .poll(&mut card)
            .map_err(|f| TestCaseError::fail(format!("processor stopped: {f:?}")))?;
        for d in &card.pushed[seen_pushed..] {
            prop_assert!((d.tag as usize) < IN_FLIGHT);
            by_tag[d.tag as usize].push_back(*d);
        }
        seen_pushed = card.pushed.len();
        // The host consumes every completion as it comes.
        let head = card.reg(CPL_RING_HEAD);
        idle = if busy || head != done { 0 } else { idle + 1 };
        prop_assert!(
            idle < 100,
            "no progress at {} of {} records",
            done,
            recs.len()
        );
        while done != head {
            let cpl = card.completion(done);
            let rec = &recs[done as usize];
            let queue = &mut by_tag[done as usize % IN_FLIGHT];
            let n = (cpl.descriptors as usize).min(queue.len());
            let descs: Vec<EngineDescriptor> = queue.drain(..n).collect();
            check_one(done, rec, &cpl, &descs, &batch, tally)?;
            done += 1;
            card.set_reg(CPL_RING_TAIL, done);
        }
    }
    prop_assert!(
        by_tag.iter().all(|q| q.is_empty()),
        "descriptors nobody owns"
    );
    let rejected = recs
        .iter()
        .filter(|r| check_command(r, &batch.checked).is_err())
        .count();
    prop_assert_eq!(card.reg(FW_REJECTED) as usize, rejected);
    tally
        .records
        .fetch_add(recs.len() as u64, Ordering::Relaxed);
    Ok(())
}

#[test]
fn random_records_complete_once_and_stay_inside_their_windows() {
    let cases: u32 = std::env::var("TILEDMA_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let seed = [0x5a; 32];
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let tally = Tally::default();
    let batch = (
        windows(),
        prop::collection::vec(prop_oneof![record(), plausible_record()], 1..24),
        (1u32..5, 1u32..5),
        prop_oneof![3 => Just(None), 1 => (2usize..7).prop_map(Some)],
    );
    let started = std::time::Instant::now();
    runner
        .run(&batch, |(windows, recs, rings, fail_every)| {
            let recs: Vec<CommandRecord> = recs
                .into_iter()
                .enumerate()
                .map(|(i, (addrs, mut rec))| {
                    rec.cookie = i as u32;
                    rec.src_addr = resolve(addrs[0], &windows);
                    rec.dst_addr = resolve(addrs[1], &windows);
                    rec
                })
                .collect();
            run_batch(&windows, &recs, rings, fail_every, &tally)
        })
        .unwrap();
    let t = |a: &AtomicU64| a.load(Ordering::Relaxed);
    println!(
        "firmware fuzz: {} batches, {} records ({} accepted, {} rejected, {} ended by engine faults), \
         {} descriptors, {} bytes checked one by one, in {:.1} s",
        cases,
        t(&tally.records),
        t(&tally.accepted),
        t(&tally.rejected),
        t(&tally.engine_faults),
        t(&tally.descriptors),
        t(&tally.bytes_checked),
        started.elapsed().as_secs_f64()
    );
    assert!(
        t(&tally.accepted) > t(&tally.records) / 10,
        "the generator reaches the engine"
    );
}
