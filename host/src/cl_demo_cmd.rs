//! `tiledma cl-demo`: the OpenCL memory API on the card — an RGBA8 image
//! (Tile4 in card memory) written, mapped, copied into a buffer and filled,
//! each result checked byte by byte, with the card cycles each step took.

use anyhow::{bail, Result};
use opencl_sys::*;
use rand::{RngCore, SeedableRng};
use tiledma::cl::*;

/// Arguments.
#[derive(clap::Args)]
pub struct ClDemoArgs {
    /// Image width in pixels.
    #[arg(long, default_value_t = 1024)]
    width: usize,
    /// Image height in pixels.
    #[arg(long, default_value_t = 768)]
    height: usize,
}

fn cl(what: &str, r: Result<(), cl_int>) -> Result<()> {
    r.map_err(|e| anyhow::anyhow!("{what}: OpenCL error {e}"))
}

/// Runs `f` and prints the card cycles it took, with bytes per cycle.
fn timed<T>(what: &str, bytes: usize, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let start = card_cycles().map_err(|e| anyhow::anyhow!("card: {e}"))?;
    let v = f()?;
    let cycles = card_cycles().map_err(|e| anyhow::anyhow!("card: {e}"))? - start;
    println!(
        "{what:<44} {cycles:>9} cycles  {:>6.2} B/cycle",
        bytes as f64 / cycles as f64
    );
    Ok(v)
}

/// Runs the demo.
pub fn run(a: &ClDemoArgs) -> Result<()> {
    let (w, h) = (a.width, a.height);
    let bytes = w * h * 4;
    let mut data = vec![0u8; bytes];
    rand_chacha::ChaCha8Rng::seed_from_u64(1).fill_bytes(&mut data);
    let err = |e: cl_int| anyhow::anyhow!("OpenCL error {e}");
    let ctx = create_context(&[device_id()]).map_err(err)?;
    let q = create_command_queue(ctx, device_id(), 0).map_err(err)?;
    let format = cl_image_format {
        image_channel_order: CL_RGBA,
        image_channel_data_type: CL_UNORM_INT8,
    };
    let desc = ImageDesc::new(CL_MEM_OBJECT_IMAGE2D, w, h, 0);
    // SAFETY: no host pointers.
    let img = unsafe { create_image(ctx, 0, Some(&format), Some(&desc), std::ptr::null_mut()) }
        .map_err(err)?;
    let buf = unsafe { create_buffer(ctx, 0, bytes, std::ptr::null_mut()) }.map_err(err)?;
    println!("{w}×{h} RGBA8 image, Tile4 in card memory; cycles are the card's (firmware + engine + host latency)");
    timed("clEnqueueWriteImage (linear host → Tile4)", bytes, || {
        // SAFETY: blocking; data outlives the call.
        cl("write image", unsafe {
            enqueue_write_image(
                q,
                img,
                true,
                &[0, 0, 0],
                &[w, h, 1],
                0,
                0,
                data.as_ptr(),
                0,
                None,
                None,
            )
        })
    })?;
    let (bw, bh) = (w.min(256), h.min(256));
    let (mut rp, mut sp) = (0, 0);
    let p = timed(
        "clEnqueueMapImage 256×256 box, CL_MAP_READ",
        bw * bh * 4,
        || {
            enqueue_map_image(
                q,
                img,
                true,
                CL_MAP_READ,
                &[w - bw, h - bh, 0],
                &[bw, bh, 1],
                Some(&mut rp),
                Some(&mut sp),
                0,
                None,
                None,
            )
            .map_err(err)
        },
    )?;
    for y in 0..bh {
        // SAFETY: the map covers bh rows of bw pixels, rp bytes apart.
        let row = unsafe { std::slice::from_raw_parts(p.add(y * rp), bw * 4) };
        let at = ((h - bh + y) * w + w - bw) * 4;
        if row != &data[at..at + bw * 4] {
            bail!("mapped row {y} differs");
        }
    }
    cl("unmap", enqueue_unmap_mem_object(q, img, p, 0, None, None))?;
    timed(
        "clEnqueueCopyImageToBuffer (Tile4 → linear)",
        bytes,
        || {
            cl(
                "copy",
                enqueue_copy_image_to_buffer(q, img, buf, &[0, 0, 0], &[w, h, 1], 0, 0, None, None),
            )?;
            cl("finish", finish(q))
        },
    )?;
    let mut out = vec![0u8; bytes];
    // SAFETY: blocking; out outlives the call.
    cl("read buffer", unsafe {
        enqueue_read_buffer(q, buf, true, 0, bytes, out.as_mut_ptr(), 0, None, None)
    })?;
    if out != data {
        bail!("buffer differs from the image written");
    }
    println!("image → buffer: identical to the bytes written");
    let mut red = [0u8; 16];
    red[..4].copy_from_slice(&1.0f32.to_ne_bytes());
    red[12..].copy_from_slice(&1.0f32.to_ne_bytes());
    timed("clEnqueueFillImage (whole image, red)", bytes, || {
        cl(
            "fill",
            enqueue_fill_image(q, img, Some(&red), &[0, 0, 0], &[w, h, 1], 0, None, None),
        )?;
        cl("finish", finish(q))
    })?;
    // SAFETY: blocking; out outlives the call.
    cl("read image", unsafe {
        enqueue_read_image(
            q,
            img,
            true,
            &[0, 0, 0],
            &[w, h, 1],
            0,
            0,
            out.as_mut_ptr(),
            0,
            None,
            None,
        )
    })?;
    if out.chunks(4).any(|px| px != [255, 0, 0, 255]) {
        bail!("fill: a pixel is not red");
    }
    println!("fill: every pixel red");
    Ok(())
}
