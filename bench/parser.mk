# make bench: the valgrind parser against callgrind_annotate on a >= 100 MB
# callgrind file generated in the benchmark (kept in $(BUILD)/bench/).
.PHONY: bench-parser
bench-parser: $(BUILD)/cargo-profiler
	bench/parser.sh $(BUILD)
bench: bench-parser
