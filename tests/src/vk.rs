//! Vulkan host-image-copy helpers: images bound to card memory and moved to
//! `GENERAL`, and the oracle — a pure-Rust model of every plane's bytes,
//! placed by the contract's `Surface` rules and updated byte by byte through
//! `Subresource::byte_offset`.

use ash::vk;
use std::sync::{Arc, OnceLock};
use tiledma::vk::format::block;
use tiledma::vk::HostDevice;
use tiledma_contract::surface::{Format, ImageKind, Subresource, Surface};
use tiledma_contract::tiling::Tiling;

/// One card shared by a test binary's tests.
pub fn host_device() -> &'static HostDevice {
    static DEV: OnceLock<HostDevice> = OnceLock::new();
    DEV.get_or_init(|| HostDevice::new(Arc::new(super::device())))
}

/// What to create.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// 1D, 2D or 3D.
    pub ty: vk::ImageType,
    /// Format.
    pub format: vk::Format,
    /// Width, height, depth.
    pub extent: [u32; 3],
    /// Mip levels.
    pub mips: u32,
    /// Array layers.
    pub layers: u32,
    /// Tiling.
    pub tiling: vk::ImageTiling,
    /// Usage.
    pub usage: vk::ImageUsageFlags,
}

impl Spec {
    /// A 2D optimal image with host-transfer usage, one level and layer.
    pub fn d2(format: vk::Format, w: u32, h: u32) -> Self {
        Spec {
            ty: vk::ImageType::TYPE_2D,
            format,
            extent: [w, h, 1],
            mips: 1,
            layers: 1,
            tiling: vk::ImageTiling::OPTIMAL,
            usage: vk::ImageUsageFlags::HOST_TRANSFER_EXT
                | vk::ImageUsageFlags::TRANSFER_SRC
                | vk::ImageUsageFlags::TRANSFER_DST,
        }
    }
    /// A 1D image.
    pub fn d1(format: vk::Format, w: u32) -> Self {
        Spec {
            ty: vk::ImageType::TYPE_1D,
            extent: [w, 1, 1],
            ..Self::d2(format, w, 1)
        }
    }
    /// A 3D image.
    pub fn d3(format: vk::Format, w: u32, h: u32, d: u32) -> Self {
        Spec {
            ty: vk::ImageType::TYPE_3D,
            extent: [w, h, d],
            ..Self::d2(format, w, h)
        }
    }
    /// With `mips` levels and `layers` layers.
    pub fn with(self, mips: u32, layers: u32) -> Self {
        Spec {
            mips,
            layers,
            ..self
        }
    }
    /// The create info.
    pub fn info(&self) -> vk::ImageCreateInfo<'static> {
        vk::ImageCreateInfo {
            image_type: self.ty,
            format: self.format,
            extent: vk::Extent3D {
                width: self.extent[0],
                height: self.extent[1],
                depth: self.extent[2],
            },
            mip_levels: self.mips,
            array_layers: self.layers,
            samples: vk::SampleCountFlags::TYPE_1,
            tiling: self.tiling,
            usage: self.usage,
            initial_layout: vk::ImageLayout::UNDEFINED,
            ..Default::default()
        }
    }
    /// The aspects of the format, one bit each.
    pub fn aspects(&self) -> Vec<vk::ImageAspectFlags> {
        let all = tiledma::vk::format::aspects(self.format).expect("card format");
        [
            vk::ImageAspectFlags::COLOR,
            vk::ImageAspectFlags::DEPTH,
            vk::ImageAspectFlags::STENCIL,
        ]
        .into_iter()
        .filter(|a| all.contains(*a))
        .collect()
    }
    /// The surface of one aspect, by the documented placement: optimal is
    /// the contract's card tiling of the kind; linear is linear.
    pub fn surface(&self, aspect: vk::ImageAspectFlags) -> Surface {
        let b = block(self.format, aspect).expect("aspect");
        let layered = self.layers > 1;
        let kind = match self.ty {
            vk::ImageType::TYPE_1D if layered => ImageKind::D1Array,
            vk::ImageType::TYPE_1D => ImageKind::D1,
            vk::ImageType::TYPE_2D if layered => ImageKind::D2Array,
            vk::ImageType::TYPE_2D => ImageKind::D2,
            _ => ImageKind::D3,
        };
        let tiling = match self.tiling {
            vk::ImageTiling::LINEAR => Tiling::Linear,
            _ => kind.card_tiling(),
        };
        Surface {
            kind,
            format: Format {
                block_bytes: b.bytes,
                block_width: b.extent[0],
                block_height: b.extent[1],
            },
            width: self.extent[0],
            height: self.extent[1],
            depth: self.extent[2],
            layers: self.layers,
            levels: self.mips,
            tiling,
        }
    }
}

