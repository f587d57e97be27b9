//! Every valid-usage rule the Vulkan host-image-copy calls check
//! (`tiledma::vk`), one `#[test]` per VUID: each test builds a valid call,
//! changes one thing so that it breaks that rule, and checks that the call
//! returns `VK_ERROR_VALIDATION_FAILED` naming exactly that VUID — and that
//! nothing happened: images keep their bytes (filled with random data and
//! read back whole), host buffers keep their guard bytes, layouts and
//! bindings stay as they were. The unedited call is then run and must
//! succeed, so the edit is what broke it.
//!
//! Rules that apply to each of the three copy calls are tested under each
//! call's name (`VkCopyMemoryToImageInfo-dstImage-…`,
//! `VkCopyImageToMemoryInfo-srcImage-…`, and `VkCopyImageToImageInfo-srcImage-…`
//! and `-dstImage-…`). Images broken at creation (subsampled, multisampled,
//! without `HOST_TRANSFER`) are bound over the memory of a filled image, so
//! that reading the filled image back shows that nothing reached their
//! bytes either.
//!
//! Some rules cannot be broken alone, because breaking them always breaks
//! another rule too. The implementation's order of checks picks one, and
//! the test expects that one:
//! - `07979` (a 1D image's y offset or height) always goes with `07972`, and
//!   `07980` (a z offset or depth in a 1D or 2D image) with `09104`.
//! - `09114` (MEMCPY at an offset) always goes with `09115` or `07971`.
//! - An unbound image (`07966`), or one without `HOST_TRANSFER` usage
//!   (`09111`, `09113`), cannot be transitioned, so its layout is not the
//!   one the copy names (`09059`/`09064`/`09070`/`09071`).
//! - `VkCopyImageToImageInfo-dstImage-07969` goes with `srcImage-09069`
//!   (a subsampled source is reported as `srcImage-07969`).
//! - `vkBindImageMemory-memoryOffset-01046` goes with `None-10737`.
//! - `vkGetImageSubresourceLayout2-format-04464` goes with `format-08886`.
//! - `VkHostImageLayoutTransitionInfo-oldLayout-09230` goes with `oldLayout-09229`.
//!
//! Rules with no test, because the implementation cannot be made to break them:
//! - `07981`: no multi-planar formats. `09109`: sparse images are refused at
//!   creation (`VkImageCreateInfo-flags-00969`).
//! - `imageOffset`/`srcOffset`/`dstOffset-10051`–`10058`: rotated copies.
//!   The copy structures' `pNext` must be NULL, so there is no
//!   `VkCopyCommandTransformInfoQCOM`.
//! - `07276` and `00209`: the texel block depth is always 1.
//! - `VkCopyImageToImageInfo-commonparent`: a handle of another `HostDevice`
//!   is not found at all and is reported as `-parameter`.
//! - `VkCopyMemoryToImageInfo-pRegions-09062` and
//!   `VkImageToMemoryCopy-pRegions-09067`: device memory is not
//!   host-visible, so a host pointer never points into an image.
//! - `VkCopyImageToImageInfo-dstImage-09111`/`09112`/`09113`: the source must
//!   be created identically (`09069`) and is checked first, so only the
//!   `srcImage-` versions can be reached.
//! - `VkImageSubresourceLayers-layerCount-09243`: `maintenance5` is core in
//!   Vulkan 1.4, so `VK_REMAINING_ARRAY_LAYERS` is allowed.
//! - `VkMemoryToImageCopy-pHostPointer-parameter` (and the
//!   `VkImageToMemoryCopy` version): any pointer value is valid.
//! - The command-level implicit rules (`device-parameter`, `p…Info-parameter`):
//!   Rust references.

use ash::vk;
use std::ffi::c_void;
use std::ptr;
use tiledma::vk::{HostDevice, VkResult};
use tiledma_system_tests::vk::*;
use tiledma_system_tests::{random_bytes, GUARD_BYTE};

const COLOR: vk::ImageAspectFlags = vk::ImageAspectFlags::COLOR;
const DEPTH: vk::ImageAspectFlags = vk::ImageAspectFlags::DEPTH;
const STENCIL: vk::ImageAspectFlags = vk::ImageAspectFlags::STENCIL;
const GENERAL: vk::ImageLayout = vk::ImageLayout::GENERAL;
const RGBA8: vk::Format = vk::Format::R8G8B8A8_UNORM;
const BC1: vk::Format = vk::Format::BC1_RGBA_UNORM_BLOCK;
const D24S8: vk::Format = vk::Format::D24_UNORM_S8_UINT;
const MEMCPY: vk::HostImageCopyFlagsEXT = vk::HostImageCopyFlagsEXT::MEMCPY;
const NO_FLAGS: vk::HostImageCopyFlagsEXT = vk::HostImageCopyFlagsEXT::empty();
/// Usage without `HOST_TRANSFER`.
const NO_HOST: vk::ImageUsageFlags = vk::ImageUsageFlags::from_raw(
    vk::ImageUsageFlags::TRANSFER_SRC.as_raw() | vk::ImageUsageFlags::TRANSFER_DST.as_raw(),
);
/// Host bytes of one region: region `i` starts `i * CHUNK` into the buffer.
const CHUNK: usize = 32 << 10;
/// Host bytes of a call.
const HOST: usize = 4 * CHUNK;

/// One test per VUID: `name "VUID-…" |vuid| body;` — the body gets the VUID.
macro_rules! vuids {
    ($($(#[$attr:meta])* $name:ident $vuid:literal $body:expr;)*) => {$(
        $(#[$attr])*
        #[test]
        fn $name() {
            let body: fn(&str) = $body;
            body($vuid);
        }
    )*};
}

fn dev() -> &'static HostDevice {
    host_device()
}

/// Fails unless `r` is `VK_ERROR_VALIDATION_FAILED` naming `vuid`.
fn expect_vuid<T: std::fmt::Debug>(r: VkResult<T>, vuid: &str) {
    match r {
        Ok(v) => panic!("expected {vuid}; the call succeeded ({v:?})"),
        Err(e) => {
            assert_eq!(
                e.result(),
                vk::Result::ERROR_VALIDATION_FAILED_EXT,
                "expected {vuid}: {e}"
            );
            assert_eq!(e.vuid(), Some(vuid), "{e}");
        }
    }
}

// ---------------------------------------------------------------------------
// Images

/// 16×16 RGBA8, 3 levels, 2 layers.
fn rgba() -> Spec {
    Spec::d2(RGBA8, 16, 16).with(3, 2)
}
/// 16×16 BC1 (4×4 blocks), 2 layers.
fn bc1() -> Spec {
    Spec::d2(BC1, 16, 16).with(1, 2)
}
/// 16×64 BC1, 4 levels: level 3 is 2×8 texels.
fn narrow() -> Spec {
    Spec::d2(BC1, 16, 64).with(4, 1)
}
/// 64×16 BC1, 4 levels: level 3 is 8×2 texels.
fn flat() -> Spec {
    Spec::d2(BC1, 64, 16).with(4, 1)
}
/// 16×16 depth/stencil, 2 layers.
fn ds() -> Spec {
    Spec::d2(D24S8, 16, 16).with(1, 2)
}
/// 16 texels, 1D.
fn d1() -> Spec {
    Spec::d1(RGBA8, 16)
}
/// 8×8×4, 3D.
fn d3() -> Spec {
    Spec::d3(RGBA8, 8, 8, 4)
}

fn with_usage(spec: Spec, usage: vk::ImageUsageFlags) -> Spec {
    Spec { usage, ..spec }
}

fn all_aspects(f: vk::Format) -> vk::ImageAspectFlags {
    tiledma::vk::format::aspects(f).expect("card format")
}

/// An image of the test's own, destroyed on drop (its memory, if any,
/// belongs to another image).
struct Owned(vk::Image);

impl Drop for Owned {
    fn drop(&mut self) {
        dev().destroy_image(self.0);
    }
}

/// Creates an image from `info`.
fn create_raw(info: &vk::ImageCreateInfo) -> vk::Image {
    // SAFETY: the tests' pNext chains point at live structures.
    unsafe { dev().create_image(info) }.unwrap_or_else(|e| panic!("create {info:?}: {e}"))
}

/// A handle that was an image and is no more.
fn destroyed_image() -> vk::Image {
    let h = create_raw(&rgba().info());
    dev().destroy_image(h);
    h
}

/// An image filled with random bytes (MEMCPY) and its model.
fn filled(spec: Spec, seed: u64) -> (TestImage<'static>, Model) {
    let img = image(dev(), spec);
    let model = Model::random(spec, seed);
    upload_raw(&img, &model);
    (img, model)
}

// ---------------------------------------------------------------------------
// Copies

/// Where a rule's image lies in a call: the image of a memory copy, or the
/// source or destination of an image-to-image copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    ToImage,
    ToMemory,
    Src,
    Dst,
}
use Place::*;

const PLACES: [Place; 4] = [ToImage, ToMemory, Src, Dst];

/// One side of a region: aspect, level, layers, texel offset.
#[derive(Clone, Copy, Debug)]
struct At {
    aspect: vk::ImageAspectFlags,
    level: u32,
    layer: u32,
    layers: u32,
    offset: [i32; 3],
}

fn at(level: u32, layer: u32, offset: [i32; 3]) -> At {
    At {
        aspect: COLOR,
        level,
        layer,
        layers: 1,
        offset,
    }
}

impl At {
    fn aspect(self, aspect: vk::ImageAspectFlags) -> Self {
        At { aspect, ..self }
    }
    fn sub(&self) -> vk::ImageSubresourceLayers {
        layers(self.aspect, self.level, self.layer, self.layers)
    }
    fn off(&self) -> vk::Offset3D {
        let [x, y, z] = self.offset;
        vk::Offset3D { x, y, z }
    }
}

/// A region: `a` is the image side of a memory copy or the source of an
/// image copy, `b` the destination of an image copy.
#[derive(Clone, Copy, Debug)]
struct Region {
    a: At,
    b: At,
    extent: [u32; 3],
}

fn region(a: At, b: At, extent: [u32; 3]) -> Region {
    Region { a, b, extent }
}

fn ext([width, height, depth]: [u32; 3]) -> vk::Extent3D {
    vk::Extent3D {
        width,
        height,
        depth,
    }
}

/// 8×8 of level 0: layer 0 at (4, 4) → layer 1 at (2, 6).
fn std_region() -> Region {
    region(at(0, 0, [4, 4, 0]), at(0, 1, [2, 6, 0]), [8, 8, 1])
}
/// MEMCPY of the whole of level 1 (8×8): layer 0 → layer 1.
fn memcpy_region() -> Region {
    region(at(1, 0, [0; 3]), at(1, 1, [0; 3]), [8, 8, 1])
}
/// BC1: 8×8 at (4, 4) of layer 0 → layer 1 at (0, 8).
fn bc1_region() -> Region {
    region(at(0, 0, [4, 4, 0]), at(0, 1, [0, 8, 0]), [8, 8, 1])
}
/// [`narrow`]: all 2 texels across level 3, 4 down.
fn narrow_region() -> Region {
    region(at(3, 0, [0; 3]), at(3, 0, [0, 4, 0]), [2, 4, 1])
}
/// [`flat`]: 4 across, all 2 texels down level 3.
fn flat_region() -> Region {
    region(at(3, 0, [0; 3]), at(3, 0, [4, 0, 0]), [4, 2, 1])
}
/// [`d1`]: 8 texels at x 2 → x 6.
fn d1_region() -> Region {
    region(at(0, 0, [2, 0, 0]), at(0, 0, [6, 0, 0]), [8, 1, 1])
}
/// [`d3`]: 4×4×2 at the origin → at (4, 4, 2).
fn d3_region() -> Region {
    region(at(0, 0, [0; 3]), at(0, 0, [4, 4, 2]), [4, 4, 2])
}

