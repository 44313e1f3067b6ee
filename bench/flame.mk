# make bench: the flame graph (--format svg) of generated 10 000- and
# 100 000-node call trees: size, time to write, first paint in headless
# chromium (bench/flame.sh).
.PHONY: bench-flame
bench-flame: $(BUILD)/cargo-profiler $(BUILD)/examples/c/wordfreq
	bench/flame.sh $(BUILD)
bench: bench-flame
