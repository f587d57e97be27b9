//! Generates the engine's Verilog from `tiledma-hdl`, verilates it and links
//! it with the C ABI harness (`csrc/harness.cpp`). Verilator itself comes
//! from Debian (`scripts/setup.sh` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use tiledma_contract::bus::SUPPORTED_BEAT_BYTES;
use tiledma_hdl::verilog::{
    board_verilog, card_verilog, engine_module_name, engine_verilog, BOARD_MODULE,
    BOARD_SIM_CLKS_PER_BIT, CARD_MODULE, VERILATOR_WAIVERS,
};

fn main() {
    println!("cargo:rerun-if-changed=csrc/harness.cpp");
    println!("cargo:rerun-if-changed=csrc/card.cpp");
    println!("cargo:rerun-if-changed=csrc/axi_port.h");
    println!("cargo:rerun-if-changed=csrc/board.cpp");
    println!("cargo:rerun-if-changed=../hdl/picorv32.vlt");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let root = verilator_root();
    let vdir = out.join("verilog");
    std::fs::create_dir_all(&vdir).unwrap();
    println!("cargo:rustc-env=TILEDMA_VERILOG_DIR={}", vdir.display());

    let mut harness = cc::Build::new();
    for w in SUPPORTED_BEAT_BYTES {
        let module = engine_module_name(w);
        let file = vdir.join(format!("{module}.v"));
        let changed = write_if_changed(&file, &engine_verilog(w));
        let prefix = format!("Vengine_w{w}");
        let mdir = out.join(format!("obj_w{w}"));
        let lib = mdir.join(format!("lib{}.a", prefix.to_lowercase()));
        if changed || stale(&lib) {
            verilate(&file, &module, &prefix, &mdir, &lib);
        }
        harness.include(&mdir);
        println!("cargo:rustc-link-search=native={}", mdir.display());
        println!("cargo:rustc-link-lib=static={}", prefix.to_lowercase());
    }
    // The card and board tops, with PicoRV32's Verilog from its PyPI package.
    let picorv32 = picorv32_verilog();
    let vlt =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../hdl/picorv32.vlt");
    println!("cargo:rustc-env=TILEDMA_PICORV32_V={}", picorv32.display());
    println!("cargo:rustc-env=TILEDMA_PICORV32_VLT={}", vlt.display());
    let with_core = |module: &str, prefix: &str, verilog: String| {
        let file = vdir.join(format!("{module}.v"));
        let changed = write_if_changed(&file, &verilog);
        let mdir = out.join(format!("obj_{}", &prefix[1..]));
        let lib = mdir.join(format!("lib{}.a", prefix.to_lowercase()));
        if changed || stale(&lib) {
            verilate_files(
                &[vlt.as_path(), file.as_path(), picorv32.as_path()],
                module,
                prefix,
                &mdir,
                &lib,
            );
        }
        println!("cargo:rustc-link-search=native={}", mdir.display());
        println!("cargo:rustc-link-lib=static={}", prefix.to_lowercase());
        mdir
    };
    harness.include(with_core(CARD_MODULE, "Vcard", card_verilog(false)));
    // The ECP5 board top (card, on-chip memory, UART bridge) for the UART
    // transport's tests; no firmware baked in (the host loads it over the UART).
    harness.include(with_core(
        BOARD_MODULE,
        "Vboard",
        board_verilog(&[], BOARD_SIM_CLKS_PER_BIT, false),
    ));

    let inc = root.join("include");
    harness
        .cpp(true)
        .std("c++17")
        .include(&inc)
        .include(inc.join("vltstd"))
        .define("VM_TRACE", "1")
        .define("VM_TRACE_VCD", "1")
        .define("VM_TRACE_FST", "0")
        .define("VM_COVERAGE", "0")
        .define("VM_SC", "0")
        .flag("-faligned-new")
        .flag_if_supported("-Wno-unused-parameter")
        .flag_if_supported("-Wno-unused-variable")
        .opt_level(2)
        .file("csrc/harness.cpp")
        .file("csrc/card.cpp")
        .file("csrc/board.cpp")
        .file(inc.join("verilated.cpp"))
        .file(inc.join("verilated_vcd_c.cpp"))
        .file(inc.join("verilated_threads.cpp"))
        .compile("tiledma_harness");
}

