# make bench: cargo profiler diff on two runs of 1000 regions and 2000 tree
# nodes, and 10 runs against 10 (bench/diff.sh).
.PHONY: bench-diff
bench-diff: $(BUILD)/cargo-profiler $(BUILD)/examples/c/wordfreq
	bench/diff.sh $(BUILD)
bench: bench-diff
