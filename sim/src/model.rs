//! An engine model the bench can clock: the Verilated engine, or rust-hdl's
//! native simulation of the same blocks (see [`crate::native`]).

use crate::ffi::{self, EngineInputs, EngineOutputs};
use std::ffi::{c_void, CString};
use std::path::Path;

/// One clocked engine. Each cycle the bench calls [`settle`](Self::settle)
/// (inputs applied with the clock low, combinational outputs returned) and
/// then [`clock_edge`](Self::clock_edge) (rising edge, same inputs).
pub trait EngineModel {
    /// Bytes per data beat.
    fn beat_bytes(&self) -> usize;
    /// Applies `inputs` with the clock low and returns the settled outputs.
    fn settle(&mut self, inputs: &EngineInputs) -> EngineOutputs;
    /// Rising clock edge with the inputs of the last `settle`.
    fn clock_edge(&mut self);
}

/// The entry points of one Verilated width.
struct Abi {
    new: unsafe extern "C" fn() -> *mut c_void,
    free: unsafe extern "C" fn(*mut c_void),
    eval: unsafe extern "C" fn(*mut c_void, *const EngineInputs, *mut EngineOutputs),
    trace_open: unsafe extern "C" fn(*mut c_void, *const std::ffi::c_char) -> std::ffi::c_int,
    trace_dump: unsafe extern "C" fn(*mut c_void, u64),
}

const ABI_W8: Abi = Abi {
    new: ffi::tdm_engine_w8_new,
    free: ffi::tdm_engine_w8_free,
    eval: ffi::tdm_engine_w8_eval,
    trace_open: ffi::tdm_engine_w8_trace_open,
    trace_dump: ffi::tdm_engine_w8_trace_dump,
};
const ABI_W64: Abi = Abi {
    new: ffi::tdm_engine_w64_new,
    free: ffi::tdm_engine_w64_free,
    eval: ffi::tdm_engine_w64_eval,
    trace_open: ffi::tdm_engine_w64_trace_open,
    trace_dump: ffi::tdm_engine_w64_trace_dump,
};

/// The engine's generated Verilog, compiled by Verilator.
pub struct VerilatedEngine {
    handle: *mut c_void,
    abi: &'static Abi,
    beat_bytes: usize,
    inputs: EngineInputs,
    /// Half-cycle count, the VCD timestamp.
    time: u64,
    tracing: bool,
}

// The handle is owned exclusively; Verilator models may move between threads.
unsafe impl Send for VerilatedEngine {}

impl VerilatedEngine {
    /// A new engine for `beat_bytes` bytes per beat (8 or 64), in its
    /// power-on state (call the bench's reset before use).
    pub fn new(beat_bytes: usize) -> Self {
        let abi: &'static Abi = match beat_bytes {
            8 => &ABI_W8,
            64 => &ABI_W64,
            _ => panic!("no Verilated engine for {beat_bytes} bytes per beat"),
        };
        // SAFETY: the harness allocates and owns the model until `free`.
        let handle = unsafe { (abi.new)() };
        assert!(!handle.is_null());
        Self {
            handle,
            abi,
            beat_bytes,
            inputs: EngineInputs::default(),
            time: 0,
            tracing: false,
        }
    }

    /// Dumps every signal to a VCD file from now on.
    pub fn trace_to(&mut self, path: &Path) -> std::io::Result<()> {
        let c = CString::new(path.as_os_str().as_encoded_bytes()).map_err(std::io::Error::other)?;
        // SAFETY: valid handle and NUL-terminated path.
        let rc = unsafe { (self.abi.trace_open)(self.handle, c.as_ptr()) };
        if rc != 0 {
            return Err(std::io::Error::other(format!(
                "cannot open VCD {}",
                path.display()
            )));
        }
        self.tracing = true;
        Ok(())
    }

    fn eval(&mut self) -> EngineOutputs {
        let mut out = EngineOutputs::default();
        // SAFETY: valid handle; both structs match the C++ layout.
        unsafe { (self.abi.eval)(self.handle, &self.inputs, &mut out) };
        if self.tracing {
            unsafe { (self.abi.trace_dump)(self.handle, self.time) };
        }
        self.time += 1;
        out
    }
}

impl EngineModel for VerilatedEngine {
    fn beat_bytes(&self) -> usize {
        self.beat_bytes
    }

    fn settle(&mut self, inputs: &EngineInputs) -> EngineOutputs {
        self.inputs = *inputs;
        self.inputs.clock = 0;
        self.eval()
    }

    fn clock_edge(&mut self) {
        self.inputs.clock = 1;
        self.eval();
    }
}

impl Drop for VerilatedEngine {
    fn drop(&mut self) {
        // SAFETY: handle came from `new` and is freed once.
        unsafe { (self.abi.free)(self.handle) };
    }
}
