//! `origin` and `region` of an image command: the rules of the reference
//! pages (clEnqueueCopyImageToBuffer, clEnqueueMapImage, and the read,
//! write, copy and fill pages that share them), checked once.
//!
//! - 1D and 1D image buffer: `origin[1]`, `origin[2]` are 0 and
//!   `region[1]`, `region[2]` are 1.
//! - 1D array: `origin[1]` is the layer, `origin[2]` is 0, `region[1]` the
//!   number of layers, `region[2]` is 1.
//! - 2D: `origin[2]` is 0 and `region[2]` is 1.
//! - 2D array: `origin[2]` is the layer, `region[2]` the number of layers.
//! - 3D: all three are coordinates.
//! - No `region` value is 0; the box lies inside the image (at its level).
//!
//! Mip levels (`cl_khr_mipmap_image`): for an image with more than one level
//! the level is the first `origin` element the type does not use as a
//! coordinate — `origin[1]` (1D), `origin[2]` (1D array and 2D), `origin[3]`
//! (2D array and 3D). The reference pages say `origin[3]` for 2D images; the
//! extension specification and the design notes say `origin[2]`, which is
//! the only reading under which a 2D `origin[3]` can be passed at all. An
//! image with one level takes level 0 and the usual "must be 0" rule applies
//! to that element. A level at or past the image's count is
//! `CL_INVALID_MIP_LEVEL`.

use opencl_sys::{cl_int, CL_INVALID_MIP_LEVEL, CL_INVALID_VALUE};

/// The image types of OpenCL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageType {
    /// `CL_MEM_OBJECT_IMAGE1D`.
    D1,
    /// `CL_MEM_OBJECT_IMAGE1D_BUFFER`.
    D1Buffer,
    /// `CL_MEM_OBJECT_IMAGE1D_ARRAY`.
    D1Array,
    /// `CL_MEM_OBJECT_IMAGE2D`.
    D2,
    /// `CL_MEM_OBJECT_IMAGE2D_ARRAY`.
    D2Array,
    /// `CL_MEM_OBJECT_IMAGE3D`.
    D3,
}

impl ImageType {
    /// How many `origin` elements are coordinates (x, then y/layer, then z/layer).
    fn coordinates(self) -> usize {
        match self {
            ImageType::D1 | ImageType::D1Buffer => 1,
            ImageType::D1Array | ImageType::D2 => 2,
            ImageType::D2Array | ImageType::D3 => 3,
        }
    }
}

/// An image's size as created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageDims {
    /// Type.
    pub ty: ImageType,
    /// Width in pixels.
    pub width: u64,
    /// Height in pixels (1 for 1D types).
    pub height: u64,
    /// Depth in pixels (1 unless 3D).
    pub depth: u64,
    /// Array size (1 unless an array).
    pub array_size: u64,
    /// Mip levels (at least 1).
    pub mip_levels: u32,
    /// Bytes per pixel.
    pub element_size: u64,
}

impl ImageDims {
    /// Size of level `level` in the type's coordinates: x, then y or layers,
    /// then z or layers.
    pub fn level_extent(&self, level: u32) -> [u64; 3] {
        let m = |d: u64| (d >> level).max(1);
        match self.ty {
            ImageType::D1 | ImageType::D1Buffer => [m(self.width), 1, 1],
            ImageType::D1Array => [m(self.width), self.array_size, 1],
            ImageType::D2 => [m(self.width), m(self.height), 1],
            ImageType::D2Array => [m(self.width), m(self.height), self.array_size],
            ImageType::D3 => [m(self.width), m(self.height), m(self.depth)],
        }
    }
}

/// A checked box: its mip level, origin and size in the type's coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageBox {
    /// Mip level.
    pub level: u32,
    /// Origin (x, y or layer, z or layer).
    pub origin: [u64; 3],
    /// Size.
    pub region: [u64; 3],
}

impl ImageBox {
    /// Bytes of the box packed tightly (the pages' `dst_cb` / `src_cb`).
    pub fn bytes(&self, element_size: u64) -> u64 {
        self.region.iter().product::<u64>() * element_size
    }
}

