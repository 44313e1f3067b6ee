# make bench-alloc: the cost cprof::Alloc adds to an allocation, counting off
# (no cprof/enable: must be 0) and on (goal <= 3 ns), each against System in
# the same run (bench/alloc/src/main.rs).
ALLOC_BENCH_TARGET := $(abspath $(BUILD))/cargo/bench-alloc
ALLOC_BENCH_EVENTS := cprof::allocs,cprof::alloc_bytes,cprof::frees,cprof::freed_bytes,cprof::reallocs

.PHONY: bench-alloc
bench-alloc:
	cargo build --offline --quiet --release --manifest-path bench/alloc/Cargo.toml --target-dir $(ALLOC_BENCH_TARGET)/off
	$(ALLOC_BENCH_TARGET)/off/release/alloc_bench
	cargo build --offline --quiet --release --features cprof/enable --manifest-path bench/alloc/Cargo.toml --target-dir $(ALLOC_BENCH_TARGET)/on
	@rm -rf $(BUILD)/bench/alloc-dumps && mkdir -p $(BUILD)/bench/alloc-dumps
	CPROF_EVENTS=$(ALLOC_BENCH_EVENTS) CPROF_QUIET=1 CPROF_OUTPUT=$(BUILD)/bench/alloc-dumps $(ALLOC_BENCH_TARGET)/on/release/alloc_bench
bench: bench-alloc
