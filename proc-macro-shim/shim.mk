# Rust side: the proc-macro-shim workspace (crates cprof, cprof-macros) and
# examples/rust. Cargo runs offline; its target folders live in $(BUILD)/cargo.
SHIM_TARGET := $(abspath $(BUILD))/cargo

# The example, built as a user would without profiling (fast: no dependency).
.PHONY: shim-example
shim-example:
	cargo build --offline --quiet --release --manifest-path examples/rust/Cargo.toml --target-dir $(SHIM_TARGET)/examples
all: shim-example

# The end-to-end tests also check an installed libcprof (CPROF_LIB_DIR).
TEST_SUITES += shim
.PHONY: suite-shim
suite-shim: $(BUILD)/libcprof.a
	@CPROF_TEST_LIB_DIR=$(abspath $(BUILD)) tests/run-suite.sh $(BUILD)/results shim proc-macro-shim/run-tests.sh $(SHIM_TARGET)
