//! `vkCopyMemoryToImage`, `vkCopyImageToMemory` and `vkCopyImageToImage`,
//! synchronous: when they return, the card has moved every byte.
//!
//! Host memory is pinned (mapped for the card's DMA in place) for the
//! duration of the call, and each region becomes one card command between
//! it and the image's plane — the host never writes card memory. Every rule
//! is checked for every region before the first command is queued, so a
//! call that fails has written nothing.
//!
//! Host memory can never alias an image here (device memory is not
//! host-visible), so the "source and destination share memory" rules
//! (`pRegions-09062`, `VkImageToMemoryCopy-pRegions-09067`) hold by
//! construction; images copied onto themselves are checked.

use super::device::HostDevice;
use super::error::{rule, VkError, VkResult};
use super::image::ImageObj;
use super::layout::LayoutRules;
use super::region::{check_disjoint, check_image, image_boxes, ImageBox, Side};
use crate::copy::{linear_extent, BoxCopy, Region};
use crate::dma::PinnedHost;
use crate::{Copy3d, View};
use ash::vk;
use std::ffi::c_void;

const TO_IMAGE: Side = Side {
    info: "VkCopyMemoryToImageInfo",
    image: "dstImage",
    subresource: "imageSubresource",
    offset: "imageOffset",
    region: "VkMemoryToImageCopy",
    extent: ("imageExtent", [6659, 6660, 6661]),
    single_aspect: true,
    single_sample: true,
};

const TO_MEMORY: Side = Side {
    info: "VkCopyImageToMemoryInfo",
    image: "srcImage",
    region: "VkImageToMemoryCopy",
    ..TO_IMAGE
};

const IMAGE_SRC: Side = Side {
    info: "VkCopyImageToImageInfo",
    image: "srcImage",
    subresource: "srcSubresource",
    offset: "srcOffset",
    region: "VkImageCopy2",
    extent: ("extent", [6668, 6669, 6670]),
    single_aspect: false,
    single_sample: false,
};

const IMAGE_DST: Side = Side {
    image: "dstImage",
    subresource: "dstSubresource",
    offset: "dstOffset",
    ..IMAGE_SRC
};

/// One direction of memory copy: its structures and rule names.
struct MemoryCall {
    side: Side,
    rules: MemoryRules,
    info_type: vk::StructureType,
    region_type: vk::StructureType,
    /// The layout member and its rules: (current layout, in the list).
    layout: (&'static str, [&'static str; 2]),
    to_image: bool,
}

const MEMORY_TO_IMAGE: MemoryCall = MemoryCall {
    side: TO_IMAGE,
    rules: MemoryRules {
        memcpy_pitches: "09393",
        pointer: "09061",
        disjoint: "12474",
    },
    info_type: vk::StructureType::COPY_MEMORY_TO_IMAGE_INFO_EXT,
    region_type: vk::StructureType::MEMORY_TO_IMAGE_COPY_EXT,
    layout: ("dstImageLayout", ["09059", "09060"]),
    to_image: true,
};

const IMAGE_TO_MEMORY: MemoryCall = MemoryCall {
    side: TO_MEMORY,
    rules: MemoryRules {
        memcpy_pitches: "09394",
        pointer: "09066",
        disjoint: "12475",
    },
    info_type: vk::StructureType::COPY_IMAGE_TO_MEMORY_INFO_EXT,
    region_type: vk::StructureType::IMAGE_TO_MEMORY_COPY_EXT,
    layout: ("srcImageLayout", ["09064", "09065"]),
    to_image: false,
};

/// The rules of a memory copy's host side, by number.
struct MemoryRules {
    /// `flags-09393` / `-09394`: MEMCPY with pitches.
    memcpy_pitches: &'static str,
    /// `pHostPointer-09061` / `-09066`.
    pointer: &'static str,
    /// `pRegions-12474` (image boxes) / `-12475` (host ranges).
    disjoint: &'static str,
}

/// Host memory of one region: where, how long, its pitches.
#[derive(Clone, Copy, Debug)]
struct HostSpan {
    ptr: usize,
    len: u64,
    row_pitch: u64,
    slice_pitch: u64,
    /// The box in bytes across, block rows, slices.
    size: [u64; 3],
}

