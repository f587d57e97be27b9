//! Image formats the card supports, their element sizes, and how a fill
//! colour becomes an element's bytes.
//!
//! The card moves bytes and never interprets texels, so any format of
//! 1–16 bytes could be supported; the list below is what OpenCL 1.2's
//! minimum set asks for (plus RG), all of whose elements are 1, 2, 4, 8 or
//! 16 bytes.

use opencl_sys::{
    cl_channel_order, cl_channel_type, cl_image_format, CL_BGRA, CL_FLOAT, CL_HALF_FLOAT, CL_R,
    CL_RG, CL_RGBA, CL_SIGNED_INT16, CL_SIGNED_INT32, CL_SIGNED_INT8, CL_SNORM_INT16,
    CL_SNORM_INT8, CL_UNORM_INT16, CL_UNORM_INT8, CL_UNSIGNED_INT16, CL_UNSIGNED_INT32,
    CL_UNSIGNED_INT8,
};

const ORDERS: [cl_channel_order; 3] = [CL_R, CL_RG, CL_RGBA];
const TYPES: [cl_channel_type; 12] = [
    CL_UNORM_INT8,
    CL_UNORM_INT16,
    CL_SNORM_INT8,
    CL_SNORM_INT16,
    CL_SIGNED_INT8,
    CL_SIGNED_INT16,
    CL_SIGNED_INT32,
    CL_UNSIGNED_INT8,
    CL_UNSIGNED_INT16,
    CL_UNSIGNED_INT32,
    CL_HALF_FLOAT,
    CL_FLOAT,
];

/// Every supported format (`clGetSupportedImageFormats`): R, RG and RGBA
/// with every channel type above, and BGRA with `CL_UNORM_INT8`.
pub fn supported_formats() -> Vec<cl_image_format> {
    let mut v: Vec<_> = ORDERS
        .iter()
        .flat_map(|&o| {
            TYPES.iter().map(move |&t| cl_image_format {
                image_channel_order: o,
                image_channel_data_type: t,
            })
        })
        .collect();
    v.push(cl_image_format {
        image_channel_order: CL_BGRA,
        image_channel_data_type: CL_UNORM_INT8,
    });
    v
}

fn channels(order: cl_channel_order) -> Option<usize> {
    Some(match order {
        CL_R => 1,
        CL_RG => 2,
        CL_RGBA | CL_BGRA => 4,
        _ => return None,
    })
}

fn channel_bytes(ty: cl_channel_type) -> Option<usize> {
    Some(match ty {
        CL_UNORM_INT8 | CL_SNORM_INT8 | CL_SIGNED_INT8 | CL_UNSIGNED_INT8 => 1,
        CL_UNORM_INT16 | CL_SNORM_INT16 | CL_SIGNED_INT16 | CL_UNSIGNED_INT16 | CL_HALF_FLOAT => 2,
        CL_SIGNED_INT32 | CL_UNSIGNED_INT32 | CL_FLOAT => 4,
        _ => return None,
    })
}

/// Whether the format is one the card supports.
pub fn is_supported(f: &cl_image_format) -> bool {
    supported_formats().iter().any(|s| {
        s.image_channel_order == f.image_channel_order
            && s.image_channel_data_type == f.image_channel_data_type
    })
}

/// Whether the format's values are OpenCL enums at all (an unknown value is
/// `CL_INVALID_IMAGE_FORMAT_DESCRIPTOR`; a known but unsupported one is
/// `CL_IMAGE_FORMAT_NOT_SUPPORTED`).
pub fn is_known(f: &cl_image_format) -> bool {
    (0x10B0..=0x10C0).contains(&f.image_channel_order)
        && (0x10D0..=0x10E0).contains(&f.image_channel_data_type)
}

/// Bytes per element of a supported format.
pub fn element_size(f: &cl_image_format) -> Option<u64> {
    Some((channels(f.image_channel_order)? * channel_bytes(f.image_channel_data_type)?) as u64)
}

