/work/wt-shim/proc-macro-shim/cprof-macros/../build/cargo/shim/debug/deps/expand-ac4ce0d6d322ef7b.d: cprof-macros/tests/expand.rs

/work/wt-shim/proc-macro-shim/cprof-macros/../build/cargo/shim/debug/deps/expand-ac4ce0d6d322ef7b: cprof-macros/tests/expand.rs

cprof-macros/tests/expand.rs:
