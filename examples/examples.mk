# examples/c: a small C program that uses the runtime (built by `make`).
$(BUILD)/examples/c/wordfreq: examples/c/wordfreq.c include/cprof.h $(BUILD)/libcprof.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -pthread $< -o $@ $(BUILD)/libcprof.a $(RT_LIBS)
all: $(BUILD)/examples/c/wordfreq