fn verilator_root() -> PathBuf {
    let out = Command::new("verilator")
        .arg("--getenv")
        .arg("VERILATOR_ROOT")
        .output();
    match out {
        Ok(o) if o.status.success() => PathBuf::from(String::from_utf8(o.stdout).unwrap().trim()),
        _ => panic!(
            "verilator is not installed. Run `scripts/setup.sh` (or `sudo apt-get install verilator`) first."
        ),
    }
}

/// How the models are verilated and compiled; a change rebuilds them even
/// when the Verilog is the same.
const BUILD_RECIPE: &str = "verilator -O3 x-fast; make -B OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2";

/// The library is missing or was built by another recipe.
fn stale(lib: &Path) -> bool {
    let stamp = lib.with_extension("recipe");
    !lib.exists() || std::fs::read_to_string(stamp).map_or(true, |r| r != BUILD_RECIPE)
}

fn write_if_changed(path: &Path, text: &str) -> bool {
    if std::fs::read_to_string(path)
        .map(|old| old == text)
        .unwrap_or(false)
    {
        return false;
    }
    std::fs::write(path, text).unwrap();
    true
}

fn verilate(file: &Path, module: &str, prefix: &str, mdir: &Path, lib: &Path) {
    verilate_files(&[file], module, prefix, mdir, lib)
}

/// `picorv32.v` from the installed `pythondata-cpu-picorv32` package.
fn picorv32_verilog() -> PathBuf {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .args([
            "-c",
            "import pythondata_cpu_picorv32 as p; print(p.data_location)",
        ])
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let p = PathBuf::from(String::from_utf8(o.stdout).unwrap().trim()).join("picorv32.v");
            println!("cargo:rerun-if-changed={}", p.display());
            p
        }
        _ => panic!(
            "PicoRV32's Verilog is not installed. Run `scripts/setup.sh` \
             (or `{python} -m pip install pythondata-cpu-picorv32`) first."
        ),
    }
}

fn verilate_files(files: &[&Path], module: &str, prefix: &str, mdir: &Path, lib: &Path) {
    let mut cmd = Command::new("verilator");
    cmd.args([
        "--cc",
        "--trace",
        "-O3",
        "--x-assign",
        "fast",
        "--x-initial",
        "fast",
    ])
    .args([
        "--timescale",
        "1ns/1ps",
        "--top-module",
        module,
        "--prefix",
        prefix,
    ])
    .arg("--Mdir")
    .arg(mdir);
    for (w, _) in VERILATOR_WAIVERS {
        cmd.arg(format!("-Wno-{w}"));
    }
    cmd.args(files);
    run(&mut cmd);
    run(Command::new("make")
        .arg("-s")
        // -B: Verilator leaves identical outputs untouched, so make alone
        // would keep objects built by an older recipe.
        .arg("-B")
        .arg("-C")
        .arg(mdir)
        .arg("-f")
        .arg(format!("{prefix}.mk"))
        .arg(format!("{prefix}__ALL.a"))
        // As make arguments: verilated.mk assigns these (-Os), which would
        // override the environment. The eval code is the simulator's hot loop.
        .args(["OPT_FAST=-O2", "OPT_SLOW=-O1", "OPT_GLOBAL=-O2"])
        .env_remove("MAKEFLAGS"));
    std::fs::copy(mdir.join(format!("{prefix}__ALL.a")), lib).unwrap();
    std::fs::write(lib.with_extension("recipe"), BUILD_RECIPE).unwrap();
}

fn run(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(status.success(), "{cmd:?} failed with {status}");
}
