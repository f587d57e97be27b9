//! `vkGetImageSubresourceLayout2` with `VkSubresourceHostMemcpySize`: where
//! one subresource's bytes lie in the image's memory, and how many bytes a
//! MEMCPY copy of it moves.
//!
//! The offsets and pitches are those of the card's placement for linear
//! and optimal tiling alike: `offset` from the image's first byte, `size`
//! the subresource's bytes (tile-padded rows included), `rowPitch` between
//! rows of texel blocks, `arrayPitch` between layers of array images and
//! `depthPitch` between slices of 3D images (0 where they do not apply).

use super::copy::memcpy_size;
use super::device::HostDevice;
use super::error::{rule, VkError, VkResult};
use ash::vk::{self, ImageAspectFlags as A};

impl HostDevice {
    /// `vkGetImageSubresourceLayout2`; fills a chained
    /// `VkSubresourceHostMemcpySize`.
    ///
    /// # Safety
    /// `layout.p_next` is a valid chain of output structures.
    pub unsafe fn image_subresource_layout2(
        &self,
        image: vk::Image,
        subresource: &vk::ImageSubresource2KHR,
        layout: &mut vk::SubresourceLayout2KHR,
    ) -> VkResult<()> {
        let id = |n: &str| format!("VUID-vkGetImageSubresourceLayout2-{n}");
        rule(
            subresource.s_type == vk::StructureType::IMAGE_SUBRESOURCE_2_KHR,
            "VUID-VkImageSubresource2-sType-sType",
            || format!("{:?}", subresource.s_type),
        )?;
        rule(
            subresource.p_next.is_null(),
            "VUID-VkImageSubresource2-pNext-pNext",
            || "pNext not NULL".into(),
        )?;
        rule(
            layout.s_type == vk::StructureType::SUBRESOURCE_LAYOUT_2_KHR,
            "VUID-VkSubresourceLayout2-sType-sType",
            || format!("{:?}", layout.s_type),
        )?;
        // The output chain: only VkSubresourceHostMemcpySize is filled.
        let mut memcpy_out: Option<*mut vk::SubresourceHostMemcpySizeEXT> = None;
        let mut p = layout.p_next;
        while !p.is_null() {
            let base = &mut *(p as *mut vk::BaseOutStructure);
            match base.s_type {
                vk::StructureType::SUBRESOURCE_HOST_MEMCPY_SIZE_EXT => {
                    memcpy_out = Some(p.cast());
                }
                vk::StructureType::IMAGE_COMPRESSION_PROPERTIES_EXT => {}
                other => {
                    return Err(VkError::invalid(
                        "VUID-VkSubresourceLayout2-pNext-pNext",
                        format!("{other:?} in the pNext chain"),
                    ))
                }
            }
            p = base.p_next.cast();
        }
        let img = self.image(image, &id("image-parameter"))?;
        let s = subresource.image_subresource;
        let m = s.aspect_mask;
        rule(m.as_raw().count_ones() == 1, id("aspectMask-00997"), || {
            format!("aspectMask {m:?}")
        })?;
        let all = img.aspects();
        if all == A::COLOR {
            rule(
                !m.intersects(A::DEPTH | A::STENCIL),
                id("format-04464"),
                || format!("aspectMask {m:?} of a color image"),
            )?;
            rule(m == A::COLOR, id("format-08886"), || {
                format!("aspectMask {m:?} of a color image")
            })?;
        } else if !all.contains(m) {
            let n = if all.contains(A::DEPTH) {
                "format-04462"
            } else {
                "format-04463"
            };
            return Err(VkError::invalid(
                id(n),
                format!("aspectMask {m:?}, the image has {all:?}"),
            ));
        }
        rule(
            s.mip_level < img.created.mip_levels,
            id("mipLevel-01716"),
            || format!("mipLevel {} of {}", s.mip_level, img.created.mip_levels),
        )?;
        rule(s.array_layer < img.layers(), id("arrayLayer-01717"), || {
            format!("arrayLayer {} of {}", s.array_layer, img.layers())
        })?;
        let (p, plane) = img.plane(m).expect("aspect checked");
        let level = img.level(p, s.mip_level);
        let three_d = img.created.image_type == vk::ImageType::TYPE_3D;
        let size = memcpy_size(&img, p, s.mip_level);
        layout.subresource_layout = vk::SubresourceLayout {
            offset: plane.offset + level.offset + s.array_layer as u64 * level.slice_pitch,
            size,
            row_pitch: level.row_pitch,
            array_pitch: if img.layers() > 1 {
                level.slice_pitch
            } else {
                0
            },
            depth_pitch: if three_d { level.slice_pitch } else { 0 },
        };
        if let Some(out) = memcpy_out {
            (*out).size = size;
        }
        Ok(())
    }
}
