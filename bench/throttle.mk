# make bench-throttle: many tiny nested calls against an oracle (bench/throttle.sh):
# bench/throttle_c.c, bench/tiny and regex-lite (bench/regexlite).
TINY_TARGET := $(abspath $(BUILD))/cargo/bench

$(BUILD)/bench/throttle_c: bench/throttle_c.c $(BUILD)/libcprof.a include/cprof.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -g -pthread $< -o $@ $(BUILD)/libcprof.a $(RT_LIBS)
$(BUILD)/bench/throttle_c_oracle: bench/throttle_c.c $(BUILD)/libcprof.a include/cprof.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -g -pthread -DORACLE $< -o $@ $(BUILD)/libcprof.a $(RT_LIBS)

.PHONY: bench-throttle
bench-throttle: $(BUILD)/bench/throttle_c $(BUILD)/bench/throttle_c_oracle $(BUILD)/cargo-profiler
	cargo build --offline --quiet --release --features cprof/enable --manifest-path bench/tiny/Cargo.toml --target-dir $(TINY_TARGET)/tiny-oracle
	cargo build --offline --quiet --release --features cprof/enable,inner --manifest-path bench/tiny/Cargo.toml --target-dir $(TINY_TARGET)/tiny-inner
	cargo build --offline --quiet --release --features cprof/enable --manifest-path bench/regexlite/Cargo.toml --target-dir $(TINY_TARGET)/regex-oracle
	cargo build --offline --quiet --release --features cprof/enable,inner --manifest-path bench/regexlite/Cargo.toml --target-dir $(TINY_TARGET)/regex-inner
	bench/throttle.sh $(BUILD)/cargo-profiler $(BUILD)/bench/throttle_c $(BUILD)/bench/throttle_c_oracle $(TINY_TARGET)/tiny-oracle/release/tiny $(TINY_TARGET)/tiny-inner/release/tiny \
	  $(TINY_TARGET)/regex-oracle/release/regexbench $(TINY_TARGET)/regex-inner/release/regexbench
bench: bench-throttle
