//! Data tests of the OpenCL layer on the simulated card: every image type
//! (1D, 1D buffer, 1D array, 2D, 2D array, 3D) with mip levels and every
//! element size, through write/read/copy/fill of images, image↔buffer
//! copies and buffer rectangles. Random cases from fixed seeds (proptest);
//! the oracle is packed host data cut by box; every written range is
//! surrounded by guard bytes that must survive.

use opencl_sys::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tiledma::cl::*;
use tiledma_system_tests::cl::*;
use tiledma_system_tests::cl_image::*;
use tiledma_system_tests::{random_bytes, GUARD, GUARD_BYTE};

/// One random image case.
#[derive(Clone, Debug)]
struct Case {
    ty: cl_mem_object_type,
    format: cl_image_format,
    /// width, height, depth, layers
    size: [usize; 4],
    levels: u32,
    level: u32,
    /// box origin and region at `level`, type coordinates, as fractions.
    pick: [(f64, f64); 3],
    buffer_offset: usize,
    seed: u64,
}

fn case() -> impl Strategy<Value = Case> {
    let types = prop::sample::select(vec![
        CL_MEM_OBJECT_IMAGE1D,
        CL_MEM_OBJECT_IMAGE1D_BUFFER,
        CL_MEM_OBJECT_IMAGE1D_ARRAY,
        CL_MEM_OBJECT_IMAGE2D,
        CL_MEM_OBJECT_IMAGE2D_ARRAY,
        CL_MEM_OBJECT_IMAGE3D,
    ]);
    let formats = prop::sample::select(supported_formats());
    let frac = || (0.0..1.0f64, 0.0..1.0f64);
    (
        types,
        formats,
        (1usize..300, 1usize..70, 1usize..9, 1usize..6),
        0u32..4,
        0u32..4,
        [frac(), frac(), frac()],
        0usize..200,
        any::<u64>(),
    )
        .prop_map(
            |(ty, format, (w, h, d, a), levels, level, pick, buffer_offset, seed)| {
                let (h, d, a) = match ty {
                    CL_MEM_OBJECT_IMAGE1D | CL_MEM_OBJECT_IMAGE1D_BUFFER => (1, 1, 1),
                    CL_MEM_OBJECT_IMAGE1D_ARRAY => (1, 1, a),
                    CL_MEM_OBJECT_IMAGE2D => (h, 1, 1),
                    CL_MEM_OBJECT_IMAGE2D_ARRAY => (h, 1, a),
                    _ => (h.min(24), d, 1),
                };
                let most = 64 - (w.max(h).max(d) as u64).leading_zeros();
                let levels = if ty == CL_MEM_OBJECT_IMAGE1D_BUFFER {
                    1
                } else {
                    levels.clamp(1, most)
                };
                Case {
                    ty,
                    format,
                    size: [w, h, d, a],
                    levels,
                    level: level % levels,
                    pick,
                    buffer_offset,
                    seed,
                }
            },
        )
}

impl Case {
    fn e(&self) -> usize {
        tiledma::cl::format::element_size(&self.format).unwrap() as usize
    }
    /// Extent of `level` in type coordinates.
    fn extent(&self, level: u32) -> [usize; 3] {
        let m = |v: usize| (v >> level).max(1);
        let [w, h, d, a] = self.size;
        match self.ty {
            CL_MEM_OBJECT_IMAGE1D | CL_MEM_OBJECT_IMAGE1D_BUFFER => [m(w), 1, 1],
            CL_MEM_OBJECT_IMAGE1D_ARRAY => [m(w), a, 1],
            CL_MEM_OBJECT_IMAGE2D => [m(w), m(h), 1],
            CL_MEM_OBJECT_IMAGE2D_ARRAY => [m(w), m(h), a],
            _ => [m(w), m(h), m(d)],
        }
    }
    /// `origin` with the mip level where cl_khr_mipmap_image puts it.
    fn origin(&self, o: [usize; 3]) -> Vec<usize> {
        let mut v = o.to_vec();
        if self.levels > 1 {
            match self.ty {
                CL_MEM_OBJECT_IMAGE1D => v[1] = self.level as usize,
                CL_MEM_OBJECT_IMAGE1D_ARRAY | CL_MEM_OBJECT_IMAGE2D => v[2] = self.level as usize,
                _ => v.push(self.level as usize),
            }
        }
        v
    }
    /// A box inside the level.
    fn pick_box(&self) -> ([usize; 3], [usize; 3]) {
        let ext = self.extent(self.level);
        let mut o = [0; 3];
        let mut r = [1; 3];
        for i in 0..3 {
            let (a, b) = self.pick[i];
            o[i] = ((a * ext[i] as f64) as usize).min(ext[i] - 1);
            r[i] = 1 + ((b * (ext[i] - o[i]) as f64) as usize).min(ext[i] - o[i] - 1);
        }
        (o, r)
    }
}