impl HostSpan {
    /// The byte ranges the region touches, one per row.
    fn rows(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let [w, h, d] = self.size;
        (0..d).flat_map(move |z| {
            (0..h).map(move |y| {
                let at = self.ptr + (z * self.slice_pitch + y * self.row_pitch) as usize;
                (at, at + w as usize)
            })
        })
    }
}

/// The box of `b` in the image's card address space: a region of its
/// plane and the size (bytes across, block rows, slices). MEMCPY boxes are
/// the subresources' raw bytes, slice after slice.
fn image_region(img: &ImageObj, base: u64, b: &ImageBox, memcpy: bool) -> (Region, [u64; 3]) {
    let plane = &img.planes[b.plane];
    let level = img.level(b.plane, b.level);
    let three_d = img.created.image_type == vk::ImageType::TYPE_3D;
    let (first, slices) = if three_d {
        (b.offset[2] as u64, b.extent[2] as u64)
    } else {
        (b.first_layer as u64, b.layers as u64)
    };
    let plane_base = base + plane.offset;
    if memcpy {
        let sp = level.slice_pitch;
        let view = View::linear(plane_base + level.offset + first * sp, sp, sp * slices);
        return (
            Region {
                view,
                origin: [0; 3],
            },
            [sp, slices, 1],
        );
    }
    let [bw, bh] = plane.block.extent;
    let bb = plane.block.bytes as u64;
    let origin = [
        (b.offset[0] / bw) as u64 * bb,
        (b.offset[1] / bh) as u64,
        first,
    ];
    let size = [
        b.extent[0].div_ceil(bw) as u64 * bb,
        b.extent[1].div_ceil(bh) as u64,
        slices,
    ];
    (
        Region {
            view: View::level(plane_base, &level),
            origin,
        },
        size,
    )
}

/// The bytes one subresource's MEMCPY data takes
/// (`VkSubresourceHostMemcpySize`): one array layer, or all depth slices of
/// a 3D level.
pub(crate) fn memcpy_size(img: &ImageObj, plane: usize, level: u32) -> u64 {
    let l = img.level(plane, level);
    let slices = if img.created.image_type == vk::ImageType::TYPE_3D {
        l.slices
    } else {
        1
    };
    l.slice_pitch * slices
}

/// Checks a memory region's host side and measures it.
#[allow(clippy::too_many_arguments)]
fn host_span(
    side: &Side,
    rules: &MemoryRules,
    img: &ImageObj,
    b: &ImageBox,
    ptr: *const c_void,
    (row_length, image_height): (u32, u32),
    extent: vk::Extent3D,
    memcpy: bool,
) -> VkResult<HostSpan> {
    let region = |m: &str, n: &str| format!("VUID-{}-{m}-{n}", side.region);
    if memcpy {
        rule(
            row_length == 0 && image_height == 0,
            side.vuid("flags", rules.memcpy_pitches),
            || {
                format!(
                    "MEMCPY with memoryRowLength {row_length}, memoryImageHeight {image_height}"
                )
            },
        )?;
    }
    rule(
        row_length == 0 || row_length >= extent.width,
        region("memoryRowLength", "09101"),
        || format!("memoryRowLength {row_length} < width {}", extent.width),
    )?;
    rule(
        image_height == 0 || image_height >= extent.height,
        region("memoryImageHeight", "09102"),
        || {
            format!(
                "memoryImageHeight {image_height} < height {}",
                extent.height
            )
        },
    )?;
    let plane = &img.planes[b.plane];
    let [bw, bh] = plane.block.extent;
    let bb = plane.block.bytes as u64;
    rule(
        row_length.is_multiple_of(bw),
        side.vuid("memoryRowLength", "09106"),
        || format!("memoryRowLength {row_length} not a multiple of the block width {bw}"),
    )?;
    rule(
        image_height.is_multiple_of(bh),
        side.vuid("memoryImageHeight", "09107"),
        || format!("memoryImageHeight {image_height} not a multiple of the block height {bh}"),
    )?;
    rule(
        (row_length / bw) as u64 * bb <= i32::MAX as u64,
        side.vuid("memoryRowLength", "09108"),
        || {
            format!(
                "memoryRowLength {row_length} is {} bytes",
                (row_length / bw) as u64 * bb
            )
        },
    )?;
    rule(
        !ptr.is_null(),
        region("pHostPointer", rules.pointer),
        || "pHostPointer is NULL".into(),
    )?;
    let (_, size) = image_region(img, 0, b, memcpy);
    let (row_pitch, slice_pitch) = if memcpy {
        (size[0], size[0] * size[1])
    } else {
        let rows = if row_length == 0 {
            extent.width
        } else {
            row_length
        };
        let height = if image_height == 0 {
            extent.height
        } else {
            image_height
        };
        let row_pitch = rows.div_ceil(bw) as u64 * bb;
        (row_pitch, height.div_ceil(bh) as u64 * row_pitch)
    };
    let len = linear_extent(size, row_pitch, slice_pitch)
        .filter(|&n| (ptr as u64).checked_add(n).is_some())
        .ok_or_else(|| {
            VkError::invalid(
                region("pHostPointer", rules.pointer),
                "the region reaches past the end of the address space",
            )
        })?;
    Ok(HostSpan {
        ptr: ptr as usize,
        len,
        row_pitch,
        slice_pitch,
        size,
    })
}

