//! Image layouts as host copies see them: the layouts a copy may use
//! (`VkPhysicalDeviceHostImageCopyProperties`), each subresource's current
//! layout, and `vkTransitionImageLayout`.
//!
//! The card's tiling does not depend on the layout, so a transition only
//! changes the recorded state; the rules are Vulkan's all the same.

use super::device::HostDevice;
use super::error::{rule, VkResult};
use super::image::ImageObj;
use ash::vk::{self, ImageLayout as L, ImageUsageFlags as U};

/// Layouts a host copy may read from or write to (`pCopySrcLayouts` and
/// `pCopyDstLayouts` are both this list).
pub const COPY_LAYOUTS: &[L] = &[
    L::GENERAL,
    L::TRANSFER_SRC_OPTIMAL,
    L::TRANSFER_DST_OPTIMAL,
    L::SHADER_READ_ONLY_OPTIMAL,
    L::COLOR_ATTACHMENT_OPTIMAL,
    L::DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
    L::DEPTH_STENCIL_READ_ONLY_OPTIMAL,
    L::DEPTH_READ_ONLY_STENCIL_ATTACHMENT_OPTIMAL,
    L::DEPTH_ATTACHMENT_STENCIL_READ_ONLY_OPTIMAL,
    L::DEPTH_ATTACHMENT_OPTIMAL,
    L::DEPTH_READ_ONLY_OPTIMAL,
    L::STENCIL_ATTACHMENT_OPTIMAL,
    L::STENCIL_READ_ONLY_OPTIMAL,
    L::READ_ONLY_OPTIMAL,
    L::ATTACHMENT_OPTIMAL,
];

/// `optimalTilingLayoutUUID`: changes whenever optimal tiling's placement
/// does (MEMCPY data is only valid between devices with the same UUID).
pub const OPTIMAL_TILING_LAYOUT_UUID: [u8; 16] = *b"tiledma-tile4-y1";

/// Whether `l` is a `VkImageLayout` value this device knows.
fn known(l: L) -> bool {
    COPY_LAYOUTS.contains(&l) || matches!(l, L::UNDEFINED | L::PREINITIALIZED | L::PRESENT_SRC_KHR)
}

/// The usage a layout needs (rule, usage bits any of which will do).
fn needs(l: L) -> Option<(&'static str, U)> {
    let ds = U::DEPTH_STENCIL_ATTACHMENT;
    let read = ds | U::SAMPLED | U::INPUT_ATTACHMENT;
    Some(match l {
        L::COLOR_ATTACHMENT_OPTIMAL => ("oldLayout-01208", U::COLOR_ATTACHMENT),
        L::DEPTH_STENCIL_ATTACHMENT_OPTIMAL => ("oldLayout-01209", ds),
        L::DEPTH_STENCIL_READ_ONLY_OPTIMAL => ("oldLayout-01210", ds),
        L::SHADER_READ_ONLY_OPTIMAL => ("oldLayout-01211", U::SAMPLED | U::INPUT_ATTACHMENT),
        L::TRANSFER_SRC_OPTIMAL => ("oldLayout-01212", U::TRANSFER_SRC),
        L::TRANSFER_DST_OPTIMAL => ("oldLayout-01213", U::TRANSFER_DST),
        L::DEPTH_READ_ONLY_STENCIL_ATTACHMENT_OPTIMAL => ("oldLayout-01658", ds),
        L::DEPTH_ATTACHMENT_STENCIL_READ_ONLY_OPTIMAL => ("oldLayout-01659", ds),
        L::ATTACHMENT_OPTIMAL => ("srcQueueFamilyIndex-03938", U::COLOR_ATTACHMENT | ds),
        L::READ_ONLY_OPTIMAL => ("srcQueueFamilyIndex-03939", read),
        L::DEPTH_READ_ONLY_OPTIMAL => ("srcQueueFamilyIndex-04065", read),
        L::DEPTH_ATTACHMENT_OPTIMAL => ("srcQueueFamilyIndex-04066", ds),
        L::STENCIL_READ_ONLY_OPTIMAL => ("srcQueueFamilyIndex-04067", read),
        L::STENCIL_ATTACHMENT_OPTIMAL => ("srcQueueFamilyIndex-04068", ds),
        _ => return None,
    })
}

/// A copy's image layout: a known value (`parameter`), one of
/// [`COPY_LAYOUTS`] (`in_list`) and the current layout of every
/// subresource the copy touches (`current`).
pub(crate) struct LayoutRules<'a> {
    pub(crate) parameter: &'a str,
    pub(crate) in_list: &'a str,
    pub(crate) current: &'a str,
}

