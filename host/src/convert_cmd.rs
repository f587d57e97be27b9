//! `tiledma convert`: flags → a [`tiledma::convert::Conversion`] over a raw
//! file, run on the card.

use anyhow::{bail, ensure, Context, Result};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use tiledma::convert::{convert, Conversion};
use tiledma::{Device, View};
use tiledma_contract::tiling::Tiling;

/// A layout name on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LayoutName {
    /// Rows one after another.
    Linear,
    /// X-tiled: 512 B × 8 rows.
    X,
    /// Y-tiled: 128 B × 32 rows, 16-byte columns.
    Y,
    /// Tile4: 128 B × 32 rows, 64 B × 4-row micro-tiles.
    Tile4,
}

impl From<LayoutName> for Tiling {
    fn from(l: LayoutName) -> Tiling {
        match l {
            LayoutName::Linear => Tiling::Linear,
            LayoutName::X => Tiling::X,
            LayoutName::Y => Tiling::Y,
            LayoutName::Tile4 => Tiling::Tile4,
        }
    }
}

/// Flags of `tiledma convert`. Sizes and origins are in elements (texels
/// of `--element-size` bytes), rows and slices; pitches in bytes.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Raw input file (the source surface's bytes).
    #[arg(long = "in")]
    input: PathBuf,
    /// Output file (written whole: the destination surface, zero outside the region).
    #[arg(long = "out")]
    output: PathBuf,
    /// Image width in elements.
    #[arg(long)]
    width: u64,
    /// Image height in rows.
    #[arg(long, default_value_t = 1)]
    height: u64,
    /// Image depth (slices or array layers).
    #[arg(long, default_value_t = 1)]
    depth: u64,
    /// Bytes per element (1, 2, 4, 8, 12, 16; or a compressed block's bytes).
    #[arg(long, default_value_t = 4)]
    element_size: u64,
    /// Source layout.
    #[arg(long, value_enum)]
    from: LayoutName,
    /// Destination layout.
    #[arg(long, value_enum)]
    to: LayoutName,
    /// Source row pitch in bytes [default: packed, rounded up to the tile width].
    #[arg(long)]
    src_pitch: Option<u64>,
    /// Destination row pitch in bytes [default: as for the source].
    #[arg(long)]
    dst_pitch: Option<u64>,
    /// Source slice pitch in bytes [default: row pitch × rows rounded up to the tile height].
    #[arg(long)]
    src_slice_pitch: Option<u64>,
    /// Destination slice pitch in bytes [default: as for the source].
    #[arg(long)]
    dst_slice_pitch: Option<u64>,
    /// Region to convert as W[,H[,D]] in elements (H and D default to 1)
    /// [default: the whole image].
    #[arg(long, value_parser = parse_size)]
    region: Option<[u64; 3]>,
    /// Region origin in the source as X[,Y[,Z]] (missing parts are 0).
    #[arg(long, value_parser = parse_origin, default_value = "0,0,0")]
    src_origin: [u64; 3],
    /// Region origin in the destination as X[,Y[,Z]].
    #[arg(long, value_parser = parse_origin, default_value = "0,0,0")]
    dst_origin: [u64; 3],
}

/// `A[,B[,C]]` with missing parts `fill`.
fn parse_triple(s: &str, fill: u64) -> Result<[u64; 3], String> {
    let v: Vec<u64> = s
        .split(',')
        .map(|p| p.trim().parse::<u64>().map_err(|e| format!("{p:?}: {e}")))
        .collect::<Result<_, _>>()?;
    if v.is_empty() || v.len() > 3 {
        return Err("expected one to three comma-separated numbers".into());
    }
    Ok(core::array::from_fn(|i| v.get(i).copied().unwrap_or(fill)))
}

fn parse_size(s: &str) -> Result<[u64; 3], String> {
    parse_triple(s, 1)
}

fn parse_origin(s: &str) -> Result<[u64; 3], String> {
    parse_triple(s, 0)
}

/// A side's surface: packed rows (rounded up to the tile width) and whole
/// tile rows per slice unless the pitches are given.
fn view(tiling: Tiling, row_bytes: u64, rows: u64, pitch: Option<u64>, slice: Option<u64>) -> View {
    let pitch = pitch.unwrap_or(row_bytes.next_multiple_of(tiling.tile_width()));
    let v = View::new(0, tiling, pitch, rows);
    View {
        slice_pitch: slice.unwrap_or(v.slice_pitch),
        ..v
    }
}

/// Runs the conversion and writes the output file.
pub fn run(dev: &Device, a: &ConvertArgs) -> Result<()> {
    let e = a.element_size;
    ensure!(
        e > 0 && a.width > 0 && a.height > 0 && a.depth > 0,
        "sizes must be non-zero"
    );
    let row_bytes = a.width * e;
    let src = view(
        a.from.into(),
        row_bytes,
        a.height,
        a.src_pitch,
        a.src_slice_pitch,
    );
    let dst = view(
        a.to.into(),
        row_bytes,
        a.height,
        a.dst_pitch,
        a.dst_slice_pitch,
    );
    for (name, l) in [("source", &src), ("destination", &dst)] {
        ensure!(
            l.row_pitch >= row_bytes,
            "{name} row pitch {} is less than a row ({row_bytes} bytes)",
            l.row_pitch
        );
        ensure!(
            l.tiling.pitch_ok(l.row_pitch),
            "{name} row pitch {} is not a multiple of the {:?} tile width ({} bytes)",
            l.row_pitch,
            l.tiling,
            l.tiling.tile_width()
        );
    }
    let size = a.region.unwrap_or([a.width, a.height, a.depth]);
    ensure!(size.iter().all(|&n| n > 0), "region {size:?} is empty");
    for (name, o) in [("source", a.src_origin), ("destination", a.dst_origin)] {
        let fits = (0..3).all(|i| o[i] + size[i] <= [a.width, a.height, a.depth][i]);
        ensure!(
            fits,
            "region {size:?} at {name} origin {o:?} leaves the image"
        );
    }
    let input = std::fs::read(&a.input).with_context(|| format!("reading {:?}", a.input))?;
    let need = src.bytes(a.depth);
    if (input.len() as u64) < need {
        bail!(
            "{:?} holds {} bytes; the source layout needs {need}",
            a.input,
            input.len()
        );
    }
    let bytes = |o: [u64; 3]| [o[0] * e, o[1], o[2]];
    let c = Conversion {
        src,
        dst,
        src_origin: bytes(a.src_origin),
        dst_origin: bytes(a.dst_origin),
        size: bytes(size),
        dst_bytes: dst.bytes(a.depth),
    };
    let cycles = dev.card_cycles();
    let out = convert(dev, &input[..need as usize], &c)?;
    let cycles = dev.card_cycles() - cycles;
    std::fs::write(&a.output, &out).with_context(|| format!("writing {:?}", a.output))?;
    println!(
        "{:?} → {:?}: {} × {} × {} elements of {e} B ({} B moved) in {cycles} card cycles; wrote {} B to {:?}",
        src.tiling,
        dst.tiling,
        size[0],
        size[1],
        size[2],
        size[0] * size[1] * size[2] * e,
        out.len(),
        a.output
    );
    Ok(())
}
