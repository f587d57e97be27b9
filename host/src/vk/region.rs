//! The image side of a host copy, checked: which plane, level, layers and
//! texel box of the image a region names, under every rule of the shared
//! copy validity (subresource in range, box inside the level and on block
//! boundaries, type restrictions, MEMCPY restrictions, usage).
//!
//! The three copy calls name the same rules with different prefixes
//! (`VkCopyMemoryToImageInfo-dstImage-…`, `VkCopyImageToMemoryInfo-srcImage-…`,
//! `VkCopyImageToImageInfo-srcImage-…`); a [`Side`] holds those names.

use super::error::{rule, VkError, VkResult};
use super::image::ImageObj;
use ash::vk::{self, ImageAspectFlags as A};

/// How one call names the rules of one image side.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Side {
    /// The info structure: `VkCopyMemoryToImageInfo`.
    pub(crate) info: &'static str,
    /// The image member: `dstImage`.
    pub(crate) image: &'static str,
    /// The subresource member: `imageSubresource`, `srcSubresource`.
    pub(crate) subresource: &'static str,
    /// The offset member: `imageOffset`, `dstOffset`.
    pub(crate) offset: &'static str,
    /// The region structure: `VkMemoryToImageCopy`, `VkImageCopy2`.
    pub(crate) region: &'static str,
    /// Its extent member and zero-extent rule numbers.
    pub(crate) extent: (&'static str, [u32; 3]),
    /// Whether `aspectMask` must be one bit (`aspectMask-09103`).
    pub(crate) single_aspect: bool,
    /// Whether the image must be single-sampled (`07973`).
    pub(crate) single_sample: bool,
}

impl Side {
    /// `VUID-<info>-<member>-<number>`.
    pub(crate) fn vuid(&self, member: &str, n: &str) -> String {
        format!("VUID-{}-{member}-{n}", self.info)
    }
    fn region_vuid(&self, member: &str, n: &str) -> String {
        format!("VUID-{}-{member}-{n}", self.region)
    }
}

/// The part of one plane a region names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ImageBox {
    pub(crate) plane: usize,
    pub(crate) level: u32,
    pub(crate) first_layer: u32,
    pub(crate) layers: u32,
    /// Texel offset (x, y, z).
    pub(crate) offset: [u32; 3],
    /// Texel extent.
    pub(crate) extent: [u32; 3],
}

impl ImageBox {
    /// Whether two boxes share a texel of the same subresource.
    pub(crate) fn overlaps(&self, o: &ImageBox) -> bool {
        let span = |a: u32, n: u32, b: u32, m: u32| a < b + m && b < a + n;
        self.plane == o.plane
            && self.level == o.level
            && span(self.first_layer, self.layers, o.first_layer, o.layers)
            && (0..3).all(|i| span(self.offset[i], self.extent[i], o.offset[i], o.extent[i]))
    }

    /// Every subresource (plane, level, layer) the box touches.
    pub(crate) fn subresources(&self) -> impl Iterator<Item = (usize, u32, u32)> + '_ {
        (self.first_layer..self.first_layer + self.layers).map(|l| (self.plane, self.level, l))
    }
}

/// Checks the rules that concern the image alone (once per call).
pub(crate) fn check_image(side: &Side, img: &ImageObj) -> VkResult<()> {
    let c = &img.created;
    rule(
        img.address().is_some(),
        side.vuid(side.image, "07966"),
        || "not bound to device memory".into(),
    )?;
    rule(
        !c.flags.contains(vk::ImageCreateFlags::SUBSAMPLED_EXT),
        side.vuid(side.image, "07969"),
        || "created SUBSAMPLED".into(),
    )?;
    if side.single_sample {
        rule(
            c.samples == vk::SampleCountFlags::TYPE_1,
            side.vuid(side.image, "07973"),
            || format!("{:?} samples", c.samples),
        )?;
    }
    Ok(())
}