/// A call to one of the copies; its pointers to its regions are made when
/// it runs, unless `raw` (the test set `regionCount`/`pRegions` itself).
#[derive(Clone)]
struct Call {
    kind: Kind,
    raw: bool,
}

#[derive(Clone)]
enum Kind {
    ToImage(
        vk::CopyMemoryToImageInfoEXT<'static>,
        Vec<vk::MemoryToImageCopyEXT<'static>>,
    ),
    ToMemory(
        vk::CopyImageToMemoryInfoEXT<'static>,
        Vec<vk::ImageToMemoryCopyEXT<'static>>,
    ),
    Images(
        vk::CopyImageToImageInfoEXT<'static>,
        Vec<vk::ImageCopy2<'static>>,
    ),
}

impl Call {
    fn run(&self) -> VkResult<()> {
        let raw = self.raw;
        // SAFETY: every region's host pointer addresses a live buffer of
        // `HOST` bytes from its chunk on, or is a value a rule refuses
        // before any use; `raw` counts and pointers are refused before use.
        unsafe {
            match &self.kind {
                Kind::ToImage(info, r) => {
                    let mut i = *info;
                    if !raw {
                        i.region_count = r.len() as u32;
                        i.p_regions = r.as_ptr();
                    }
                    dev().copy_memory_to_image(&i)
                }
                Kind::ToMemory(info, r) => {
                    let mut i = *info;
                    if !raw {
                        i.region_count = r.len() as u32;
                        i.p_regions = r.as_ptr();
                    }
                    dev().copy_image_to_memory(&i)
                }
                Kind::Images(info, r) => {
                    let mut i = *info;
                    if !raw {
                        i.region_count = r.len() as u32;
                        i.p_regions = r.as_ptr();
                    }
                    dev().copy_image_to_image(&i)
                }
            }
        }
    }
}

/// A valid copy, what it may touch, and the call the test edits.
struct Case {
    place: Place,
    /// The filled images and their models.
    images: Vec<(TestImage<'static>, Model)>,
    /// Source bytes (random) of a copy to an image; destination of a copy
    /// to memory (guard bytes).
    host: Vec<u8>,
    call: Call,
    valid: Call,
    owned: Vec<Owned>,
}

impl Case {
    /// A valid copy of `regions` at `place` on filled images of `spec`
    /// (two for image copies).
    fn new(place: Place, spec: Spec, regions: &[Region], flags: vk::HostImageCopyFlagsEXT) -> Self {
        let n = if matches!(place, Src | Dst) { 2 } else { 1 };
        Self::build(place, spec, regions, flags, n)
    }

    /// A valid image copy within one filled image of `spec`; `place` says
    /// which side the accessors edit.
    fn within(place: Place, spec: Spec, regions: &[Region]) -> Self {
        Self::build(place, spec, regions, NO_FLAGS, 1)
    }

    fn build(
        place: Place,
        spec: Spec,
        regions: &[Region],
        flags: vk::HostImageCopyFlagsEXT,
        n: usize,
    ) -> Self {
        assert!(regions.len() * CHUNK <= HOST);
        let images: Vec<_> = (0..n).map(|i| filled(spec, 1 + i as u64)).collect();
        let mut host = match place {
            ToMemory => vec![GUARD_BYTE; HOST],
            _ => random_bytes(99, HOST),
        };
        let base = host.as_mut_ptr();
        let chunk = |i: usize| base.wrapping_add(i * CHUNK);
        let kind = match place {
            ToImage => Kind::ToImage(
                vk::CopyMemoryToImageInfoEXT {
                    flags,
                    dst_image: images[0].0.image,
                    dst_image_layout: GENERAL,
                    ..Default::default()
                },
                regions
                    .iter()
                    .enumerate()
                    .map(|(i, r)| vk::MemoryToImageCopyEXT {
                        p_host_pointer: chunk(i).cast_const().cast(),
                        image_subresource: r.a.sub(),
                        image_offset: r.a.off(),
                        image_extent: ext(r.extent),
                        ..Default::default()
                    })
                    .collect(),
            ),
            ToMemory => Kind::ToMemory(
                vk::CopyImageToMemoryInfoEXT {
                    flags,
                    src_image: images[0].0.image,
                    src_image_layout: GENERAL,
                    ..Default::default()
                },
                regions
                    .iter()
                    .enumerate()
                    .map(|(i, r)| vk::ImageToMemoryCopyEXT {
                        p_host_pointer: chunk(i).cast(),
                        image_subresource: r.a.sub(),
                        image_offset: r.a.off(),
                        image_extent: ext(r.extent),
                        ..Default::default()
                    })
                    .collect(),
            ),
            Src | Dst => Kind::Images(
                vk::CopyImageToImageInfoEXT {
                    flags,
                    src_image: images[0].0.image,
                    src_image_layout: GENERAL,
                    dst_image: images[n - 1].0.image,
                    dst_image_layout: GENERAL,
                    ..Default::default()
                },
                regions
                    .iter()
                    .map(|r| vk::ImageCopy2 {
                        src_subresource: r.a.sub(),
                        src_offset: r.a.off(),
                        dst_subresource: r.b.sub(),
                        dst_offset: r.b.off(),
                        extent: ext(r.extent),
                        ..Default::default()
                    })
                    .collect(),
            ),
        };
        let call = Call { kind, raw: false };
        Case {
            place,
            images,
            host,
            valid: call.clone(),
            call,
            owned: Vec::new(),
        }
    }

    /// Runs the edited call: it must fail naming `vuid` and leave every
    /// image's bytes and every host guard byte as they were; the unedited
    /// call must then succeed.
    fn fails(&mut self, vuid: &str) {
        expect_vuid(self.call.run(), vuid);
        for (img, model) in &self.images {
            assert_image(img, model, &format!("after the call failing {vuid}"));
        }
        if self.place == ToMemory {
            if let Some(i) = self.host.iter().position(|&b| b != GUARD_BYTE) {
                panic!("{vuid}: host byte {i} was written ({:#04x})", self.host[i]);
            }
        }
        self.valid
            .run()
            .unwrap_or_else(|e| panic!("the unedited call fails: {e}"));
    }

    /// Takes the call as edited so far as the valid one.
    fn rebase(&mut self) {
        self.valid = self.call.clone();
        self.valid.run().expect("the new baseline is valid");
        // The baseline wrote: the models no longer hold. Refill.
        for (img, model) in &self.images {
            upload_raw(img, model);
        }
        self.host.fill(if self.place == ToMemory {
            GUARD_BYTE
        } else {
            0x3C
        });
    }

    /// An image from `info` bound over image `over`'s memory (so that it
    /// shares its bytes) and moved to `GENERAL` if it can be.
    fn alias(&mut self, over: usize, info: &vk::ImageCreateInfo) -> vk::Image {
        let image = create_raw(info);
        let img = &self.images[over].0;
        let need = dev().image_memory_requirements(image).unwrap().size;
        let have = dev().image_memory_requirements(img.image).unwrap().size;
        assert!(need <= have, "the alias needs {need} bytes, {have} there");
        dev()
            .bind_image_memory(image, img.memory, 0)
            .expect("the alias binds");
        // Fails (image-09055) without HOST_TRANSFER usage: then it stays UNDEFINED.
        let _ = dev().transition_image_layout(&[transition(
            image,
            all_aspects(info.format),
            vk::ImageLayout::UNDEFINED,
        )]);
        self.owned.push(Owned(image));
        image
    }

    /// An image from `info` without memory.
    fn unbound(&mut self, info: &vk::ImageCreateInfo) -> vk::Image {
        let image = create_raw(info);
        self.owned.push(Owned(image));
        image
    }

    // Accessors of the edited call, at `place`.

    fn sub(&mut self, i: usize) -> &mut vk::ImageSubresourceLayers {
        let p = self.place;
        match &mut self.call.kind {
            Kind::ToImage(_, r) => &mut r[i].image_subresource,
            Kind::ToMemory(_, r) => &mut r[i].image_subresource,
            Kind::Images(_, r) => {
                if p == Dst {
                    &mut r[i].dst_subresource
                } else {
                    &mut r[i].src_subresource
                }
            }
        }
    }

    fn offset(&mut self, i: usize) -> &mut vk::Offset3D {
        let p = self.place;
        match &mut self.call.kind {
            Kind::ToImage(_, r) => &mut r[i].image_offset,
            Kind::ToMemory(_, r) => &mut r[i].image_offset,
            Kind::Images(_, r) => {
                if p == Dst {
                    &mut r[i].dst_offset
                } else {
                    &mut r[i].src_offset
                }
            }
        }
    }

    fn extent(&mut self, i: usize) -> &mut vk::Extent3D {
        match &mut self.call.kind {
            Kind::ToImage(_, r) => &mut r[i].image_extent,
            Kind::ToMemory(_, r) => &mut r[i].image_extent,
            Kind::Images(_, r) => &mut r[i].extent,
        }
    }

    fn image(&mut self) -> &mut vk::Image {
        let p = self.place;
        match &mut self.call.kind {
            Kind::ToImage(info, _) => &mut info.dst_image,
            Kind::ToMemory(info, _) => &mut info.src_image,
            Kind::Images(info, _) => {
                if p == Dst {
                    &mut info.dst_image
                } else {
                    &mut info.src_image
                }
            }
        }
    }

    /// Sets the image at `place`; for an image copy from `Src`, the
    /// destination too (the two must be created identically).
    fn set_image(&mut self, image: vk::Image) {
        *self.image() = image;
        if let (Src, Kind::Images(info, _)) = (self.place, &mut self.call.kind) {
            info.dst_image = image;
        }
    }

    fn layout(&mut self) -> &mut vk::ImageLayout {
        let p = self.place;
        match &mut self.call.kind {
            Kind::ToImage(info, _) => &mut info.dst_image_layout,
            Kind::ToMemory(info, _) => &mut info.src_image_layout,
            Kind::Images(info, _) => {
                if p == Dst {
                    &mut info.dst_image_layout
                } else {
                    &mut info.src_image_layout
                }
            }
        }
    }

    fn s_type(&mut self) -> &mut vk::StructureType {
        match &mut self.call.kind {
            Kind::ToImage(info, _) => &mut info.s_type,
            Kind::ToMemory(info, _) => &mut info.s_type,
            Kind::Images(info, _) => &mut info.s_type,
        }
    }

    fn p_next(&mut self) -> &mut *const c_void {
        match &mut self.call.kind {
            Kind::ToImage(info, _) => &mut info.p_next,
            Kind::ToMemory(info, _) => &mut info.p_next,
            Kind::Images(info, _) => &mut info.p_next,
        }
    }

    fn flags(&mut self) -> &mut vk::HostImageCopyFlagsEXT {
        match &mut self.call.kind {
            Kind::ToImage(info, _) => &mut info.flags,
            Kind::ToMemory(info, _) => &mut info.flags,
            Kind::Images(info, _) => &mut info.flags,
        }
    }

    /// Sets `regionCount` and `pRegions` (the regions or NULL) as given.
    fn raw_regions(&mut self, count: u32, null: bool) {
        self.call.raw = true;
        match &mut self.call.kind {
            Kind::ToImage(info, r) => {
                info.region_count = count;
                info.p_regions = if null { ptr::null() } else { r.as_ptr() };
            }
            Kind::ToMemory(info, r) => {
                info.region_count = count;
                info.p_regions = if null { ptr::null() } else { r.as_ptr() };
            }
            Kind::Images(info, r) => {
                info.region_count = count;
                info.p_regions = if null { ptr::null() } else { r.as_ptr() };
            }
        }
    }

    fn region_s_type(&mut self, i: usize) -> &mut vk::StructureType {
        match &mut self.call.kind {
            Kind::ToImage(_, r) => &mut r[i].s_type,
            Kind::ToMemory(_, r) => &mut r[i].s_type,
            Kind::Images(_, r) => &mut r[i].s_type,
        }
    }

