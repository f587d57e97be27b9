//! `tiledma convert` on the simulated card: a 1024×768 RGBA8 image linear →
//! Y-tiled → linear gives the input back, and the Y-tiled file is exactly the
//! contract's Y formula applied to the input; a region with unaligned origins
//! into Tile4 leaves everything outside it zero.

use rand::{RngCore, SeedableRng};
use std::path::Path;
use tiledma_contract::tiling::Tiling;

mod common;
use common::tiledma_ok;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn rgba8_linear_to_y_and_back() {
    let dir = std::env::temp_dir().join(format!("tiledma-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (lin, y, back) = (
        dir.join("in.rgba"),
        dir.join("img.y"),
        dir.join("back.rgba"),
    );
    let (w, h) = (1024u64, 768u64);
    let mut data = vec![0u8; (w * h * 4) as usize];
    rand_chacha::ChaCha8Rng::seed_from_u64(1024).fill_bytes(&mut data);
    std::fs::write(&lin, &data).unwrap();
    let size = ["--width", "1024", "--height", "768", "--element-size", "4"];
    let mut a = vec![
        "convert",
        "--in",
        s(&lin),
        "--out",
        s(&y),
        "--from",
        "linear",
        "--to",
        "y",
    ];
    a.extend(size);
    tiledma_ok(&a);
    let mut b = vec![
        "convert",
        "--in",
        s(&y),
        "--out",
        s(&back),
        "--from",
        "y",
        "--to",
        "linear",
    ];
    b.extend(size);
    tiledma_ok(&b);
    let tiled = std::fs::read(&y).unwrap();
    assert_eq!(tiled.len(), data.len());
    for row in 0..h {
        for x in 0..w * 4 {
            let at = Tiling::Y.offset(w * 4, x, row) as usize;
            assert_eq!(tiled[at], data[(row * w * 4 + x) as usize], "({x}, {row})");
        }
    }
    assert!(std::fs::read(&back).unwrap() == data, "round trip differs");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn region_with_origins_into_tile4() {
    let dir = std::env::temp_dir().join(format!("tiledma-region-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (lin, t4) = (dir.join("in.raw"), dir.join("out.t4"));
    // 100 × 50 elements of 12 bytes; region 33 × 20 from (7, 9) to (41, 30).
    let (w, h, e) = (100u64, 50u64, 12u64);
    let mut data = vec![0u8; (w * h * e) as usize];
    rand_chacha::ChaCha8Rng::seed_from_u64(12).fill_bytes(&mut data);
    std::fs::write(&lin, &data).unwrap();
    tiledma_ok(&[
        "convert",
        "--in",
        s(&lin),
        "--out",
        s(&t4),
        "--width",
        "100",
        "--height",
        "50",
        "--element-size",
        "12",
        "--from",
        "linear",
        "--to",
        "tile4",
        "--region",
        "33,20",
        "--src-origin",
        "7,9",
        "--dst-origin",
        "41,30",
    ]);
    let out = std::fs::read(&t4).unwrap();
    let pitch = (w * e).next_multiple_of(128);
    assert_eq!(out.len() as u64, pitch * 64, "two tile rows");
    let mut expect = vec![0u8; out.len()];
    for row in 0..20 {
        for xb in 0..33 * e {
            let from = (9 + row) * w * e + 7 * e + xb;
            let to = Tiling::Tile4.offset(pitch, 41 * e + xb, 30 + row);
            expect[to as usize] = data[from as usize];
        }
    }
    if let Some(i) = (0..out.len()).find(|&i| out[i] != expect[i]) {
        panic!(
            "Tile4 region differs at {i:#x}: card {:#04x}, formula {:#04x}",
            out[i], expect[i]
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
