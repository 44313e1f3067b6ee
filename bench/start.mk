# make bench-start: what a profiled process costs in CPU from exec to exit
# against the same program unprofiled, in the same run, and the dump's
# writing time for 1000 regions on 2000 call paths (bench/start.sh).
START_DIR := $(BUILD)/bench/start
START_CFLAGS = $(BASE_CFLAGS) -O2 -pthread

$(START_DIR)/run: bench/start_run.c
	@mkdir -p $(dir $@)
	$(CC) $(START_CFLAGS) $< -o $@
$(START_DIR)/empty: bench/start_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(START_CFLAGS) $< -o $@
$(START_DIR)/prof: bench/start_prog.c $(BUILD)/libcprof.a include/cprof.h
	@mkdir -p $(dir $@)
	$(CC) $(START_CFLAGS) -DWITH_CPROF $< -o $@ $(BUILD)/libcprof.a $(RT_LIBS)
$(START_DIR)/sde: bench/start_prog.c $(BUILD)/libcprof.a include/cprof.h
	@mkdir -p $(dir $@)
	$(CC) $(START_CFLAGS) -DWITH_CPROF -DWITH_SDE $< -o $@ $(BUILD)/libcprof.a -lsde $(RT_LIBS)
# libcprof.so under its soname, as make install lays it out.
$(START_DIR)/prof-so: bench/start_prog.c $(BUILD)/libcprof.so include/cprof.h
	@mkdir -p $(START_DIR)/lib
	ln -sf $(abspath $(BUILD))/libcprof.so $(START_DIR)/lib/libcprof.so.0
	$(CC) $(START_CFLAGS) -DWITH_CPROF $< -o $@ $(BUILD)/libcprof.so -Wl,-rpath,$(abspath $(START_DIR))/lib

.PHONY: bench-start
bench-start: $(addprefix $(START_DIR)/,run empty prof sde prof-so)
	bench/start.sh $(BUILD)
bench: bench-start
