//! `tiledma check`: the transport test a board (or the VM test's guest)
//! runs. Each step verifies bytes, so a pass means the whole path works:
//! registers, DMA mappings through the IOMMU, interrupts, firmware, engine.
//!
//! 1. the demo copy (host → card memory → host, guard bytes);
//! 2. map/unmap: DMA buffers of many sizes mapped, used and unmapped in
//!    turn, their IOVAs reused;
//! 3. a tiled copy: a box of a linear image into a Tile4 surface, the whole
//!    surface compared with the contract's tiling math, and back;
//! 4. a copy from an IOVA that is no longer mapped: it must fail with a bus
//!    error (the IOMMU refuses it), and the copies after it must succeed;
//! 5. interrupts were delivered.

use anyhow::{bail, ensure, Result};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;
use tiledma::{Completion, Copy3d, Device, View};
use tiledma_contract::tiling::Tiling;
use tiledma_contract::CompletionStatus;

fn ok(dev: &Device, c: &Copy3d, what: &str) -> Result<()> {
    let done = dev.copy(c)?.wait();
    ensure!(
        done.status == CompletionStatus::Ok,
        "{what}: the card reports {:?}",
        done.status
    );
    Ok(())
}

/// `data` host → card memory (at `card_offset`) → host, into the middle of
/// a guarded buffer; checks every byte and the guards. Returns the card →
/// host completion and the card's cycle counter just before its doorbell.
pub(crate) fn round_trip(dev: &Device, data: &[u8], card_offset: u64) -> Result<(Completion, u64)> {
    const GUARD: usize = 64;
    let n = data.len();
    let src = dev.alloc_dma(n)?;
    let dst = dev.alloc_dma(n + 2 * GUARD)?;
    let card = dev.alloc_card(n as u64 + card_offset)?;
    src.write(0, data);
    dst.write(0, &vec![0xA5; n + 2 * GUARD]);
    let at = card.addr() + card_offset;
    ok(
        dev,
        &Copy3d::linear(src.iova(), at, n as u32),
        "host → card",
    )?;
    let rung_at = dev.card_cycles();
    let back = dev
        .copy(&Copy3d::linear(at, dst.iova() + GUARD as u64, n as u32))?
        .wait();
    ensure!(
        back.status == CompletionStatus::Ok,
        "card → host: the card reports {:?}",
        back.status
    );
    let out = dst.to_vec();
    ensure!(
        out[GUARD..GUARD + n] == data[..],
        "{n} bytes differ after host → card → host"
    );
    ensure!(
        out[..GUARD]
            .iter()
            .chain(&out[GUARD + n..])
            .all(|&b| b == 0xA5),
        "guard bytes around {n} copied bytes were overwritten"
    );
    Ok((back, rung_at))
}

/// [`round_trip`] of `n` random bytes.
fn random_round_trip(dev: &Device, rng: &mut ChaCha8Rng, n: usize) -> Result<()> {
    let mut data = vec![0u8; n];
    rng.fill_bytes(&mut data);
    round_trip(dev, &data, 0).map(|_| ())
}

fn map_unmap(dev: &Device, rng: &mut ChaCha8Rng) -> Result<usize> {
    let mut rounds = 0;
    for i in 0..24 {
        let n = match i % 4 {
            0 => rng.gen_range(1..64),
            1 => rng.gen_range(4096..3 * 4096),
            2 => 4096,
            _ => rng.gen_range(64 * 1024..256 * 1024),
        };
        random_round_trip(dev, rng, n)?;
        rounds += 1;
    }
    Ok(rounds)
}

