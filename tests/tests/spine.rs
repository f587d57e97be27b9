//! The spine on the simulated card: host API → command ring → doorbell →
//! firmware on PicoRV32 → engine → completion record + interrupt → event.
//! Every byte is checked, with guard bytes around every destination.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tiledma::Copy3d;
use tiledma_contract::command::{OP_COPY, OP_NOP};
use tiledma_contract::regs::{CMD_RING_HEAD, CPL_RING_HEAD, FW_REJECTED};
use tiledma_contract::{CommandRecord, CompletionStatus};
use tiledma_system_tests::*;

/// Many copies in flight at once, random sizes and unaligned offsets, host
/// memory → host memory, each checked byte by byte with its guards; all
/// completions arrive once each, with callbacks run once each.
#[test]
fn many_copies_in_flight() {
    let dev = device();
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed);
    let src = dev.alloc_dma(1 << 20).unwrap();
    let data = random_bytes(1, 1 << 20);
    src.write(0, &data);
    let callbacks = Arc::new(AtomicUsize::new(0));
    let mut jobs = Vec::new();
    for _ in 0..100 {
        let len = rng.gen_range(1..=6000usize);
        let so = rng.gen_range(0..(1 << 20) - len);
        let dst = dev.alloc_dma(len + 2 * GUARD + 64).unwrap();
        let d_off = GUARD + rng.gen_range(0..64);
        dst.write(0, &vec![GUARD_BYTE; dst.len()]);
        let ev = dev
            .copy(&Copy3d::linear(
                src.iova() + so as u64,
                dst.iova() + d_off as u64,
                len as u32,
            ))
            .unwrap();
        let c = callbacks.clone();
        ev.on_complete(move |_| {
            c.fetch_add(1, Ordering::SeqCst);
        });
        jobs.push((ev, dst, so, d_off, len));
    }
    for (ev, dst, so, d_off, len) in &jobs {
        assert_eq!(wait(ev).status, CompletionStatus::Ok);
        let out = dst.to_vec();
        assert_eq!(
            &out[*d_off..d_off + len],
            &data[*so..so + len],
            "copy of {len} B from {so:#x}"
        );
        assert!(
            out[..*d_off].iter().all(|&b| b == GUARD_BYTE),
            "guard before"
        );
        assert!(
            out[d_off + len..].iter().all(|&b| b == GUARD_BYTE),
            "guard after"
        );
    }
    // Callbacks run on the completion thread just after waiters wake.
    let deadline = std::time::Instant::now() + TIMEOUT;
    while callbacks.load(Ordering::SeqCst) < jobs.len() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert_eq!(
        callbacks.load(Ordering::SeqCst),
        jobs.len(),
        "every callback ran once"
    );
    assert_eq!(dev.transport().read32(CPL_RING_HEAD), 100);
}

/// Rings of four slots, 40 commands: both rings wrap ten times; completions
/// arrive in order and none is lost or duplicated.
#[test]
fn rings_wrap_around() {
    let dev = device_with_rings(4, 4);
    let src = dev.alloc_dma(4096).unwrap();
    let dst = dev.alloc_dma(40 * 64).unwrap();
    let data = random_bytes(2, 4096);
    src.write(0, &data);
    let events: Vec<_> = (0..40u64)
        .map(|i| {
            dev.copy(&Copy3d::linear(
                src.iova() + i * 13,
                dst.iova() + i * 64,
                64,
            ))
            .unwrap()
        })
        .collect();
    for (i, ev) in events.iter().enumerate() {
        let c = wait(ev);
        assert_eq!(c.status, CompletionStatus::Ok);
        assert_eq!(c.record.cookie, ev.cookie());
        let mut got = [0u8; 64];
        dst.read(i * 64, &mut got);
        assert_eq!(&got[..], &data[i * 13..i * 13 + 64]);
    }
    let t = dev.transport();
    assert_eq!((t.read32(CMD_RING_HEAD), t.read32(CPL_RING_HEAD)), (40, 40));
}

/// A 3D region into card memory and back out with other pitches.
#[test]
fn region_through_card_memory() {
    let dev = device();
    let (row, rows, slices) = (333u32, 7u32, 3u32);
    let src = dev.alloc_dma(64 * 1024).unwrap();
    let data = random_bytes(3, 64 * 1024);
    src.write(0, &data);
    let card = dev.alloc_card(64 * 1024).unwrap();
    let dst = dev.alloc_dma(64 * 1024).unwrap();
    dst.write(0, &vec![GUARD_BYTE; 64 * 1024]);
    let (sp, ssp) = (401u32, 401u64 * 7 + 9);
    let (cp, csp) = (340u32, 340u64 * 7);
    let (dp, dsp) = (512u32, 4096u64);
    let to_card = Copy3d {
        src: src.iova() + 5,
        src_row_pitch: sp,
        src_slice_pitch: ssp,
        dst: card.addr() + 1,
        dst_row_pitch: cp,
        dst_slice_pitch: csp,
        row_bytes: row,
        rows,
        slices,
        layout: Default::default(),
    };
    let back = Copy3d {
        src: card.addr() + 1,
        src_row_pitch: cp,
        src_slice_pitch: csp,
        dst: dst.iova() + 70,
        dst_row_pitch: dp,
        dst_slice_pitch: dsp,
        row_bytes: row,
        rows,
        slices,
        layout: Default::default(),
    };
    assert_eq!(
        wait(&dev.copy(&to_card).unwrap()).status,
        CompletionStatus::Ok
    );
    assert_eq!(wait(&dev.copy(&back).unwrap()).status, CompletionStatus::Ok);
    let out = dst.to_vec();
    let mut expect = vec![GUARD_BYTE; 64 * 1024];
    for z in 0..slices as usize {
        for y in 0..rows as usize {
            let s = 5 + z * ssp as usize + y * sp as usize;
            let d = 70 + z * dsp as usize + y * dp as usize;
            expect[d..d + row as usize].copy_from_slice(&data[s..s + row as usize]);
        }
    }
    assert!(out == expect, "3D region wrong after host → card → host");
}

