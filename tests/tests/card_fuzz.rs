//! Random command records through the simulated card (real firmware on the
//! soft core, real engine): no hang, one completion per record, the status
//! the firmware's checks and the IOMMU's mappings call for, and no byte
//! written outside a record's destination.
//!
//! Records are raw (`Device::submit_record`), from a fixed seed: plausible
//! copies between two mapped buffers, mixed with wild fields (any opcode,
//! flags, layout, pitch, address: unmapped IOVAs inside the data window, the
//! rings, card memory, anywhere). Sizes stay small (at most 128 KiB) so every byte of
//! every record is enumerated; huge sizes are the firmware fuzz target's
//! business (`firmware/src/fuzz.rs`). `TILEDMA_CARD_FUZZ_RECORDS` sets the
//! number of records.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use tiledma_contract::command::{OP_COPY, OP_NOP};
use tiledma_contract::layout::{Layout, Placement};
use tiledma_contract::regs::{CARD_MEMORY_BASE, CARD_MEMORY_BYTES, DATA_IOVA, RING_IOVA, WINDOWS};
use tiledma_contract::tiling::Tiling;
use tiledma_contract::{CommandRecord, CompletionStatus, EngineDescriptor};
use tiledma_firmware::check::{check_command, Windows};
use tiledma_system_tests::{device, env_count, random_bytes, wait};

const BUF: usize = 512 * 1024;

fn pick<T: Copy>(rng: &mut ChaCha8Rng, xs: &[T]) -> T {
    xs[rng.gen_range(0..xs.len())]
}

fn placement(rng: &mut ChaCha8Rng) -> Placement {
    let tiling = pick(rng, &Tiling::ALL);
    if tiling == Tiling::Linear {
        return Placement::LINEAR;
    }
    Placement {
        tiling,
        x: rng.gen_range(0..tiling.tile_width()) as u16,
        y: rng.gen_range(0..tiling.tile_height()) as u8,
    }
}

/// Pitches that fit `row_bytes × rows` on a side placed at `p`.
fn pitches(rng: &mut ChaCha8Rng, p: Placement, row_bytes: u32, rows: u32) -> (u32, u64) {
    if p.tiling == Tiling::Linear {
        let rp = row_bytes as u64 + rng.gen_range(0..64);
        return (rp as u32, rp * rows as u64 + rng.gen_range(0..64));
    }
    let (tw, th) = (p.tiling.tile_width(), p.tiling.tile_height());
    let rp = (p.x as u64 + row_bytes as u64).div_ceil(tw) * tw + tw * rng.gen_range(0..2);
    let bands = (p.y as u64 + rows as u64).div_ceil(th);
    (rp as u32, bands * th * rp)
}

/// A record of at most 128 KiB; `a`, `b` are the mapped buffers.
fn record(rng: &mut ChaCha8Rng, a: u64, b: u64) -> CommandRecord {
    let (src_p, dst_p) = (placement(rng), placement(rng));
    let least = rng.gen_range(1..300);
    let row_bytes = pick(rng, &[0u32, 1, 16, 100, 512, 4096]).max(least);
    let rows = rng.gen_range(1..=16);
    let slices = rng.gen_range(1..=2);
    let (src_row_pitch, src_slice_pitch) = pitches(rng, src_p, row_bytes, rows);
    let (dst_row_pitch, dst_slice_pitch) = pitches(rng, dst_p, row_bytes, rows);
    // Tiled sides start on a tile; the buffers are 64 KiB apart inside.
    let (from, to) = if rng.gen() { (a, b) } else { (b, a) };
    let mut rec = CommandRecord {
        opcode: OP_COPY,
        layout: Layout {
            src: src_p,
            dst: dst_p,
        }
        .to_word(),
        row_bytes,
        rows,
        slices,
        src_addr: from + rng.gen_range(0..16u64) * 4096,
        dst_addr: to + rng.gen_range(0..16u64) * 4096,
        src_row_pitch,
        dst_row_pitch,
        src_slice_pitch,
        dst_slice_pitch,
        ..Default::default()
    };
    // Now and then a wild field.
    let wild_addr = |rng: &mut ChaCha8Rng| {
        let (r, k): (u64, u64) = (rng.gen(), rng.gen_range(1..4096));
        let choices = [
            DATA_IOVA.0 + DATA_IOVA.1 - 16,    // end of the data window
            DATA_IOVA.0 + 0x40_0000_0000,      // unmapped, inside the window
            RING_IOVA.0,                       // the command ring
            CARD_MEMORY_BASE + (r & 0xF_FFFF), // card memory
            u64::MAX - k,
            r,
            a + BUF as u64 - k, // runs off the buffer's end
        ];
        pick(rng, &choices)
    };
    for _ in 0..rng.gen_range(0..3) {
        let r: u64 = rng.gen();
        match rng.gen_range(0..10) {
            0 => rec.opcode = pick(rng, &[OP_NOP, 2, r as u16]),
            1 => rec.flags = r as u16,
            2 => rec.layout = r as u32,
            3 => rec.src_addr = wild_addr(rng),
            4 => rec.dst_addr = wild_addr(rng),
            5 => rec.src_row_pitch = pick(rng, &[0, 1, u32::MAX, r as u32]),
            6 => rec.dst_row_pitch = pick(rng, &[0, 1, u32::MAX, r as u32]),
            7 => rec.dst_slice_pitch = pick(rng, &[0, u64::MAX, 1 << 63, r]),
            8 => rec.src_slice_pitch = pick(rng, &[0, u64::MAX, r]),
            _ => rec.row_bytes = pick(rng, &[0, 1, 4096]),
        }
    }
    rec
}