/// Checks `VkImageSubresourceLayers` on its own.
fn check_layers(s: &vk::ImageSubresourceLayers) -> VkResult<()> {
    let id = |n: &str| format!("VUID-VkImageSubresourceLayers-{n}");
    let m = s.aspect_mask;
    let planes = A::MEMORY_PLANE_0_EXT
        | A::MEMORY_PLANE_1_EXT
        | A::MEMORY_PLANE_2_EXT
        | A::MEMORY_PLANE_3_EXT;
    let known = A::COLOR | A::DEPTH | A::STENCIL | A::METADATA | A::PLANE_0 | A::PLANE_1;
    rule(!m.is_empty(), id("aspectMask-requiredbitmask"), || {
        "aspectMask 0".into()
    })?;
    rule(
        (known | A::PLANE_2 | planes).contains(m),
        id("aspectMask-parameter"),
        || format!("aspectMask {m:?}"),
    )?;
    rule(
        !(m.contains(A::COLOR) && m.intersects(A::DEPTH | A::STENCIL)),
        id("aspectMask-00167"),
        || format!("aspectMask {m:?}"),
    )?;
    rule(!m.contains(A::METADATA), id("aspectMask-00168"), || {
        format!("aspectMask {m:?}")
    })?;
    rule(!m.intersects(planes), id("aspectMask-02247"), || {
        format!("aspectMask {m:?}")
    })?;
    rule(s.layer_count != 0, id("layerCount-01700"), || {
        "layerCount 0".into()
    })
}

