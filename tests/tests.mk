# Runtime tests (Criterion): the whole suite plain and under ASan+UBSan, and
# the threaded tests under TSan. Each build links the matching libcprof.
RT_TEST_SRCS := $(wildcard tests/runtime/*.c)
RT_TEST_HDRS := $(wildcard tests/runtime/*.h)
# The tests call PAPI themselves (tests/runtime/helpers.c): -lpapi is theirs.
RT_TEST_LIBS := -lcriterion -ljansson -lsde -lpapi $(RT_LIBS)

# $(call rt_test,OUT,LIBDIR,EXTRA_CFLAGS)
define rt_test
$(1): $(RT_TEST_SRCS) $(RT_TEST_HDRS) $(2)/libcprof.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(BASE_CFLAGS) -O1 -g -pthread $(3) -Itests/runtime $(RT_TEST_SRCS) -o $$@ $(2)/libcprof.a $$(RT_TEST_LIBS) \
	  -Wl,--wrap=cprof_enter_full,--wrap=cprof_enter_scope_full,--wrap=cprof_exit_full
endef
$(eval $(call rt_test,$(BUILD)/tests/runtime,$(BUILD),))
$(eval $(call rt_test,$(BUILD)/asan/tests/runtime,$(BUILD)/asan,$(SAN_ASAN)))

# Criterion cannot run under TSan (its arena clashes with TSan's memory map):
# the threaded cases there are a plain program.
$(BUILD)/tsan/tests/threads: tests/tsan/threads.c $(BUILD)/tsan/libcprof.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g -pthread $(SAN_TSAN) $< -o $@ $(BUILD)/tsan/libcprof.a -ljansson -lsde $(RT_LIBS)

# PAPI's own allocations outlive the process on purpose: not ours to report.
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS = halt_on_error=1:second_deadlock_stack=1

# Tests write their dumps under build/, not /tmp.
export CPROF_TEST_TMP = $(abspath $(BUILD))/tmp
$(shell mkdir -p $(BUILD)/tmp)

TEST_SUITES += runtime runtime-asan runtime-tsan
# A locale that writes 1,5 for 1.5: the dump must stay JSON under it.
$(BUILD)/tmp/locale/de_DE.UTF-8/LC_NUMERIC:
	@mkdir -p $(BUILD)/tmp/locale
	localedef -i de_DE -f UTF-8 $(BUILD)/tmp/locale/de_DE.UTF-8 || true

suite-runtime suite-runtime-asan: $(BUILD)/tmp/locale/de_DE.UTF-8/LC_NUMERIC
suite-runtime: $(BUILD)/tests/runtime
	@tests/run-suite.sh $(BUILD)/results runtime $< --jobs 2
suite-runtime-asan: $(BUILD)/asan/tests/runtime
	@tests/run-suite.sh $(BUILD)/results runtime-asan $< --jobs 2
# The same binaries as on a machine whose PAPI perf_event component is
# disabled (CPROF_TEST_NO_PERF_EVENT, tests/runtime/helpers.c); only the
# tests whose path differs there, to keep `make test` short.
TEST_SUITES += runtime-noperf runtime-asan-noperf
NOPERF_FILTER := --filter '@(perf_event|errors)/*'
suite-runtime-noperf suite-runtime-asan-noperf: $(BUILD)/tmp/locale/de_DE.UTF-8/LC_NUMERIC
suite-runtime-noperf: $(BUILD)/tests/runtime
	@CPROF_TEST_NO_PERF_EVENT=1 tests/run-suite.sh $(BUILD)/results runtime-noperf $< --jobs 2 $(NOPERF_FILTER)
suite-runtime-asan-noperf: $(BUILD)/asan/tests/runtime
	@CPROF_TEST_NO_PERF_EVENT=1 tests/run-suite.sh $(BUILD)/results runtime-asan-noperf $< --jobs 2 $(NOPERF_FILTER)
suite-runtime-tsan: $(BUILD)/tsan/tests/threads
	@tests/run-suite.sh $(BUILD)/results runtime-tsan $<

# libpapi is loaded only when a PAPI event is asked for: a program linked
# with libcprof (.a and .so) and libsde, never libpapi.
TEST_SUITES += runtime-papi-load
suite-runtime-papi-load: $(BUILD)/libcprof.a $(BUILD)/libcprof.so
	@tests/run-suite.sh $(BUILD)/results runtime-papi-load tests/papi_load/papi_load.sh $(BUILD)

# cprof.h in a user's strictest builds: C89 -pedantic, clang's -Wcast-align -Wcomma.
TEST_SUITES += header
suite-header: $(BUILD)/libcprof.a
	@mkdir -p $(BUILD)/tmp
	@tests/run-suite.sh $(BUILD)/results header tests/header/strict.sh $(BUILD)

TEST_SUITES += install
suite-install: all
	@tests/run-suite.sh $(BUILD)/results install tests/install.sh $(BUILD)