/// `(src, dst)` of every byte a copy record names, by the contract's formula.
fn bytes_of(rec: &CommandRecord) -> Vec<(u64, u64)> {
    let mut v = Vec::new();
    if rec.opcode == OP_COPY {
        EngineDescriptor::of_record(rec).for_each_byte(|s, d| v.push((s, d)));
    }
    v
}

#[test]
fn random_records_never_hang_the_card_or_write_outside_their_destination() {
    let records: usize = env_count("TILEDMA_CARD_FUZZ_RECORDS", 1500);
    let dev = device();
    let bufs = [dev.alloc_dma(BUF).unwrap(), dev.alloc_dma(BUF).unwrap()];
    let mut model: Vec<Vec<u8>> = vec![random_bytes(1, BUF), random_bytes(2, BUF)];
    for (b, m) in bufs.iter().zip(&model) {
        b.write(0, m);
    }
    let mut ranges = [(0, 0); WINDOWS as usize];
    ranges[0] = DATA_IOVA;
    let windows = Windows::new(ranges);
    // Where a byte lives in the model, if it is in one of the buffers.
    let locate = |addr: u64| {
        bufs.iter()
            .position(|b| (b.iova()..b.iova() + BUF as u64).contains(&addr))
            .map(|i| (i, (addr - bufs[i].iova()) as usize))
    };
    let mut rng = ChaCha8Rng::seed_from_u64(0xf022);
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut bytes_checked = 0u64;
    let cycles0 = dev.card_cycles();
    for n in 0..records {
        let rec = record(
            &mut rng,
            bufs[0].iova() + 0x1_0000,
            bufs[1].iova() + 0x1_0000,
        );
        let status = wait(&dev.submit_record(rec).unwrap()).status;
        *statuses.entry(format!("{status:?}")).or_default() += 1;
        let bytes = bytes_of(&rec);
        let mapped = |a: u64| {
            locate(a).is_some()
                || (CARD_MEMORY_BASE..CARD_MEMORY_BASE + CARD_MEMORY_BYTES).contains(&a)
        };
        match check_command(&rec, &windows) {
            Err(rejected) => assert_eq!(status, rejected, "record {n}: {rec:?}"),
            Ok(()) if bytes.iter().all(|&(s, d)| mapped(s) && mapped(d)) => {
                assert_eq!(status, CompletionStatus::Ok, "record {n}: {rec:?}")
            }
            // Some byte is not mapped: the IOMMU refuses it.
            Ok(()) => assert!(
                matches!(
                    status,
                    CompletionStatus::ReadFault | CompletionStatus::WriteFault
                ),
                "record {n} touches unmapped IOVAs but completed {status:?}: {rec:?}"
            ),
        }
        // The model: an exact copy when it ran and read only buffer bytes;
        // otherwise the destination bytes in the buffers are unknown and are
        // taken from memory. Every other byte must be as it was.
        let ran = check_command(&rec, &windows).is_ok();
        let mut unknown = Vec::new();
        if ran {
            let exact =
                status == CompletionStatus::Ok && bytes.iter().all(|&(s, _)| locate(s).is_some());
            let before = model.clone();
            for &(s, d) in &bytes {
                if let Some((bi, off)) = locate(d) {
                    match locate(s) {
                        Some((si, soff)) if exact => model[bi][off] = before[si][soff],
                        _ => unknown.push((bi, off)),
                    }
                }
            }
        }
        let mut got = [bufs[0].to_vec(), bufs[1].to_vec()];
        for &(bi, off) in &unknown {
            model[bi][off] = got[bi][off];
        }
        for bi in 0..2 {
            if let Some(i) = (0..BUF).find(|&i| got[bi][i] != model[bi][i]) {
                panic!(
                    "record {n} ({status:?}): buffer {bi} byte {i:#x} is {:#04x}, the model says {:#04x}; {rec:?}",
                    got[bi][i], model[bi][i]
                );
            }
            got[bi].clear();
        }
        bytes_checked += 2 * BUF as u64;
    }
    let cycles = dev.card_cycles() - cycles0;
    println!(
        "card fuzz: {records} records, statuses {statuses:?}, {bytes_checked} buffer bytes compared, \
         {cycles} card cycles, 0 hangs, 0 lost or duplicated completions"
    );
    let firmware_rejected = statuses
        .iter()
        .filter(|(s, _)| s.starts_with("Bad"))
        .map(|(_, n)| n)
        .sum::<usize>();
    assert!(
        firmware_rejected > records / 20 && statuses.get("Ok").copied().unwrap_or(0) > records / 4
    );
}
