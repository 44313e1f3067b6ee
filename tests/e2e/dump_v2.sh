#!/usr/bin/env bash
# End-to-end test of the compact dump (cprof-2): the same run's dumps
# written as cprof-2 and, from the same cut (CPROF_TEST_DUMP_V1), as
# cprof-1 give byte-identical reports in every format, per process and per
# thread, over a C program with every shape a tree holds
# (tests/e2e/fixtures/v2mix: sde and user counters, recursion, throttling,
# pending polls, threads, calls open at the dump on this thread and on
# another); and cprof-2 holds at most 100 bytes per region or node there.
# usage: tests/e2e/dump_v2.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "$BUILD/tmp/e2e-dump-v2.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE CPROF_DUMP_FORMAT CPROF_THROTTLE CPROF_SAMPLE
. "$(dirname "$0")/lib.sh"

cc -std=c11 -D_GNU_SOURCE -O2 -I"$ROOT/include" -pthread "$ROOT/tests/e2e/fixtures/v2mix/v2mix.c" \
  -o "$TMP/v2mix" "$BUILD/libcprof.a" -lsde -lpthread -lm
mkdir -p "$TMP/v2" "$TMP/v1" "$TMP/only1"
CPROF_EVENTS=sde:::V2MIX::W CPROF_OUTPUT=$TMP/v2 CPROF_TEST_DUMP_V1=$TMP/v1 "$TMP/v2mix"
CPROF_EVENTS=sde:::V2MIX::W CPROF_OUTPUT=$TMP/only1 CPROF_DUMP_FORMAT=1 "$TMP/v2mix"
fmt() { jq -r .format "$1"/cprof-*.json; }
check "the dump is cprof-2, its copy from the same cut cprof-1, CPROF_DUMP_FORMAT=1 writes cprof-1" \
  bash -c "[ \"\$(jq -r .format '$TMP'/v2/cprof-*.json)\" = cprof-2 ] && [ \"\$(jq -r .format '$TMP'/v1/cprof-*.json)\" = cprof-1 ] && [ \"\$(jq -r .format '$TMP'/only1/cprof-*.json)\" = cprof-1 ] && [ \$(ls '$TMP/v2' | wc -l) = 1 ] && [ \$(ls '$TMP/v1' | wc -l) = 1 ]"
same() { # same ARGS...: report ARGS of the cprof-2 dump and of its cprof-1 copy, byte for byte
  "$CP" report "$@" "$TMP/v2" >"$TMP/a.rep" 2>&1 && "$CP" report "$@" "$TMP/v1" >"$TMP/b.rep" 2>&1 &&
    [ -s "$TMP/a.rep" ] && cmp "$TMP/a.rep" "$TMP/b.rep"
}
for f in table tree json csv; do
  check "report --format $f: the same bytes from cprof-2 and cprof-1" same --format $f
  check "report --threads --format $f: the same bytes from cprof-2 and cprof-1" same --threads --format $f
done
check "report --no-compensate --format csv: the same bytes" same --no-compensate --format csv
check "report --format json --by rank: the same bytes" same --format json --by rank
# the shapes are there: throttled, open on another thread, pending polls, recursion
check "the run has them all: tiny throttled, held open, poll pending, rec 4 deep (12 calls), exact sde and user counts" bash -c \
  "\"$CP\" report --format json '$TMP/v2' >'$TMP/j.json' 2>/dev/null && [ \"\$(jq -c '[.regions[] | select(.name | test(\"tiny|poll|rec|held\")) | [.name, .calls, (.sampled != null), .counters[\"sde:::V2MIX::W\"].incl, .counters[\"user::items\"].incl]] | sort' '$TMP/j.json')\" = '[[\"v2mix::held\",0,false,2,2],[\"v2mix::poll\",2,false,30,0],[\"v2mix::rec\",12,false,12,12],[\"v2mix::tiny\",4000,true,8000,0]]' ] && grep -q '\"open\":true' '$TMP'/v2/cprof-*.json"
check "cprof-2 is at most a fifth of cprof-1 here" bash -c \
  "[ \$(( \$(cat '$TMP'/v2/cprof-*.json | wc -c) * 5 )) -le \$(cat '$TMP'/v1/cprof-*.json | wc -c) ]"
# a thread that ended with a region open: closed then, and the report says so
cc -std=c11 -D_GNU_SOURCE -O2 -I"$ROOT/include" -pthread "$ROOT/tests/e2e/fixtures/threadopen/threadopen.c" \
  -o "$TMP/threadopen" "$BUILD/libcprof.a" -lpthread -lm
mkdir -p "$TMP/to" && CPROF_EVENTS=none CPROF_OUTPUT=$TMP/to "$TMP/threadopen"
check "a thread that ended with a region open: the report's note says it" bash -c \
  "\"$CP\" report '$TMP/to' 2>&1 | grep -q 'thread [0-9]*: 1 region(s) left open when the thread ended (closed then, as incomplete calls)'"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
