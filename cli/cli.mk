# cli/: the cargo-profiler executable (build/cargo-profiler), its unit tests
# (Criterion) and end-to-end tests; `make install` puts it in $(PREFIX)/bin and
# the cprof crates (with the runtime sources their build.rs compiles) in
# $(PREFIX)/share/cargo-profiler so that `cargo profiler init` can point at them.
CLI_SRCS := $(shell find cli -name '*.c' | sort)
CLI_HDRS := $(shell find cli -name '*.h') include/cprof.h
CLI_LIBS := -ljansson -lm
CLI_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)

$(BUILD)/obj/cli/%.o: cli/%.c $(CLI_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CLI_CFLAGS) -c $< -o $@

$(BUILD)/cargo-profiler: $(patsubst cli/%.c,$(BUILD)/obj/cli/%.o,$(CLI_SRCS))
	$(CC) $(CFLAGS) -o $@ $^ $(CLI_LIBS)

all: $(BUILD)/cargo-profiler

SHARE_DIR = $(DESTDIR)$(PREFIX)/share/cargo-profiler
install: $(BUILD)/cargo-profiler
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/cargo-profiler $(DESTDIR)$(PREFIX)/bin/