/// The boxes (one per aspect) a region names in `img`, every rule checked.
/// `extent` is in texels; `memcpy`: the copy has `VK_HOST_IMAGE_COPY_MEMCPY`.
pub(crate) fn image_boxes(
    side: &Side,
    img: &ImageObj,
    sub: &vk::ImageSubresourceLayers,
    offset: vk::Offset3D,
    extent: vk::Extent3D,
    memcpy: bool,
) -> VkResult<Vec<ImageBox>> {
    check_layers(sub)?;
    let m = sub.aspect_mask;
    if side.single_aspect {
        rule(
            m.as_raw().count_ones() == 1,
            side.region_vuid("aspectMask", "09103"),
            || format!("aspectMask {m:?}"),
        )?;
    }
    let (ext_name, zero) = side.extent;
    for (v, n) in [extent.width, extent.height, extent.depth].iter().zip(zero) {
        rule(
            *v != 0,
            side.region_vuid(ext_name, &format!("{n:05}")),
            || format!("{ext_name} {extent:?}"),
        )?;
    }
    let c = &img.created;
    let all = img.aspects();
    rule(
        all.contains(m),
        side.vuid(side.subresource, "09105"),
        || format!("aspectMask {m:?}, image has {all:?}"),
    )?;
    rule(
        sub.mip_level < c.mip_levels,
        side.vuid(side.subresource, "07967"),
        || format!("mipLevel {} of {}", sub.mip_level, c.mip_levels),
    )?;
    let remaining = sub.layer_count == vk::REMAINING_ARRAY_LAYERS;
    let layers = if remaining {
        c.array_layers.saturating_sub(sub.base_array_layer)
    } else {
        sub.layer_count
    };
    let layer_range = || {
        format!(
            "layers {}+{layers} of {}",
            sub.base_array_layer, c.array_layers
        )
    };
    rule(
        remaining || sub.base_array_layer as u64 + layers as u64 <= c.array_layers as u64,
        side.vuid(side.subresource, "07968"),
        layer_range,
    )?;
    let (one_d, three_d) = (
        c.image_type == vk::ImageType::TYPE_1D,
        c.image_type == vk::ImageType::TYPE_3D,
    );
    rule(
        !three_d || (sub.base_array_layer == 0 && layers == 1),
        side.vuid(side.image, "07983"),
        || format!("3D image, layers {}+{layers}", sub.base_array_layer),
    )?;
    // VK_REMAINING_ARRAY_LAYERS from past the last layer names no layer:
    // the nearest rule is the layer range's.
    rule(
        layers > 0,
        side.vuid(side.subresource, "07968"),
        layer_range,
    )?;
    rule(
        !one_d || (offset.y == 0 && extent.height == 1),
        side.vuid(side.image, "07979"),
        || format!("1D image, y {} height {}", offset.y, extent.height),
    )?;
    rule(
        three_d || (offset.z == 0 && extent.depth == 1),
        side.vuid(side.image, "07980"),
        || format!("z {} depth {} outside a 3D image", offset.z, extent.depth),
    )?;
    let level = img.level_extent(sub.mip_level);
    let o = [offset.x, offset.y, offset.z];
    let e = [extent.width, extent.height, extent.depth];
    let range_rules = [
        side.vuid(side.subresource, "07971"),
        side.vuid(side.subresource, "07972"),
        side.vuid(side.offset, "09104"),
    ];
    for i in 0..3 {
        let end = o[i] as i64 + e[i] as i64;
        rule(
            o[i] >= 0 && end <= level[i] as i64,
            range_rules[i].clone(),
            || {
                format!(
                    "texels {}..{end} of {} at level {}",
                    o[i], level[i], sub.mip_level
                )
            },
        )?;
    }
    if memcpy {
        rule(o == [0; 3], side.vuid(side.offset, "09114"), || {
            format!("MEMCPY at offset {o:?}")
        })?;
        rule(e == level, side.vuid(side.image, "09115"), || {
            format!("MEMCPY of {e:?}, the subresource is {level:?}")
        })?;
    }
    let mut boxes = Vec::new();
    for (p, plane) in img.planes.iter().enumerate() {
        if !m.contains(plane.aspect) {
            continue;
        }
        let [bw, bh] = plane.block.extent;
        let at = |i: usize, b: u32| (o[i] as u32).is_multiple_of(b);
        let whole = |i: usize, b: u32| e[i].is_multiple_of(b) || o[i] as u32 + e[i] == level[i];
        rule(at(0, bw), side.vuid(side.image, "07274"), || {
            format!("x {} not a multiple of the block width {bw}", o[0])
        })?;
        rule(at(1, bh), side.vuid(side.image, "07275"), || {
            format!("y {} not a multiple of the block height {bh}", o[1])
        })?;
        rule(whole(0, bw), side.vuid(side.image, "00207"), || {
            format!("width {} ends inside a block of width {bw}", e[0])
        })?;
        rule(whole(1, bh), side.vuid(side.image, "00208"), || {
            format!("height {} ends inside a block of height {bh}", e[1])
        })?;
        check_usage(side, img, plane.aspect)?;
        boxes.push(ImageBox {
            plane: p,
            level: sub.mip_level,
            first_layer: sub.base_array_layer,
            layers,
            offset: o.map(|v| v as u32),
            extent: e,
        });
    }
    Ok(boxes)
}

/// `HOST_TRANSFER` usage for the aspect accessed (stencil: the separate
/// stencil usage when the image has one).
fn check_usage(side: &Side, img: &ImageObj, aspect: A) -> VkResult<()> {
    let c = &img.created;
    let (usage, n) = match (aspect == A::STENCIL, c.stencil_usage) {
        (true, Some(s)) => (s, "09112"),
        (true, None) => (c.usage, "09111"),
        (false, _) => (c.usage, "09113"),
    };
    rule(
        usage.contains(vk::ImageUsageFlags::HOST_TRANSFER_EXT),
        side.vuid(side.image, n),
        || format!("{aspect:?} usage {usage:?} lacks HOST_TRANSFER"),
    )
}

/// `Err` naming `vuid` if two destination boxes share a texel.
pub(crate) fn check_disjoint(boxes: &[ImageBox], vuid: String) -> VkResult<()> {
    for (i, a) in boxes.iter().enumerate() {
        if let Some(b) = boxes[i + 1..].iter().find(|b| a.overlaps(b)) {
            return Err(VkError::invalid(
                vuid,
                format!("regions {a:?} and {b:?} overlap"),
            ));
        }
    }
    Ok(())
}