    fn region_p_next(&mut self, i: usize) -> &mut *const c_void {
        match &mut self.call.kind {
            Kind::ToImage(_, r) => &mut r[i].p_next,
            Kind::ToMemory(_, r) => &mut r[i].p_next,
            Kind::Images(_, r) => &mut r[i].p_next,
        }
    }

    fn row_length(&mut self, i: usize) -> &mut u32 {
        match &mut self.call.kind {
            Kind::ToImage(_, r) => &mut r[i].memory_row_length,
            Kind::ToMemory(_, r) => &mut r[i].memory_row_length,
            Kind::Images(..) => panic!("no host memory in an image copy"),
        }
    }

    fn image_height(&mut self, i: usize) -> &mut u32 {
        match &mut self.call.kind {
            Kind::ToImage(_, r) => &mut r[i].memory_image_height,
            Kind::ToMemory(_, r) => &mut r[i].memory_image_height,
            Kind::Images(..) => panic!("no host memory in an image copy"),
        }
    }

    fn set_host(&mut self, i: usize, p: *mut u8) {
        match &mut self.call.kind {
            Kind::ToImage(_, r) => r[i].p_host_pointer = p.cast_const().cast(),
            Kind::ToMemory(_, r) => r[i].p_host_pointer = p.cast(),
            Kind::Images(..) => panic!("no host memory in an image copy"),
        }
    }

    /// Host chunk `i`.
    fn chunk(&mut self, i: usize) -> *mut u8 {
        self.host.as_mut_ptr().wrapping_add(i * CHUNK)
    }
}

fn case(p: Place, spec: Spec, r: Region) -> Case {
    Case::new(p, spec, &[r], NO_FLAGS)
}

/// [`std_region`] of [`rgba`].
fn std_case(p: Place) -> Case {
    case(p, rgba(), std_region())
}

/// [`memcpy_region`] of [`rgba`] with MEMCPY.
fn memcpy_case(p: Place) -> Case {
    Case::new(p, rgba(), &[memcpy_region()], MEMCPY)
}

/// Some structure for a `pNext` that must be NULL.
fn foreign() -> Box<vk::ImageStencilUsageCreateInfo<'static>> {
    Box::new(vk::ImageStencilUsageCreateInfo {
        stencil_usage: vk::ImageUsageFlags::SAMPLED,
        ..Default::default()
    })
}

// The rules shared by the three calls; `p` says which call and side.

fn header_s_type(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.s_type() = vk::StructureType::APPLICATION_INFO;
    c.fails(v);
}

fn header_p_next(p: Place, v: &str) {
    let mut c = std_case(p);
    let f = foreign();
    *c.p_next() = (&*f as *const vk::ImageStencilUsageCreateInfo).cast();
    c.fails(v);
}

fn header_flags(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.flags() = vk::HostImageCopyFlagsEXT::from_raw(2);
    c.fails(v);
}

fn header_region_count(p: Place, v: &str) {
    let mut c = std_case(p);
    c.raw_regions(0, false);
    c.fails(v);
}

fn header_regions_null(p: Place, v: &str) {
    let mut c = std_case(p);
    c.raw_regions(1, true);
    c.fails(v);
}

fn region_s_type(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.region_s_type(0) = vk::StructureType::APPLICATION_INFO;
    c.fails(v);
}

fn region_p_next(p: Place, v: &str) {
    let mut c = std_case(p);
    let f = foreign();
    *c.region_p_next(0) = (&*f as *const vk::ImageStencilUsageCreateInfo).cast();
    c.fails(v);
}

fn image_parameter(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.image() = destroyed_image();
    c.fails(v);
}

/// `07966`: the image has no memory.
fn unbound_image(p: Place, v: &str) {
    let mut c = std_case(p);
    let u = c.unbound(&rgba().info());
    *c.image() = u;
    c.fails(v);
    let memory = c.images[0].0.memory;
    dev()
        .bind_image_memory(u, memory, 0)
        .expect("the image is still unbound after the failed call");
}

/// `07969`: created `SUBSAMPLED`.
fn subsampled(p: Place, v: &str) {
    let mut c = std_case(p);
    let info = vk::ImageCreateInfo {
        flags: vk::ImageCreateFlags::SUBSAMPLED_EXT,
        ..rgba().info()
    };
    let over = if p == Dst { 1 } else { 0 };
    let a = c.alias(over, &info);
    c.set_image(a);
    c.fails(v);
}

/// `07973`: 4 samples.
fn multisampled(p: Place, v: &str) {
    let spec = Spec::d2(RGBA8, 16, 16).with(1, 2);
    let mut c = case(p, spec, std_region());
    let info = vk::ImageCreateInfo {
        samples: vk::SampleCountFlags::TYPE_4,
        ..spec.info()
    };
    let a = c.alias(0, &info);
    c.set_image(a);
    c.fails(v);
}

/// `09111`: the stencil aspect of an image without `HOST_TRANSFER` usage.
fn stencil_without_host(p: Place, v: &str) {
    let r = region(
        at(0, 0, [4, 4, 0]).aspect(STENCIL),
        at(0, 1, [2, 6, 0]).aspect(STENCIL),
        [8, 8, 1],
    );
    let mut c = case(p, ds(), r);
    let a = c.alias(0, &with_usage(ds(), NO_HOST).info());
    c.set_image(a);
    c.fails(v);
}

/// `09112`: the stencil aspect of an image whose separate stencil usage
/// lacks `HOST_TRANSFER` (its usage has it).
fn stencil_usage_without_host(p: Place, v: &str) {
    let r = region(
        at(0, 0, [4, 4, 0]).aspect(STENCIL),
        at(0, 1, [2, 6, 0]).aspect(STENCIL),
        [8, 8, 1],
    );
    let mut c = case(p, ds(), r);
    let stencil = vk::ImageStencilUsageCreateInfo {
        stencil_usage: NO_HOST,
        ..Default::default()
    };
    let info = vk::ImageCreateInfo {
        p_next: (&stencil as *const vk::ImageStencilUsageCreateInfo).cast(),
        ..ds().info()
    };
    let a = c.alias(0, &info);
    c.set_image(a);
    c.fails(v);
}

/// `09113`: color of an image without `HOST_TRANSFER` usage.
fn color_without_host(p: Place, v: &str) {
    let mut c = std_case(p);
    let a = c.alias(0, &with_usage(rgba(), NO_HOST).info());
    c.set_image(a);
    c.fails(v);
}

/// `09105`: an aspect the image lacks.
fn aspect_absent(p: Place, v: &str) {
    let mut c = std_case(p);
    c.sub(0).aspect_mask = DEPTH;
    c.fails(v);
}

/// `07967`: level 3 of 3.
fn level_beyond(p: Place, v: &str) {
    let mut c = std_case(p);
    c.sub(0).mip_level = 3;
    c.fails(v);
}

/// `07968`: layers 1..3 of 2.
fn layers_beyond(p: Place, v: &str) {
    let mut c = std_case(p);
    let s = c.sub(0);
    s.base_array_layer = 1;
    s.layer_count = 2;
    c.fails(v);
}

/// `07983`: a 3D image from layer 1, `VK_REMAINING_ARRAY_LAYERS` (so `07968`,
/// which exempts `VK_REMAINING_ARRAY_LAYERS`, does not apply).
fn three_d_base_layer(p: Place, v: &str) {
    let mut c = case(p, d3(), d3_region());
    let s = c.sub(0);
    s.base_array_layer = 1;
    s.layer_count = vk::REMAINING_ARRAY_LAYERS;
    c.fails(v);
}

/// `07979`: y 1 in a 1D image.
fn one_d_y(p: Place, v: &str) {
    let mut c = case(p, d1(), d1_region());
    c.offset(0).y = 1;
    c.fails(v);
}

/// `07980`: z 1 in a 2D image.
fn two_d_z(p: Place, v: &str) {
    let mut c = std_case(p);
    c.offset(0).z = 1;
    c.fails(v);
}

/// `07971`: texels 10..18 of 16 across.
fn x_beyond(p: Place, v: &str) {
    let mut c = std_case(p);
    c.offset(0).x = 10;
    c.fails(v);
}

/// `07971` with a negative offset.
fn x_negative(p: Place, v: &str) {
    let mut c = std_case(p);
    c.offset(0).x = -1;
    c.fails(v);
}

/// `07972`: rows 10..18 of 16.
fn y_beyond(p: Place, v: &str) {
    let mut c = std_case(p);
    c.offset(0).y = 10;
    c.fails(v);
}

/// `09104`: slices 3..5 of 4.
fn z_beyond(p: Place, v: &str) {
    let mut c = case(p, d3(), d3_region());
    c.offset(0).z = 3;
    c.fails(v);
}

/// `09114`: MEMCPY at x 4 (and so not the whole level, `09115`).
fn memcpy_offset(p: Place, v: &str) {
    let mut c = memcpy_case(p);
    if p == Dst {
        // The extent is the source's: the destination level must be larger.
        c.sub(0).mip_level = 0;
    } else {
        c.extent(0).width = 4;
    }
    c.offset(0).x = 4;
    c.fails(v);
}

/// `09115`: MEMCPY of part of a level.
fn memcpy_part(p: Place, v: &str) {
    let mut c = memcpy_case(p);
    if p == Dst {
        // Level 0 (16×16) where the source's whole level 1 is 8×8.
        c.sub(0).mip_level = 0;
    } else {
        c.extent(0).width = 4;
    }
    c.fails(v);
}

/// `07274`: x 2 in 4×4 blocks.
fn block_x(p: Place, v: &str) {
    let mut c = case(p, bc1(), bc1_region());
    c.offset(0).x = 2;
    c.fails(v);
}

/// `07275`: y 2 in 4×4 blocks.
fn block_y(p: Place, v: &str) {
    let mut c = case(p, bc1(), bc1_region());
    c.offset(0).y = 2;
    c.fails(v);
}

/// `00207`: 2 texels across, in level 0 where they end inside a block
/// (in level 3 they reach its edge).
fn block_width(p: Place, v: &str) {
    let mut c = case(p, narrow(), narrow_region());
    c.sub(0).mip_level = 0;
    c.fails(v);
}

/// `00208`: 2 rows, in level 0 where they end inside a block.
fn block_height(p: Place, v: &str) {
    let mut c = case(p, flat(), flat_region());
    c.sub(0).mip_level = 0;
    c.fails(v);
}

fn zero_extent(p: Place, v: &str, axis: usize) {
    let mut c = std_case(p);
    let e = c.extent(0);
    match axis {
        0 => e.width = 0,
        1 => e.height = 0,
        _ => e.depth = 0,
    }
    c.fails(v);
}

/// `09103`: depth and stencil in one memory region.
fn two_aspects(p: Place, v: &str) {
    let r = region(
        at(0, 0, [4, 4, 0]).aspect(DEPTH),
        at(0, 1, [0; 3]),
        [8, 8, 1],
    );
    let mut c = case(p, ds(), r);
    c.sub(0).aspect_mask = DEPTH | STENCIL;
    c.fails(v);
}

/// `09393` / `09394`: MEMCPY with a row length.
fn memcpy_row_length(p: Place, v: &str) {
    let mut c = memcpy_case(p);
    *c.row_length(0) = 8;
    c.fails(v);
}

/// `09101`: rows of 4 texels for a box 8 wide.
fn row_length_short(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.row_length(0) = 4;
    c.fails(v);
}

/// `09102`: 4 rows per slice for a box 8 high.
fn image_height_short(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.image_height(0) = 4;
    c.fails(v);
}

/// `09106`: rows of 10 texels in 4×4 blocks.
fn row_length_block(p: Place, v: &str) {
    let mut c = case(p, bc1(), bc1_region());
    *c.row_length(0) = 10;
    c.fails(v);
}

/// `09107`: 10 rows per slice in 4×4 blocks.
fn image_height_block(p: Place, v: &str) {
    let mut c = case(p, bc1(), bc1_region());
    *c.image_height(0) = 10;
    c.fails(v);
}

