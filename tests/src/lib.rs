//! Shared helpers of the system tests.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;
use tiledma::{Completion, Device, DeviceConfig, Event};
use tiledma_sim::card::CardConfig;

/// Guard bytes around every destination.
pub const GUARD: usize = 64;
/// Their value.
pub const GUARD_BYTE: u8 = 0xA5;
/// Longest wait for one command in a test.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// A simulated card with default rings.
pub fn device() -> Device {
    tiledma::open("sim", CardConfig::default()).expect("simulated card opens")
}

/// A simulated card with `cmd` command and `cpl` completion slots.
pub fn device_with_rings(cmd: u32, cpl: u32) -> Device {
    let config = DeviceConfig {
        command_entries: cmd,
        completion_entries: cpl,
        ..Default::default()
    };
    tiledma::open_with("sim", CardConfig::default(), config).expect("simulated card opens")
}

/// `n` random bytes from `seed`.
pub fn random_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    ChaCha8Rng::seed_from_u64(seed).fill(&mut v[..]);
    v
}

/// A count from the environment variable `name` (how long a fuzz or soak
/// test runs), or `default`.
pub fn env_count<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A proptest runner for `cases` cases from a fixed seed (every byte
/// `seed`), with no failure files: runs repeat exactly.
pub fn seeded_runner(cases: u32, seed: u8) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

/// Waits for `ev`, failing the test on a hang.
pub fn wait(ev: &Event) -> Completion {
    ev.wait_timeout(TIMEOUT)
        .unwrap_or_else(|| panic!("command {} never completed", ev.cookie()))
}

pub mod vk;

/// OpenCL helpers: a context and queue on the card, and shorthands.
pub mod cl {
    use tiledma::cl::*;

    /// A new context on the card and an in-order queue in it.
    pub fn context_and_queue() -> (Context, CommandQueue) {
        let ctx = create_context(&[device_id()]).expect("context");
        let q = create_command_queue(ctx, device_id(), 0).expect("queue");
        (ctx, q)
    }

    /// A buffer of `size` bytes with `flags` and no host pointer.
    pub fn buffer(ctx: Context, flags: u64, size: usize) -> Mem {
        // SAFETY: no host pointer.
        unsafe { create_buffer(ctx, flags, size, std::ptr::null_mut()) }.expect("buffer")
    }

    /// Writes `data` at `offset` of `b` (blocking).
    pub fn write(q: CommandQueue, b: Mem, offset: usize, data: &[u8]) {
        // SAFETY: blocking; `data` outlives the call.
        unsafe {
            enqueue_write_buffer(q, b, true, offset, data.len(), data.as_ptr(), 0, None, None)
        }
        .expect("write buffer");
    }

    /// Reads `len` bytes at `offset` of `b` (blocking).
    pub fn read(q: CommandQueue, b: Mem, offset: usize, len: usize) -> Vec<u8> {
        let mut v = vec![0u8; len];
        // SAFETY: blocking; `v` outlives the call.
        unsafe { enqueue_read_buffer(q, b, true, offset, len, v.as_mut_ptr(), 0, None, None) }
            .expect("read buffer");
        v
    }
}

/// OpenCL image helpers.
pub mod cl_image {
    use opencl_sys::*;
    use tiledma::cl::*;

    /// RGBA, 8 bits per channel (4-byte elements).
    pub const RGBA8: cl_image_format = cl_image_format {
        image_channel_order: CL_RGBA,
        image_channel_data_type: CL_UNORM_INT8,
    };

    /// A format.
    pub fn format(order: cl_channel_order, ty: cl_channel_type) -> cl_image_format {
        cl_image_format {
            image_channel_order: order,
            image_channel_data_type: ty,
        }
    }

    /// An image description: type, width, height, depth, layers, mip levels.
    pub fn desc(
        ty: cl_mem_object_type,
        w: usize,
        h: usize,
        d: usize,
        a: usize,
        levels: u32,
    ) -> ImageDesc {
        ImageDesc {
            array_size: a,
            num_mip_levels: levels,
            ..ImageDesc::new(ty, w, h, d)
        }
    }

    /// Creates an image without a host pointer.
    pub fn image(ctx: Context, flags: u64, f: &cl_image_format, d: &ImageDesc) -> Mem {
        // SAFETY: no host pointer.
        unsafe { create_image(ctx, flags, Some(f), Some(d), std::ptr::null_mut()) }
            .unwrap_or_else(|e| panic!("image {d:?}: {e}"))
    }

    /// A 2D RGBA8 image.
    pub fn image2d(ctx: Context, w: usize, h: usize) -> Mem {
        image(ctx, 0, &RGBA8, &desc(CL_MEM_OBJECT_IMAGE2D, w, h, 0, 0, 0))
    }

    /// Writes packed `data` into the box (blocking).
    pub fn write_box(q: CommandQueue, img: Mem, origin: &[usize], region: [usize; 3], data: &[u8]) {
        // SAFETY: blocking; data outlives the call.
        unsafe {
            enqueue_write_image(
                q,
                img,
                true,
                origin,
                &region,
                0,
                0,
                data.as_ptr(),
                0,
                None,
                None,
            )
        }
        .expect("write image");
    }

    /// Reads the box packed (blocking).
    pub fn read_box(
        q: CommandQueue,
        img: Mem,
        origin: &[usize],
        region: [usize; 3],
        element: usize,
    ) -> Vec<u8> {
        let mut v = vec![0u8; region.iter().product::<usize>() * element];
        // SAFETY: blocking; v outlives the call.
        unsafe {
            enqueue_read_image(
                q,
                img,
                true,
                origin,
                &region,
                0,
                0,
                v.as_mut_ptr(),
                0,
                None,
                None,
            )
        }
        .expect("read image");
        v
    }

    /// The packed bytes of box `r` at `o` of a packed image whose rows are
    /// `dims[0]` elements of `e` bytes and whose slices are `dims[1]` rows
    /// (type coordinates: a 1D array's layers are rows).
    pub fn cut(data: &[u8], dims: [usize; 2], e: usize, o: [usize; 3], r: [usize; 3]) -> Vec<u8> {
        let mut v = Vec::new();
        for z in 0..r[2] {
            for y in 0..r[1] {
                let at = (((o[2] + z) * dims[1] + o[1] + y) * dims[0] + o[0]) * e;
                v.extend_from_slice(&data[at..at + r[0] * e]);
            }
        }
        v
    }
}
