//! The tiledma card, simulated.
//!
//! `build.rs` generates the copy engine's Verilog (every supported bus width)
//! and the card top's from `tiledma-hdl`, verilates them (the card with
//! PicoRV32's Verilog from PyPI) and links them with small C ABI harnesses.
//! This crate wraps that in Rust:
//!
//! - [`model`]: the [`EngineModel`](model::EngineModel) trait and the
//!   Verilated engine ([`VerilatedEngine`](model::VerilatedEngine)), with
//!   optional VCD waveform dumps;
//! - [`native`]: the same engine in rust-hdl's own simulator;
//! - [`memory`]: sparse memory behind an AXI4 slave with read latency,
//!   seeded random back-pressure and injectable bus errors;
//! - [`card`]: the whole card top (PicoRV32, firmware RAM, registers,
//!   engine) in its own thread behind BAR0, an IOMMU and an interrupt;
//! - [`board`]: the ECP5 board top (card, on-chip memory, UART bridge) seen
//!   from its serial pins;
//! - [`bench`](mod@bench): the engine's cycle loop: descriptors in, statuses and counters out;
//! - [`reference`](mod@reference): the pure-Rust oracle of a descriptor's effect;
//! - [`lockstep`]: runs two models on the same inputs and compares them;
//! - [`vfio_user_server`] and [`pci_config`]: the card as a vfio-user PCI
//!   device that a VM's kernel drives through vfio-pci (`tiledma-sim serve`).

pub mod bench;
pub mod board;
pub mod card;
pub mod card_trace;
pub mod ffi;
pub mod lockstep;
pub mod memory;
pub mod model;
pub mod native;
pub mod pci_config;
pub mod reference;
pub mod vfio_user_server;

/// Directory holding the generated Verilog (`tiledma_copy_engine_w*.v`).
pub const VERILOG_DIR: &str = env!("TILEDMA_VERILOG_DIR");
