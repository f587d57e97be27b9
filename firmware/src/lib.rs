//! The tiledma command processor.
//!
//! It runs on the card's PicoRV32 and turns command records from a ring in
//! host memory into engine descriptors, then writes completion records and
//! raises the interrupt. Everything here is plain logic over the
//! [`hw::Hardware`] trait, so it is unit-tested on the host; `main.rs` binds
//! it to the card's registers.
#![cfg_attr(not(test), no_std)]
#![deny(missing_docs)]

pub mod check;
#[cfg(test)]
mod fake_card;
#[cfg(test)]
mod fuzz;
pub mod hw;
pub mod processor;
#[cfg(test)]
mod reference;
pub mod ring;
pub mod side;
pub mod split;

/// Firmware version reported in `FW_VERSION` (major << 16 | minor).
pub const FIRMWARE_VERSION: u32 = 0x0001_0000;
