//! Links libcprof when the `enable` feature is on (and does nothing when it
//! is off): from `CPROF_LIB_DIR` when set (an installed libcprof.a),
//! otherwise by compiling the runtime of this source tree (`runtime/*.c`),
//! offline, with the C compiler in `CC` (default `cc`). libpapi is not
//! linked: the runtime loads it with dlopen when a PAPI event is asked for.
//! PAPI's libdir (pkg-config) is searched, so a program that links libsde
//! (PAPI software-defined events) finds it there.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

fn main() {
    println!("cargo:rerun-if-env-changed=CPROF_LIB_DIR");
    println!("cargo:rerun-if-env-changed=CC");
    if env::var_os("CARGO_FEATURE_ENABLE").is_none() {
        return;
    }
    match env::var_os("CPROF_LIB_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            let lib = dir.join("libcprof.a");
            if !lib.is_file() {
                fail(&format!("CPROF_LIB_DIR={}: no libcprof.a there (expected the folder holding the installed library)", dir.display()));
            }
            println!("cargo:rerun-if-changed={}", lib.display());
            println!("cargo:rustc-link-search=native={}", dir.display());
        }
        None => build_in_tree(),
    }
    println!("cargo:rustc-link-lib=static=cprof");
    search_papi_libdir();
    println!("cargo:rustc-link-lib=dylib=pthread");
    println!("cargo:rustc-link-lib=dylib=m");
}

fn fail(msg: &str) -> ! {
    eprintln!("error: cprof build script: {msg}");
    std::process::exit(1);
}

/// Compiles `<repo>/runtime/*.c` into `$OUT_DIR/libcprof.a`.
fn build_in_tree() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    let (runtime, include) = (root.join("runtime"), root.join("include"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let sources = c_sources(&runtime);
    if sources.is_empty() || !include.join("cprof.h").is_file() {
        fail(&format!(
            "no libcprof sources in {} (with include/cprof.h): set CPROF_LIB_DIR to the folder holding libcprof.a",
            runtime.display()
        ));
    }
    println!("cargo:rerun-if-changed={}", runtime.display());
    println!("cargo:rerun-if-changed={}", include.display());
    for f in fs::read_dir(&runtime).into_iter().flatten().flatten() {
        println!("cargo:rerun-if-changed={}", f.path().display());
    }
    println!("cargo:rerun-if-changed={}", include.join("cprof.h").display());
    println!("cargo:rerun-if-changed={}", include.join("cprof_names.h").display());
    println!("cargo:rerun-if-changed={}", include.join("cprof_hot.h").display());

    // CC may carry a launcher or flags ("ccache cc"): program, then arguments.
    let cc_var = env::var("CC").ok().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| "cc".into());
    let mut cc_words = cc_var.split_whitespace();
    let cc = cc_words.next().unwrap_or("cc").to_string();
    let cc_args: Vec<String> = cc_words.map(String::from).collect();
    presets(&runtime, &cc_var, &out);
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut objects = Vec::new();
    let mut running: Vec<(Child, PathBuf)> = Vec::new();
    for src in &sources {
        let obj = out.join(src.file_stem().unwrap()).with_extension("o");
        let mut cmd = Command::new(&cc);
        cmd.args(&cc_args).args(["-std=c11", "-D_GNU_SOURCE", "-O2", "-g", "-fPIC", "-pthread", "-fvisibility=hidden"])
            .arg("-I")
            .arg(&include)
            .arg("-I")
            .arg(&runtime)
            .arg("-I")
            .arg(&out)
            .arg("-c")
            .arg(src)
            .arg("-o")
            .arg(&obj);
        let child = cmd.spawn().unwrap_or_else(|e| fail(&format!("cannot run the C compiler `{cc}`: {e}")));
        running.push((child, src.clone()));
        objects.push(obj);
        if running.len() >= jobs {
            wait(running.remove(0));
        }
    }
    for job in running {
        wait(job);
    }
    let lib = out.join("libcprof.a");
    let _ = fs::remove_file(&lib);
    let status = Command::new(env::var("AR").unwrap_or_else(|_| "ar".into()))
        .arg("rcs")
        .arg(&lib)
        .args(&objects)
        .status()
        .unwrap_or_else(|e| fail(&format!("cannot run ar: {e}")));
    if !status.success() {
        fail(&format!("ar failed to make {}", lib.display()));
    }
    println!("cargo:rustc-link-search=native={}", out.display());
}

/// `$OUT_DIR/papi_presets.h`, PAPI's preset names, as runtime/runtime.mk
/// makes it (runtime/papi_presets.sh).
fn presets(runtime: &Path, cc: &str, out: &Path) {
    let script = runtime.join("papi_presets.sh");
    let ok = Command::new("sh").arg(&script).arg(cc).arg(out.join("papi_presets.h")).status();
    if !ok.is_ok_and(|s| s.success()) {
        fail(&format!("{} failed: the PAPI headers (libpapi-dev) are needed to build libcprof", script.display()));
    }
}

fn wait((mut child, src): (Child, PathBuf)) {
    match child.wait() {
        Ok(s) if s.success() => {}
        _ => fail(&format!("compiling {} failed", src.display())),
    }
}

fn c_sources(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    v.sort();
    v
}

/// PAPI's libdir (`pkg-config --variable=libdir papi`), where libsde is.
fn search_papi_libdir() {
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    let libdir = Command::new("pkg-config").args(["--variable=libdir", "papi"]).output().ok().filter(|o| o.status.success());
    if let Some(dir) = libdir.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).filter(|d| !d.is_empty()) {
        println!("cargo:rustc-link-search=native={dir}");
    }
}
