//! Shared by the end-to-end tests: the JSON reader, and building and running
//! fixture crates with cargo.
#![allow(dead_code)]

pub mod json;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn shim_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

pub fn repo_dir() -> PathBuf {
    shim_dir().join("..").canonicalize().unwrap()
}

/// A fresh, empty folder under cargo's target/tmp.
pub fn fresh_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn show(what: &str, out: &Output) -> String {
    format!(
        "{what}: {}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn target_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(target)
}

/// Runs `cargo build --offline` of the crate at `manifest_dir` into its own
/// target folder (under target/tmp, kept between runs).
pub fn cargo_build_output(manifest_dir: &Path, target: &str, args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build").arg("--offline").arg("--quiet").arg("--target-dir").arg(target_dir(target)).args(args).current_dir(manifest_dir);
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.output().expect("running cargo")
}

/// Like `cargo_build_output`, which must succeed; returns the executable.
pub fn cargo_build(manifest_dir: &Path, bin: &str, target: &str, args: &[&str], env: &[(&str, Option<&str>)]) -> PathBuf {
    let out = cargo_build_output(manifest_dir, target, args, env);
    assert!(out.status.success(), "{}", show(&format!("cargo build in {}", manifest_dir.display()), &out));
    let profile = if args.contains(&"--release") { "release" } else { "debug" };
    target_dir(target).join(profile).join(bin)
}

/// libcprof.a files that cprof's build script made under a target folder.
pub fn built_runtimes(target: &str) -> Vec<PathBuf> {
    let build = target_dir(target).join("debug/build");
    std::fs::read_dir(&build)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("cprof-"))
        .map(|e| e.path().join("out/libcprof.a"))
        .filter(|p| p.is_file())
        .collect()
}

/// Runs `exe` with `env`; panics with its output unless it succeeds.
pub fn run(exe: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(exe);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("running the fixture");
    assert!(out.status.success(), "{}", show(&exe.display().to_string(), &out));
    out
}

/// The one dump file in `dir`, parsed.
pub fn read_dump(dir: &Path) -> json::Json {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(files.len(), 1, "expected one dump in {}: {files:?}", dir.display());
    let text = std::fs::read_to_string(&files[0]).unwrap();
    json::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", files[0].display()))
}