fn raw_copy(src: u64, dst: u64, len: u32) -> CommandRecord {
    CommandRecord {
        opcode: OP_COPY,
        row_bytes: len,
        rows: 1,
        slices: 1,
        src_addr: src,
        dst_addr: dst,
        ..Default::default()
    }
}

/// Malformed records are rejected by the firmware with their status, touch
/// nothing, and the card goes on with the next command.
#[test]
fn malformed_records_are_rejected() {
    let dev = device();
    let src = dev.alloc_dma(4096).unwrap();
    let dst = dev.alloc_dma(4096).unwrap();
    src.write(0, &random_bytes(4, 4096));
    dst.write(0, &[GUARD_BYTE; 4096]);
    let mut bad_op = raw_copy(src.iova(), dst.iova(), 16);
    bad_op.opcode = 0x7777;
    let mut bad_flags = raw_copy(src.iova(), dst.iova(), 16);
    bad_flags.flags = 1;
    let mut overlapping_rows = raw_copy(src.iova(), dst.iova(), 64);
    overlapping_rows.rows = 2;
    // Destination rows may not overlap (a source may re-read: fills).
    overlapping_rows.src_row_pitch = 64;
    overlapping_rows.dst_row_pitch = 32;
    // Outside every DMA window: low IOVAs (where the rings live) and a wild address.
    let into_ring = raw_copy(src.iova(), 0x1000_0000, 16);
    let from_nowhere = raw_copy(0xdead_0000, dst.iova(), 16);
    let cases = [
        (bad_op, CompletionStatus::BadOpcode),
        (bad_flags, CompletionStatus::BadFlags),
        (overlapping_rows, CompletionStatus::BadGeometry),
        (into_ring, CompletionStatus::BadDestination),
        (from_nowhere, CompletionStatus::BadSource),
    ];
    for (rec, want) in cases {
        let c = wait(&dev.submit_record(rec).unwrap());
        assert_eq!(c.status, want, "{rec:?}");
        assert_eq!(
            c.record.descriptors, 0,
            "a rejected command reaches no engine"
        );
    }
    assert!(
        dst.to_vec().iter().all(|&b| b == GUARD_BYTE),
        "rejected commands wrote nothing"
    );
    assert_eq!(dev.transport().read32(FW_REJECTED), 5);
    let nop = CommandRecord {
        opcode: OP_NOP,
        ..Default::default()
    };
    assert_eq!(
        wait(&dev.submit_record(nop).unwrap()).status,
        CompletionStatus::Ok
    );
    let ok = wait(
        &dev.copy(&Copy3d::linear(src.iova(), dst.iova(), 100))
            .unwrap(),
    );
    assert_eq!(ok.status, CompletionStatus::Ok);
}

/// An IOVA inside the DMA window but not mapped in the IOMMU: the engine
/// gets a decode error, the command completes with a fault (no hang), and
/// the next command runs normally.
#[test]
fn unmapped_iova_completes_with_a_fault() {
    let dev = device();
    let src = dev.alloc_dma(8192).unwrap();
    let dst = dev.alloc_dma(8192).unwrap();
    let gone = dev.alloc_dma(8192).unwrap();
    let gone_iova = gone.iova();
    drop(gone); // unmapped now
    src.write(0, &random_bytes(5, 8192));
    dst.write(0, &[GUARD_BYTE; 8192]);
    let read_fault = wait(
        &dev.copy(&Copy3d::linear(gone_iova, dst.iova(), 5000))
            .unwrap(),
    );
    assert_eq!(read_fault.status, CompletionStatus::ReadFault);
    let write_fault = wait(
        &dev.copy(&Copy3d::linear(src.iova(), gone_iova + 100, 5000))
            .unwrap(),
    );
    assert_eq!(write_fault.status, CompletionStatus::WriteFault);
    let ok = wait(
        &dev.copy(&Copy3d::linear(src.iova() + 1, dst.iova() + 2, 8000))
            .unwrap(),
    );
    assert_eq!(ok.status, CompletionStatus::Ok);
    let mut expect = random_bytes(5, 8192);
    expect.copy_within(1..8001, 2);
    expect[..2].fill(GUARD_BYTE);
    expect[8002..].fill(GUARD_BYTE);
    assert!(
        dst.to_vec() == expect,
        "the good copy after the faults is exact, the faulted ones wrote nothing"
    );
}
