#!/usr/bin/env bash
# The dump bench (issue 12: "dump writing time per process goes in make
# bench"): bench/dump_write.c makes 1000 regions and 2000 call-tree nodes
# and writes its dump 20 times, as cprof-2 and, as the reference in the same
# run, as cprof-1 (CPROF_DUMP_FORMAT=1); reported: the size per region or
# node (goal for cprof-2: at most 100 bytes) and the best time of writing
# it, with their ratios.
# usage: bench/dump.sh DUMP_WRITE BUILD
set -eu
prog=$1 dir=$2/bench/dump
rm -rf "$dir" && mkdir -p "$dir/v1" "$dir/v2"
run() { CPROF_EVENTS=none CPROF_QUIET=1 CPROF_DUMP_FORMAT=$1 CPROF_OUTPUT=$dir/v$1 "$prog" 20; }
read -r b1 t1 < <(run 1)
read -r b2 t2 < <(run 2)
verdict() { if awk "BEGIN{exit !($1)}"; then echo met; else echo "NOT met"; fi; }
per() { awk "BEGIN{printf \"%.1f\", $1 / 3000}"; }
echo "dump bench: 1000 regions, 2000 tree nodes, time only, best of 20 dumps:"
echo "  cprof-1: $b1 bytes ($(per "$b1") per region or node), written in $t1 ms"
echo "  cprof-2: $b2 bytes ($(per "$b2") per region or node), written in $t2 ms:" \
     "<= 100 bytes $(verdict "$b2 / 3000 <= 100")"
echo "  cprof-2 / cprof-1: size $(awk "BEGIN{printf \"%.3f\", $b2 / $b1}"), time $(awk "BEGIN{printf \"%.2f\", $t2 / $t1}")"
