//! Program objects on a device without a compiler: a program can be made
//! from source and queried, but building or compiling it fails with
//! `CL_COMPILER_NOT_AVAILABLE` and linking with `CL_LINKER_NOT_AVAILABLE`;
//! binaries are invalid, there is no IL and there are no built-in kernels,
//! so no kernel can ever be created (`CL_INVALID_PROGRAM_EXECUTABLE`).

use crate::args::{code, object};
use crate::info::{reply, Value};
use crate::local::{InContext, Registry};
use opencl_sys::*;
use std::ffi::{c_char, c_void, CStr};
use std::sync::Mutex;
use tiledma::cl::{self, Context, DeviceId};

pub struct Program {
    context: Context,
    devices: Vec<DeviceId>,
    source: String,
    /// `CL_PROGRAM_BUILD_STATUS` (`CL_BUILD_NONE` until a build was asked for).
    status: Mutex<cl_build_status>,
}

impl InContext for Program {
    fn context(&self) -> Context {
        self.context
    }
}

static PROGRAMS: Registry<Program> = Registry::new();

const BUILD_LOG: &str = "tiledma: the device has no compiler (CL_DEVICE_COMPILER_AVAILABLE is CL_FALSE); it runs no kernels";

fn program(p: cl_program) -> Result<std::sync::Arc<Program>, cl_int> {
    PROGRAMS.get(p).ok_or(CL_INVALID_PROGRAM)
}

/// A device list argument: NULL/0 means the program's devices; each must
/// be one of them.
unsafe fn check_devices(
    prog: &Program,
    num: cl_uint,
    list: *const cl_device_id,
) -> Result<(), cl_int> {
    if list.is_null() != (num == 0) {
        return Err(CL_INVALID_VALUE);
    }
    for i in 0..num as usize {
        if !prog.devices.contains(&DeviceId::from_raw(*list.add(i))) {
            return Err(CL_INVALID_DEVICE);
        }
    }
    Ok(())
}

pub unsafe extern "C" fn create_with_source(
    c: cl_context,
    count: cl_uint,
    strings: *mut *const c_char,
    lengths: *const usize,
    errcode_ret: *mut cl_int,
) -> cl_program {
    let r = (|| {
        let context = Context::from_raw(c);
        let devices = cl::context_devices(context)?;
        if count == 0 || strings.is_null() {
            return Err(CL_INVALID_VALUE);
        }
        let mut source = String::new();
        for i in 0..count as usize {
            let s = *strings.add(i);
            if s.is_null() {
                return Err(CL_INVALID_VALUE);
            }
            let len = if lengths.is_null() {
                0
            } else {
                *lengths.add(i)
            };
            let bytes = if len == 0 {
                CStr::from_ptr(s).to_bytes()
            } else {
                std::slice::from_raw_parts(s.cast::<u8>(), len)
            };
            source.push_str(&String::from_utf8_lossy(bytes));
        }
        Ok(PROGRAMS.create(Program {
            context,
            devices,
            source,
            status: Mutex::new(CL_BUILD_NONE),
        }))
    })();
    object(r, errcode_ret, std::ptr::null_mut())
}

/// Checks the context and a device list of a create call.
unsafe fn context_devices(
    c: cl_context,
    num: cl_uint,
    list: *const cl_device_id,
) -> Result<(), cl_int> {
    let devices = cl::context_devices(Context::from_raw(c))?;
    if list.is_null() || num == 0 {
        return Err(CL_INVALID_VALUE);
    }
    for i in 0..num as usize {
        if !devices.contains(&DeviceId::from_raw(*list.add(i))) {
            return Err(CL_INVALID_DEVICE);
        }
    }
    Ok(())
}

/// `clCreateProgramWithBinary`: no binary format exists for the device.
pub unsafe extern "C" fn create_with_binary(
    c: cl_context,
    num_devices: cl_uint,
    device_list: *const cl_device_id,
    lengths: *const usize,
    binaries: *mut *const u8,
    binary_status: *mut cl_int,
    errcode_ret: *mut cl_int,
) -> cl_program {
    let r = (|| {
        context_devices(c, num_devices, device_list)?;
        if lengths.is_null() || binaries.is_null() {
            return Err(CL_INVALID_VALUE);
        }
        for i in 0..num_devices as usize {
            if *lengths.add(i) == 0 || (*binaries.add(i)).is_null() {
                return Err(CL_INVALID_VALUE);
            }
        }
        if !binary_status.is_null() {
            for i in 0..num_devices as usize {
                *binary_status.add(i) = CL_INVALID_BINARY;
            }
        }
        Err(CL_INVALID_BINARY)
    })();
    object(r, errcode_ret, std::ptr::null_mut())
}