/// `09108`: rows of 2^29 texels of 4 bytes: 2^31 bytes.
fn row_length_huge(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.row_length(0) = 1 << 29;
    c.fails(v);
}

/// `09061` / `09066`: NULL host pointer.
fn host_null(p: Place, v: &str) {
    let mut c = std_case(p);
    c.set_host(0, ptr::null_mut());
    c.fails(v);
}

/// `09061` / `09066`: host range past the end of the address space.
fn host_wraps(p: Place, v: &str) {
    let mut c = std_case(p);
    c.set_host(0, (usize::MAX - 64) as *mut u8);
    c.fails(v);
}

/// Two regions: layer 0 at (4, 4) → layer 1 at the origin; layer 1 at
/// (8, 8) → layer 1 at (8, 8). Neither the image boxes nor (for a copy to
/// memory) the host ranges share a byte.
fn two_regions() -> [Region; 2] {
    [
        region(at(0, 0, [4, 4, 0]), at(0, 1, [0; 3]), [8, 8, 1]),
        region(at(0, 1, [8, 8, 0]), at(0, 1, [8, 8, 0]), [8, 8, 1]),
    ]
}

fn layout_parameter(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.layout() = vk::ImageLayout::from_raw(0x7FFF_0000);
    c.fails(v);
}

/// A layout that is not a host-copy layout.
fn layout_not_host(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.layout() = vk::ImageLayout::PRESENT_SRC_KHR;
    c.fails(v);
}

/// A host-copy layout the image is not in (it is in `GENERAL`).
fn layout_not_current(p: Place, v: &str) {
    let mut c = std_case(p);
    *c.layout() = vk::ImageLayout::TRANSFER_DST_OPTIMAL;
    c.fails(v);
}

// ---------------------------------------------------------------------------
// VkCopyMemoryToImageInfo, VkMemoryToImageCopy

vuids! {
    copy_memory_to_image_s_type_s_type "VUID-VkCopyMemoryToImageInfo-sType-sType" |v| header_s_type(ToImage, v);
    copy_memory_to_image_p_next_p_next "VUID-VkCopyMemoryToImageInfo-pNext-pNext" |v| header_p_next(ToImage, v);
    copy_memory_to_image_flags_parameter "VUID-VkCopyMemoryToImageInfo-flags-parameter" |v| header_flags(ToImage, v);
    copy_memory_to_image_region_count_arraylength "VUID-VkCopyMemoryToImageInfo-regionCount-arraylength" |v| header_region_count(ToImage, v);
    copy_memory_to_image_p_regions_parameter "VUID-VkCopyMemoryToImageInfo-pRegions-parameter" |v| header_regions_null(ToImage, v);
    copy_memory_to_image_dst_image_parameter "VUID-VkCopyMemoryToImageInfo-dstImage-parameter" |v| image_parameter(ToImage, v);
    copy_memory_to_image_dst_image_07966 "VUID-VkCopyMemoryToImageInfo-dstImage-07966" |v| unbound_image(ToImage, v);
    copy_memory_to_image_dst_image_07969 "VUID-VkCopyMemoryToImageInfo-dstImage-07969" |v| subsampled(ToImage, v);
    copy_memory_to_image_dst_image_07973 "VUID-VkCopyMemoryToImageInfo-dstImage-07973" |v| multisampled(ToImage, v);
    copy_memory_to_image_image_subresource_09105 "VUID-VkCopyMemoryToImageInfo-imageSubresource-09105" |v| aspect_absent(ToImage, v);
    copy_memory_to_image_image_subresource_07967 "VUID-VkCopyMemoryToImageInfo-imageSubresource-07967" |v| level_beyond(ToImage, v);
    copy_memory_to_image_image_subresource_07968 "VUID-VkCopyMemoryToImageInfo-imageSubresource-07968" |v| layers_beyond(ToImage, v);
    copy_memory_to_image_dst_image_07983 "VUID-VkCopyMemoryToImageInfo-dstImage-07983" |v| three_d_base_layer(ToImage, v);
    copy_memory_to_image_dst_image_07979 "VUID-VkCopyMemoryToImageInfo-dstImage-07979" |v| one_d_y(ToImage, v);
    copy_memory_to_image_dst_image_07980 "VUID-VkCopyMemoryToImageInfo-dstImage-07980" |v| two_d_z(ToImage, v);
    copy_memory_to_image_image_subresource_07971 "VUID-VkCopyMemoryToImageInfo-imageSubresource-07971" |v| x_beyond(ToImage, v);
    copy_memory_to_image_image_subresource_07971_negative "VUID-VkCopyMemoryToImageInfo-imageSubresource-07971" |v| x_negative(ToImage, v);
    copy_memory_to_image_image_subresource_07972 "VUID-VkCopyMemoryToImageInfo-imageSubresource-07972" |v| y_beyond(ToImage, v);
    copy_memory_to_image_image_offset_09104 "VUID-VkCopyMemoryToImageInfo-imageOffset-09104" |v| z_beyond(ToImage, v);
    copy_memory_to_image_image_offset_09114 "VUID-VkCopyMemoryToImageInfo-imageOffset-09114" |v| memcpy_offset(ToImage, v);
    copy_memory_to_image_dst_image_09115 "VUID-VkCopyMemoryToImageInfo-dstImage-09115" |v| memcpy_part(ToImage, v);
    copy_memory_to_image_dst_image_07274 "VUID-VkCopyMemoryToImageInfo-dstImage-07274" |v| block_x(ToImage, v);
    copy_memory_to_image_dst_image_07275 "VUID-VkCopyMemoryToImageInfo-dstImage-07275" |v| block_y(ToImage, v);
    copy_memory_to_image_dst_image_00207 "VUID-VkCopyMemoryToImageInfo-dstImage-00207" |v| block_width(ToImage, v);
    copy_memory_to_image_dst_image_00208 "VUID-VkCopyMemoryToImageInfo-dstImage-00208" |v| block_height(ToImage, v);
    copy_memory_to_image_dst_image_09111 "VUID-VkCopyMemoryToImageInfo-dstImage-09111" |v| stencil_without_host(ToImage, v);
    copy_memory_to_image_dst_image_09112 "VUID-VkCopyMemoryToImageInfo-dstImage-09112" |v| stencil_usage_without_host(ToImage, v);
    copy_memory_to_image_dst_image_09113 "VUID-VkCopyMemoryToImageInfo-dstImage-09113" |v| color_without_host(ToImage, v);
    copy_memory_to_image_flags_09393 "VUID-VkCopyMemoryToImageInfo-flags-09393" |v| memcpy_row_length(ToImage, v);
    copy_memory_to_image_memory_row_length_09106 "VUID-VkCopyMemoryToImageInfo-memoryRowLength-09106" |v| row_length_block(ToImage, v);
    copy_memory_to_image_memory_image_height_09107 "VUID-VkCopyMemoryToImageInfo-memoryImageHeight-09107" |v| image_height_block(ToImage, v);
    copy_memory_to_image_memory_row_length_09108 "VUID-VkCopyMemoryToImageInfo-memoryRowLength-09108" |v| row_length_huge(ToImage, v);
    copy_memory_to_image_p_regions_12474 "VUID-VkCopyMemoryToImageInfo-pRegions-12474" |v| {
        // The second region moves to layer 0, onto the first's box.
        let mut c = Case::new(ToImage, rgba(), &two_regions(), NO_FLAGS);
        c.sub(1).base_array_layer = 0;
        c.fails(v);
    };
    copy_memory_to_image_dst_image_layout_parameter "VUID-VkCopyMemoryToImageInfo-dstImageLayout-parameter" |v| layout_parameter(ToImage, v);
    copy_memory_to_image_dst_image_layout_09060 "VUID-VkCopyMemoryToImageInfo-dstImageLayout-09060" |v| layout_not_host(ToImage, v);
    copy_memory_to_image_dst_image_layout_09059 "VUID-VkCopyMemoryToImageInfo-dstImageLayout-09059" |v| layout_not_current(ToImage, v);

    memory_to_image_copy_s_type_s_type "VUID-VkMemoryToImageCopy-sType-sType" |v| region_s_type(ToImage, v);
    memory_to_image_copy_p_next_p_next "VUID-VkMemoryToImageCopy-pNext-pNext" |v| region_p_next(ToImage, v);
    memory_to_image_copy_aspect_mask_09103 "VUID-VkMemoryToImageCopy-aspectMask-09103" |v| two_aspects(ToImage, v);
    memory_to_image_copy_image_extent_06659 "VUID-VkMemoryToImageCopy-imageExtent-06659" |v| zero_extent(ToImage, v, 0);
    memory_to_image_copy_image_extent_06660 "VUID-VkMemoryToImageCopy-imageExtent-06660" |v| zero_extent(ToImage, v, 1);
    memory_to_image_copy_image_extent_06661 "VUID-VkMemoryToImageCopy-imageExtent-06661" |v| zero_extent(ToImage, v, 2);
    memory_to_image_copy_memory_row_length_09101 "VUID-VkMemoryToImageCopy-memoryRowLength-09101" |v| row_length_short(ToImage, v);
    memory_to_image_copy_memory_image_height_09102 "VUID-VkMemoryToImageCopy-memoryImageHeight-09102" |v| image_height_short(ToImage, v);
    memory_to_image_copy_p_host_pointer_09061 "VUID-VkMemoryToImageCopy-pHostPointer-09061" |v| host_null(ToImage, v);
    memory_to_image_copy_p_host_pointer_09061_wraps "VUID-VkMemoryToImageCopy-pHostPointer-09061" |v| host_wraps(ToImage, v);
}

// ---------------------------------------------------------------------------
// VkCopyImageToMemoryInfo, VkImageToMemoryCopy