/// Checks `origin` (3 elements, or 4 when a mip level rides in `origin[3]`)
/// and `region` for `image`: `CL_INVALID_VALUE` or `CL_INVALID_MIP_LEVEL`.
pub fn check_box(
    image: &ImageDims,
    origin: &[usize],
    region: &[usize; 3],
) -> Result<ImageBox, cl_int> {
    if origin.len() < 3 || origin.len() > 4 {
        return Err(CL_INVALID_VALUE);
    }
    let n = image.ty.coordinates();
    let mipmapped = image.mip_levels > 1;
    // The element after the coordinates holds the level of a mipmapped image.
    let level_at = n;
    let level = if mipmapped {
        *origin.get(level_at).unwrap_or(&0) as u64
    } else {
        0
    };
    // Elements past the coordinates (and past the level) must be 0; region
    // elements past the coordinates must be 1.
    for (i, &o) in origin.iter().enumerate().skip(n) {
        if !(mipmapped && i == level_at) && o != 0 {
            return Err(CL_INVALID_VALUE);
        }
    }
    if region.iter().skip(n).any(|&r| r != 1) || region.contains(&0) {
        return Err(CL_INVALID_VALUE);
    }
    if level >= image.mip_levels as u64 {
        return Err(CL_INVALID_MIP_LEVEL);
    }
    let level = level as u32;
    let extent = image.level_extent(level);
    // Only the coordinates are positions; the rest were checked above.
    let o: [u64; 3] = core::array::from_fn(|i| if i < n { origin[i] as u64 } else { 0 });
    let r: [u64; 3] = core::array::from_fn(|i| region[i] as u64);
    for i in 0..3 {
        let end = o[i].checked_add(r[i]).ok_or(CL_INVALID_VALUE)?;
        if end > extent[i] {
            return Err(CL_INVALID_VALUE);
        }
    }
    Ok(ImageBox {
        level,
        origin: o,
        region: r,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(ty: ImageType, w: u64, h: u64, d: u64, a: u64, levels: u32) -> ImageDims {
        ImageDims {
            ty,
            width: w,
            height: h,
            depth: d,
            array_size: a,
            mip_levels: levels,
            element_size: 4,
        }
    }

    const INVALID: Result<ImageBox, cl_int> = Err(CL_INVALID_VALUE);

    /// "If src_image is a 2D image object, src_origin[2] must be 0 ...
    /// region[2] must be 1."
    #[test]
    fn image_2d_rules() {
        let img = dims(ImageType::D2, 64, 32, 1, 1, 1);
        assert!(check_box(&img, &[1, 2, 0], &[3, 4, 1]).is_ok());
        assert_eq!(check_box(&img, &[1, 2, 1], &[3, 4, 1]), INVALID);
        assert_eq!(check_box(&img, &[1, 2, 0], &[3, 4, 2]), INVALID);
    }

    /// "If src_image is a 1D image or 1D image buffer object, src_origin[1]
    /// and src_origin[2] must be 0 ... region[1] and region[2] must be 1."
    #[test]
    fn image_1d_rules() {
        for ty in [ImageType::D1, ImageType::D1Buffer] {
            let img = dims(ty, 64, 1, 1, 1, 1);
            assert!(check_box(&img, &[5, 0, 0], &[7, 1, 1]).is_ok());
            assert_eq!(check_box(&img, &[5, 1, 0], &[7, 1, 1]), INVALID);
            assert_eq!(check_box(&img, &[5, 0, 1], &[7, 1, 1]), INVALID);
            assert_eq!(check_box(&img, &[5, 0, 0], &[7, 2, 1]), INVALID);
            assert_eq!(check_box(&img, &[5, 0, 0], &[7, 1, 2]), INVALID);
        }
    }

    /// "If src_image is a 1D image array object, src_origin[2] must be 0 ...
    /// src_origin[1] describes the image index ... region[2] must be 1."
    #[test]
    fn image_1d_array_rules() {
        let img = dims(ImageType::D1Array, 64, 1, 1, 6, 1);
        assert!(check_box(&img, &[0, 5, 0], &[64, 1, 1]).is_ok());
        assert_eq!(
            check_box(&img, &[0, 6, 0], &[64, 1, 1]),
            INVALID,
            "layer 6 of 6"
        );
        assert_eq!(check_box(&img, &[0, 1, 1], &[64, 1, 1]), INVALID);
        assert_eq!(check_box(&img, &[0, 1, 0], &[64, 1, 2]), INVALID);
    }

    /// "If src_image is a 2D image array object, src_origin[2] describes the
    /// image index"; 3D images use all three as coordinates.
    #[test]
    fn image_2d_array_and_3d() {
        let arr = dims(ImageType::D2Array, 16, 16, 1, 4, 1);
        assert!(check_box(&arr, &[0, 0, 3], &[16, 16, 1]).is_ok());
        assert_eq!(check_box(&arr, &[0, 0, 3], &[16, 16, 2]), INVALID);
        let vol = dims(ImageType::D3, 16, 8, 5, 1, 1);
        assert!(check_box(&vol, &[1, 1, 1], &[15, 7, 4]).is_ok());
        assert_eq!(check_box(&vol, &[1, 1, 2], &[15, 7, 4]), INVALID);
    }

    /// "The values in region cannot be 0"; the box must lie inside the image.
    #[test]
    fn zero_region_and_outside() {
        let img = dims(ImageType::D2, 64, 32, 1, 1, 1);
        assert_eq!(check_box(&img, &[0, 0, 0], &[0, 1, 1]), INVALID);
        assert_eq!(check_box(&img, &[0, 0, 0], &[1, 0, 1]), INVALID);
        assert_eq!(check_box(&img, &[60, 0, 0], &[5, 1, 1]), INVALID);
        assert_eq!(check_box(&img, &[0, 31, 0], &[1, 2, 1]), INVALID);
        assert_eq!(check_box(&img, &[usize::MAX, 0, 0], &[2, 1, 1]), INVALID);
    }

    /// Mip levels: the element after the coordinates; levels shrink x/y/z
    /// but not array layers; a level past the count is CL_INVALID_MIP_LEVEL.
    #[test]
    fn mip_levels_in_origin() {
        let d1 = dims(ImageType::D1, 64, 1, 1, 1, 3);
        assert_eq!(check_box(&d1, &[0, 2, 0], &[16, 1, 1]).unwrap().level, 2);
        assert_eq!(
            check_box(&d1, &[0, 2, 0], &[17, 1, 1]),
            INVALID,
            "level 2 is 16 wide"
        );
        assert_eq!(
            check_box(&d1, &[0, 3, 0], &[1, 1, 1]),
            Err(CL_INVALID_MIP_LEVEL)
        );
        let a1 = dims(ImageType::D1Array, 64, 1, 1, 5, 2);
        let b = check_box(&a1, &[0, 4, 1], &[32, 1, 1]).unwrap();
        assert_eq!((b.level, b.origin), (1, [0, 4, 0]), "layers do not shrink");
        let d2 = dims(ImageType::D2, 64, 32, 1, 1, 4);
        assert_eq!(check_box(&d2, &[0, 0, 3], &[8, 4, 1]).unwrap().level, 3);
        assert_eq!(
            check_box(&d2, &[0, 0, 4], &[1, 1, 1]),
            Err(CL_INVALID_MIP_LEVEL)
        );
        let a2 = dims(ImageType::D2Array, 64, 32, 1, 3, 2);
        assert_eq!(
            check_box(&a2, &[0, 0, 2, 1], &[32, 16, 1]).unwrap().level,
            1
        );
        assert_eq!(check_box(&a2, &[0, 0, 2, 1], &[33, 16, 1]), INVALID);
        let d3 = dims(ImageType::D3, 64, 32, 16, 1, 5);
        assert_eq!(check_box(&d3, &[0, 0, 0, 4], &[4, 2, 1]).unwrap().level, 4);
        assert_eq!(
            check_box(&d3, &[0, 0, 0, 5], &[1, 1, 1]),
            Err(CL_INVALID_MIP_LEVEL)
        );
        // Without mip levels a fourth element must be 0.
        let flat = dims(ImageType::D3, 8, 8, 8, 1, 1);
        assert_eq!(check_box(&flat, &[0, 0, 0, 1], &[1, 1, 1]), INVALID);
    }

    #[test]
    fn packed_bytes() {
        let img = dims(ImageType::D2Array, 64, 32, 1, 4, 1);
        let b = check_box(&img, &[0, 0, 1], &[10, 3, 2]).unwrap();
        assert_eq!(b.bytes(img.element_size), 10 * 3 * 2 * 4);
    }
}
