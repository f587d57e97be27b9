//! The C ABI of `csrc/harness.cpp`: port structs (field for field the same
//! as the C++ ones) and the per-width entry points.

use std::ffi::{c_char, c_int, c_void};

/// Every input port of the engine. Wide data is little-endian `u64` words.
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
    pub stat_ready: u8,
    pub m_ar_ready: u8,
    pub m_r_valid: u8,
    pub m_r_resp: u8,
    pub m_r_data: [u64; 8],
    pub m_aw_ready: u8,
    pub m_w_ready: u8,
    pub m_b_valid: u8,
    pub m_b_resp: u8,
}

/// Every output port of the engine.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineOutputs {
    pub desc_ready: u8,
    pub stat_valid: u8,
    pub stat_error: u8,
    pub stat_tag: u16,
    pub m_ar_valid: u8,
    pub m_ar_len: u8,
    pub m_ar_addr: u64,
    pub m_r_ready: u8,
    pub m_aw_valid: u8,
    pub m_aw_len: u8,
    pub m_aw_addr: u64,
    pub m_w_valid: u8,
    pub m_w_last: u8,
    pub m_w_strb: u64,
    pub m_w_data: [u64; 8],
    pub m_b_ready: u8,
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