/// `clCreateProgramWithBuiltInKernels`: the device has none, so every name
/// is unsupported.
pub unsafe extern "C" fn create_with_built_in_kernels(
    c: cl_context,
    num_devices: cl_uint,
    device_list: *const cl_device_id,
    _kernel_names: *const c_char,
    errcode_ret: *mut cl_int,
) -> cl_program {
    let r = context_devices(c, num_devices, device_list).and(Err(CL_INVALID_VALUE));
    object(r, errcode_ret, std::ptr::null_mut())
}

/// `clCreateProgramWithIL`: no device of the context supports an IL.
pub unsafe extern "C" fn create_with_il(
    c: cl_context,
    il: *const c_void,
    length: usize,
    errcode_ret: *mut cl_int,
) -> cl_program {
    let r = cl::context_devices(Context::from_raw(c)).and_then(|_| {
        if il.is_null() || length == 0 {
            Err(CL_INVALID_VALUE)
        } else {
            Err(CL_INVALID_OPERATION)
        }
    });
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn retain(p: cl_program) -> cl_int {
    if PROGRAMS.retain(p) {
        CL_SUCCESS
    } else {
        CL_INVALID_PROGRAM
    }
}

pub unsafe extern "C" fn release(p: cl_program) -> cl_int {
    if PROGRAMS.release(p) {
        CL_SUCCESS
    } else {
        CL_INVALID_PROGRAM
    }
}

type BuildNotify = Option<unsafe extern "C" fn(cl_program, *mut c_void)>;

/// The checks `clBuildProgram` and `clCompileProgram` share, then the
/// missing compiler.
unsafe fn no_compiler(
    p: cl_program,
    num_devices: cl_uint,
    device_list: *const cl_device_id,
    pfn_notify: BuildNotify,
    user_data: *mut c_void,
) -> cl_int {
    let r = (|| {
        let prog = program(p)?;
        check_devices(&prog, num_devices, device_list)?;
        if pfn_notify.is_none() && !user_data.is_null() {
            return Err(CL_INVALID_VALUE);
        }
        *prog.status.lock().unwrap() = CL_BUILD_ERROR;
        Err(CL_COMPILER_NOT_AVAILABLE)
    })();
    code(r)
}

pub unsafe extern "C" fn build(
    p: cl_program,
    num_devices: cl_uint,
    device_list: *const cl_device_id,
    _options: *const c_char,
    pfn_notify: BuildNotify,
    user_data: *mut c_void,
) -> cl_int {
    no_compiler(p, num_devices, device_list, pfn_notify, user_data)
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn compile(
    p: cl_program,
    num_devices: cl_uint,
    device_list: *const cl_device_id,
    _options: *const c_char,
    num_input_headers: cl_uint,
    input_headers: *const cl_program,
    _header_include_names: *mut *const c_char,
    pfn_notify: BuildNotify,
    user_data: *mut c_void,
) -> cl_int {
    if PROGRAMS.get(p).is_some() && (num_input_headers == 0) != input_headers.is_null() {
        return CL_INVALID_VALUE;
    }
    no_compiler(p, num_devices, device_list, pfn_notify, user_data)
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn link(
    c: cl_context,
    num_devices: cl_uint,
    device_list: *const cl_device_id,
    _options: *const c_char,
    num_input_programs: cl_uint,
    input_programs: *const cl_program,
    pfn_notify: BuildNotify,
    user_data: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_program {
    let r = (|| {
        let devices = cl::context_devices(Context::from_raw(c))?;
        if (num_devices == 0) != device_list.is_null()
            || num_input_programs == 0
            || input_programs.is_null()
            || (pfn_notify.is_none() && !user_data.is_null())
        {
            return Err(CL_INVALID_VALUE);
        }
        for i in 0..num_devices as usize {
            if !devices.contains(&DeviceId::from_raw(*device_list.add(i))) {
                return Err(CL_INVALID_DEVICE);
            }
        }
        for i in 0..num_input_programs as usize {
            program(*input_programs.add(i))?;
        }
        Err(CL_LINKER_NOT_AVAILABLE)
    })();
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn unload_platform_compiler(platform: cl_platform_id) -> cl_int {
    if platform == cl::platform_id().as_raw() {
        CL_SUCCESS
    } else {
        CL_INVALID_PLATFORM
    }
}

pub unsafe extern "C" fn get_info(
    p: cl_program,
    param_name: cl_program_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let v = program(p).and_then(|prog| {
        let n = prog.devices.len();
        Ok(match param_name {
            CL_PROGRAM_REFERENCE_COUNT => Value::one(PROGRAMS.ref_count(p).unwrap_or(0)),
            CL_PROGRAM_CONTEXT => Value::one(prog.context.as_raw()),
            CL_PROGRAM_NUM_DEVICES => Value::one(n as cl_uint),
            CL_PROGRAM_DEVICES => {
                Value::of(&prog.devices.iter().map(|d| d.as_raw()).collect::<Vec<_>>())
            }
            CL_PROGRAM_SOURCE => Value::str(&prog.source),
            CL_PROGRAM_IL => Value::empty(),
            // Nothing was built: no binary for any device.
            CL_PROGRAM_BINARY_SIZES => Value::of(&vec![0usize; n]),
            CL_PROGRAM_BINARIES => Value::of(&vec![std::ptr::null_mut::<u8>(); n]),
            CL_PROGRAM_NUM_KERNELS | CL_PROGRAM_KERNEL_NAMES => {
                return Err(CL_INVALID_PROGRAM_EXECUTABLE)
            }
            CL_PROGRAM_SCOPE_GLOBAL_CTORS_PRESENT | CL_PROGRAM_SCOPE_GLOBAL_DTORS_PRESENT => {
                Value::bool(false)
            }
            _ => return Err(CL_INVALID_VALUE),
        })
    });
    if param_name == CL_PROGRAM_BINARIES && !value.is_null() {
        // The application's array of pointers: each binary has size 0, so
        // nothing is written through them.
        return match v {
            Ok(v) => v.answer(size, std::ptr::null_mut(), size_ret),
            Err(e) => e,
        };
    }
    reply(v, size, value, size_ret)
}

pub unsafe extern "C" fn get_build_info(
    p: cl_program,
    device: cl_device_id,
    param_name: cl_program_build_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let v = program(p).and_then(|prog| {
        if !prog.devices.contains(&DeviceId::from_raw(device)) {
            return Err(CL_INVALID_DEVICE);
        }
        let status = *prog.status.lock().unwrap();
        Ok(match param_name {
            CL_PROGRAM_BUILD_STATUS => Value::one(status),
            CL_PROGRAM_BUILD_OPTIONS => Value::str(""),
            CL_PROGRAM_BUILD_LOG => Value::str(if status == CL_BUILD_NONE {
                ""
            } else {
                BUILD_LOG
            }),
            CL_PROGRAM_BINARY_TYPE => Value::one(CL_PROGRAM_BINARY_TYPE_NONE),
            CL_PROGRAM_BUILD_GLOBAL_VARIABLE_TOTAL_SIZE => Value::one(0usize),
            _ => return Err(CL_INVALID_VALUE),
        })
    });
    reply(v, size, value, size_ret)
}

/// `clCreateKernel`, `clCreateKernelsInProgram`: nothing was built.
pub unsafe extern "C" fn create_kernel(
    p: cl_program,
    _name: *const c_char,
    errcode_ret: *mut cl_int,
) -> cl_kernel {
    let r = program(p).and(Err(CL_INVALID_PROGRAM_EXECUTABLE));
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn create_kernels_in_program(
    p: cl_program,
    _num_kernels: cl_uint,
    _kernels: *mut cl_kernel,
    _num_kernels_ret: *mut cl_uint,
) -> cl_int {
    code(program(p).and(Err(CL_INVALID_PROGRAM_EXECUTABLE)))
}

/// `clSetProgramReleaseCallback`: no device has global destructors.
pub unsafe extern "C" fn set_release_callback(p: cl_program) -> cl_int {
    code(program(p).and(Err(CL_INVALID_OPERATION)))
}

/// `clSetProgramSpecializationConstant`: only programs made from an IL
/// have specialization constants, and none can be.
pub unsafe extern "C" fn set_specialization_constant() -> cl_int {
    CL_INVALID_PROGRAM
}
