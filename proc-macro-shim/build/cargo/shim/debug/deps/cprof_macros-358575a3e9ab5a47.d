/work/wt-shim/proc-macro-shim/cprof-macros/../build/cargo/shim/debug/deps/cprof_macros-358575a3e9ab5a47.d: cprof-macros/src/lib.rs cprof-macros/src/args.rs cprof-macros/src/error.rs cprof-macros/src/expand.rs cprof-macros/src/item.rs cprof-macros/src/tokens.rs

/work/wt-shim/proc-macro-shim/cprof-macros/../build/cargo/shim/debug/deps/libcprof_macros-358575a3e9ab5a47.so: cprof-macros/src/lib.rs cprof-macros/src/args.rs cprof-macros/src/error.rs cprof-macros/src/expand.rs cprof-macros/src/item.rs cprof-macros/src/tokens.rs

cprof-macros/src/lib.rs:
cprof-macros/src/args.rs:
cprof-macros/src/error.rs:
cprof-macros/src/expand.rs:
cprof-macros/src/item.rs:
cprof-macros/src/tokens.rs:
