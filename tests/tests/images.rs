//! Image region copies on the simulated card (real firmware on the Verilated
//! card): every layout pair, element sizes 1–16 and block-compressed blocks,
//! 1D/2D/3D images, arrays and mip levels, unaligned origins, random regions
//! from a fixed seed. Each side is an image level or a raw buffer with an
//! odd pitch. Every byte of the destination allocation, a guard area after
//! it included, is compared with the oracle (`reference::copy_region`,
//! byte by byte through the tiling formulas).

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tiledma::{Copy3d, Device, View};
use tiledma_contract::surface::{Format, ImageKind, Subresource, Surface};
use tiledma_contract::tiling::Tiling;
use tiledma_contract::CompletionStatus;
use tiledma_sim::memory::SparseMemory;
use tiledma_sim::reference::{copy_region, Region};
use tiledma_system_tests::{device, random_bytes, wait, GUARD_BYTE};

const SEED: [u8; 32] = *b"tiledma image copies proptest 01";
/// Guard bytes after each destination allocation.
const TAIL_GUARD: usize = 4096;

/// One copy: each side an image level, or a buffer seen as one.
#[derive(Clone, Debug)]
struct Case {
    format: Format,
    src: Subresource,
    dst: Subresource,
    region: Region,
    dst_origin: [u64; 3],
}

fn surface(
    kind: ImageKind,
    format: Format,
    size: [u32; 4],
    levels: u32,
    tiling: Tiling,
) -> Surface {
    let one_row = matches!(kind, ImageKind::D1 | ImageKind::D1Array);
    Surface {
        kind,
        format,
        width: size[0],
        height: if one_row { 1 } else { size[1] },
        depth: if kind == ImageKind::D3 { size[2] } else { 1 },
        layers: if matches!(kind, ImageKind::D1Array | ImageKind::D2Array) {
            size[3]
        } else {
            1
        },
        levels,
        tiling,
    }
}

/// A raw buffer holding `blocks × rows × slices`, rows `pad` bytes apart
/// beyond their data (not a multiple of anything).
fn buffer(format: Format, size: [u64; 3], pad: u64) -> Subresource {
    let row_bytes = size[0] * format.block_bytes as u64;
    let row_pitch = row_bytes + pad;
    Subresource {
        offset: 0,
        row_pitch,
        slice_pitch: row_pitch * size[1] + pad * 3,
        row_bytes,
        rows: size[1],
        slices: size[2],
        extent: [0; 3],
        tiling: Tiling::Linear,
    }
}

fn blocks(sub: &Subresource, format: Format) -> [u64; 3] {
    [
        sub.row_bytes / format.block_bytes as u64,
        sub.rows,
        sub.slices,
    ]
}

fn case() -> impl Strategy<Value = Case> {
    let kind = prop::sample::select(vec![
        ImageKind::D1,
        ImageKind::D1Array,
        ImageKind::D2,
        ImageKind::D2Array,
        ImageKind::D3,
    ]);
    let format = prop_oneof![
        6 => prop::sample::select(vec![1u32, 2, 4, 8, 12, 16]).prop_map(Format::element),
        1 => prop::sample::select(vec![8u32, 16]).prop_map(Format::bc),
    ];
    let tiling = prop::sample::select(Tiling::ALL.to_vec());
    (
        kind,
        format,
        (tiling.clone(), tiling),
        (1u32..=200, 1u32..=70, 1u32..=3, 1u32..=3),
        0u32..4,
        (0u8..3, 0u8..3, 0u64..40),
        any::<[u64; 9]>(),
    )
        .prop_filter_map(
            "format and kind",
            |(kind, format, (st, dt), size, level, (src_buf, dst_buf, pad), r)| {
                if format.block_width > 1 && !matches!(kind, ImageKind::D2 | ImageKind::D2Array) {
                    return None;
                }
                let mut size = [size.0, size.1, size.2, size.3];
                if format.block_bytes >= 12 {
                    size[0] = size[0].min(100);
                }
                let largest = size[0].max(size[1]).max(size[2]);
                let levels = (level + 1).min(32 - largest.leading_zeros());
                let img = |t| surface(kind, format, size, levels, t);
                let (s, d) = (img(st), img(dt));
                s.validate().ok()?;
                d.validate().ok()?;
                let (ssub, dsub) = (s.level(levels - 1), d.level(levels - 1));
                let ext = blocks(&ssub, format);
                // Region: random origin and size inside the level (both
                // images share the level's size), different origins.
                let pick = |n: u64, a: u64, b: u64| {
                    let size = 1 + a % n;
                    (b % (n - size + 1), size)
                };
                let (sx, w) = pick(ext[0], r[0], r[1]);
                let (sy, h) = pick(ext[1], r[2], r[3]);
                let (sz, dd) = pick(ext[2], r[4], r[5]);
                let dst_origin = [
                    r[6] % (ext[0] - w + 1),
                    r[7] % (ext[1] - h + 1),
                    r[8] % (ext[2] - dd + 1),
                ];
                // Either side may be a buffer instead (a third of the time).
                let as_buffer = |sub: Subresource, yes: bool| {
                    if yes {
                        buffer(format, blocks(&sub, format), pad)
                    } else {
                        sub
                    }
                };
                Some(Case {
                    format,
                    src: as_buffer(ssub, src_buf == 0),
                    dst: as_buffer(dsub, dst_buf == 0),
                    region: Region {
                        origin: [sx, sy, sz],
                        size: [w, h, dd],
                    },
                    dst_origin,
                })
            },
        )
}

/// Bytes a side's level occupies from its base.
fn level_bytes(sub: &Subresource) -> usize {
    (sub.offset + sub.slice_pitch * sub.slices) as usize
}

/// Runs one case on the card and compares every destination byte.
fn run(dev: &Device, c: &Case, seed: u64) -> Result<(), String> {
    let bb = c.format.block_bytes as u64;
    let src_len = level_bytes(&c.src);
    let dst_len = level_bytes(&c.dst) + TAIL_GUARD;
    let src = dev.alloc_dma(src_len).map_err(|e| e.to_string())?;
    let dst = dev.alloc_dma(dst_len).map_err(|e| e.to_string())?;
    let data = random_bytes(seed, src_len);
    src.write(0, &data);
    dst.write(0, &vec![GUARD_BYTE; dst_len]);
    // The subresources carry their level offset; views start at the image.
    let copy = Copy3d::region(
        &View::level(src.iova(), &c.src),
        [
            c.region.origin[0] * bb,
            c.region.origin[1],
            c.region.origin[2],
        ],
        &View::level(dst.iova(), &c.dst),
        [c.dst_origin[0] * bb, c.dst_origin[1], c.dst_origin[2]],
        [c.region.size[0] * bb, c.region.size[1], c.region.size[2]],
    )
    .map_err(|e| e.to_string())?;
    let done = wait(&dev.copy(&copy).map_err(|e| e.to_string())?);
    if done.record.status != CompletionStatus::Ok as u16 {
        return Err(format!("completion status {}", done.record.status));
    }
    let mut mem = SparseMemory::default();
    mem.write(src.iova(), &data);
    mem.write(dst.iova(), &vec![GUARD_BYTE; dst_len]);
    copy_region(
        &mut mem,
        bb,
        (src.iova(), &c.src),
        c.region,
        (dst.iova(), &c.dst),
        c.dst_origin,
    );
    let got = dst.to_vec();
    for (i, b) in got.iter().enumerate() {
        let want = mem.byte(dst.iova() + i as u64);
        if *b != want {
            return Err(format!(
                "destination byte {i:#x}: card wrote {b:#04x}, oracle {want:#04x}"
            ));
        }
    }
    Ok(())
}