impl LayoutRules<'_> {
    /// Checks `layout` for the subresources `(plane, level, layer)`.
    pub(crate) fn check(
        &self,
        img: &ImageObj,
        layout: L,
        subresources: impl Iterator<Item = (usize, u32, u32)>,
    ) -> VkResult<()> {
        rule(known(layout), self.parameter, || format!("{layout:?}"))?;
        rule(COPY_LAYOUTS.contains(&layout), self.in_list, || {
            format!("{layout:?} is not a host-copy layout")
        })?;
        let layouts = img.layouts.lock().unwrap();
        for (p, level, layer) in subresources {
            let now = layouts[img.layout_index(p, level, layer)];
            rule(now == layout, self.current, || {
                format!("level {level} layer {layer} is in {now:?}, not {layout:?}")
            })?;
        }
        Ok(())
    }
}

impl HostDevice {
    /// `VkPhysicalDeviceHostImageCopyProperties`, Vulkan's two-call way:
    /// with null layout arrays the counts are set; otherwise up to the
    /// counts are written and the counts set to what was written.
    ///
    /// # Safety
    /// Non-null arrays hold their counts of layouts.
    pub unsafe fn host_image_copy_properties(
        &self,
        p: &mut vk::PhysicalDeviceHostImageCopyPropertiesEXT,
    ) {
        let fill = |ptr: *mut L, count: &mut u32| {
            if ptr.is_null() {
                *count = COPY_LAYOUTS.len() as u32;
            } else {
                let n = (*count as usize).min(COPY_LAYOUTS.len());
                std::ptr::copy_nonoverlapping(COPY_LAYOUTS.as_ptr(), ptr, n);
                *count = n as u32;
            }
        };
        fill(p.p_copy_src_layouts, &mut p.copy_src_layout_count);
        fill(p.p_copy_dst_layouts, &mut p.copy_dst_layout_count);
        p.optimal_tiling_layout_uuid = OPTIMAL_TILING_LAYOUT_UUID;
        p.identical_memory_type_requirements = vk::TRUE;
    }

    /// The current layout of one subresource (`aspect` a single bit).
    pub fn image_layout(
        &self,
        image: vk::Image,
        aspect: vk::ImageAspectFlags,
        level: u32,
        layer: u32,
    ) -> Option<L> {
        let img = self.image(image, "").ok()?;
        let (p, _) = img.plane(aspect)?;
        if level >= img.created.mip_levels || layer >= img.layers() {
            return None;
        }
        let i = img.layout_index(p, level, layer);
        let layout = img.layouts.lock().unwrap()[i];
        Some(layout)
    }

    /// `vkTransitionImageLayout`: every transition is checked before any
    /// is made.
    pub fn transition_image_layout(
        &self,
        transitions: &[vk::HostImageLayoutTransitionInfoEXT],
    ) -> VkResult<()> {
        let mut planned = Vec::with_capacity(transitions.len());
        for t in transitions {
            planned.push(self.check_transition(t)?);
        }
        for (img, indices, layout) in planned {
            let mut layouts = img.layouts.lock().unwrap();
            for i in indices {
                layouts[i] = layout;
            }
        }
        Ok(())
    }

