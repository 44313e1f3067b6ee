# cli/: the cargo-profiler executable (build/cargo-profiler), its unit tests
# (Criterion) and end-to-end tests; `make install` puts it in $(PREFIX)/bin and
# the cprof crates (with the runtime sources their build.rs compiles) in
# $(PREFIX)/share/cargo-profiler so that `cargo profiler init` can point at them.
CLI_SRCS := $(shell find cli -name '*.c' | sort)
# The scripts and styles the svg and html views put into their files are
# real .js/.css files, embedded at build time as C arrays: cli/views/assets/
# flame.js becomes `asset_flame_js` in $(BUILD)/gen/assets/flame.js.h.
CLI_ASSETS := $(wildcard cli/views/assets/*.js cli/views/assets/*.css)
CLI_ASSET_HDRS := $(patsubst cli/views/assets/%,$(BUILD)/gen/assets/%.h,$(CLI_ASSETS))
CLI_HDRS := $(shell find cli -name '*.h') $(wildcard include/*.h) $(CLI_ASSET_HDRS)
CLI_LIBS := -ljansson -lm
CLI_INC := -Icli -I$(BUILD)/gen/assets
CLI_CFLAGS = $(BASE_CFLAGS) $(CLI_INC) $(CFLAGS)

$(BUILD)/gen/assets/%.h: cli/views/assets/%
	@mkdir -p $(dir $@)
	@n=$$(echo '$*' | tr '.-' '__'); \
	{ echo "/* generated from $< by cli/cli.mk: do not edit */"; \
	  echo "static const char asset_$$n[] = {"; \
	  od -An -v -tx1 $< | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '0};'; } >$@.tmp && mv $@.tmp $@

$(BUILD)/obj/cli/%.o: cli/%.c $(CLI_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CLI_CFLAGS) -c $< -o $@

$(BUILD)/cargo-profiler: $(patsubst cli/%.c,$(BUILD)/obj/cli/%.o,$(CLI_SRCS))
	$(CC) $(CFLAGS) -o $@ $^ $(CLI_LIBS)

all: $(BUILD)/cargo-profiler

SHARE_DIR = $(DESTDIR)$(PREFIX)/share/cargo-profiler
# PREFIX/share mirrors the source tree, so the crate's build.rs finds
# ../../runtime and ../../include exactly as in the repo.
.PHONY: install-cli
install: install-cli
install-cli: $(BUILD)/cargo-profiler
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/cargo-profiler $(DESTDIR)$(PREFIX)/bin/
	install -d $(SHARE_DIR)/runtime $(SHARE_DIR)/include
	install -D -m 644 proc-macro-shim/Cargo.toml $(SHARE_DIR)/proc-macro-shim/Cargo.toml
	for f in $$(find proc-macro-shim/cprof proc-macro-shim/cprof-macros \( -name target -o -name tests \) -prune \
	    -o -type f \( -name '*.rs' -o -name Cargo.toml \) -print); do \
	  install -D -m 644 "$$f" "$(SHARE_DIR)/$$f" || exit 1; \
	done
	install -m 644 runtime/*.c runtime/*.h $(SHARE_DIR)/runtime/
	install -m 755 runtime/papi_presets.sh $(SHARE_DIR)/runtime/
	install -m 644 include/*.h $(SHARE_DIR)/include/

# The same executable under ASan+UBSan, for the tests.
$(BUILD)/asan/obj/cli/%.o: cli/%.c $(CLI_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CLI_INC) -O1 -g $(SAN_ASAN) -c $< -o $@
$(BUILD)/asan/cargo-profiler: $(patsubst cli/%.c,$(BUILD)/asan/obj/cli/%.o,$(CLI_SRCS))
	$(CC) $(SAN_ASAN) -o $@ $^ $(CLI_LIBS)

# Unit tests (Criterion, under ASan+UBSan): dump reader, model, views. They
# link every cli object but main.
CLI_TEST_SRCS := $(wildcard tests/cli_unit/*.c)
$(BUILD)/asan/tests/cli_unit: $(CLI_TEST_SRCS) $(wildcard tests/cli_unit/*.h) \
    $(filter-out %/main.o,$(patsubst cli/%.c,$(BUILD)/asan/obj/cli/%.o,$(CLI_SRCS)))
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN_ASAN) $(CLI_INC) -Itests/cli_unit $(CLI_TEST_SRCS) \
	  $(filter %.o,$^) -o $@ -lcriterion $(CLI_LIBS)

TEST_SUITES += cli-unit
suite-cli-unit: $(BUILD)/asan/tests/cli_unit
	@tests/run-suite.sh $(BUILD)/results cli-unit $< --jobs 2

# The end-to-end suites: a script run with the plain and the ASan+UBSan
# executable. $(call e2e_suite,NAME,SCRIPT[,MORE PREREQUISITES[,source]])
# Their fixtures link the libcprof.a make built, as an installed library
# (CPROF_LIB_DIR), not the runtime compiled again in each cargo target
# folder (8 s of CPU each, some 50 folders); with "source" (cli-init: a new
# user's crate) and in the shim suite, cprof's build script compiles it.
define e2e_suite
TEST_SUITES += $(1)
suite-$(1): $$(BUILD)/cargo-profiler $$(BUILD)/asan/cargo-profiler $$(BUILD)/libcprof.a $(3)
	@CPROF_LIB_DIR=$(if $(4),,$$(abspath $$(BUILD))) tests/run-suite.sh $$(BUILD)/results $(1) $(2) $$(BUILD)/cargo-profiler $$(BUILD) $$(BUILD)/asan/cargo-profiler
endef
$(eval $(call e2e_suite,cli-e2e,tests/e2e/regions.sh))
$(eval $(call e2e_suite,cli-diff,tests/e2e/diff.sh))
$(eval $(call e2e_suite,cli-init,tests/e2e/init.sh,,source))
$(eval $(call e2e_suite,cli-alloc,tests/e2e/alloc.sh,$(BUILD)/libcprof.a $(BUILD)/libcprof.so $(BUILD)/libcprof_alloc.so))
$(eval $(call e2e_suite,cli-report-json,tests/e2e/report_json.sh))
$(eval $(call e2e_suite,cli-views,tests/e2e/views.sh))
$(eval $(call e2e_suite,cli-merge,tests/e2e/merge.sh))
$(eval $(call e2e_suite,cli-dump-v2,tests/e2e/dump_v2.sh,$(BUILD)/libcprof.a))
$(eval $(call e2e_suite,browser-html,tests/browser/html.sh))
$(eval $(call e2e_suite,cli-targets,tests/e2e/targets.sh))
$(eval $(call e2e_suite,browser-svg,tests/browser/svg.sh))
$(eval $(call e2e_suite,mpi,tests/e2e/mpi.sh,$(BUILD)/examples/mpi/mpi_ranks))

# libFuzzer target (clang) around the dump reader and every view: the
# `cli-fuzz` suite runs it briefly, `make fuzz-dump` longer (fuzz/ holds
# every fuzz target, its seeds and fuzz/run.sh).
CLI_FUZZ_SRCS := cli/model/model.c cli/model/index.c cli/model/arena.c cli/model/derive.c cli/model/trust.c cli/model/spread.c cli/model/diff.c cli/model/stats.c cli/sortkey.c cli/sys/xalloc.c \
  cli/readers/cprof_dump.c cli/readers/tree_time.c cli/readers/dump_doc.c cli/readers/dump_check.c cli/readers/dump_v2.c cli/readers/json_pull.c \
  cli/readers/strtab.c cli/readers/report_json.c cli/readers/errline.c $(wildcard cli/views/*.c)
CLI_FUZZ_TIME ?= 10
$(BUILD)/fuzz/dump: fuzz/dump.c $(CLI_FUZZ_SRCS) $(CLI_HDRS)
	@mkdir -p $(dir $@)
	clang $(BASE_CFLAGS) $(CLI_INC) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  fuzz/dump.c $(CLI_FUZZ_SRCS) -o $@ $(CLI_LIBS)
FUZZ_DUMP_ARGS = $(BUILD)/fuzz/dump $(BUILD)/fuzz/dump-work
FUZZ_DUMP_SEEDS = 65536 -dict=fuzz/json.dict fuzz/corpus/dump
TEST_SUITES += cli-fuzz
suite-cli-fuzz: $(BUILD)/fuzz/dump
	@tests/run-suite.sh $(BUILD)/results cli-fuzz fuzz/run.sh $(FUZZ_DUMP_ARGS) $(CLI_FUZZ_TIME) $(FUZZ_DUMP_SEEDS)
.PHONY: fuzz-dump
fuzz-dump: $(BUILD)/fuzz/dump
	fuzz/run.sh $(FUZZ_DUMP_ARGS) 300 $(FUZZ_DUMP_SEEDS)
