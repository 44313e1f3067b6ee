# The one entry point: `make` builds everything, `make test` runs every test,
# `make demo`, `make bench`, `make install PREFIX=...`, `make deps`.
# Each part keeps its rules in its own fragment (runtime/runtime.mk, ...);
# this file holds only what they share.

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude
SAN_ASAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_TSAN := -fsanitize=thread
# Debian packages the build, the tests and the demo use.
DEPS_PKGS := build-essential pkg-config libpapi-dev uthash-dev libjansson-dev \
             libcriterion-dev valgrind clang locales jq python3 bsdutils util-linux chromium \
             openmpi-bin libopenmpi-dev

# rustup's cargo, where it lives, even when a non-login shell left it off PATH.
ifneq ($(wildcard $(HOME)/.cargo/bin/cargo),)
export PATH := $(HOME)/.cargo/bin:$(PATH)
endif

# Suites that `make test` runs; each fragment appends its own and defines a
# rule `suite-NAME` that calls tests/run-suite.sh.
TEST_SUITES :=

.PHONY: all deps test test-all demo bench install clean
all:

include runtime/runtime.mk
include examples/examples.mk
include tests/tests.mk
-include cli/cli.mk
-include cli/valgrind.mk
-include proc-macro-shim/shim.mk
-include bench/bench.mk

# apt-get only what is missing, so a machine that has everything stays offline.
deps:
	@missing=$$(for p in $(DEPS_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v cargo >/dev/null || { echo "make deps: cargo not found (needs a Rust toolchain on PATH)"; exit 1; }

# Every suite runs even when an earlier one fails; the summary line counts all.
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test-all

# The longest suites start first, so the two slots end together.
SLOW_SUITES := browser-html cli-e2e shim browser-svg cli-init valgrind runtime-asan cli-targets
test-all:
	@rm -rf $(BUILD)/results && mkdir -p $(BUILD)/results
	@$(MAKE) --no-print-directory -k -j2 $(addprefix suite-,$(filter $(TEST_SUITES),$(SLOW_SUITES)) \
	  $(filter-out $(SLOW_SUITES),$(TEST_SUITES))) || true
	@tests/summary.sh $(BUILD)/results $(TEST_SUITES)

clean:
	rm -rf $(BUILD)

# The main job on a bundled example: profile examples/rust (a tokenizer,
# parser and evaluator on two threads) with `cargo profiler regions`.
demo: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/cargo-profiler profiler regions --manifest-path examples/rust/Cargo.toml -n 10
	$(BUILD)/cargo-profiler profiler regions --manifest-path examples/rust/Cargo.toml --format tree -n 8