/// The element a fill colour (`float[4]`, `int[4]` or `uint[4]` as the
/// channel type asks, in native byte order) becomes: each channel
/// converted (normalised types round to nearest, integer types saturate)
/// and placed in the order's channel order.
pub fn pack_fill_color(f: &cl_image_format, color: &[u8; 16]) -> Option<Vec<u8>> {
    let word = |i: usize| u32::from_ne_bytes(color[4 * i..4 * i + 4].try_into().unwrap());
    let order: &[usize] = match f.image_channel_order {
        CL_R => &[0],
        CL_RG => &[0, 1],
        CL_RGBA => &[0, 1, 2, 3],
        CL_BGRA => &[2, 1, 0, 3],
        _ => return None,
    };
    let mut out = Vec::new();
    for &c in order {
        let w = word(c);
        let (fv, iv, uv) = (f32::from_bits(w), w as i32 as i64, w as u64);
        let norm = |v: f32, lo: f32, scale: f32| (v.clamp(lo, 1.0) * scale).round_ties_even();
        match f.image_channel_data_type {
            CL_UNORM_INT8 => out.push(norm(fv, 0.0, 255.0) as u8),
            CL_SNORM_INT8 => out.push(norm(fv, -1.0, 127.0) as i8 as u8),
            CL_UNORM_INT16 => out.extend((norm(fv, 0.0, 65535.0) as u16).to_ne_bytes()),
            CL_SNORM_INT16 => out.extend((norm(fv, -1.0, 32767.0) as i16).to_ne_bytes()),
            CL_SIGNED_INT8 => out.push(iv.clamp(-128, 127) as i8 as u8),
            CL_SIGNED_INT16 => out.extend((iv.clamp(-32768, 32767) as i16).to_ne_bytes()),
            CL_SIGNED_INT32 => out.extend((iv as i32).to_ne_bytes()),
            CL_UNSIGNED_INT8 => out.push(uv.min(255) as u8),
            CL_UNSIGNED_INT16 => out.extend((uv.min(65535) as u16).to_ne_bytes()),
            CL_UNSIGNED_INT32 => out.extend((uv as u32).to_ne_bytes()),
            CL_HALF_FLOAT => out.extend(f32_to_f16(fv).to_ne_bytes()),
            CL_FLOAT => out.extend(w.to_ne_bytes()),
            _ => return None,
        }
    }
    Some(out)
}

/// IEEE binary32 → binary16, rounding to nearest even.
pub fn f32_to_f16(v: f32) -> u16 {
    let b = v.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32;
    let man = b & 0x7f_ffff;
    if exp == 0xff {
        // Infinity stays infinity; NaN stays a (quiet) NaN.
        return sign | 0x7c00 | if man != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    // Shift the 24-bit significand (with its hidden bit) down to 10 bits,
    // or further for subnormal results, rounding to nearest even.
    let (sig, shift) = if e <= 0 {
        if e < -10 {
            return sign;
        }
        (man | 0x80_0000, (14 - e) as u32)
    } else {
        (man | 0x80_0000, 13)
    };
    let mut h = sig >> shift;
    let rest = sig & ((1 << shift) - 1);
    let half = 1 << (shift - 1);
    if rest > half || (rest == half && h & 1 == 1) {
        h += 1;
    }
    // For normals, h includes the hidden bit (0x400): adding the biased
    // exponent minus one carries correctly into the exponent on rounding.
    let e = if e <= 0 { 0 } else { e as u32 - 1 };
    sign | ((e << 10) + h) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_sizes() {
        for f in supported_formats() {
            let e = element_size(&f).unwrap();
            assert!([1, 2, 4, 8, 16].contains(&e), "{f:?}");
            assert!(is_known(&f) && is_supported(&f));
        }
    }

    #[test]
    fn half_floats() {
        for (v, h) in [
            (0.0f32, 0x0000u16),
            (1.0, 0x3c00),
            (-2.0, 0xc000),
            (0.5, 0x3800),
            (65504.0, 0x7bff),
            (65520.0, 0x7c00),
            (6.1035156e-5, 0x0400),
            (5.9604645e-8, 0x0001),
            (1.0009766, 0x3c01),
            (f32::INFINITY, 0x7c00),
        ] {
            assert_eq!(f32_to_f16(v), h, "{v}");
        }
        assert_eq!(f32_to_f16(f32::NAN) & 0x7c00, 0x7c00);
    }

    #[test]
    fn fill_colours() {
        let c = |v: [f32; 4]| {
            let mut b = [0u8; 16];
            for (i, x) in v.iter().enumerate() {
                b[4 * i..4 * i + 4].copy_from_slice(&x.to_ne_bytes());
            }
            b
        };
        let f = |o, t| cl_image_format {
            image_channel_order: o,
            image_channel_data_type: t,
        };
        assert_eq!(
            pack_fill_color(&f(CL_BGRA, CL_UNORM_INT8), &c([1.0, 0.5, 0.0, 2.0])).unwrap(),
            vec![0, 128, 255, 255]
        );
        assert_eq!(
            pack_fill_color(&f(CL_R, CL_SNORM_INT8), &c([-1.0, 0.0, 0.0, 0.0])).unwrap(),
            vec![0x81]
        );
        let mut ints = [0u8; 16];
        ints[..4].copy_from_slice(&(-300i32).to_ne_bytes());
        ints[4..8].copy_from_slice(&300i32.to_ne_bytes());
        assert_eq!(
            pack_fill_color(&f(CL_RG, CL_SIGNED_INT8), &ints).unwrap(),
            vec![0x80, 0x7f]
        );
    }
}