/// An image with its memory, destroyed on drop.
pub struct TestImage<'a> {
    /// The device.
    pub dev: &'a HostDevice,
    /// The image.
    pub image: vk::Image,
    /// Its memory.
    pub memory: vk::DeviceMemory,
    /// How it was made.
    pub spec: Spec,
}

impl Drop for TestImage<'_> {
    fn drop(&mut self) {
        self.dev.destroy_image(self.image);
        self.dev.free_memory(self.memory);
    }
}

/// Creates `spec` without memory.
pub fn create(dev: &HostDevice, spec: &Spec) -> vk::Image {
    // SAFETY: no pNext chain.
    unsafe { dev.create_image(&spec.info()) }.unwrap_or_else(|e| panic!("{spec:?}: {e}"))
}

/// Creates `spec`, binds it to its own memory and moves every subresource
/// to `GENERAL`.
pub fn image<'a>(dev: &'a HostDevice, spec: Spec) -> TestImage<'a> {
    let image = create(dev, &spec);
    let req = dev.image_memory_requirements(image).unwrap();
    let memory = dev
        .allocate_memory(&vk::MemoryAllocateInfo {
            allocation_size: req.size,
            memory_type_index: 0,
            ..Default::default()
        })
        .expect("memory");
    dev.bind_image_memory(image, memory, 0).expect("bind");
    let all = spec
        .aspects()
        .into_iter()
        .fold(vk::ImageAspectFlags::empty(), |a, b| a | b);
    dev.transition_image_layout(&[transition(image, all, vk::ImageLayout::UNDEFINED)])
        .expect("transition");
    TestImage {
        dev,
        image,
        memory,
        spec,
    }
}

/// A transition of every subresource of `aspects` from `old` to `GENERAL`.
pub fn transition(
    image: vk::Image,
    aspects: vk::ImageAspectFlags,
    old: vk::ImageLayout,
) -> vk::HostImageLayoutTransitionInfoEXT<'static> {
    vk::HostImageLayoutTransitionInfoEXT {
        image,
        old_layout: old,
        new_layout: vk::ImageLayout::GENERAL,
        subresource_range: vk::ImageSubresourceRange {
            aspect_mask: aspects,
            base_mip_level: 0,
            level_count: vk::REMAINING_MIP_LEVELS,
            base_array_layer: 0,
            layer_count: vk::REMAINING_ARRAY_LAYERS,
        },
        ..Default::default()
    }
}

/// Subresource layers of one aspect.
pub fn layers(
    aspect: vk::ImageAspectFlags,
    level: u32,
    first: u32,
    count: u32,
) -> vk::ImageSubresourceLayers {
    vk::ImageSubresourceLayers {
        aspect_mask: aspect,
        mip_level: level,
        base_array_layer: first,
        layer_count: count,
    }
}

/// A host memory layout of a region: texel offsets/extent, and the
/// `memoryRowLength` / `memoryImageHeight` it is given with.
#[derive(Clone, Copy, Debug)]
pub struct HostBox {
    /// Aspect (one bit).
    pub aspect: vk::ImageAspectFlags,
    /// Mip level.
    pub level: u32,
    /// First layer.
    pub first_layer: u32,
    /// Layers.
    pub layers: u32,
    /// Texel offset.
    pub offset: [u32; 3],
    /// Texel extent.
    pub extent: [u32; 3],
    /// `memoryRowLength` (0: packed).
    pub row_length: u32,
    /// `memoryImageHeight` (0: packed).
    pub image_height: u32,
}

impl HostBox {
    /// Bytes between block rows and between slices of host memory, and the
    /// bytes the region spans.
    pub fn pitches(&self, spec: &Spec) -> (u64, u64, u64) {
        let b = block(spec.format, self.aspect).unwrap();
        let rl = if self.row_length == 0 {
            self.extent[0]
        } else {
            self.row_length
        };
        let ih = if self.image_height == 0 {
            self.extent[1]
        } else {
            self.image_height
        };
        let row = rl.div_ceil(b.extent[0]) as u64 * b.bytes as u64;
        let slice = ih.div_ceil(b.extent[1]) as u64 * row;
        let [w, h, d] = self.size(spec);
        (row, slice, (d - 1) * slice + (h - 1) * row + w)
    }