fn tiled(dev: &Device, rng: &mut ChaCha8Rng) -> Result<()> {
    const PITCH: u64 = 512;
    const ROWS: u64 = 64;
    let (x0, y0, w, h) = (35u64, 5u64, 300u64, 50u64);
    let bytes = (PITCH * ROWS) as usize;
    let mut image = vec![0u8; bytes];
    rng.fill_bytes(&mut image);
    let src = dev.alloc_dma(bytes)?;
    src.write(0, &image);
    let fill = dev.alloc_dma(bytes)?;
    fill.write(0, &vec![0x5A; bytes]);
    let card = dev.alloc_card(bytes as u64)?;
    ok(
        dev,
        &Copy3d::linear(fill.iova(), card.addr(), bytes as u32),
        "fill",
    )?;

    let lin = View::linear(src.iova(), PITCH, PITCH * ROWS);
    let t4 = View::new(card.addr(), Tiling::Tile4, PITCH, ROWS);
    let into = Copy3d::region(&lin, [x0, y0, 0], &t4, [x0, y0, 0], [w, h, 1])?;
    ok(dev, &into, "linear → Tile4")?;

    // The whole tiled surface, raw, against the contract's placement.
    let raw = dev.alloc_dma(bytes)?;
    ok(
        dev,
        &Copy3d::linear(card.addr(), raw.iova(), bytes as u32),
        "read back",
    )?;
    let got = raw.to_vec();
    let mut want = vec![0x5A; bytes];
    for y in y0..y0 + h {
        for x in x0..x0 + w {
            want[Tiling::Tile4.offset(PITCH, x, y) as usize] = image[(y * PITCH + x) as usize];
        }
    }
    if let Some(i) = (0..bytes).find(|&i| got[i] != want[i]) {
        bail!(
            "Tile4 surface byte {i:#x} is {:#04x}, the tiling math says {:#04x}",
            got[i],
            want[i]
        );
    }

    // And back out, to the same box of a fresh linear image.
    let out = dev.alloc_dma(bytes)?;
    out.write(0, &vec![0xC3; bytes]);
    let lout = View::linear(out.iova(), PITCH, PITCH * ROWS);
    ok(
        dev,
        &Copy3d::region(&t4, [x0, y0, 0], &lout, [x0, y0, 0], [w, h, 1])?,
        "Tile4 → linear",
    )?;
    let back = out.to_vec();
    for y in 0..ROWS {
        for x in 0..PITCH {
            let i = (y * PITCH + x) as usize;
            let inside = (x0..x0 + w).contains(&x) && (y0..y0 + h).contains(&y);
            let expect = if inside { image[i] } else { 0xC3 };
            ensure!(
                back[i] == expect,
                "linear byte ({x}, {y}) wrong after Tile4 → linear"
            );
        }
    }
    Ok(())
}

fn unmapped_iova(dev: &Device, rng: &mut ChaCha8Rng) -> Result<CompletionStatus> {
    let gone = {
        let b = dev.alloc_dma(8192)?;
        b.iova()
    }; // dropped: unmapped from the IOMMU
    let card = dev.alloc_card(8192)?;
    let done = dev.copy(&Copy3d::linear(gone, card.addr(), 8192))?.wait();
    ensure!(
        done.status != CompletionStatus::Ok,
        "a copy from unmapped IOVA {gone:#x} succeeded"
    );
    // The card is unharmed: the next copies go through.
    random_round_trip(dev, rng, 65536)?;
    Ok(done.status)
}

/// Runs every step; prints one line per step.
pub fn run(dev: &Device) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(0x7464);
    println!("device: {}", dev.transport().describe());
    random_round_trip(dev, &mut rng, 65536)?;
    println!("ok   demo copy: 65536 B host → card memory → host, byte-exact, guards intact");
    let n = map_unmap(dev, &mut rng)?;
    println!("ok   map/unmap: {n} buffer pairs of 1 B to 256 KiB mapped, copied through, unmapped");
    tiled(dev, &mut rng)?;
    println!(
        "ok   tiled copy: 300×50 box linear → Tile4 → linear, surface matches the tiling math"
    );
    let status = unmapped_iova(dev, &mut rng)?;
    println!("ok   unmapped IOVA: the copy failed with {status:?}; the copies after it are exact");
    let irqs = dev.transport().wait_interrupt(0, Duration::ZERO);
    ensure!(
        irqs > 0,
        "no interrupt arrived (completions were found by polling only)"
    );
    println!("ok   interrupts: {irqs} delivered");
    println!("PASS tiledma check");
    Ok(())
}