#[test]
fn random_image_regions_byte_exact() {
    let dev = device();
    let config = Config {
        cases: 96,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &SEED));
    runner
        .run(&(case(), any::<u64>()), |(c, seed)| {
            run(&dev, &c, seed).map_err(TestCaseError::fail)
        })
        .unwrap();
}

/// Every layout pair, with the region and both origins unaligned to the
/// tiles, at each element size.
#[test]
fn every_layout_pair_and_element_size() {
    let dev = device();
    let mut seed = 1;
    for bytes in [1u32, 2, 4, 8, 12, 16] {
        for st in Tiling::ALL {
            for dt in Tiling::ALL {
                let format = Format::element(bytes);
                let img = |t| surface(ImageKind::D2, format, [300 / bytes.min(4), 45, 1, 1], 1, t);
                let c = Case {
                    format,
                    src: img(st).level(0),
                    dst: img(dt).level(0),
                    region: Region {
                        origin: [5, 3, 0],
                        size: [70 / bytes.min(4) as u64, 37, 1],
                    },
                    dst_origin: [9, 6, 0],
                };
                seed += 1;
                run(&dev, &c, seed).unwrap_or_else(|e| panic!("{bytes} B {st:?} -> {dt:?}: {e}"));
            }
        }
    }
}

/// Every mip level of a 3D image and of a 2D array, whole, between tilings.
#[test]
fn mip_levels_of_3d_images_and_arrays() {
    let dev = device();
    let cases = [
        (ImageKind::D3, [70, 40, 5, 1], 4, Tiling::Linear, Tiling::Y),
        (
            ImageKind::D2Array,
            [90, 33, 1, 3],
            3,
            Tiling::Tile4,
            Tiling::X,
        ),
        (
            ImageKind::D1Array,
            [300, 1, 1, 4],
            5,
            Tiling::X,
            Tiling::Tile4,
        ),
    ];
    for (k, (kind, size, levels, st, dt)) in cases.into_iter().enumerate() {
        let format = Format::element(4);
        let (s, d) = (
            surface(kind, format, size, levels, st),
            surface(kind, format, size, levels, dt),
        );
        for level in 0..levels {
            let (ssub, dsub) = (s.level(level), d.level(level));
            let c = Case {
                format,
                src: ssub,
                dst: dsub,
                region: Region {
                    origin: [0; 3],
                    size: blocks(&ssub, format),
                },
                dst_origin: [0; 3],
            };
            run(&dev, &c, (k * 10) as u64 + level as u64)
                .unwrap_or_else(|e| panic!("{kind:?} level {level}: {e}"));
        }
    }
}

/// A tiled side whose pitch is not a multiple of the tile width, or whose
/// placement lies outside its tile, completes with `BadLayout` and writes
/// nothing.
#[test]
fn bad_layouts_are_rejected() {
    let dev = device();
    let src = dev.alloc_dma(1 << 16).unwrap();
    let dst = dev.alloc_dma(1 << 16).unwrap();
    dst.write(0, &vec![GUARD_BYTE; 1 << 16]);
    let good = Copy3d::region(
        &View::linear(src.iova(), 256, 1 << 15),
        [0; 3],
        &View {
            base: dst.iova(),
            tiling: Tiling::Y,
            row_pitch: 256,
            slice_pitch: 1 << 15,
        },
        [0; 3],
        [200, 40, 1],
    )
    .unwrap();
    let mut bad_pitch = good;
    bad_pitch.dst_row_pitch = 200;
    let mut bad_place = good;
    bad_place.layout.dst.x = 200; // Y tiles are 128 bytes wide
    for bad in [bad_pitch, bad_place] {
        let done = wait(&dev.copy(&bad).unwrap());
        assert_eq!(
            done.record.status,
            CompletionStatus::BadLayout as u16,
            "{bad:?}"
        );
    }
    assert!(dst.to_vec().iter().all(|&b| b == GUARD_BYTE));
    assert_eq!(wait(&dev.copy(&good).unwrap()).record.status, 0);
}