/// Every image operation on one case, byte-checked against the oracle.
fn run_case(ctx: Context, q: CommandQueue, c: &Case) {
    let e = c.e();
    let mut d = desc(c.ty, c.size[0], c.size[1], c.size[2], c.size[3], c.levels);
    if c.levels == 1 {
        d.num_mip_levels = 0;
    }
    let backing;
    if c.ty == CL_MEM_OBJECT_IMAGE1D_BUFFER {
        backing = buffer(ctx, 0, c.size[0] * e + 128);
        d.buffer = backing;
    }
    let img = image(ctx, 0, &c.format, &d);
    let ext = c.extent(c.level);
    let data = random_bytes(c.seed, ext.iter().product::<usize>() * e);
    let whole = c.origin([0, 0, 0]);
    write_box(q, img, &whole, ext, &data);
    assert_eq!(
        read_box(q, img, &whole, ext, e),
        data,
        "whole level round trip"
    );

    let (o, r) = c.pick_box();
    let want = cut(&data, [ext[0], ext[1]], e, o, r);
    let origin = c.origin(o);

    // clEnqueueReadImage of the box, at padded host pitches, with guards.
    let row = r[0] * e;
    let (rp, sp) = (row + 7, (row + 7) * r[1] + 13);
    let (hrp, hsp) = if c.ty == CL_MEM_OBJECT_IMAGE1D_ARRAY {
        (rp, rp) // a 1D array's layers are slice_pitch apart
    } else {
        (rp, sp)
    };
    let layered = matches!(
        c.ty,
        CL_MEM_OBJECT_IMAGE1D_ARRAY | CL_MEM_OBJECT_IMAGE2D_ARRAY | CL_MEM_OBJECT_IMAGE3D
    );
    let span = (r[2] - 1) * hsp
        + (r[1] - 1)
            * if c.ty == CL_MEM_OBJECT_IMAGE1D_ARRAY {
                hrp
            } else {
                rp
            }
        + row;
    let mut host = vec![GUARD_BYTE; GUARD + span + GUARD];
    let slice_arg = if layered { hsp } else { 0 };
    unsafe {
        enqueue_read_image(
            q,
            img,
            true,
            &origin,
            &r,
            rp,
            slice_arg,
            host.as_mut_ptr().add(GUARD),
            0,
            None,
            None,
        )
    }
    .unwrap();
    let step_y = if c.ty == CL_MEM_OBJECT_IMAGE1D_ARRAY {
        hrp
    } else {
        rp
    };
    let mut expect = vec![GUARD_BYTE; host.len()];
    for z in 0..r[2] {
        for y in 0..r[1] {
            let at = GUARD + z * hsp + y * step_y;
            let from = (z * r[1] + y) * row;
            expect[at..at + row].copy_from_slice(&want[from..from + row]);
        }
    }
    assert_eq!(host, expect, "read image at pitches {rp}/{slice_arg}");

    // clEnqueueCopyImageToBuffer into guarded buffer bytes.
    let len = want.len();
    let buf = buffer(ctx, 0, c.buffer_offset + len + GUARD);
    write(q, buf, 0, &vec![GUARD_BYTE; c.buffer_offset + len + GUARD]);
    enqueue_copy_image_to_buffer(q, img, buf, &origin, &r, c.buffer_offset, 0, None, None).unwrap();
    let out = read(q, buf, 0, c.buffer_offset + len + GUARD);
    assert!(
        out[..c.buffer_offset].iter().all(|&b| b == GUARD_BYTE),
        "guard before"
    );
    assert_eq!(
        &out[c.buffer_offset..c.buffer_offset + len],
        &want[..],
        "copy image to buffer"
    );
    assert!(
        out[c.buffer_offset + len..]
            .iter()
            .all(|&b| b == GUARD_BYTE),
        "guard after"
    );

    // clEnqueueCopyBufferToImage of fresh bytes into the box; the rest of
    // the level keeps its bytes.
    let fresh = random_bytes(c.seed ^ 1, len);
    write(q, buf, c.buffer_offset, &fresh);
    enqueue_copy_buffer_to_image(q, buf, img, c.buffer_offset, &origin, &r, 0, None, None).unwrap();
    let mut level = data.clone();
    paste(&mut level, [ext[0], ext[1]], e, o, r, &fresh);
    assert_eq!(
        read_box(q, img, &whole, ext, e),
        level,
        "copy buffer to image"
    );

    // clEnqueueFillImage of the box.
    let color: [u8; 16] = random_bytes(c.seed ^ 2, 16).try_into().unwrap();
    enqueue_fill_image(q, img, Some(&color), &origin, &r, 0, None, None).unwrap();
    let element = tiledma::cl::format::pack_fill_color(&c.format, &color).unwrap();
    let filled: Vec<u8> = element.iter().copied().cycle().take(len).collect();
    paste(&mut level, [ext[0], ext[1]], e, o, r, &filled);
    assert_eq!(read_box(q, img, &whole, ext, e), level, "fill image");

    // clEnqueueCopyImage to another image of the same kind (a different
    // tiling on the host side when it lives in host memory).
    let other = unsafe {
        create_image(
            ctx,
            CL_MEM_ALLOC_HOST_PTR,
            Some(&c.format),
            Some(&ImageDesc {
                buffer: Mem::null(),
                ..d
            }),
            std::ptr::null_mut(),
        )
    };
    if let Ok(other) = other {
        write_box(q, other, &whole, ext, &data);
        enqueue_copy_image(q, img, other, &origin, &origin, &r, 0, None, None).unwrap();
        let mut mixed = data.clone();
        paste(&mut mixed, [ext[0], ext[1]], e, o, r, &filled);
        assert_eq!(read_box(q, other, &whole, ext, e), mixed, "copy image");
        release_mem_object(other).unwrap();
    }
    release_mem_object(img).unwrap();
    release_mem_object(buf).unwrap();
}

