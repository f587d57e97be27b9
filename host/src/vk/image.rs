//! Images: `vkCreateImage` / `vkDestroyImage`, memory requirements and
//! `vkBindImageMemory`, and where each subresource's bytes lie.
//!
//! Each aspect of an image is a plane of its own — a color image has one,
//! a depth/stencil image one per aspect (depth in 2 or 4 bytes per texel,
//! stencil in 1), so a copy of one aspect moves exactly that aspect's bytes.
//! A plane is placed by the contract's [`Surface`] rules: optimal tiling is
//! the contract's card tiling for the kind (Tile4 for 2D images, Y for 3D,
//! linear for 1D); linear tiling is linear.
//! Planes follow each other on 4 KiB boundaries.

use super::device::HostDevice;
use super::error::{rule, VkError, VkResult};
use super::format::{aspects, block, Block};
use super::memory::MemoryObj;
use ash::vk;
use std::sync::{Arc, Mutex};
use tiledma_contract::surface::{Format, ImageKind, Subresource, Surface};
use tiledma_contract::tiling::{Tiling, TILE_BYTES};

/// Largest 1D/2D extent (`maxImageDimension1D/2D`).
pub const MAX_EXTENT_2D: u32 = 16384;
/// Largest 3D extent (`maxImageDimension3D`).
pub const MAX_EXTENT_3D: u32 = 2048;
/// Most array layers (`maxImageArrayLayers`).
pub const MAX_ARRAY_LAYERS: u32 = 2048;
/// Alignment of an image in its memory.
pub const IMAGE_ALIGNMENT: u64 = TILE_BYTES;

/// Usage bits of the core and of `VK_EXT_host_image_copy` (others belong
/// to features the card does not have).
const KNOWN_USAGE: vk::ImageUsageFlags = vk::ImageUsageFlags::from_raw(
    vk::ImageUsageFlags::TRANSFER_SRC.as_raw()
        | vk::ImageUsageFlags::TRANSFER_DST.as_raw()
        | vk::ImageUsageFlags::SAMPLED.as_raw()
        | vk::ImageUsageFlags::STORAGE.as_raw()
        | vk::ImageUsageFlags::COLOR_ATTACHMENT.as_raw()
        | vk::ImageUsageFlags::DEPTH_STENCIL_ATTACHMENT.as_raw()
        | vk::ImageUsageFlags::TRANSIENT_ATTACHMENT.as_raw()
        | vk::ImageUsageFlags::INPUT_ATTACHMENT.as_raw()
        | vk::ImageUsageFlags::HOST_TRANSFER_EXT.as_raw(),
);

/// The parameters an image was created with (`srcImage-09069` compares them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Created {
    pub(crate) flags: vk::ImageCreateFlags,
    pub(crate) image_type: vk::ImageType,
    pub(crate) format: vk::Format,
    pub(crate) extent: vk::Extent3D,
    pub(crate) mip_levels: u32,
    pub(crate) array_layers: u32,
    pub(crate) samples: vk::SampleCountFlags,
    pub(crate) tiling: vk::ImageTiling,
    pub(crate) usage: vk::ImageUsageFlags,
    /// `VkImageStencilUsageCreateInfo::stencilUsage`, if chained.
    pub(crate) stencil_usage: Option<vk::ImageUsageFlags>,
    pub(crate) initial_layout: vk::ImageLayout,
}

/// One aspect's bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plane {
    pub(crate) aspect: vk::ImageAspectFlags,
    pub(crate) block: Block,
    pub(crate) surface: Surface,
    /// Offset of the plane from the image's first byte.
    pub(crate) offset: u64,
}

/// Where an image's memory is.
#[derive(Clone)]
pub(crate) struct Binding {
    pub(crate) memory: Arc<MemoryObj>,
    pub(crate) offset: u64,
}

/// A `VkImage`.
pub(crate) struct ImageObj {
    pub(crate) created: Created,
    pub(crate) planes: Vec<Plane>,
    pub(crate) size: u64,
    pub(crate) binding: Mutex<Option<Binding>>,
    /// Current layout of each subresource: `[level][layer][plane]`, flat.
    pub(crate) layouts: Mutex<Vec<vk::ImageLayout>>,
}

impl ImageObj {
    /// The plane of one aspect bit.
    pub(crate) fn plane(&self, aspect: vk::ImageAspectFlags) -> Option<(usize, &Plane)> {
        self.planes
            .iter()
            .enumerate()
            .find(|(_, p)| p.aspect == aspect)
    }

