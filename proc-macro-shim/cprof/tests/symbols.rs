//! "Off means nothing": examples/rust built without `cprof/enable` has no
//! cprof call, no site static, no libcprof or PAPI symbol and no link to
//! libpapi, and its code is the size of the same crate with every
//! #[profile] blanked out; built with the feature it has the calls, the
//! sites and the runtime, and still no link to libpapi (the runtime loads
//! it only when a PAPI event is asked for).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn example() -> PathBuf {
    support::repo_dir().join("examples/rust")
}

fn build(target: &str, dir: &Path, features: &[&str]) -> PathBuf {
    let mut args = vec!["--release"];
    args.extend_from_slice(features);
    support::cargo_build(dir, "exprcalc", target, &args, &[("CPROF_LIB_DIR", None)])
}

fn off() -> &'static PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| build("exprcalc-off", &example(), &[]))
}

fn on() -> &'static PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| build("exprcalc-on", &example(), &["--features", "cprof/enable"]))
}

/// `nm` of the executable: every symbol name, one per line.
fn symbols(exe: &Path) -> String {
    let out = Command::new("nm").arg(exe).output().expect("running nm (binutils)");
    assert!(out.status.success(), "nm {}: {}", exe.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn bytes_contain(exe: &Path, needle: &str) -> bool {
    let b = std::fs::read(exe).unwrap();
    b.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The libraries the executable links (`objdump -p`'s NEEDED lines).
fn needed(exe: &Path) -> String {
    let out = Command::new("objdump").arg("-p").arg(exe).output().expect("running objdump (binutils)");
    assert!(out.status.success(), "objdump -p {}: {}", exe.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.trim_start().starts_with("NEEDED")).collect::<Vec<_>>().join("\n")
}

/// Size of the `.text` section (`size -A`).
fn text_size(exe: &Path) -> u64 {
    let out = Command::new("size").arg("-A").arg(exe).output().expect("running size (binutils)");
    let s = String::from_utf8_lossy(&out.stdout);
    let line = s.lines().find(|l| l.starts_with(".text ")).expect(".text in size -A");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn off_build_has_no_trace_of_profiling() {
    let exe = off();
    let syms = symbols(exe);
    for needle in ["cprof", "CPROF", "PAPI_", "papi_"] {
        let hits: Vec<&str> = syms.lines().filter(|l| l.contains(needle)).collect();
        assert!(hits.is_empty(), "off build has {needle} symbols: {hits:?}");
    }
    assert!(!bytes_contain(exe, "libpapi"), "off build links libpapi");
    assert!(!bytes_contain(exe, "cprof-%"), "off build holds libcprof");
}

#[test]
fn on_build_has_sites_calls_and_the_runtime() {
    let syms = symbols(on());
    for needle in ["cprof_enter", "cprof_exit", "cprof_dump", "__CPROF_SITE", "cprof_papi_load"] {
        assert!(syms.contains(needle), "on build lacks {needle} symbols");
    }
    // One site static per annotated function (Lexer's impl block has two).
    let sites = syms.lines().filter(|l| l.contains("__CPROF_SITE")).count();
    assert_eq!(sites, 7, "site statics in the on build");
    let libs = needed(on());
    assert!(libs.contains("libc.so"), "objdump -p lists no NEEDED: {libs}");
    assert!(!libs.contains("libpapi"), "on build links libpapi: {libs}");
}

#[test]
fn off_build_code_equals_the_unannotated_crate() {
    // A copy of the example with every `#[profile...]` replaced by spaces
    // (same lines and columns, so panic locations match too).
    let copy = support::fresh_dir("exprcalc-bare-src");
    std::fs::create_dir_all(copy.join("src")).unwrap();
    let cprof_dir = support::shim_dir().join("cprof");
    let manifest = std::fs::read_to_string(example().join("Cargo.toml"))
        .unwrap()
        .replace("../../proc-macro-shim/cprof", cprof_dir.to_str().unwrap());
    std::fs::write(copy.join("Cargo.toml"), manifest).unwrap();
    let mut blanked = 0;
    for f in std::fs::read_dir(example().join("src")).unwrap().flatten() {
        let text = std::fs::read_to_string(f.path()).unwrap();
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            match line.find("#[profile").filter(|_| line.trim_start().starts_with("#[profile")) {
                Some(at) => {
                    let end = at + line[at..].find(']').unwrap() + 1;
                    out.push_str(&line[..at]);
                    out.push_str(&" ".repeat(end - at));
                    out.push_str(&line[end..]);
                    blanked += 1;
                }
                None => out.push_str(line),
            }
        }
        std::fs::write(copy.join("src").join(f.file_name()), out).unwrap();
    }
    assert_eq!(blanked, 6, "#[profile] attributes in examples/rust");
    let bare = build("exprcalc-bare", &copy, &[]);
    assert_eq!(text_size(off()), text_size(&bare), "code size, off build vs no attribute at all");
}
