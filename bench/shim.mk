# make bench-shim: #[profile] calls in a tight loop against the same loop
# unannotated, built without cprof/enable (must match) and with it (the cost
# of a measured call, counters off).
SHIM_BENCH_TARGET := $(abspath $(BUILD))/cargo/bench

.PHONY: bench-shim
bench-shim:
	cargo build --offline --quiet --release --manifest-path bench/shim_off/Cargo.toml --target-dir $(SHIM_BENCH_TARGET)/off
	$(SHIM_BENCH_TARGET)/off/release/shim_off
	cargo build --offline --quiet --release --features cprof/enable --manifest-path bench/shim_off/Cargo.toml --target-dir $(SHIM_BENCH_TARGET)/on
	@rm -rf $(BUILD)/bench/shim-dumps && mkdir -p $(BUILD)/bench/shim-dumps
	CPROF_EVENTS=none CPROF_QUIET=1 CPROF_OUTPUT=$(BUILD)/bench/shim-dumps $(SHIM_BENCH_TARGET)/on/release/shim_off 20000000 3
bench: bench-shim
