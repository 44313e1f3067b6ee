# make bench: cargo profiler report DIR over 500 dumps of 1000 regions and
# 10 000 dumps of 100 regions, against a Python json.load script in the same
# run (bench/merge.sh).
.PHONY: bench-merge
bench-merge: $(BUILD)/cargo-profiler $(BUILD)/examples/c/wordfreq
	bench/merge.sh $(BUILD)
bench: bench-merge