fn paste(level: &mut [u8], dims: [usize; 2], e: usize, o: [usize; 3], r: [usize; 3], src: &[u8]) {
    let row = r[0] * e;
    for z in 0..r[2] {
        for y in 0..r[1] {
            let at = (((o[2] + z) * dims[1] + o[1] + y) * dims[0] + o[0]) * e;
            let from = (z * r[1] + y) * row;
            level[at..at + row].copy_from_slice(&src[from..from + row]);
        }
    }
}

/// 48 random image cases (fixed seed) covering every type, format, mip
/// level and box.
#[test]
fn random_image_cases() {
    let (ctx, q) = context_and_queue();
    let config = Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    runner
        .run(&case(), |c| {
            run_case(ctx, q, &c);
            Ok(())
        })
        .unwrap();
}

/// Each type at least once, deterministically, with mip levels.
#[test]
fn every_type_with_levels() {
    let (ctx, q) = context_and_queue();
    for (i, ty) in [
        CL_MEM_OBJECT_IMAGE1D,
        CL_MEM_OBJECT_IMAGE1D_BUFFER,
        CL_MEM_OBJECT_IMAGE1D_ARRAY,
        CL_MEM_OBJECT_IMAGE2D,
        CL_MEM_OBJECT_IMAGE2D_ARRAY,
        CL_MEM_OBJECT_IMAGE3D,
    ]
    .into_iter()
    .enumerate()
    {
        let levels = if ty == CL_MEM_OBJECT_IMAGE1D_BUFFER {
            1
        } else {
            3
        };
        let c = Case {
            ty,
            format: supported_formats()[i * 5 % supported_formats().len()],
            size: match ty {
                CL_MEM_OBJECT_IMAGE1D | CL_MEM_OBJECT_IMAGE1D_BUFFER => [150, 1, 1, 1],
                CL_MEM_OBJECT_IMAGE1D_ARRAY => [150, 1, 1, 5],
                CL_MEM_OBJECT_IMAGE2D => [150, 40, 1, 1],
                CL_MEM_OBJECT_IMAGE2D_ARRAY => [150, 40, 1, 3],
                _ => [60, 20, 6, 1],
            },
            levels,
            level: levels - 1,
            pick: [(0.3, 0.5), (0.2, 0.9), (0.0, 1.0)],
            buffer_offset: 3,
            seed: i as u64,
        };
        run_case(ctx, q, &c);
    }
}