    fn check_transition(
        &self,
        t: &vk::HostImageLayoutTransitionInfoEXT,
    ) -> VkResult<(std::sync::Arc<ImageObj>, Vec<usize>, L)> {
        let id = |n: &str| format!("VUID-VkHostImageLayoutTransitionInfo-{n}");
        rule(
            t.s_type == vk::StructureType::HOST_IMAGE_LAYOUT_TRANSITION_INFO_EXT,
            id("sType-sType"),
            || format!("{:?}", t.s_type),
        )?;
        rule(t.p_next.is_null(), id("pNext-pNext"), || {
            "pNext not NULL".into()
        })?;
        let img = self.image(t.image, &id("image-parameter"))?;
        let c = img.created;
        rule(
            c.usage.contains(U::HOST_TRANSFER_EXT),
            id("image-09055"),
            || format!("usage {:?} lacks HOST_TRANSFER", c.usage),
        )?;
        rule(img.address().is_some(), id("image-01932"), || {
            "not bound to memory".into()
        })?;
        let r = t.subresource_range;
        let range = |n: &str| format!("VUID-VkImageSubresourceRange-{n}");
        let all = img.aspects();
        use vk::ImageAspectFlags as A;
        let memory_planes = A::MEMORY_PLANE_0_EXT
            | A::MEMORY_PLANE_1_EXT
            | A::MEMORY_PLANE_2_EXT
            | A::MEMORY_PLANE_3_EXT;
        let planes = A::PLANE_0 | A::PLANE_1 | A::PLANE_2;
        let known_aspects = A::COLOR | A::DEPTH | A::STENCIL | A::METADATA | planes | memory_planes;
        let m = r.aspect_mask;
        rule(!m.is_empty(), range("aspectMask-requiredbitmask"), || {
            "aspectMask 0".into()
        })?;
        rule(
            known_aspects.contains(m),
            range("aspectMask-parameter"),
            || format!("aspectMask {m:?}"),
        )?;
        rule(
            !(m.contains(A::COLOR) && m.intersects(planes)),
            range("aspectMask-01670"),
            || format!("aspectMask {m:?}"),
        )?;
        rule(
            !m.intersects(memory_planes),
            range("aspectMask-02278"),
            || format!("aspectMask {m:?}"),
        )?;
        rule(
            all.contains(r.aspect_mask),
            id("subresourceRange-09601"),
            || format!("aspectMask {:?}, image has {all:?}", r.aspect_mask),
        )?;
        rule(r.level_count != 0, range("levelCount-01720"), || {
            "levelCount 0".into()
        })?;
        rule(r.layer_count != 0, range("layerCount-01721"), || {
            "layerCount 0".into()
        })?;
        rule(
            r.base_mip_level < c.mip_levels,
            id("subresourceRange-01486"),
            || format!("baseMipLevel {} of {}", r.base_mip_level, c.mip_levels),
        )?;
        let levels = if r.level_count == vk::REMAINING_MIP_LEVELS {
            c.mip_levels - r.base_mip_level
        } else {
            r.level_count
        };
        rule(
            r.base_mip_level as u64 + levels as u64 <= c.mip_levels as u64,
            id("subresourceRange-01724"),
            || format!("levels {}+{levels} of {}", r.base_mip_level, c.mip_levels),
        )?;
        rule(
            r.base_array_layer < img.layers(),
            id("subresourceRange-01488"),
            || format!("baseArrayLayer {} of {}", r.base_array_layer, img.layers()),
        )?;
        let layers = if r.layer_count == vk::REMAINING_ARRAY_LAYERS {
            img.layers() - r.base_array_layer
        } else {
            r.layer_count
        };
        rule(
            r.base_array_layer as u64 + layers as u64 <= img.layers() as u64,
            id("subresourceRange-01725"),
            || format!("layers {}+{layers} of {}", r.base_array_layer, img.layers()),
        )?;
        rule(known(t.old_layout), id("oldLayout-parameter"), || {
            format!("{:?}", t.old_layout)
        })?;
        rule(known(t.new_layout), id("newLayout-parameter"), || {
            format!("{:?}", t.new_layout)
        })?;
        rule(
            COPY_LAYOUTS.contains(&t.new_layout),
            id("newLayout-09057"),
            || format!("{:?} is not a host-copy layout", t.new_layout),
        )?;
        rule(
            matches!(t.old_layout, L::UNDEFINED | L::PREINITIALIZED)
                || COPY_LAYOUTS.contains(&t.old_layout),
            id("oldLayout-09230"),
            || format!("{:?} is not a host-copy layout", t.old_layout),
        )?;
        for l in [t.old_layout, t.new_layout] {
            if let Some((n, usage)) = needs(l) {
                rule(c.usage.intersects(usage), id(n), || {
                    format!("{l:?} needs usage {usage:?}; the image has {:?}", c.usage)
                })?;
            }
        }
        let mut indices = Vec::new();
        let layouts = img.layouts.lock().unwrap();
        for (p, plane) in img.planes.iter().enumerate() {
            if !r.aspect_mask.contains(plane.aspect) {
                continue;
            }
            for level in r.base_mip_level..r.base_mip_level + levels {
                for layer in r.base_array_layer..r.base_array_layer + layers {
                    let i = img.layout_index(p, level, layer);
                    let now = layouts[i];
                    rule(
                        t.old_layout == L::UNDEFINED || t.old_layout == now,
                        id("oldLayout-09229"),
                        || {
                            format!(
                                "{:?} level {level} layer {layer} is in {now:?}, not {:?}",
                                plane.aspect, t.old_layout
                            )
                        },
                    )?;
                    indices.push(i);
                }
            }
        }
        drop(layouts);
        Ok((img, indices, t.new_layout))
    }
}