    /// Every aspect the image has.
    pub(crate) fn aspects(&self) -> vk::ImageAspectFlags {
        self.planes
            .iter()
            .fold(vk::ImageAspectFlags::empty(), |a, p| a | p.aspect)
    }

    /// Array layers (1 for 3D images).
    pub(crate) fn layers(&self) -> u32 {
        self.created.array_layers
    }

    /// Texels across, down and deep at `level`.
    pub(crate) fn level_extent(&self, level: u32) -> [u32; 3] {
        let e = self.created.extent;
        [e.width, e.height, e.depth].map(|d| (d >> level).max(1))
    }

    /// Level `level` of plane `plane`.
    pub(crate) fn level(&self, plane: usize, level: u32) -> Subresource {
        self.planes[plane].surface.level(level)
    }

    /// Card address of the image's first byte, if bound.
    pub(crate) fn address(&self) -> Option<u64> {
        let b = self.binding.lock().unwrap();
        b.as_ref().map(|b| b.memory.block.addr() + b.offset)
    }

    /// Index of subresource (plane, level, layer) in [`ImageObj::layouts`].
    pub(crate) fn layout_index(&self, plane: usize, level: u32, layer: u32) -> usize {
        ((level * self.layers() + layer) as usize) * self.planes.len() + plane
    }
}

fn kind(t: vk::ImageType, layers: u32) -> ImageKind {
    match (t, layers > 1) {
        (vk::ImageType::TYPE_1D, false) => ImageKind::D1,
        (vk::ImageType::TYPE_1D, true) => ImageKind::D1Array,
        (vk::ImageType::TYPE_2D, false) => ImageKind::D2,
        (vk::ImageType::TYPE_2D, true) => ImageKind::D2Array,
        _ => ImageKind::D3,
    }
}

/// `VkImageStencilUsageCreateInfo::stencilUsage` from the chain, if there.
///
/// # Safety
/// `p_next` is a valid Vulkan structure chain.
unsafe fn stencil_usage(mut p: *const std::ffi::c_void) -> Option<vk::ImageUsageFlags> {
    while !p.is_null() {
        let base = &*(p as *const vk::BaseInStructure);
        if base.s_type == vk::StructureType::IMAGE_STENCIL_USAGE_CREATE_INFO {
            return Some((*(p as *const vk::ImageStencilUsageCreateInfo)).stencil_usage);
        }
        p = base.p_next as *const _;
    }
    None
}