vuids! {
    copy_image_to_memory_s_type_s_type "VUID-VkCopyImageToMemoryInfo-sType-sType" |v| header_s_type(ToMemory, v);
    copy_image_to_memory_p_next_p_next "VUID-VkCopyImageToMemoryInfo-pNext-pNext" |v| header_p_next(ToMemory, v);
    copy_image_to_memory_flags_parameter "VUID-VkCopyImageToMemoryInfo-flags-parameter" |v| header_flags(ToMemory, v);
    copy_image_to_memory_region_count_arraylength "VUID-VkCopyImageToMemoryInfo-regionCount-arraylength" |v| header_region_count(ToMemory, v);
    copy_image_to_memory_p_regions_parameter "VUID-VkCopyImageToMemoryInfo-pRegions-parameter" |v| header_regions_null(ToMemory, v);
    copy_image_to_memory_src_image_parameter "VUID-VkCopyImageToMemoryInfo-srcImage-parameter" |v| image_parameter(ToMemory, v);
    copy_image_to_memory_src_image_07966 "VUID-VkCopyImageToMemoryInfo-srcImage-07966" |v| unbound_image(ToMemory, v);
    copy_image_to_memory_src_image_07969 "VUID-VkCopyImageToMemoryInfo-srcImage-07969" |v| subsampled(ToMemory, v);
    copy_image_to_memory_src_image_07973 "VUID-VkCopyImageToMemoryInfo-srcImage-07973" |v| multisampled(ToMemory, v);
    copy_image_to_memory_image_subresource_09105 "VUID-VkCopyImageToMemoryInfo-imageSubresource-09105" |v| aspect_absent(ToMemory, v);
    copy_image_to_memory_image_subresource_07967 "VUID-VkCopyImageToMemoryInfo-imageSubresource-07967" |v| level_beyond(ToMemory, v);
    copy_image_to_memory_image_subresource_07968 "VUID-VkCopyImageToMemoryInfo-imageSubresource-07968" |v| layers_beyond(ToMemory, v);
    copy_image_to_memory_src_image_07983 "VUID-VkCopyImageToMemoryInfo-srcImage-07983" |v| three_d_base_layer(ToMemory, v);
    copy_image_to_memory_src_image_07979 "VUID-VkCopyImageToMemoryInfo-srcImage-07979" |v| one_d_y(ToMemory, v);
    copy_image_to_memory_src_image_07980 "VUID-VkCopyImageToMemoryInfo-srcImage-07980" |v| two_d_z(ToMemory, v);
    copy_image_to_memory_image_subresource_07971 "VUID-VkCopyImageToMemoryInfo-imageSubresource-07971" |v| x_beyond(ToMemory, v);
    copy_image_to_memory_image_subresource_07971_negative "VUID-VkCopyImageToMemoryInfo-imageSubresource-07971" |v| x_negative(ToMemory, v);
    copy_image_to_memory_image_subresource_07972 "VUID-VkCopyImageToMemoryInfo-imageSubresource-07972" |v| y_beyond(ToMemory, v);
    copy_image_to_memory_image_offset_09104 "VUID-VkCopyImageToMemoryInfo-imageOffset-09104" |v| z_beyond(ToMemory, v);
    copy_image_to_memory_image_offset_09114 "VUID-VkCopyImageToMemoryInfo-imageOffset-09114" |v| memcpy_offset(ToMemory, v);
    copy_image_to_memory_src_image_09115 "VUID-VkCopyImageToMemoryInfo-srcImage-09115" |v| memcpy_part(ToMemory, v);
    copy_image_to_memory_src_image_07274 "VUID-VkCopyImageToMemoryInfo-srcImage-07274" |v| block_x(ToMemory, v);
    copy_image_to_memory_src_image_07275 "VUID-VkCopyImageToMemoryInfo-srcImage-07275" |v| block_y(ToMemory, v);
    copy_image_to_memory_src_image_00207 "VUID-VkCopyImageToMemoryInfo-srcImage-00207" |v| block_width(ToMemory, v);
    copy_image_to_memory_src_image_00208 "VUID-VkCopyImageToMemoryInfo-srcImage-00208" |v| block_height(ToMemory, v);
    copy_image_to_memory_src_image_09111 "VUID-VkCopyImageToMemoryInfo-srcImage-09111" |v| stencil_without_host(ToMemory, v);
    copy_image_to_memory_src_image_09112 "VUID-VkCopyImageToMemoryInfo-srcImage-09112" |v| stencil_usage_without_host(ToMemory, v);
    copy_image_to_memory_src_image_09113 "VUID-VkCopyImageToMemoryInfo-srcImage-09113" |v| color_without_host(ToMemory, v);
    copy_image_to_memory_flags_09394 "VUID-VkCopyImageToMemoryInfo-flags-09394" |v| memcpy_row_length(ToMemory, v);
    copy_image_to_memory_memory_row_length_09106 "VUID-VkCopyImageToMemoryInfo-memoryRowLength-09106" |v| row_length_block(ToMemory, v);
    copy_image_to_memory_memory_image_height_09107 "VUID-VkCopyImageToMemoryInfo-memoryImageHeight-09107" |v| image_height_block(ToMemory, v);
    copy_image_to_memory_memory_row_length_09108 "VUID-VkCopyImageToMemoryInfo-memoryRowLength-09108" |v| row_length_huge(ToMemory, v);
    copy_image_to_memory_p_regions_12475 "VUID-VkCopyImageToMemoryInfo-pRegions-12475" |v| {
        // The second region's host memory moves onto the first's.
        let mut c = Case::new(ToMemory, rgba(), &two_regions(), NO_FLAGS);
        let first = c.chunk(0);
        c.set_host(1, first);
        c.fails(v);
    };
    copy_image_to_memory_src_image_layout_parameter "VUID-VkCopyImageToMemoryInfo-srcImageLayout-parameter" |v| layout_parameter(ToMemory, v);
    copy_image_to_memory_src_image_layout_09065 "VUID-VkCopyImageToMemoryInfo-srcImageLayout-09065" |v| layout_not_host(ToMemory, v);
    copy_image_to_memory_src_image_layout_09064 "VUID-VkCopyImageToMemoryInfo-srcImageLayout-09064" |v| layout_not_current(ToMemory, v);

    image_to_memory_copy_s_type_s_type "VUID-VkImageToMemoryCopy-sType-sType" |v| region_s_type(ToMemory, v);
    image_to_memory_copy_p_next_p_next "VUID-VkImageToMemoryCopy-pNext-pNext" |v| region_p_next(ToMemory, v);
    image_to_memory_copy_aspect_mask_09103 "VUID-VkImageToMemoryCopy-aspectMask-09103" |v| two_aspects(ToMemory, v);
    image_to_memory_copy_image_extent_06659 "VUID-VkImageToMemoryCopy-imageExtent-06659" |v| zero_extent(ToMemory, v, 0);
    image_to_memory_copy_image_extent_06660 "VUID-VkImageToMemoryCopy-imageExtent-06660" |v| zero_extent(ToMemory, v, 1);
    image_to_memory_copy_image_extent_06661 "VUID-VkImageToMemoryCopy-imageExtent-06661" |v| zero_extent(ToMemory, v, 2);
    image_to_memory_copy_memory_row_length_09101 "VUID-VkImageToMemoryCopy-memoryRowLength-09101" |v| row_length_short(ToMemory, v);
    image_to_memory_copy_memory_image_height_09102 "VUID-VkImageToMemoryCopy-memoryImageHeight-09102" |v| image_height_short(ToMemory, v);
    image_to_memory_copy_p_host_pointer_09066 "VUID-VkImageToMemoryCopy-pHostPointer-09066" |v| host_null(ToMemory, v);
    image_to_memory_copy_p_host_pointer_09066_wraps "VUID-VkImageToMemoryCopy-pHostPointer-09066" |v| host_wraps(ToMemory, v);
}

// ---------------------------------------------------------------------------
// VkCopyImageToImageInfo, VkImageCopy2

vuids! {
    copy_image_to_image_s_type_s_type "VUID-VkCopyImageToImageInfo-sType-sType" |v| header_s_type(Src, v);
    copy_image_to_image_p_next_p_next "VUID-VkCopyImageToImageInfo-pNext-pNext" |v| header_p_next(Src, v);
    copy_image_to_image_flags_parameter "VUID-VkCopyImageToImageInfo-flags-parameter" |v| header_flags(Src, v);
    copy_image_to_image_region_count_arraylength "VUID-VkCopyImageToImageInfo-regionCount-arraylength" |v| header_region_count(Src, v);
    copy_image_to_image_p_regions_parameter "VUID-VkCopyImageToImageInfo-pRegions-parameter" |v| header_regions_null(Src, v);
    copy_image_to_image_src_image_parameter "VUID-VkCopyImageToImageInfo-srcImage-parameter" |v| image_parameter(Src, v);
    copy_image_to_image_dst_image_parameter "VUID-VkCopyImageToImageInfo-dstImage-parameter" |v| image_parameter(Dst, v);
    copy_image_to_image_src_image_07966 "VUID-VkCopyImageToImageInfo-srcImage-07966" |v| unbound_image(Src, v);
    copy_image_to_image_dst_image_07966 "VUID-VkCopyImageToImageInfo-dstImage-07966" |v| unbound_image(Dst, v);
    copy_image_to_image_src_image_07969 "VUID-VkCopyImageToImageInfo-srcImage-07969" |v| subsampled(Src, v);
    copy_image_to_image_dst_image_07969 "VUID-VkCopyImageToImageInfo-dstImage-07969" |v| subsampled(Dst, v);
    copy_image_to_image_src_image_09069 "VUID-VkCopyImageToImageInfo-srcImage-09069" |v| {
        // A destination created with one more usage bit, over the old one's memory.
        let mut c = std_case(Dst);
        let usage = rgba().usage | vk::ImageUsageFlags::SAMPLED;
        let other = c.alias(1, &with_usage(rgba(), usage).info());
        *c.image() = other;
        c.fails(v);
    };
    copy_image_to_image_src_subresource_09105 "VUID-VkCopyImageToImageInfo-srcSubresource-09105" |v| aspect_absent(Src, v);
    copy_image_to_image_dst_subresource_09105 "VUID-VkCopyImageToImageInfo-dstSubresource-09105" |v| aspect_absent(Dst, v);
    copy_image_to_image_src_subresource_07967 "VUID-VkCopyImageToImageInfo-srcSubresource-07967" |v| level_beyond(Src, v);
    copy_image_to_image_dst_subresource_07967 "VUID-VkCopyImageToImageInfo-dstSubresource-07967" |v| level_beyond(Dst, v);
    copy_image_to_image_src_subresource_07968 "VUID-VkCopyImageToImageInfo-srcSubresource-07968" |v| layers_beyond(Src, v);
    copy_image_to_image_dst_subresource_07968 "VUID-VkCopyImageToImageInfo-dstSubresource-07968" |v| layers_beyond(Dst, v);
    copy_image_to_image_src_image_07983 "VUID-VkCopyImageToImageInfo-srcImage-07983" |v| three_d_base_layer(Src, v);
    copy_image_to_image_dst_image_07983 "VUID-VkCopyImageToImageInfo-dstImage-07983" |v| three_d_base_layer(Dst, v);
    copy_image_to_image_src_image_07979 "VUID-VkCopyImageToImageInfo-srcImage-07979" |v| one_d_y(Src, v);
    copy_image_to_image_dst_image_07979 "VUID-VkCopyImageToImageInfo-dstImage-07979" |v| one_d_y(Dst, v);
    copy_image_to_image_src_image_07980 "VUID-VkCopyImageToImageInfo-srcImage-07980" |v| two_d_z(Src, v);
    copy_image_to_image_dst_image_07980 "VUID-VkCopyImageToImageInfo-dstImage-07980" |v| two_d_z(Dst, v);
    copy_image_to_image_src_subresource_07971 "VUID-VkCopyImageToImageInfo-srcSubresource-07971" |v| x_beyond(Src, v);
    copy_image_to_image_dst_subresource_07971 "VUID-VkCopyImageToImageInfo-dstSubresource-07971" |v| x_beyond(Dst, v);
    copy_image_to_image_src_subresource_07971_negative "VUID-VkCopyImageToImageInfo-srcSubresource-07971" |v| x_negative(Src, v);
    copy_image_to_image_dst_subresource_07971_negative "VUID-VkCopyImageToImageInfo-dstSubresource-07971" |v| x_negative(Dst, v);
    copy_image_to_image_src_subresource_07972 "VUID-VkCopyImageToImageInfo-srcSubresource-07972" |v| y_beyond(Src, v);
    copy_image_to_image_dst_subresource_07972 "VUID-VkCopyImageToImageInfo-dstSubresource-07972" |v| y_beyond(Dst, v);
    copy_image_to_image_src_offset_09104 "VUID-VkCopyImageToImageInfo-srcOffset-09104" |v| z_beyond(Src, v);
    copy_image_to_image_dst_offset_09104 "VUID-VkCopyImageToImageInfo-dstOffset-09104" |v| z_beyond(Dst, v);
    copy_image_to_image_src_offset_09114 "VUID-VkCopyImageToImageInfo-srcOffset-09114" |v| memcpy_offset(Src, v);
    copy_image_to_image_dst_offset_09114 "VUID-VkCopyImageToImageInfo-dstOffset-09114" |v| memcpy_offset(Dst, v);
    copy_image_to_image_src_image_09115 "VUID-VkCopyImageToImageInfo-srcImage-09115" |v| memcpy_part(Src, v);
    copy_image_to_image_dst_image_09115 "VUID-VkCopyImageToImageInfo-dstImage-09115" |v| memcpy_part(Dst, v);
    copy_image_to_image_src_image_07274 "VUID-VkCopyImageToImageInfo-srcImage-07274" |v| block_x(Src, v);
    copy_image_to_image_dst_image_07274 "VUID-VkCopyImageToImageInfo-dstImage-07274" |v| block_x(Dst, v);
    copy_image_to_image_src_image_07275 "VUID-VkCopyImageToImageInfo-srcImage-07275" |v| block_y(Src, v);
    copy_image_to_image_dst_image_07275 "VUID-VkCopyImageToImageInfo-dstImage-07275" |v| block_y(Dst, v);
    copy_image_to_image_src_image_00207 "VUID-VkCopyImageToImageInfo-srcImage-00207" |v| block_width(Src, v);
    copy_image_to_image_dst_image_00207 "VUID-VkCopyImageToImageInfo-dstImage-00207" |v| block_width(Dst, v);
    copy_image_to_image_src_image_00208 "VUID-VkCopyImageToImageInfo-srcImage-00208" |v| block_height(Src, v);
    copy_image_to_image_dst_image_00208 "VUID-VkCopyImageToImageInfo-dstImage-00208" |v| block_height(Dst, v);
    copy_image_to_image_src_image_09111 "VUID-VkCopyImageToImageInfo-srcImage-09111" |v| stencil_without_host(Src, v);
    copy_image_to_image_src_image_09112 "VUID-VkCopyImageToImageInfo-srcImage-09112" |v| stencil_usage_without_host(Src, v);
    copy_image_to_image_src_image_09113 "VUID-VkCopyImageToImageInfo-srcImage-09113" |v| color_without_host(Src, v);
    copy_image_to_image_p_regions_12476 "VUID-VkCopyImageToImageInfo-pRegions-12476" |v| {
        // Within one image, layer 0 → layer 1; the destination moves to layer 0.
        let r = region(at(0, 0, [4, 4, 0]), at(0, 1, [4, 4, 0]), [8, 8, 1]);
        let mut c = Case::within(Dst, rgba(), &[r]);
        c.sub(0).base_array_layer = 0;
        c.fails(v);
    };
    copy_image_to_image_p_regions_12476_aliased "VUID-VkCopyImageToImageInfo-pRegions-12476" |v| {
        // The destination is a second image bound over the source's memory;
        // layer 0 → layer 1 shares no byte. Moving the destination to layer 0
        // makes source and destination boxes the same memory.
        let mut c = std_case(Dst);
        let twin = c.alias(0, &rgba().info());
        *c.image() = twin;
        c.rebase();
        c.sub(0).base_array_layer = 0;
        c.fails(v);
    };
    copy_image_to_image_p_regions_12477 "VUID-VkCopyImageToImageInfo-pRegions-12477" |v| {
        // The second region's destination moves onto the first's.
        let mut c = Case::new(Dst, rgba(), &two_regions(), NO_FLAGS);
        *c.offset(1) = vk::Offset3D { x: 4, y: 4, z: 0 };
        c.fails(v);
    };
    copy_image_to_image_src_image_layout_parameter "VUID-VkCopyImageToImageInfo-srcImageLayout-parameter" |v| layout_parameter(Src, v);
    copy_image_to_image_dst_image_layout_parameter "VUID-VkCopyImageToImageInfo-dstImageLayout-parameter" |v| layout_parameter(Dst, v);
    copy_image_to_image_src_image_layout_09072 "VUID-VkCopyImageToImageInfo-srcImageLayout-09072" |v| layout_not_host(Src, v);
    copy_image_to_image_dst_image_layout_09073 "VUID-VkCopyImageToImageInfo-dstImageLayout-09073" |v| layout_not_host(Dst, v);
    copy_image_to_image_src_image_layout_09070 "VUID-VkCopyImageToImageInfo-srcImageLayout-09070" |v| layout_not_current(Src, v);
    copy_image_to_image_dst_image_layout_09071 "VUID-VkCopyImageToImageInfo-dstImageLayout-09071" |v| layout_not_current(Dst, v);

    image_copy2_s_type_s_type "VUID-VkImageCopy2-sType-sType" |v| region_s_type(Src, v);
    image_copy2_p_next_p_next "VUID-VkImageCopy2-pNext-pNext" |v| region_p_next(Src, v);
    image_copy2_extent_06668 "VUID-VkImageCopy2-extent-06668" |v| zero_extent(Src, v, 0);
    image_copy2_extent_06669 "VUID-VkImageCopy2-extent-06669" |v| zero_extent(Src, v, 1);
    image_copy2_extent_06670 "VUID-VkImageCopy2-extent-06670" |v| zero_extent(Src, v, 2);
}

