//! The C ABI of `csrc/harness.cpp`: port structs (field for field the same
//! as the C++ ones) and the per-width entry points.

use crate::memory::{MasterOut, SlaveOut};
use std::ffi::{c_char, c_int, c_void};

/// Every input port of the engine. Wide data is little-endian `u64` words;
/// the memory port is the same [`SlaveOut`]/[`MasterOut`] pair the card uses.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineInputs {
    pub clock: u8,
    pub reset: u8,
    pub desc_valid: u8,
    pub desc_src_addr: u64,
    pub desc_dst_addr: u64,
    pub desc_src_slice_pitch: u64,
    pub desc_dst_slice_pitch: u64,
    pub desc_src_row_pitch: u32,
    pub desc_dst_row_pitch: u32,
    pub desc_row_bytes: u32,
    pub desc_rows: u32,
    pub desc_slices: u32,
    pub desc_tag: u16,
    pub desc_layout: u32,
    pub stat_ready: u8,
    /// The memory port's slave-driven signals.
    pub m: SlaveOut,
}

/// Every output port of the engine.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineOutputs {
    pub desc_ready: u8,
    pub stat_valid: u8,
    pub stat_error: u8,
    pub stat_tag: u16,
    /// The memory port's master-driven signals.
    pub m: MasterOut,
    pub cnt_busy_cycles: u64,
    pub cnt_bytes: u64,
    pub cnt_descriptors: u64,
    pub cnt_stall_cycles: u64,
    pub idle: u8,
}

macro_rules! engine_abi {
    ($new:ident, $free:ident, $eval:ident, $trace_open:ident, $trace_dump:ident) => {
        extern "C" {
            pub fn $new() -> *mut c_void;
            pub fn $free(h: *mut c_void);
            pub fn $eval(h: *mut c_void, inputs: *const EngineInputs, outputs: *mut EngineOutputs);
            pub fn $trace_open(h: *mut c_void, path: *const c_char) -> c_int;
            pub fn $trace_dump(h: *mut c_void, time: u64);
        }
    };
}

engine_abi!(
    tdm_engine_w8_new,
    tdm_engine_w8_free,
    tdm_engine_w8_eval,
    tdm_engine_w8_trace_open,
    tdm_engine_w8_trace_dump
);
engine_abi!(
    tdm_engine_w64_new,
    tdm_engine_w64_free,
    tdm_engine_w64_eval,
    tdm_engine_w64_trace_open,
    tdm_engine_w64_trace_dump
);