    /// Bytes across, block rows, slices.
    pub fn size(&self, spec: &Spec) -> [u64; 3] {
        let b = block(spec.format, self.aspect).unwrap();
        let slices = if spec.ty == vk::ImageType::TYPE_3D {
            self.extent[2]
        } else {
            self.layers
        };
        [
            self.extent[0].div_ceil(b.extent[0]) as u64 * b.bytes as u64,
            self.extent[1].div_ceil(b.extent[1]) as u64,
            slices as u64,
        ]
    }

    /// The region structure for a copy to the image from `ptr`.
    pub fn to_image(&self, ptr: *const u8) -> vk::MemoryToImageCopyEXT<'static> {
        vk::MemoryToImageCopyEXT {
            p_host_pointer: ptr.cast(),
            memory_row_length: self.row_length,
            memory_image_height: self.image_height,
            image_subresource: self.subresource(),
            image_offset: self.vk_offset(),
            image_extent: self.vk_extent(),
            ..Default::default()
        }
    }

    /// The region structure for a copy from the image to `ptr`.
    pub fn to_memory(&self, ptr: *mut u8) -> vk::ImageToMemoryCopyEXT<'static> {
        vk::ImageToMemoryCopyEXT {
            p_host_pointer: ptr.cast(),
            memory_row_length: self.row_length,
            memory_image_height: self.image_height,
            image_subresource: self.subresource(),
            image_offset: self.vk_offset(),
            image_extent: self.vk_extent(),
            ..Default::default()
        }
    }

    /// Its subresource layers.
    pub fn subresource(&self) -> vk::ImageSubresourceLayers {
        layers(self.aspect, self.level, self.first_layer, self.layers)
    }
    /// Its offset.
    pub fn vk_offset(&self) -> vk::Offset3D {
        vk::Offset3D {
            x: self.offset[0] as i32,
            y: self.offset[1] as i32,
            z: self.offset[2] as i32,
        }
    }
    /// Its extent.
    pub fn vk_extent(&self) -> vk::Extent3D {
        vk::Extent3D {
            width: self.extent[0],
            height: self.extent[1],
            depth: self.extent[2],
        }
    }
}

/// The oracle: every plane's bytes as they should be on the card.
pub struct Model {
    /// The image's description.
    pub spec: Spec,
    /// Per aspect: the plane's surface and bytes.
    pub planes: Vec<(vk::ImageAspectFlags, Surface, Vec<u8>)>,
}

impl Model {
    /// Planes of random bytes from `seed` (padding included).
    pub fn random(spec: Spec, seed: u64) -> Self {
        let planes = spec
            .aspects()
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let s = spec.surface(a);
                (
                    a,
                    s,
                    super::random_bytes(seed + i as u64, s.total_bytes() as usize),
                )
            })
            .collect();
        Model { spec, planes }
    }

    fn plane(&self, a: vk::ImageAspectFlags) -> usize {
        self.planes.iter().position(|p| p.0 == a).unwrap()
    }

    /// Level `level` of aspect `a`.
    pub fn level(&self, a: vk::ImageAspectFlags, level: u32) -> Subresource {
        self.planes[self.plane(a)].1.level(level)
    }

    /// The first slice a box touches (z for 3D, else the layer).
    fn first_slice(&self, b: &HostBox) -> u64 {
        if self.spec.ty == vk::ImageType::TYPE_3D {
            b.offset[2] as u64
        } else {
            b.first_layer as u64
        }
    }

    /// Image byte offset within the plane and host byte offset of every byte of the box.
    fn pairs(&self, b: &HostBox) -> Vec<(usize, usize)> {
        let s = self.level(b.aspect, b.level);
        let blk = block(self.spec.format, b.aspect).unwrap();
        let (row, slice, _) = b.pitches(&self.spec);
        let [w, h, d] = b.size(&self.spec);
        let x0 = (b.offset[0] / blk.extent[0]) as u64 * blk.bytes as u64;
        let y0 = (b.offset[1] / blk.extent[1]) as u64;
        let z0 = self.first_slice(b);
        let mut v = Vec::with_capacity((w * h * d) as usize);
        for z in 0..d {
            for y in 0..h {
                for x in 0..w {
                    let img = s.byte_offset(x0 + x, y0 + y, z0 + z) as usize;
                    v.push((img, (z * slice + y * row + x) as usize));
                }
            }
        }
        v
    }

    /// What a copy of `host` into box `b` makes of the image.
    pub fn upload(&mut self, b: &HostBox, host: &[u8]) {
        let p = self.plane(b.aspect);
        for (i, h) in self.pairs(b) {
            self.planes[p].2[i] = host[h];
        }
    }

    /// What a copy of box `b` into `host` writes there.
    pub fn download(&self, b: &HostBox, host: &mut [u8]) {
        let p = self.plane(b.aspect);
        for (i, h) in self.pairs(b) {
            host[h] = self.planes[p].2[i];
        }
    }

    /// Every (aspect, level) with its subresources' raw bytes, layers (or
    /// depth slices) one after another — what MEMCPY moves.
    pub fn raw_levels(&self) -> Vec<(vk::ImageAspectFlags, u32, Vec<u8>)> {
        let mut v = Vec::new();
        for (a, s, bytes) in &self.planes {
            for l in 0..s.levels {
                let r = s.level(l);
                let range = r.offset as usize..(r.offset + r.slice_pitch * r.slices) as usize;
                v.push((*a, l, bytes[range].to_vec()));
            }
        }
        v
    }
}

