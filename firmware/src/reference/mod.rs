//! The checks and the splitter as they were before they were made fast
//! (firmware 1.0, kept verbatim): the fuzz target holds the firmware's
//! versions to exactly their results.
#![allow(dead_code, missing_docs)]

pub mod check;
pub mod side;
pub mod split;
