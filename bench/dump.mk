# make bench-dump: the dump's size and writing time, cprof-2 against cprof-1 (bench/dump.sh).
$(BUILD)/bench/dump_write: bench/dump_write.c $(BUILD)/libcprof.a include/cprof.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -g -pthread $< -o $@ $(BUILD)/libcprof.a $(RT_LIBS)

.PHONY: bench-dump
bench-dump: $(BUILD)/bench/dump_write
	bench/dump.sh $(BUILD)/bench/dump_write $(BUILD)
bench: bench-dump
