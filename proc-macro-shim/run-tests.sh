#!/usr/bin/env bash
# The `shim` suite: cargo test of the proc-macro-shim workspace (expansion
# tests, compile_fail doctests, end-to-end fixtures, symbol tables) and of
# examples/rust, offline, with cargo's target folders under TARGET.
# usage: proc-macro-shim/run-tests.sh TARGET
set -u
target=${1:?usage: run-tests.sh TARGET}
here=$(cd "$(dirname "$0")" && pwd)
status=0
cargo test --offline --workspace --manifest-path "$here/Cargo.toml" --target-dir "$target/shim" || status=1
cargo test --offline --manifest-path "$here/../examples/rust/Cargo.toml" --target-dir "$target/examples" || status=1
exit $status
