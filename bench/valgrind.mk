# make bench: cargo profiler report --format json and the table on callgrind
# files (a real one of rustc, generated ones of 20 000 and 456 000
# functions, made once and kept in $(BUILD)/bench/valgrind/) against
# callgrind_annotate in the same run (bench/valgrind.sh).
.PHONY: bench-valgrind
bench-valgrind: $(BUILD)/cargo-profiler
	bench/valgrind.sh $(BUILD)
bench: bench-valgrind