// ---------------------------------------------------------------------------
// VkImageSubresourceLayers: the same rule in every copy, tested in each.

/// Edits the subresource of each copy's standard case in turn.
fn each_place(v: &str, f: fn(&mut vk::ImageSubresourceLayers)) {
    for p in PLACES {
        let mut c = std_case(p);
        f(c.sub(0));
        c.fails(v);
    }
}

vuids! {
    image_subresource_layers_aspect_mask_parameter "VUID-VkImageSubresourceLayers-aspectMask-parameter" |v| {
        each_place(v, |s| s.aspect_mask = vk::ImageAspectFlags::from_raw(0x8000_0000));
    };
    image_subresource_layers_aspect_mask_requiredbitmask "VUID-VkImageSubresourceLayers-aspectMask-requiredbitmask" |v| {
        each_place(v, |s| s.aspect_mask = vk::ImageAspectFlags::empty());
    };
    image_subresource_layers_aspect_mask_00167 "VUID-VkImageSubresourceLayers-aspectMask-00167" |v| {
        each_place(v, |s| s.aspect_mask = COLOR | DEPTH);
    };
    image_subresource_layers_aspect_mask_00168 "VUID-VkImageSubresourceLayers-aspectMask-00168" |v| {
        each_place(v, |s| s.aspect_mask = vk::ImageAspectFlags::METADATA);
    };
    image_subresource_layers_aspect_mask_02247 "VUID-VkImageSubresourceLayers-aspectMask-02247" |v| {
        each_place(v, |s| s.aspect_mask = vk::ImageAspectFlags::MEMORY_PLANE_0_EXT);
    };
    image_subresource_layers_layer_count_01700 "VUID-VkImageSubresourceLayers-layerCount-01700" |v| {
        each_place(v, |s| s.layer_count = 0);
    };
}

// ---------------------------------------------------------------------------
// vkTransitionImageLayout: VkHostImageLayoutTransitionInfo, VkImageSubresourceRange

/// The layout of every subresource of `image` (none if it is not an image).
fn layouts_of(image: vk::Image) -> Vec<(vk::ImageAspectFlags, u32, u32, vk::ImageLayout)> {
    let mut v = Vec::new();
    for a in [COLOR, DEPTH, STENCIL] {
        for level in 0.. {
            if dev().image_layout(image, a, level, 0).is_none() {
                break;
            }
            for layer in 0.. {
                match dev().image_layout(image, a, level, layer) {
                    Some(l) => v.push((a, level, layer, l)),
                    None => break,
                }
            }
        }
    }
    v
}

/// An image in `GENERAL` and a valid transition of all of it (`GENERAL` to
/// `GENERAL`); the bad transition goes second in a call whose first
/// transition (of another image) is valid, so both must stay undone.
struct Tr {
    img: TestImage<'static>,
    probe: TestImage<'static>,
    owned: Vec<Owned>,
}

impl Tr {
    fn new(spec: Spec) -> Self {
        Tr {
            img: image(dev(), spec),
            probe: image(dev(), Spec::d2(RGBA8, 4, 4)),
            owned: Vec::new(),
        }
    }

    fn valid(&self) -> vk::HostImageLayoutTransitionInfoEXT<'static> {
        transition(self.img.image, all_aspects(self.img.spec.format), GENERAL)
    }

    fn fails(&self, bad: vk::HostImageLayoutTransitionInfoEXT, vuid: &str) {
        let mut watched = vec![self.img.image, self.probe.image, bad.image];
        watched.extend(self.owned.iter().map(|o| o.0));
        let before: Vec<_> = watched.iter().map(|&i| layouts_of(i)).collect();
        let first = vk::HostImageLayoutTransitionInfoEXT {
            new_layout: vk::ImageLayout::TRANSFER_DST_OPTIMAL,
            ..transition(self.probe.image, COLOR, GENERAL)
        };
        expect_vuid(dev().transition_image_layout(&[first, bad]), vuid);
        for (i, b) in watched.iter().zip(&before) {
            assert_eq!(&layouts_of(*i), b, "{vuid}: the layouts of {i:?} changed");
        }
        dev()
            .transition_image_layout(&[first, self.valid()])
            .unwrap_or_else(|e| panic!("the unedited transitions fail: {e}"));
    }
}

/// Breaks the valid transition of an image of `spec` with `f`.
fn transition_fails(spec: Spec, v: &str, f: fn(&mut vk::HostImageLayoutTransitionInfoEXT)) {
    let t = Tr::new(spec);
    let mut bad = t.valid();
    f(&mut bad);
    t.fails(bad, v);
}

/// A new layout the image's usage does not allow.
fn transition_to(spec: Spec, aspects: vk::ImageAspectFlags, layout: vk::ImageLayout, v: &str) {
    let t = Tr::new(spec);
    let mut bad = t.valid();
    bad.subresource_range.aspect_mask = aspects;
    // The valid transition of these aspects to GENERAL…
    dev()
        .transition_image_layout(&[bad])
        .expect("the unedited transition");
    // …and to `layout` instead.
    bad.new_layout = layout;
    t.fails(bad, v);
}

fn d32() -> Spec {
    Spec::d2(vk::Format::D32_SFLOAT, 8, 8)
}
fn s8() -> Spec {
    Spec::d2(vk::Format::S8_UINT, 8, 8)
}

