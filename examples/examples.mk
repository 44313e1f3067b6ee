# examples/c: a small C program that uses the runtime (built by `make`).
$(BUILD)/examples/c/wordfreq: examples/c/wordfreq.c include/cprof.h $(BUILD)/libcprof.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -pthread $< -o $@ $(BUILD)/libcprof.a $(RT_LIBS)
all: $(BUILD)/examples/c/wordfreq

# examples/mpi: an MPI program (mpicc: Open MPI, which `make deps` installs),
# one dump per rank (tests/e2e/mpi.sh). Part of `make` where mpicc is.
MPICC ?= mpicc
$(BUILD)/examples/mpi/mpi_ranks: examples/mpi/mpi_ranks.c include/cprof.h $(BUILD)/libcprof.a
	@mkdir -p $(dir $@)
	$(MPICC) $(BASE_CFLAGS) $(CFLAGS) -pthread $< -o $@ $(BUILD)/libcprof.a -lsde $(RT_LIBS)
ifneq ($(shell command -v $(MPICC) 2>/dev/null),)
all: $(BUILD)/examples/mpi/mpi_ranks
endif
