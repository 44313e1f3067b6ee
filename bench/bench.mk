# make bench: the runtime's overhead against PAPI_hl (and other parts' benchmarks).
$(BUILD)/bench/overhead: bench/overhead.c $(BUILD)/libcprof.a include/cprof.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -g -pthread $< -o $@ $(BUILD)/libcprof.a -lsde -lpapi $(RT_LIBS)

.PHONY: bench-overhead
bench-overhead: $(BUILD)/bench/overhead
	$(BUILD)/bench/overhead
bench: bench-overhead
-include bench/parser.mk
-include bench/shim.mk
-include bench/diff.mk
-include bench/alloc.mk
-include bench/flame.mk
-include bench/merge.mk
-include bench/dump.mk
-include bench/html.mk
-include bench/throttle.mk
-include bench/start.mk
-include bench/valgrind.mk

# make bench-hot-chain: an untimed pair in situ against prototypes of the fast path (bench/hot_chain.c).
$(BUILD)/bench/hot_chain: bench/hot_chain.c $(BUILD)/libcprof.a include/cprof.h include/cprof_hot.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -g -pthread $< -o $@ $(BUILD)/libcprof.a $(RT_LIBS)

.PHONY: bench-hot-chain
bench-hot-chain: $(BUILD)/bench/hot_chain
	CPROF_THROTTLE=below=1s CPROF_EVENTS=none CPROF_QUIET=1 CPROF_OUTPUT=$(abspath $(BUILD))/tmp $(BUILD)/bench/hot_chain
bench: bench-hot-chain
