/*
 * mpi_ranks.c: an MPI program profiled with libcprof, one dump per rank
 * (README: "Profile an MPI program"; tests/e2e/mpi.sh). Rank r does
 * (r + 1) * 100 units of work in region "work", each counted by the
 * software-defined counter sde:::MPIRANKS::WORK, so every rank's figure is
 * exact and differs from the others': the report's per-rank figures and
 * their spread (min 100, max 100 * size) can be checked to the unit. Then
 * "exchange" adds the work up over the ranks (MPI_Allreduce); rank 0 says
 * the sum, and the exit status says whether it is the one expected.
 *
 *   mpicc -Iinclude examples/mpi/mpi_ranks.c build/libcprof.a -lsde -lpapi -lpthread -lm
 *   CPROF_EVENTS=sde:::MPIRANKS::WORK CPROF_OUTPUT=dumps mpirun -np 4 ./a.out
 */
#include <mpi.h>
#include <sde_lib.h>
#include <stdio.h>

#include "cprof.h"

CPROF_SITE(s_work, "work");
CPROF_SITE(s_unit, "unit");
CPROF_SITE(s_exchange, "exchange");

static long long work_done;   /* sde:::MPIRANKS::WORK reads it */
static volatile double sink;

/* One unit of work: a little time, and one count. */
static void unit(void)
{
    cprof_enter(&s_unit);
    double x = 0;
    for (int j = 0; j < 2000; j++)
        x += j * 0.5;
    sink = x;
    work_done++;
    cprof_exit(&s_unit);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    /* before the first region: the runtime starts PAPI, which finds the counter */
    papi_handle_t h = papi_sde_init("MPIRANKS");
    papi_sde_register_counter(h, "WORK", PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long, &work_done);

    cprof_enter(&s_work);
    for (int i = 0; i < (rank + 1) * 100; i++)
        unit();
    cprof_exit(&s_work);

    long long mine = work_done, total = 0;
    cprof_enter(&s_exchange);
    MPI_Allreduce(&mine, &total, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    cprof_exit(&s_exchange);
    long long expected = 100LL * size * (size + 1) / 2;
    if (rank == 0)
        printf("%d ranks, %lld units of work (expected %lld)\n", size, total, expected);
    MPI_Finalize();
    return total == expected ? 0 : 1;
}
