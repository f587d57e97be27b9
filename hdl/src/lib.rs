//! tiledma hardware, written in rust-hdl.
//!
//! - [`engine`]: the copy engine: 3D region copies between two memory
//!   regions, byte-granular, over an AXI4-style master port.
//! - [`card`]: the card top: PicoRV32 soft core (black box), firmware RAM,
//!   register block (BAR0), the CPU's engine port and bridge, the engine.
//! - [`board`]: the card on an ECP5 board: on-chip memory behind its master
//!   ports and a UART bridge in place of PCIe.
//! - [`verilog`]: Verilog generation with stable module names, used by the
//!   simulator build and the board flows.
#![deny(missing_docs)]
// rust-hdl's hdl_gen has no match guards: state machines nest an `if` in an arm.
#![allow(clippy::collapsible_match)]

pub mod board;
pub mod card;
pub mod engine;
pub mod fifo;
pub mod verilog;