/// clEnqueueRead/WriteBufferRect and CopyBufferRect (including two
/// interleaved rectangles of one buffer, which go through a bounce) and
/// FillBuffer, against a host model of the buffer.
#[test]
fn buffer_rects_copies_and_fills() {
    let (ctx, q) = context_and_queue();
    let size = 64 * 1024;
    let b = buffer(ctx, 0, size);
    let mut model = random_bytes(70, size);
    write(q, b, 0, &model);
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[9; 32]);
    for _ in 0..12 {
        let region = [
            rng.gen_range(1..60usize),
            rng.gen_range(1..20usize),
            rng.gen_range(1..4usize),
        ];
        let brp = region[0] + rng.gen_range(0..40usize);
        let bsp = brp * region[1] + rng.gen_range(0..3usize) * brp;
        let origin = [
            rng.gen_range(0..30usize),
            rng.gen_range(0..10usize),
            rng.gen_range(0..3usize),
        ];
        let start = origin[2] * bsp + origin[1] * brp + origin[0];
        // Write a packed host rectangle, then read it back padded.
        let fresh = random_bytes(rng.gen_range(0..u64::MAX), region.iter().product());
        unsafe {
            enqueue_write_buffer_rect(
                q,
                b,
                true,
                origin,
                [0; 3],
                region,
                [brp, bsp, 0, 0],
                fresh.as_ptr(),
                0,
                None,
                None,
            )
        }
        .unwrap();
        for z in 0..region[2] {
            for y in 0..region[1] {
                let at = start + z * bsp + y * brp;
                let from = (z * region[1] + y) * region[0];
                model[at..at + region[0]].copy_from_slice(&fresh[from..from + region[0]]);
            }
        }
        let hrp = region[0] + 5;
        let hsp = hrp * region[1];
        let mut host = vec![GUARD_BYTE; hsp * region[2] + GUARD];
        unsafe {
            enqueue_read_buffer_rect(
                q,
                b,
                true,
                origin,
                [0; 3],
                region,
                [brp, bsp, hrp, hsp],
                host.as_mut_ptr(),
                0,
                None,
                None,
            )
        }
        .unwrap();
        for z in 0..region[2] {
            for y in 0..region[1] {
                let at = z * hsp + y * hrp;
                let m = start + z * bsp + y * brp;
                assert_eq!(&host[at..at + region[0]], &model[m..m + region[0]]);
                assert!(host[at + region[0]..at + hrp]
                    .iter()
                    .all(|&v| v == GUARD_BYTE));
            }
        }
    }
    // Two interleaved, disjoint rectangles of one buffer: left half → right half.
    enqueue_copy_buffer_rect(
        q,
        b,
        b,
        [0, 0, 0],
        [32, 0, 0],
        [32, 16, 1],
        [64, 1024, 64, 1024],
        0,
        None,
        None,
    )
    .unwrap();
    for y in 0..16 {
        let (s, d) = (y * 64, y * 64 + 32);
        let row = model[s..s + 32].to_vec();
        model[d..d + 32].copy_from_slice(&row);
    }
    assert_eq!(
        enqueue_copy_buffer_rect(
            q,
            b,
            b,
            [0, 0, 0],
            [16, 0, 0],
            [32, 16, 1],
            [64, 1024, 64, 1024],
            0,
            None,
            None
        ),
        Err(CL_MEM_COPY_OVERLAP)
    );
    // Fills: every pattern size, unaligned ends inside a 4 KiB block.
    for (i, p) in [1usize, 2, 4, 8, 16, 32, 64, 128].into_iter().enumerate() {
        let pattern = random_bytes(80 + i as u64, p);
        let (offset, len) = (p * (3 + i), p * (10 + 7 * i) + (i % 3) * 4096);
        enqueue_fill_buffer(
            q,
            b,
            Some(&pattern),
            40000 + offset - 40000 % p,
            len,
            0,
            None,
            None,
        )
        .unwrap();
        let at = 40000 + offset - 40000 % p;
        for k in 0..len {
            model[at + k] = pattern[k % p];
        }
    }
    enqueue_copy_buffer(q, b, b, 0, 50000, 5000, 0, None, None).unwrap();
    let head = model[..5000].to_vec();
    model[50000..55000].copy_from_slice(&head);
    assert_eq!(read(q, b, 0, size), model);
}
