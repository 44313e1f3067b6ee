# The valgrind part: the readers' test tools, the `valgrind` suite (readers
# against callgrind_annotate/cg_annotate, format corners, bad input, the
# callgrind/cachegrind commands end to end) and the `fuzz` suite (libFuzzer
# on the readers, bounded time).
VG_READER_SRCS := cli/model/model.c cli/model/index.c cli/model/arena.c cli/model/spread.c cli/sys/xalloc.c cli/model/callpaths.c $(wildcard cli/readers/callgrind.c \
                  cli/readers/cachegrind.c cli/readers/strtab.c cli/readers/linereader.c cli/readers/vgtable.c \
                  cli/readers/dhat.c cli/readers/dhat_frames.c cli/readers/slurp.c cli/readers/errline.c)
# the fuzz target also runs the views on DHAT's stacks: what the views'
# own fuzz target (cli.mk) links
VG_FUZZ_SRCS := $(VG_READER_SRCS) $(filter-out $(VG_READER_SRCS),$(CLI_FUZZ_SRCS))
VG_READER_HDRS := $(wildcard cli/model/*.h cli/readers/*.h)

# The readers printed record by record, under ASan+UBSan.
$(BUILD)/tests/valgrind/vgdump: tests/valgrind/vgdump.c $(VG_READER_SRCS) $(VG_READER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CLI_INC) -O1 -g $(SAN_ASAN) $< $(VG_READER_SRCS) -o $@ -ljansson

# The C program the tests profile (-O2 -g: what users profile).
$(BUILD)/tests/valgrind/workload: tests/valgrind/workload.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -g -pthread $< -o $@

VG_TEST_DEPS := $(BUILD)/tests/valgrind/vgdump $(BUILD)/tests/valgrind/workload $(BUILD)/asan/cargo-profiler

# The dhat suite's C program: -O0, so every allocating function keeps its frame.
$(BUILD)/tests/valgrind/allocs: tests/valgrind/allocs.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O0 -g $< -o $@
TEST_SUITES += dhat
.PHONY: suite-dhat
suite-dhat: $(BUILD)/tests/valgrind/allocs $(BUILD)/asan/cargo-profiler
	@tests/run-suite.sh $(BUILD)/results dhat tests/valgrind/dhat.sh $(BUILD)

TEST_SUITES += valgrind fuzz
.PHONY: suite-valgrind suite-fuzz fuzz
suite-valgrind: $(VG_TEST_DEPS)
	@tests/run-suite.sh $(BUILD)/results valgrind tests/valgrind/run.sh $(BUILD)

# libFuzzer target around both readers (clang); `make fuzz` runs it longer.
FUZZ_TIME ?= 20
$(BUILD)/fuzz/readers: fuzz/readers.c $(VG_FUZZ_SRCS) $(VG_READER_HDRS) $(CLI_HDRS)
	@mkdir -p $(dir $@)
	clang $(BASE_CFLAGS) $(CLI_INC) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  $< $(VG_FUZZ_SRCS) -o $@ -ljansson -lm
FUZZ_READERS_SEEDS = 131072 fuzz/corpus/readers $(wildcard tests/valgrind/fixtures/*.cg tests/valgrind/fixtures/*.cachegrind)

suite-fuzz: $(BUILD)/fuzz/readers
	@tests/run-suite.sh $(BUILD)/results fuzz fuzz/run.sh $< $(BUILD)/fuzz/readers-work $(FUZZ_TIME) $(FUZZ_READERS_SEEDS)

fuzz: $(BUILD)/fuzz/readers
	fuzz/run.sh $< $(BUILD)/fuzz/readers-work $(if $(filter 20,$(FUZZ_TIME)),300,$(FUZZ_TIME)) $(FUZZ_READERS_SEEDS)