/// Checks a `VkImageCreateInfo` against the card's limits.
fn check_create(c: &Created) -> VkResult<()> {
    let e = c.extent;
    let id = |n: &str| format!("VUID-VkImageCreateInfo-{n}");
    rule(
        aspects(c.format).is_some(),
        id("imageCreateMaxMipLevels-02251"),
        || format!("{:?} is not a format the card copies", c.format),
    )?;
    rule(e.width > 0, id("extent-00944"), || "width 0".into())?;
    rule(e.height > 0, id("extent-00945"), || "height 0".into())?;
    rule(e.depth > 0, id("extent-00946"), || "depth 0".into())?;
    rule(c.mip_levels > 0, id("mipLevels-00947"), || {
        "mipLevels 0".into()
    })?;
    rule(c.array_layers > 0, id("arrayLayers-00948"), || {
        "arrayLayers 0".into()
    })?;
    rule(!c.usage.is_empty(), id("usage-requiredbitmask"), || {
        "usage 0".into()
    })?;
    rule(KNOWN_USAGE.contains(c.usage), id("usage-parameter"), || {
        format!("usage {:?} has bits of no enabled feature", c.usage)
    })?;
    let (max, one_d, three_d) = match c.image_type {
        vk::ImageType::TYPE_1D => (MAX_EXTENT_2D, true, false),
        vk::ImageType::TYPE_2D => (MAX_EXTENT_2D, false, false),
        vk::ImageType::TYPE_3D => (MAX_EXTENT_3D, false, true),
        t => {
            return Err(VkError::invalid(
                id("imageType-parameter"),
                format!("{t:?}"),
            ))
        }
    };
    rule(
        !one_d || (e.height == 1 && e.depth == 1),
        id("imageType-00956"),
        || format!("1D image {}×{}", e.height, e.depth),
    )?;
    rule(three_d || e.depth == 1, id("imageType-00957"), || {
        format!("2D image of depth {}", e.depth)
    })?;
    rule(
        !three_d || c.array_layers == 1,
        id("imageType-00961"),
        || format!("3D image of {} layers", c.array_layers),
    )?;
    rule(e.width <= max, id("extent-02252"), || {
        format!("width {} > {max}", e.width)
    })?;
    rule(e.height <= max, id("extent-02253"), || {
        format!("height {} > {max}", e.height)
    })?;
    rule(e.depth <= max, id("extent-02254"), || {
        format!("depth {} > {max}", e.depth)
    })?;
    let largest = e.width.max(e.height).max(e.depth);
    rule(
        c.mip_levels <= 32 - largest.leading_zeros(),
        id("mipLevels-00958"),
        || {
            format!(
                "{} mip levels for a largest extent of {largest}",
                c.mip_levels
            )
        },
    )?;
    rule(
        c.array_layers <= MAX_ARRAY_LAYERS,
        id("arrayLayers-02256"),
        || format!("{} layers > {MAX_ARRAY_LAYERS}", c.array_layers),
    )?;
    // Several samples: 2D, optimal, one level, as Vulkan's image creation
    // limits give them; the card never resolves them (host copies refuse
    // them, VUID 07973).
    let sample_counts = vk::SampleCountFlags::TYPE_1
        | vk::SampleCountFlags::TYPE_2
        | vk::SampleCountFlags::TYPE_4
        | vk::SampleCountFlags::TYPE_8;
    let all_counts = sample_counts
        | vk::SampleCountFlags::TYPE_16
        | vk::SampleCountFlags::TYPE_32
        | vk::SampleCountFlags::TYPE_64;
    rule(
        c.samples.as_raw().count_ones() == 1 && all_counts.contains(c.samples),
        id("samples-parameter"),
        || format!("samples {:?}", c.samples),
    )?;
    rule(
        c.samples == vk::SampleCountFlags::TYPE_1
            || (c.image_type == vk::ImageType::TYPE_2D
                && c.tiling == vk::ImageTiling::OPTIMAL
                && c.mip_levels == 1),
        id("samples-02257"),
        || {
            format!(
                "{:?} samples for a {:?} {:?} image of {} levels",
                c.samples, c.image_type, c.tiling, c.mip_levels
            )
        },
    )?;
    rule(
        sample_counts.contains(c.samples),
        id("samples-02258"),
        || format!("{:?} samples (the card's limit is 8)", c.samples),
    )?;
    rule(
        matches!(c.tiling, vk::ImageTiling::OPTIMAL | vk::ImageTiling::LINEAR),
        id("tiling-parameter"),
        || format!("{:?}", c.tiling),
    )?;
    rule(
        matches!(
            c.initial_layout,
            vk::ImageLayout::UNDEFINED | vk::ImageLayout::PREINITIALIZED
        ),
        id("initialLayout-00993"),
        || format!("initialLayout {:?}", c.initial_layout),
    )?;
    let sparse_use = vk::ImageCreateFlags::SPARSE_RESIDENCY | vk::ImageCreateFlags::SPARSE_ALIASED;
    let binding = c.flags.contains(vk::ImageCreateFlags::SPARSE_BINDING);
    rule(
        binding || !c.flags.intersects(sparse_use),
        id("flags-00987"),
        || format!("flags {:?} without SPARSE_BINDING", c.flags),
    )?;
    rule(!binding, id("flags-00969"), || {
        "sparse images need the sparseBinding feature, which the card lacks".into()
    })?;
    if let Some(s) = c.stencil_usage {
        let id = |n: &str| format!("VUID-VkImageStencilUsageCreateInfo-stencilUsage-{n}");
        rule(!s.is_empty(), id("requiredbitmask"), || {
            "stencilUsage 0".into()
        })?;
        rule(KNOWN_USAGE.contains(s), id("parameter"), || {
            format!("stencilUsage {s:?} has bits of no enabled feature")
        })?;
    }
    Ok(())
}

