# libcprof: build/libcprof.{a,so}, sanitizer variants for the tests, cprof.pc.
RT_SRCS := $(wildcard runtime/*.c)
RT_HDRS := $(wildcard include/*.h runtime/*.h)
# No -lpapi: libpapi is loaded with dlopen when an event asks for it
# (runtime/papi_load.c). Programs that call PAPI or libsde link them themselves.
RT_LIBS := -lpthread -lm
RT_CFLAGS = $(BASE_CFLAGS) $(CFLAGS) -I$(BUILD)/gen -fPIC -fvisibility=hidden -pthread

# The names of PAPI's presets, from the PAPI this builds against: a
# misspelled one is said so even where libpapi is not loaded (no CPU PMU:
# runtime/counters.c).
$(BUILD)/gen/papi_presets.h: runtime/papi_presets.sh
	@mkdir -p $(dir $@)
	runtime/papi_presets.sh "$(CC) $(CFLAGS)" $@

# $(call rt_variant,DIR,EXTRA_CFLAGS): objects and static library in DIR.
define rt_variant
$(1)/obj/runtime/%.o: runtime/%.c $(RT_HDRS) $(BUILD)/gen/papi_presets.h
	@mkdir -p $$(dir $$@)
	$$(CC) $$(RT_CFLAGS) $(2) -c $$< -o $$@
$(1)/libcprof.a: $(patsubst runtime/%.c,$(1)/obj/runtime/%.o,$(RT_SRCS))
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(eval $(call rt_variant,$(BUILD),))
$(eval $(call rt_variant,$(BUILD)/asan,$(SAN_ASAN) -O1))
$(eval $(call rt_variant,$(BUILD)/tsan,$(SAN_TSAN) -O1))

# -z nodelete: the library's thread-exit, atexit and atfork handlers must
# outlive a dlclose of whatever loaded it. -z defs: every symbol it uses is
# there (a direct PAPI call would fail here, not on a machine without PAPI).
$(BUILD)/libcprof.so: $(patsubst runtime/%.c,$(BUILD)/obj/runtime/%.o,$(RT_SRCS))
	$(CC) -shared -Wl,-soname,libcprof.so.0 -Wl,-z,nodelete -Wl,-z,defs -o $@ $^ $(RT_LIBS)

# libcprof_alloc.so: the allocation hooks of C and C++ programs, apart from
# libcprof (see runtime/preload/alloc_preload.c for why).
$(BUILD)/libcprof_alloc.so: runtime/preload/alloc_preload.c
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -fPIC -shared -fvisibility=hidden -Wl,-soname,libcprof_alloc.so -o $@ $<

CPROF_VERSION := $(shell sed -n 's/^\#define CPROF_VERSION "\(.*\)"/\1/p' include/cprof.h)

.PHONY: runtime
runtime: $(BUILD)/libcprof.a $(BUILD)/libcprof.so $(BUILD)/libcprof_alloc.so
all: runtime

.PHONY: install-runtime
install: install-runtime
install-runtime: runtime
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/cprof.h include/cprof_names.h include/cprof_hot.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/libcprof.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libcprof.so $(DESTDIR)$(PREFIX)/lib/libcprof.so.0
	ln -sf libcprof.so.0 $(DESTDIR)$(PREFIX)/lib/libcprof.so
	install -m 755 $(BUILD)/libcprof_alloc.so $(DESTDIR)$(PREFIX)/lib/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(CPROF_VERSION)|' runtime/cprof.pc.in \
	  >$(DESTDIR)$(PREFIX)/lib/pkgconfig/cprof.pc