/// Writes every subresource of `img` from `model` with MEMCPY copies.
pub fn upload_raw(img: &TestImage, model: &Model) {
    let levels = model.raw_levels();
    let regions: Vec<_> = levels
        .iter()
        .map(|(a, l, bytes)| {
            let e = level_extent(&img.spec, *l);
            vk::MemoryToImageCopyEXT {
                p_host_pointer: bytes.as_ptr().cast(),
                image_subresource: layers(*a, *l, 0, vk::REMAINING_ARRAY_LAYERS),
                image_extent: e,
                ..Default::default()
            }
        })
        .collect();
    let info = vk::CopyMemoryToImageInfoEXT {
        flags: vk::HostImageCopyFlagsEXT::MEMCPY,
        dst_image: img.image,
        dst_image_layout: vk::ImageLayout::GENERAL,
        region_count: regions.len() as u32,
        p_regions: regions.as_ptr(),
        ..Default::default()
    };
    // SAFETY: each region's bytes are the subresources' MEMCPY size.
    unsafe { img.dev.copy_memory_to_image(&info) }.expect("MEMCPY upload");
}

/// Reads every subresource of `img` raw with MEMCPY copies, in
/// [`Model::raw_levels`] order.
pub fn download_raw(img: &TestImage, model: &Model) -> Vec<Vec<u8>> {
    let levels = model.raw_levels();
    let mut out: Vec<Vec<u8>> = levels.iter().map(|(_, _, b)| vec![0u8; b.len()]).collect();
    let regions: Vec<_> = levels
        .iter()
        .zip(out.iter_mut())
        .map(|((a, l, _), buf)| vk::ImageToMemoryCopyEXT {
            p_host_pointer: buf.as_mut_ptr().cast(),
            image_subresource: layers(*a, *l, 0, vk::REMAINING_ARRAY_LAYERS),
            image_extent: level_extent(&img.spec, *l),
            ..Default::default()
        })
        .collect();
    let info = vk::CopyImageToMemoryInfoEXT {
        flags: vk::HostImageCopyFlagsEXT::MEMCPY,
        src_image: img.image,
        src_image_layout: vk::ImageLayout::GENERAL,
        region_count: regions.len() as u32,
        p_regions: regions.as_ptr(),
        ..Default::default()
    };
    // SAFETY: each buffer holds the subresources' MEMCPY size.
    unsafe { img.dev.copy_image_to_memory(&info) }.expect("MEMCPY download");
    out
}

/// Fails unless the image's bytes equal the model's, naming the first
/// differing byte.
pub fn assert_image(img: &TestImage, model: &Model, what: &str) {
    let got = download_raw(img, model);
    for ((a, l, want), got) in model.raw_levels().iter().zip(&got) {
        if let Some(i) = want.iter().zip(got).position(|(w, g)| w != g) {
            panic!(
                "{what}: {a:?} level {l} differs at raw byte {i}: {:#04x}, expected {:#04x}",
                got[i], want[i]
            );
        }
    }
}

/// Texels of level `l`.
pub fn level_extent(spec: &Spec, l: u32) -> vk::Extent3D {
    let e = spec.extent.map(|d| (d >> l).max(1));
    vk::Extent3D {
        width: e[0],
        height: e[1],
        depth: e[2],
    }
}