vuids! {
    host_image_layout_transition_info_s_type_s_type "VUID-VkHostImageLayoutTransitionInfo-sType-sType" |v| {
        transition_fails(rgba(), v, |t| t.s_type = vk::StructureType::APPLICATION_INFO);
    };
    host_image_layout_transition_info_p_next_p_next "VUID-VkHostImageLayoutTransitionInfo-pNext-pNext" |v| {
        let t = Tr::new(rgba());
        let f = foreign();
        let mut bad = t.valid();
        bad.p_next = (&*f as *const vk::ImageStencilUsageCreateInfo).cast();
        t.fails(bad, v);
    };
    host_image_layout_transition_info_image_parameter "VUID-VkHostImageLayoutTransitionInfo-image-parameter" |v| {
        let t = Tr::new(rgba());
        let mut bad = t.valid();
        bad.image = destroyed_image();
        t.fails(bad, v);
    };
    host_image_layout_transition_info_image_09055 "VUID-VkHostImageLayoutTransitionInfo-image-09055" |v| {
        // Bound, but without HOST_TRANSFER usage (still UNDEFINED).
        let mut t = Tr::new(rgba());
        let other = create_raw(&with_usage(rgba(), NO_HOST).info());
        t.owned.push(Owned(other));
        dev().bind_image_memory(other, t.img.memory, 0).expect("bind");
        t.fails(transition(other, COLOR, vk::ImageLayout::UNDEFINED), v);
    };
    host_image_layout_transition_info_image_01932 "VUID-VkHostImageLayoutTransitionInfo-image-01932" |v| {
        let mut t = Tr::new(rgba());
        let other = create_raw(&rgba().info());
        t.owned.push(Owned(other));
        t.fails(transition(other, COLOR, vk::ImageLayout::UNDEFINED), v);
    };
    image_subresource_range_aspect_mask_parameter "VUID-VkImageSubresourceRange-aspectMask-parameter" |v| {
        transition_fails(rgba(), v, |t| t.subresource_range.aspect_mask = vk::ImageAspectFlags::from_raw(0x8000_0000));
    };
    image_subresource_range_aspect_mask_requiredbitmask "VUID-VkImageSubresourceRange-aspectMask-requiredbitmask" |v| {
        transition_fails(rgba(), v, |t| t.subresource_range.aspect_mask = vk::ImageAspectFlags::empty());
    };
    image_subresource_range_aspect_mask_02278 "VUID-VkImageSubresourceRange-aspectMask-02278" |v| {
        transition_fails(rgba(), v, |t| t.subresource_range.aspect_mask = vk::ImageAspectFlags::MEMORY_PLANE_0_EXT);
    };
    host_image_layout_transition_info_subresource_range_09601 "VUID-VkHostImageLayoutTransitionInfo-subresourceRange-09601" |v| {
        transition_fails(rgba(), v, |t| t.subresource_range.aspect_mask = DEPTH);
    };
    image_subresource_range_level_count_01720 "VUID-VkImageSubresourceRange-levelCount-01720" |v| {
        transition_fails(rgba(), v, |t| t.subresource_range.level_count = 0);
    };
    image_subresource_range_layer_count_01721 "VUID-VkImageSubresourceRange-layerCount-01721" |v| {
        transition_fails(rgba(), v, |t| t.subresource_range.layer_count = 0);
    };
    host_image_layout_transition_info_subresource_range_01486 "VUID-VkHostImageLayoutTransitionInfo-subresourceRange-01486" |v| {
        transition_fails(rgba(), v, |t| t.subresource_range.base_mip_level = 3);
    };
    host_image_layout_transition_info_subresource_range_01724 "VUID-VkHostImageLayoutTransitionInfo-subresourceRange-01724" |v| {
        transition_fails(rgba(), v, |t| {
            t.subresource_range.base_mip_level = 1;
            t.subresource_range.level_count = 3;
        });
    };
    host_image_layout_transition_info_subresource_range_01488 "VUID-VkHostImageLayoutTransitionInfo-subresourceRange-01488" |v| {
        transition_fails(rgba(), v, |t| t.subresource_range.base_array_layer = 2);
    };
    host_image_layout_transition_info_subresource_range_01725 "VUID-VkHostImageLayoutTransitionInfo-subresourceRange-01725" |v| {
        transition_fails(rgba(), v, |t| {
            t.subresource_range.base_array_layer = 1;
            t.subresource_range.layer_count = 2;
        });
    };
    host_image_layout_transition_info_old_layout_parameter "VUID-VkHostImageLayoutTransitionInfo-oldLayout-parameter" |v| {
        transition_fails(rgba(), v, |t| t.old_layout = vk::ImageLayout::from_raw(0x7FFF_0000));
    };
    host_image_layout_transition_info_new_layout_parameter "VUID-VkHostImageLayoutTransitionInfo-newLayout-parameter" |v| {
        transition_fails(rgba(), v, |t| t.new_layout = vk::ImageLayout::from_raw(0x7FFF_0000));
    };
    host_image_layout_transition_info_new_layout_09057 "VUID-VkHostImageLayoutTransitionInfo-newLayout-09057" |v| {
        transition_fails(rgba(), v, |t| t.new_layout = vk::ImageLayout::PRESENT_SRC_KHR);
    };
    host_image_layout_transition_info_old_layout_09230 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-09230" |v| {
        transition_fails(rgba(), v, |t| t.old_layout = vk::ImageLayout::PRESENT_SRC_KHR);
    };
    host_image_layout_transition_info_old_layout_09229 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-09229" |v| {
        transition_fails(rgba(), v, |t| t.old_layout = vk::ImageLayout::TRANSFER_DST_OPTIMAL);
    };
    host_image_layout_transition_info_old_layout_01208 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-01208" |v| {
        transition_to(rgba(), COLOR, vk::ImageLayout::COLOR_ATTACHMENT_OPTIMAL, v);
    };
    host_image_layout_transition_info_old_layout_01209 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-01209" |v| {
        transition_to(ds(), DEPTH | STENCIL, vk::ImageLayout::DEPTH_STENCIL_ATTACHMENT_OPTIMAL, v);
    };
    host_image_layout_transition_info_old_layout_01210 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-01210" |v| {
        transition_to(ds(), DEPTH | STENCIL, vk::ImageLayout::DEPTH_STENCIL_READ_ONLY_OPTIMAL, v);
    };
    host_image_layout_transition_info_old_layout_01211 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-01211" |v| {
        transition_to(rgba(), COLOR, vk::ImageLayout::SHADER_READ_ONLY_OPTIMAL, v);
    };
    host_image_layout_transition_info_old_layout_01212 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-01212" |v| {
        let usage = vk::ImageUsageFlags::HOST_TRANSFER_EXT | vk::ImageUsageFlags::TRANSFER_DST;
        transition_to(with_usage(rgba(), usage), COLOR, vk::ImageLayout::TRANSFER_SRC_OPTIMAL, v);
    };
    host_image_layout_transition_info_old_layout_01213 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-01213" |v| {
        let usage = vk::ImageUsageFlags::HOST_TRANSFER_EXT | vk::ImageUsageFlags::TRANSFER_SRC;
        transition_to(with_usage(rgba(), usage), COLOR, vk::ImageLayout::TRANSFER_DST_OPTIMAL, v);
    };
    host_image_layout_transition_info_old_layout_01658 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-01658" |v| {
        transition_to(ds(), DEPTH | STENCIL, vk::ImageLayout::DEPTH_READ_ONLY_STENCIL_ATTACHMENT_OPTIMAL, v);
    };
    host_image_layout_transition_info_old_layout_01659 "VUID-VkHostImageLayoutTransitionInfo-oldLayout-01659" |v| {
        transition_to(ds(), DEPTH | STENCIL, vk::ImageLayout::DEPTH_ATTACHMENT_STENCIL_READ_ONLY_OPTIMAL, v);
    };
    host_image_layout_transition_info_src_queue_family_index_03938 "VUID-VkHostImageLayoutTransitionInfo-srcQueueFamilyIndex-03938" |v| {
        transition_to(rgba(), COLOR, vk::ImageLayout::ATTACHMENT_OPTIMAL, v);
    };
    host_image_layout_transition_info_src_queue_family_index_03939 "VUID-VkHostImageLayoutTransitionInfo-srcQueueFamilyIndex-03939" |v| {
        transition_to(rgba(), COLOR, vk::ImageLayout::READ_ONLY_OPTIMAL, v);
    };
    host_image_layout_transition_info_src_queue_family_index_04065 "VUID-VkHostImageLayoutTransitionInfo-srcQueueFamilyIndex-04065" |v| {
        transition_to(d32(), DEPTH, vk::ImageLayout::DEPTH_READ_ONLY_OPTIMAL, v);
    };
    host_image_layout_transition_info_src_queue_family_index_04066 "VUID-VkHostImageLayoutTransitionInfo-srcQueueFamilyIndex-04066" |v| {
        transition_to(d32(), DEPTH, vk::ImageLayout::DEPTH_ATTACHMENT_OPTIMAL, v);
    };
    host_image_layout_transition_info_src_queue_family_index_04067 "VUID-VkHostImageLayoutTransitionInfo-srcQueueFamilyIndex-04067" |v| {
        transition_to(s8(), STENCIL, vk::ImageLayout::STENCIL_READ_ONLY_OPTIMAL, v);
    };
    host_image_layout_transition_info_src_queue_family_index_04068 "VUID-VkHostImageLayoutTransitionInfo-srcQueueFamilyIndex-04068" |v| {
        transition_to(s8(), STENCIL, vk::ImageLayout::STENCIL_ATTACHMENT_OPTIMAL, v);
    };
}

// ---------------------------------------------------------------------------
// vkGetImageSubresourceLayout2: VkImageSubresource2, VkSubresourceLayout2

/// Fills every output the query may write.
const SENTINEL: u64 = 0x5E17_1E15_5E17_1E15;

/// The query's inputs.
#[derive(Clone, Copy)]
struct Query {
    image: vk::Image,
    sub: vk::ImageSubresource2KHR<'static>,
    out_s_type: vk::StructureType,
    /// A structure the output chain may not hold, ahead of the memcpy size.
    foreign: bool,
}

/// Runs the query; returns its result, the layout and the memcpy size.
fn query(q: &Query) -> (VkResult<()>, [u64; 5], u64) {
    let mut size = vk::SubresourceHostMemcpySizeEXT {
        size: SENTINEL,
        ..Default::default()
    };
    let mut other = vk::BaseOutStructure {
        s_type: vk::StructureType::PHYSICAL_DEVICE_FEATURES_2,
        p_next: (&mut size as *mut vk::SubresourceHostMemcpySizeEXT).cast(),
        ..Default::default()
    };
    let mut out = vk::SubresourceLayout2KHR {
        s_type: q.out_s_type,
        p_next: if q.foreign {
            (&mut other as *mut vk::BaseOutStructure).cast()
        } else {
            (&mut size as *mut vk::SubresourceHostMemcpySizeEXT).cast()
        },
        subresource_layout: vk::SubresourceLayout {
            offset: SENTINEL,
            size: SENTINEL,
            row_pitch: SENTINEL,
            array_pitch: SENTINEL,
            depth_pitch: SENTINEL,
        },
        ..Default::default()
    };
    // SAFETY: `out`'s chain is live structures.
    let r = unsafe { dev().image_subresource_layout2(q.image, &q.sub, &mut out) };
    let l = out.subresource_layout;
    (
        r,
        [l.offset, l.size, l.row_pitch, l.array_pitch, l.depth_pitch],
        size.size,
    )
}

/// A valid query of level 0 layer 0 of `aspect` of an image of `spec`,
/// broken by `f`: it fails naming `v` and writes nothing.
fn query_fails(spec: Spec, aspect: vk::ImageAspectFlags, v: &str, f: fn(&mut Query)) {
    let img = Owned(create_raw(&spec.info()));
    let valid = Query {
        image: img.0,
        sub: vk::ImageSubresource2KHR {
            image_subresource: vk::ImageSubresource {
                aspect_mask: aspect,
                mip_level: 0,
                array_layer: 0,
            },
            ..Default::default()
        },
        out_s_type: vk::StructureType::SUBRESOURCE_LAYOUT_2_KHR,
        foreign: false,
    };
    let mut bad = valid;
    f(&mut bad);
    let (r, layout, size) = query(&bad);
    expect_vuid(r, v);
    assert_eq!(layout, [SENTINEL; 5], "{v}: the layout was written");
    assert_eq!(size, SENTINEL, "{v}: the memcpy size was written");
    let (r, layout, size) = query(&valid);
    r.unwrap_or_else(|e| panic!("the unedited query fails: {e}"));
    assert_ne!(layout[1], SENTINEL);
    assert_eq!(size, layout[1]);
}