/// The card addresses a box covers, as sorted, merged byte ranges. Every
/// tiling keeps 16-byte-aligned groups of a row together, so a row is
/// walked in pieces that end on 16-byte boundaries.
fn byte_runs(boxes: &[(Region, [u64; 3])]) -> Vec<(u64, u64)> {
    let mut runs = Vec::new();
    for (r, [w, h, d]) in boxes {
        let v = &r.view;
        let [ox, oy, oz] = r.origin;
        for z in oz..oz + d {
            for y in oy..oy + h {
                let mut x = ox;
                while x < ox + w {
                    let end = (x / 16 + 1).saturating_mul(16).min(ox + w);
                    let at = v.base + z * v.slice_pitch + v.tiling.offset(v.row_pitch, x, y);
                    runs.push((at, at + (end - x)));
                    x = end;
                }
            }
        }
    }
    runs.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(runs.len());
    for (a, b) in runs {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// The first address two sets of merged runs share.
fn first_shared(a: &[(u64, u64)], b: &[(u64, u64)]) -> Option<u64> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (lo, hi) = (a[i].0.max(b[j].0), a[i].1.min(b[j].1));
        if lo < hi {
            return Some(lo);
        }
        if a[i].1 <= b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    None
}

/// `Err` naming `vuid` if two host spans share a byte.
fn check_spans_disjoint(spans: &[HostSpan], vuid: String) -> VkResult<()> {
    let mut rows: Vec<(usize, usize)> = spans.iter().flat_map(HostSpan::rows).collect();
    rows.sort_unstable();
    let mut end = 0;
    for (a, b) in rows {
        if a < end {
            return Err(VkError::invalid(
                vuid,
                format!("host byte {a:#x} is written by two regions"),
            ));
        }
        end = end.max(b);
    }
    Ok(())
}

/// The checks every info structure starts with.
fn check_header(
    info: &str,
    (s_type, expected): (vk::StructureType, vk::StructureType),
    p_next: *const c_void,
    flags: vk::HostImageCopyFlagsEXT,
    (count, regions): (u32, *const c_void),
) -> VkResult<()> {
    let id = |n: &str| format!("VUID-{info}-{n}");
    rule(s_type == expected, id("sType-sType"), || {
        format!("sType {s_type:?}")
    })?;
    rule(p_next.is_null(), id("pNext-pNext"), || {
        "pNext not NULL".into()
    })?;
    rule(
        vk::HostImageCopyFlagsEXT::MEMCPY.contains(flags),
        id("flags-parameter"),
        || format!("flags {flags:?}"),
    )?;
    rule(count > 0, id("regionCount-arraylength"), || {
        "regionCount 0".into()
    })?;
    rule(!regions.is_null(), id("pRegions-parameter"), || {
        "pRegions is NULL".into()
    })
}

/// Checks a region structure's own header.
fn check_region_header(
    name: &str,
    (s_type, expected): (vk::StructureType, vk::StructureType),
    p_next: *const c_void,
) -> VkResult<()> {
    rule(
        s_type == expected,
        format!("VUID-{name}-sType-sType"),
        || format!("sType {s_type:?}"),
    )?;
    rule(p_next.is_null(), format!("VUID-{name}-pNext-pNext"), || {
        "pNext not NULL".into()
    })
}

/// One checked memory region.
struct MemoryRegion {
    image: ImageBox,
    host: HostSpan,
}

/// A host-memory region, as the two memory calls share it.
struct AnyMemoryCopy {
    s_type: vk::StructureType,
    p_next: *const c_void,
    ptr: *const c_void,
    row_length: u32,
    image_height: u32,
    sub: vk::ImageSubresourceLayers,
    offset: vk::Offset3D,
    extent: vk::Extent3D,
}

/// A [`AnyMemoryCopy`] from either region structure (same member names).
macro_rules! any_memory_copy {
    ($r:expr) => {
        AnyMemoryCopy {
            s_type: $r.s_type,
            p_next: $r.p_next,
            ptr: $r.p_host_pointer as *const c_void,
            row_length: $r.memory_row_length,
            image_height: $r.memory_image_height,
            sub: $r.image_subresource,
            offset: $r.image_offset,
            extent: $r.image_extent,
        }
    };
}

impl HostDevice {
    /// Checks the image and regions of a memory copy.
    fn check_memory_copy(
        &self,
        side: &Side,
        rules: &MemoryRules,
        img: &ImageObj,
        region_type: vk::StructureType,
        regions: &[AnyMemoryCopy],
        memcpy: bool,
    ) -> VkResult<Vec<MemoryRegion>> {
        check_image(side, img)?;
        let mut out = Vec::with_capacity(regions.len());
        for r in regions {
            check_region_header(side.region, (r.s_type, region_type), r.p_next)?;
            let b = image_boxes(side, img, &r.sub, r.offset, r.extent, memcpy)?[0];
            let host = host_span(
                side,
                rules,
                img,
                &b,
                r.ptr,
                (r.row_length, r.image_height),
                r.extent,
                memcpy,
            )?;
            out.push(MemoryRegion { image: b, host });
        }
        Ok(out)
    }

    /// Pins each region's host memory and runs one command per region.
    fn run_memory_copy(
        &self,
        img: &ImageObj,
        regions: &[MemoryRegion],
        memcpy: bool,
        to_image: bool,
    ) -> VkResult<()> {
        let base = img.address().expect("bound: checked");
        let mut pins: Vec<PinnedHost> = Vec::with_capacity(regions.len());
        let mut copies: Vec<Copy3d> = Vec::with_capacity(regions.len());
        for r in regions {
            let h = r.host;
            // SAFETY: the application's region (its rules checked) stays
            // valid for the call; the pin is dropped before returning.
            let pin = unsafe { self.card.pin_host(h.ptr as *mut u8, h.len as usize) }
                .map_err(VkError::device)?;
            let host = Region {
                view: View::linear(pin.iova(), h.row_pitch, h.slice_pitch),
                origin: [0; 3],
            };
            let (image, size) = image_region(img, base, &r.image, memcpy);
            let (src, dst) = if to_image {
                (host, image)
            } else {
                (image, host)
            };
            copies.push(
                Copy3d::region(&src.view, src.origin, &dst.view, dst.origin, size)
                    .map_err(VkError::device)?,
            );
            pins.push(pin);
        }
        let done = self.card.run(&copies).map_err(VkError::device);
        drop(pins);
        done
    }

    /// A memory copy in either direction, once its regions are in one form.
    fn memory_copy(
        &self,
        call: &MemoryCall,
        header: (vk::StructureType, *const c_void, vk::HostImageCopyFlagsEXT),
        (image, layout): (vk::Image, vk::ImageLayout),
        (count, p_regions): (u32, *const c_void),
        regions: impl FnOnce() -> Vec<AnyMemoryCopy>,
    ) -> VkResult<()> {
        let side = &call.side;
        let (s_type, p_next, flags) = header;
        check_header(
            side.info,
            (s_type, call.info_type),
            p_next,
            flags,
            (count, p_regions),
        )?;
        let img = self.image(image, &side.vuid(side.image, "parameter"))?;
        let memcpy = flags.contains(vk::HostImageCopyFlagsEXT::MEMCPY);
        let checked = self.check_memory_copy(
            side,
            &call.rules,
            &img,
            call.region_type,
            &regions(),
            memcpy,
        )?;
        let disjoint = side.vuid("pRegions", call.rules.disjoint);
        if call.to_image {
            let boxes: Vec<_> = checked.iter().map(|r| r.image).collect();
            check_disjoint(&boxes, disjoint)?;
        } else {
            let spans: Vec<_> = checked.iter().map(|r| r.host).collect();
            check_spans_disjoint(&spans, disjoint)?;
        }
        let (member, [current, in_list]) = call.layout;
        LayoutRules {
            parameter: &side.vuid(member, "parameter"),
            in_list: &side.vuid(member, in_list),
            current: &side.vuid(member, current),
        }
        .check(
            &img,
            layout,
            checked.iter().flat_map(|r| r.image.subresources()),
        )?;
        self.run_memory_copy(&img, &checked, memcpy, call.to_image)
    }

    /// `vkCopyMemoryToImage`.
    ///
    /// # Safety
    /// `info` is a valid structure whose regions' host pointers hold the
    /// memory their rows and slices address.
    pub unsafe fn copy_memory_to_image(&self, info: &vk::CopyMemoryToImageInfoEXT) -> VkResult<()> {
        self.memory_copy(
            &MEMORY_TO_IMAGE,
            (info.s_type, info.p_next, info.flags),
            (info.dst_image, info.dst_image_layout),
            (info.region_count, info.p_regions.cast()),
            || {
                let given = std::slice::from_raw_parts(info.p_regions, info.region_count as usize);
                given.iter().map(|r| any_memory_copy!(r)).collect()
            },
        )
    }

    /// `vkCopyImageToMemory`.
    ///
    /// # Safety
    /// `info` is a valid structure whose regions' host pointers hold the
    /// memory their rows and slices address.
    pub unsafe fn copy_image_to_memory(&self, info: &vk::CopyImageToMemoryInfoEXT) -> VkResult<()> {
        self.memory_copy(
            &IMAGE_TO_MEMORY,
            (info.s_type, info.p_next, info.flags),
            (info.src_image, info.src_image_layout),
            (info.region_count, info.p_regions.cast()),
            || {
                let given = std::slice::from_raw_parts(info.p_regions, info.region_count as usize);
                given.iter().map(|r| any_memory_copy!(r)).collect()
            },
        )
    }

    /// `vkCopyImageToImage`: between two images created with identical
    /// parameters (or within one); through a bounce in card memory when the
    /// two images share bytes of device memory.
    ///
    /// # Safety
    /// `info` is a valid structure.
    pub unsafe fn copy_image_to_image(&self, info: &vk::CopyImageToImageInfoEXT) -> VkResult<()> {
        let (s, d) = (&IMAGE_SRC, &IMAGE_DST);
        check_header(
            s.info,
            (info.s_type, vk::StructureType::COPY_IMAGE_TO_IMAGE_INFO_EXT),
            info.p_next,
            info.flags,
            (info.region_count, info.p_regions.cast()),
        )?;
        let src = self.image(info.src_image, &s.vuid("srcImage", "parameter"))?;
        let dst = self.image(info.dst_image, &d.vuid("dstImage", "parameter"))?;
        check_image(s, &src)?;
        check_image(d, &dst)?;
        rule(
            src.created == dst.created,
            s.vuid("srcImage", "09069"),
            || format!("created with {:?} and {:?}", src.created, dst.created),
        )?;
        let memcpy = info.flags.contains(vk::HostImageCopyFlagsEXT::MEMCPY);
        let regions = std::slice::from_raw_parts(info.p_regions, info.region_count as usize);
        let mut pairs = Vec::new();
        for r in regions {
            check_region_header(
                "VkImageCopy2",
                (r.s_type, vk::StructureType::IMAGE_COPY_2),
                r.p_next,
            )?;
            let from = image_boxes(s, &src, &r.src_subresource, r.src_offset, r.extent, memcpy)?;
            let to = image_boxes(d, &dst, &r.dst_subresource, r.dst_offset, r.extent, memcpy)?;
            // Identical formats: the same aspects, and as many layers, on
            // both sides (the device copy's rules; the host copy states
            // none, and no other reading copies anything).
            let same = from.len() == to.len()
                && from
                    .iter()
                    .zip(&to)
                    .all(|(a, b)| a.plane == b.plane && a.layers == b.layers);
            if !same {
                return Err(VkError::failed(
                    vk::Result::ERROR_VALIDATION_FAILED_EXT,
                    format!(
                        "source {:?} and destination {:?} name different aspects or layer counts",
                        r.src_subresource, r.dst_subresource
                    ),
                ));
            }
            pairs.extend(from.into_iter().zip(to));
        }
        let dst_boxes: Vec<_> = pairs.iter().map(|p| p.1).collect();
        check_disjoint(&dst_boxes, s.vuid("pRegions", "12477"))?;
        let same_image = std::ptr::eq(&*src, &*dst);
        if same_image {
            if let Some((a, b)) = pairs
                .iter()
                .flat_map(|(a, _)| dst_boxes.iter().map(move |b| (a, b)))
                .find(|(a, b)| a.overlaps(b))
            {
                return Err(VkError::invalid(
                    s.vuid("pRegions", "12476"),
                    format!("source {a:?} overlaps destination {b:?}"),
                ));
            }
        }
        LayoutRules {
            parameter: &s.vuid("srcImageLayout", "parameter"),
            in_list: &s.vuid("srcImageLayout", "09072"),
            current: &s.vuid("srcImageLayout", "09070"),
        }
        .check(
            &src,
            info.src_image_layout,
            pairs.iter().flat_map(|p| p.0.subresources()),
        )?;
        LayoutRules {
            parameter: &d.vuid("dstImageLayout", "parameter"),
            in_list: &d.vuid("dstImageLayout", "09073"),
            current: &d.vuid("dstImageLayout", "09071"),
        }
        .check(
            &dst,
            info.dst_image_layout,
            pairs.iter().flat_map(|p| p.1.subresources()),
        )?;
        let (sa, da) = (src.address().unwrap(), dst.address().unwrap());
        // The card refuses a command whose source and destination spans
        // share bytes: images sharing memory go through a bounce.
        let shared = sa < da + dst.size && da < sa + src.size;
        let boxes: Vec<_> = pairs
            .iter()
            .map(|(a, b)| {
                let (from, size) = image_region(&src, sa, a, memcpy);
                let (to, _) = image_region(&dst, da, b, memcpy);
                (from, to, size)
            })
            .collect();
        if shared && !same_image {
            // Two images bound to the same memory: the boxes themselves
            // must not share a byte.
            let from: Vec<_> = boxes.iter().map(|b| (b.0, b.2)).collect();
            let to: Vec<_> = boxes.iter().map(|b| (b.1, b.2)).collect();
            if let Some(at) = first_shared(&byte_runs(&from), &byte_runs(&to)) {
                return Err(VkError::invalid(
                    s.vuid("pRegions", "12476"),
                    format!("card byte {at:#x} is in a source and a destination region (the images share memory)"),
                ));
            }
        }
        let mut plans = Vec::with_capacity(boxes.len());
        for (from, to, size) in boxes {
            plans.push(BoxCopy::plan(&self.card, from, to, size, shared).map_err(VkError::device)?);
        }
        if shared {
            for p in &plans {
                p.run(&self.card).map_err(VkError::device)?;
            }
            Ok(())
        } else {
            let copies: Vec<_> = plans
                .iter()
                .flat_map(|p| p.copies.iter().copied())
                .collect();
            self.card.run(&copies).map_err(VkError::device)
        }
    }
}
