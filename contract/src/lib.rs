//! The tiledma wire contract: the one source of truth for every layout and
//! constant that crosses a boundary between the hardware (`hdl`), the firmware,
//! the host driver and the simulator.
//!
//! Everything here is `no_std` and dependency-free so the RISC-V firmware can
//! use it as is. Binary layouts are pinned with compile-time size asserts.
#![cfg_attr(not(test), no_std)]
#![deny(missing_docs)]

pub mod board;
pub mod bus;
pub mod command;
pub mod descriptor;
pub mod layout;
pub mod regs;
pub mod status;
pub mod surface;
pub mod tiling;
pub mod trace;

pub use command::{CommandRecord, CompletionRecord, CompletionStatus};
pub use descriptor::EngineDescriptor;
pub use layout::{Layout, Placement};
pub use status::{EngineError, EngineStatus};