impl HostDevice {
    /// `vkCreateImage`. The image has no memory until
    /// [`HostDevice::bind_image_memory`].
    ///
    /// # Safety
    /// `info.p_next` is a valid structure chain.
    pub unsafe fn create_image(&self, info: &vk::ImageCreateInfo) -> VkResult<vk::Image> {
        rule(
            info.s_type == vk::StructureType::IMAGE_CREATE_INFO,
            "VUID-VkImageCreateInfo-sType-sType",
            || format!("sType {:?}", info.s_type),
        )?;
        let created = Created {
            flags: info.flags,
            image_type: info.image_type,
            format: info.format,
            extent: info.extent,
            mip_levels: info.mip_levels,
            array_layers: info.array_layers,
            samples: info.samples,
            tiling: info.tiling,
            usage: info.usage,
            stencil_usage: stencil_usage(info.p_next),
            initial_layout: info.initial_layout,
        };
        check_create(&created)?;
        let (planes, size) = place(&created)?;
        let subresources = (created.mip_levels * created.array_layers) as usize * planes.len();
        Ok(self.add_image(ImageObj {
            created,
            planes,
            size,
            binding: Mutex::new(None),
            layouts: Mutex::new(vec![created.initial_layout; subresources]),
        }))
    }

    /// `vkDestroyImage` (a null or unknown handle is ignored).
    pub fn destroy_image(&self, image: vk::Image) {
        self.remove_image(image);
    }

    /// `vkGetImageMemoryRequirements`: the planes' bytes, 4 KiB aligned,
    /// memory type 0.
    pub fn image_memory_requirements(&self, image: vk::Image) -> VkResult<vk::MemoryRequirements> {
        let img = self.image(image, "VUID-vkGetImageMemoryRequirements-image-parameter")?;
        Ok(vk::MemoryRequirements {
            size: img.size,
            alignment: IMAGE_ALIGNMENT,
            memory_type_bits: 1,
        })
    }

    /// `vkBindImageMemory`.
    pub fn bind_image_memory(
        &self,
        image: vk::Image,
        memory: vk::DeviceMemory,
        offset: vk::DeviceSize,
    ) -> VkResult<()> {
        let img = self.image(image, "VUID-vkBindImageMemory-image-parameter")?;
        let mem = self.memory(memory, "VUID-vkBindImageMemory-memory-parameter")?;
        let mut b = img.binding.lock().unwrap();
        rule(b.is_none(), "VUID-vkBindImageMemory-image-07460", || {
            "the image is already bound".into()
        })?;
        let len = mem.block.len();
        rule(
            offset < len,
            "VUID-vkBindImageMemory-memoryOffset-01046",
            || format!("offset {offset} ≥ memory size {len}"),
        )?;
        rule(
            offset.is_multiple_of(IMAGE_ALIGNMENT),
            "VUID-vkBindImageMemory-None-10735",
            || format!("offset {offset} not a multiple of {IMAGE_ALIGNMENT}"),
        )?;
        rule(
            len - offset >= img.size,
            "VUID-vkBindImageMemory-None-10737",
            || {
                format!(
                    "{} bytes after offset {offset}, image needs {}",
                    len - offset,
                    img.size
                )
            },
        )?;
        *b = Some(Binding {
            memory: mem,
            offset,
        });
        Ok(())
    }
}

/// Places each aspect's plane: returns the planes and the image's size.
fn place(c: &Created) -> VkResult<(Vec<Plane>, u64)> {
    let all = aspects(c.format).expect("format checked");
    let mut planes = Vec::new();
    let mut offset = 0u64;
    for aspect in [
        vk::ImageAspectFlags::COLOR,
        vk::ImageAspectFlags::DEPTH,
        vk::ImageAspectFlags::STENCIL,
    ] {
        if !all.contains(aspect) {
            continue;
        }
        let b = block(c.format, aspect).expect("aspect present");
        let kind = kind(c.image_type, c.array_layers);
        let surface = Surface {
            kind,
            format: Format {
                block_bytes: b.bytes,
                block_width: b.extent[0],
                block_height: b.extent[1],
            },
            width: c.extent.width,
            height: c.extent.height,
            depth: c.extent.depth,
            layers: c.array_layers,
            levels: c.mip_levels,
            tiling: match c.tiling {
                vk::ImageTiling::LINEAR => Tiling::Linear,
                _ => kind.card_tiling(),
            },
        };
        surface.validate().map_err(|e| {
            VkError::failed(vk::Result::ERROR_OUT_OF_DEVICE_MEMORY, format!("{e:?}"))
        })?;
        planes.push(Plane {
            aspect,
            block: b,
            surface,
            offset,
        });
        offset = (offset + surface.total_bytes()).next_multiple_of(TILE_BYTES);
    }
    Ok((planes, offset))
}
