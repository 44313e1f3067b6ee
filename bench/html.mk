# make bench: the html page (--format html) of a generated profile of
# 10 000 regions and 10 000 call-tree nodes: size, time to write, first
# paint and the page's own script in headless chromium (bench/html.sh).
.PHONY: bench-html
bench-html: $(BUILD)/cargo-profiler $(BUILD)/examples/c/wordfreq
	bench/html.sh $(BUILD)
bench: bench-html
