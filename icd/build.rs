//! Writes the ICD loader's vendor file next to the library the build makes:
//! `<target>/<profile>/icd/tiledma.icd` holds the absolute path of
//! `<target>/<profile>/libtiledma_opencl.so`. Point the loader at that
//! folder: `OCL_ICD_VENDORS=<target>/<profile>/icd`.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // OUT_DIR is <target>/<profile>/build/<package>-<hash>/out.
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let profile_dir = out
        .ancestors()
        .nth(3)
        .expect("OUT_DIR has the usual cargo layout")
        .to_path_buf();
    let lib = profile_dir.join("libtiledma_opencl.so");
    let icd = profile_dir.join("icd");
    std::fs::create_dir_all(&icd).unwrap();
    let file = icd.join("tiledma.icd");
    let text = format!("{}\n", lib.display());
    if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&file, text).unwrap();
    }
}
