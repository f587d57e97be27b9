//! OpenCL semantics on the card (issue 5, in progress).
//!
//! So far: the argument rules every image command shares — which parts of
//! `origin` and `region` an image type uses, where `cl_khr_mipmap_image` puts
//! the mip level, what lies inside the image, and how many bytes a box is
//! ([`image_box`]); map flags, host-access flags and the rule that write
//! maps of one storage never overlap ([`map`]). Error codes are OpenCL's
//! own (`opencl-sys`).

pub mod image_box;
pub mod map;

pub use image_box::{check_box, ImageBox, ImageDims, ImageType};
pub use map::{check_host_access, check_map_flags, MapAccess, MapTracker};