vuids! {
    image_subresource2_s_type_s_type "VUID-VkImageSubresource2-sType-sType" |v| {
        query_fails(rgba(), COLOR, v, |q| q.sub.s_type = vk::StructureType::APPLICATION_INFO);
    };
    image_subresource2_p_next_p_next "VUID-VkImageSubresource2-pNext-pNext" |v| {
        query_fails(rgba(), COLOR, v, |q| {
            q.sub.p_next = (Box::leak(foreign()) as *mut vk::ImageStencilUsageCreateInfo).cast();
        });
    };
    subresource_layout2_s_type_s_type "VUID-VkSubresourceLayout2-sType-sType" |v| {
        query_fails(rgba(), COLOR, v, |q| q.out_s_type = vk::StructureType::APPLICATION_INFO);
    };
    subresource_layout2_p_next_p_next "VUID-VkSubresourceLayout2-pNext-pNext" |v| {
        query_fails(rgba(), COLOR, v, |q| q.foreign = true);
    };
    get_image_subresource_layout2_image_parameter "VUID-vkGetImageSubresourceLayout2-image-parameter" |v| {
        query_fails(rgba(), COLOR, v, |q| q.image = destroyed_image());
    };
    get_image_subresource_layout2_aspect_mask_00997 "VUID-vkGetImageSubresourceLayout2-aspectMask-00997" |v| {
        query_fails(ds(), DEPTH, v, |q| q.sub.image_subresource.aspect_mask = DEPTH | STENCIL);
    };
    get_image_subresource_layout2_format_04462 "VUID-vkGetImageSubresourceLayout2-format-04462" |v| {
        query_fails(d32(), DEPTH, v, |q| q.sub.image_subresource.aspect_mask = STENCIL);
    };
    get_image_subresource_layout2_format_04463 "VUID-vkGetImageSubresourceLayout2-format-04463" |v| {
        query_fails(s8(), STENCIL, v, |q| q.sub.image_subresource.aspect_mask = DEPTH);
    };
    get_image_subresource_layout2_format_04464 "VUID-vkGetImageSubresourceLayout2-format-04464" |v| {
        query_fails(rgba(), COLOR, v, |q| q.sub.image_subresource.aspect_mask = DEPTH);
    };
    get_image_subresource_layout2_format_08886 "VUID-vkGetImageSubresourceLayout2-format-08886" |v| {
        query_fails(rgba(), COLOR, v, |q| q.sub.image_subresource.aspect_mask = vk::ImageAspectFlags::METADATA);
    };
    get_image_subresource_layout2_mip_level_01716 "VUID-vkGetImageSubresourceLayout2-mipLevel-01716" |v| {
        query_fails(rgba(), COLOR, v, |q| q.sub.image_subresource.mip_level = 3);
    };
    get_image_subresource_layout2_array_layer_01717 "VUID-vkGetImageSubresourceLayout2-arrayLayer-01717" |v| {
        query_fails(rgba(), COLOR, v, |q| q.sub.image_subresource.array_layer = 2);
    };
}

// ---------------------------------------------------------------------------
// vkCreateImage: VkImageCreateInfo, VkImageStencilUsageCreateInfo

/// Creates `spec` (it must work), then `spec` edited by `f` (it must fail
/// naming `v`).
fn create_fails(spec: Spec, v: &str, f: impl FnOnce(&mut vk::ImageCreateInfo)) {
    let mut info = spec.info();
    drop(Owned(create_raw(&info)));
    f(&mut info);
    // SAFETY: the chains the tests set point at live structures.
    expect_vuid(unsafe { dev().create_image(&info) }, v);
}

vuids! {
    image_create_info_s_type_s_type "VUID-VkImageCreateInfo-sType-sType" |v| {
        create_fails(rgba(), v, |i| i.s_type = vk::StructureType::MEMORY_ALLOCATE_INFO);
    };
    image_create_info_image_create_max_mip_levels_02251 "VUID-VkImageCreateInfo-imageCreateMaxMipLevels-02251" |v| {
        create_fails(rgba(), v, |i| i.format = vk::Format::ASTC_5X4_UNORM_BLOCK);
    };
    image_create_info_extent_00944 "VUID-VkImageCreateInfo-extent-00944" |v| {
        create_fails(rgba(), v, |i| i.extent.width = 0);
    };
    image_create_info_extent_00945 "VUID-VkImageCreateInfo-extent-00945" |v| {
        create_fails(rgba(), v, |i| i.extent.height = 0);
    };
    image_create_info_extent_00946 "VUID-VkImageCreateInfo-extent-00946" |v| {
        create_fails(rgba(), v, |i| i.extent.depth = 0);
    };
    image_create_info_mip_levels_00947 "VUID-VkImageCreateInfo-mipLevels-00947" |v| {
        create_fails(rgba(), v, |i| i.mip_levels = 0);
    };
    image_create_info_array_layers_00948 "VUID-VkImageCreateInfo-arrayLayers-00948" |v| {
        create_fails(rgba(), v, |i| i.array_layers = 0);
    };
    image_create_info_usage_requiredbitmask "VUID-VkImageCreateInfo-usage-requiredbitmask" |v| {
        create_fails(rgba(), v, |i| i.usage = vk::ImageUsageFlags::empty());
    };
    image_create_info_image_type_parameter "VUID-VkImageCreateInfo-imageType-parameter" |v| {
        create_fails(rgba(), v, |i| i.image_type = vk::ImageType::from_raw(3));
    };
    image_create_info_image_type_00956 "VUID-VkImageCreateInfo-imageType-00956" |v| {
        create_fails(d1(), v, |i| i.extent.height = 2);
    };
    image_create_info_image_type_00957 "VUID-VkImageCreateInfo-imageType-00957" |v| {
        create_fails(rgba(), v, |i| i.extent.depth = 2);
    };
    image_create_info_image_type_00961 "VUID-VkImageCreateInfo-imageType-00961" |v| {
        create_fails(d3(), v, |i| i.array_layers = 2);
    };
    image_create_info_extent_02252 "VUID-VkImageCreateInfo-extent-02252" |v| {
        create_fails(rgba(), v, |i| i.extent.width = tiledma::vk::MAX_EXTENT_2D + 1);
    };
    image_create_info_extent_02253 "VUID-VkImageCreateInfo-extent-02253" |v| {
        create_fails(rgba(), v, |i| i.extent.height = tiledma::vk::MAX_EXTENT_2D + 1);
    };
    image_create_info_extent_02254 "VUID-VkImageCreateInfo-extent-02254" |v| {
        create_fails(d3(), v, |i| i.extent.depth = tiledma::vk::MAX_EXTENT_3D + 1);
    };
    image_create_info_mip_levels_00958 "VUID-VkImageCreateInfo-mipLevels-00958" |v| {
        // 16×16 has 5 levels.
        create_fails(rgba(), v, |i| i.mip_levels = 6);
    };
    image_create_info_array_layers_02256 "VUID-VkImageCreateInfo-arrayLayers-02256" |v| {
        create_fails(rgba(), v, |i| i.array_layers = tiledma::vk::MAX_ARRAY_LAYERS + 1);
    };
    image_create_info_samples_02258 "VUID-VkImageCreateInfo-samples-02258" |v| {
        create_fails(Spec::d2(RGBA8, 16, 16), v, |i| i.samples = vk::SampleCountFlags::TYPE_16);
    };
    image_create_info_samples_02257 "VUID-VkImageCreateInfo-samples-02257" |v| {
        create_fails(rgba(), v, |i| i.samples = vk::SampleCountFlags::TYPE_4);
    };
    image_create_info_samples_parameter "VUID-VkImageCreateInfo-samples-parameter" |v| {
        create_fails(Spec::d2(RGBA8, 16, 16), v, |i| i.samples = vk::SampleCountFlags::from_raw(3));
    };
    image_create_info_tiling_parameter "VUID-VkImageCreateInfo-tiling-parameter" |v| {
        create_fails(rgba(), v, |i| i.tiling = vk::ImageTiling::from_raw(7));
    };
    image_create_info_initial_layout_00993 "VUID-VkImageCreateInfo-initialLayout-00993" |v| {
        create_fails(rgba(), v, |i| i.initial_layout = GENERAL);
    };
    image_create_info_flags_00969 "VUID-VkImageCreateInfo-flags-00969" |v| {
        create_fails(rgba(), v, |i| i.flags = vk::ImageCreateFlags::SPARSE_BINDING);
    };
    image_stencil_usage_create_info_stencil_usage_requiredbitmask "VUID-VkImageStencilUsageCreateInfo-stencilUsage-requiredbitmask" |v| {
        let stencil = vk::ImageStencilUsageCreateInfo::default();
        create_fails(ds(), v, |i| i.p_next = (&stencil as *const vk::ImageStencilUsageCreateInfo).cast());
    };
}

// ---------------------------------------------------------------------------
// vkGetImageMemoryRequirements, vkBindImageMemory, vkAllocateMemory

/// Device memory of `size` bytes, freed on drop.
struct Memory(vk::DeviceMemory);

impl Drop for Memory {
    fn drop(&mut self) {
        dev().free_memory(self.0);
    }
}

fn memory(size: u64) -> Memory {
    Memory(
        dev()
            .allocate_memory(&vk::MemoryAllocateInfo {
                allocation_size: size,
                memory_type_index: 0,
                ..Default::default()
            })
            .expect("memory"),
    )
}

/// A new image of [`rgba`] and its size.
fn new_image() -> (Owned, u64) {
    let img = Owned(create_raw(&rgba().info()));
    let size = dev().image_memory_requirements(img.0).unwrap().size;
    (img, size)
}

/// Binding `image` to `memory` at `offset` fails naming `v`; the image is
/// still unbound: it then binds at 0 to memory of its size.
fn bind_fails(image: vk::Image, memory: vk::DeviceMemory, offset: u64, v: &str) {
    expect_vuid(dev().bind_image_memory(image, memory, offset), v);
    let size = dev().image_memory_requirements(image).unwrap().size;
    let m = self::memory(size);
    dev()
        .bind_image_memory(image, m.0, 0)
        .unwrap_or_else(|e| panic!("the image did not stay unbound: {e}"));
    // The bound image keeps the block; the handle may go.
}

/// Allocating `info` (edited from a valid one) fails naming `v`; a valid
/// allocation then works.
fn allocate_fails(v: &str, f: fn(&mut vk::MemoryAllocateInfo)) {
    let mut info = vk::MemoryAllocateInfo {
        allocation_size: 4096,
        memory_type_index: 0,
        ..Default::default()
    };
    drop(memory(info.allocation_size));
    f(&mut info);
    expect_vuid(dev().allocate_memory(&info), v);
    drop(memory(4096));
}

vuids! {
    get_image_memory_requirements_image_parameter "VUID-vkGetImageMemoryRequirements-image-parameter" |v| {
        let (img, _) = new_image();
        let _ = dev().image_memory_requirements(img.0).expect("valid");
        expect_vuid(dev().image_memory_requirements(destroyed_image()), v);
    };
    bind_image_memory_image_parameter "VUID-vkBindImageMemory-image-parameter" |v| {
        let (img, size) = new_image();
        let m = memory(size);
        expect_vuid(dev().bind_image_memory(destroyed_image(), m.0, 0), v);
        dev().bind_image_memory(img.0, m.0, 0).expect("the memory is still free to bind");
    };
    bind_image_memory_memory_parameter "VUID-vkBindImageMemory-memory-parameter" |v| {
        let (img, size) = new_image();
        let gone = memory(size).0;
        bind_fails(img.0, gone, 0, v);
    };
    bind_image_memory_image_07460 "VUID-vkBindImageMemory-image-07460" |v| {
        // A bound, filled image keeps its binding and bytes.
        let (img, model) = filled(rgba(), 5);
        let size = dev().image_memory_requirements(img.image).unwrap().size;
        let m = memory(size);
        expect_vuid(dev().bind_image_memory(img.image, m.0, 0), v);
        assert_image(&img, &model, v);
    };
    bind_image_memory_memory_offset_01046 "VUID-vkBindImageMemory-memoryOffset-01046" |v| {
        let (img, size) = new_image();
        let m = memory(size);
        bind_fails(img.0, m.0, size, v);
    };
    bind_image_memory_none_10735 "VUID-vkBindImageMemory-None-10735" |v| {
        let (img, size) = new_image();
        let m = memory(2 * size);
        bind_fails(img.0, m.0, 1, v);
    };
    bind_image_memory_none_10737 "VUID-vkBindImageMemory-None-10737" |v| {
        let (img, size) = new_image();
        let m = memory(size);
        bind_fails(img.0, m.0, tiledma::vk::IMAGE_ALIGNMENT, v);
    };
    memory_allocate_info_s_type_s_type "VUID-VkMemoryAllocateInfo-sType-sType" |v| {
        allocate_fails(v, |i| i.s_type = vk::StructureType::IMAGE_CREATE_INFO);
    };
    allocate_memory_p_allocate_info_01714 "VUID-vkAllocateMemory-pAllocateInfo-01714" |v| {
        allocate_fails(v, |i| i.memory_type_index = 1);
    };
    memory_allocate_info_allocation_size_07897 "VUID-VkMemoryAllocateInfo-allocationSize-07897" |v| {
        allocate_fails(v, |i| i.allocation_size = 0);
    };
}
