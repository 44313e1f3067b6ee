#!/usr/bin/env bash
# libpapi is loaded only when a PAPI event is asked for (runtime/papi_load.c):
# tests/papi_load/lazy.c, linked with libcprof.a and with libcprof.so (never
# with libpapi), run time-only, with built-in and user counters, with an
# sde::: event, and with CPROF_TEST_PAPI_LIB standing for a machine where
# libpapi cannot be loaded; and its command line in the dump (read from
# memory, runtime/cmdline.c). Prints "N passed, M failed".
# usage: tests/papi_load/papi_load.sh BUILD
set -u
BUILD=$(realpath "${1:-build}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
TMP=$(mktemp -d "$BUILD/tmp/papi-load-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
SRC=$ROOT/tests/papi_load/lazy.c
mkdir -p "$TMP/lib" && ln -s "$BUILD/libcprof.so" "$TMP/lib/libcprof.so.0" && ln -s "$BUILD/libcprof.so" "$TMP/lib/libcprof.so"
cc -std=c11 -D_GNU_SOURCE -O1 -I"$ROOT/include" -pthread "$SRC" -o "$TMP/static" "$BUILD/libcprof.a" -lsde -lpthread -lm
cc -std=c11 -D_GNU_SOURCE -O1 -I"$ROOT/include" -pthread "$SRC" -o "$TMP/shared" -L"$TMP/lib" -Wl,-rpath,"$TMP/lib" -lcprof -lsde
EV=sde:::LAZY::N

run() { # run NAME EXE [ENV...]: stdout, stderr and the dump in $TMP/NAME*
  local name=$1 exe=$2; shift 2
  mkdir -p "$TMP/$name"
  env -u CPROF_EVENTS -u CPROF_TEST_PAPI_LIB CPROF_DUMP_FORMAT=1 CPROF_OUTPUT="$TMP/$name" "$@" "$exe" >"$TMP/$name.out" 2>"$TMP/$name.err"
}
says() { # says FILE TEXT: the file is exactly that text
  [ "$(cat "$1")" = "$2" ] || { echo "     $1: $(cat "$1")"; return 1; }
}
dq() { # dq NAME JQ EXPECTED: the dump answers that
  local got; got=$(jq -c "$2" "$TMP/$1"/cprof-*.json 2>&1)
  [ "$got" = "$3" ] || { echo "     jq '$2' on $1: got $got, expected $3"; return 1; }
}
REGION='.threads[0].regions[] | select(.name == "lazy_work")'

for kind in static shared; do
  exe=$TMP/$kind
  check "$kind: no libpapi among the libraries it needs" bash -c "! objdump -p '$exe' | grep -q 'NEEDED.*libpapi'"
  run $kind-none "$exe" CPROF_EVENTS=none
  check "$kind: time only: libpapi and libpfm never mapped" says "$TMP/$kind-none.out" "libpapi not mapped, libpfm not mapped"
  check "$kind: time only: the region is measured" dq $kind-none "$REGION | .calls" 1
  mkdir -p "$TMP/$kind-args" && CPROF_EVENTS=none CPROF_OUTPUT="$TMP/$kind-args" "$exe" one "two words" >/dev/null
  check "$kind: the dump's command is the command line" dq $kind-args .command "\"$exe one two words\""
  run $kind-ours "$exe" CPROF_EVENTS=cprof::allocs,user::u
  check "$kind: cprof:: and user:: counters: libpapi never mapped" says "$TMP/$kind-ours.out" "libpapi not mapped, libpfm not mapped"
  run $kind-sde "$exe" CPROF_EVENTS=$EV
  check "$kind: an sde::: event loads libpapi" says "$TMP/$kind-sde.out" "libpapi mapped, libpfm mapped"
  check "$kind: ... and counts the program's own counter exactly" dq $kind-sde "$REGION | .counters[\"$EV\"].incl" 7
  check "$kind: ... with nothing on stderr" says "$TMP/$kind-sde.err" ""
  run $kind-nopapi "$exe" CPROF_EVENTS=$EV CPROF_TEST_PAPI_LIB=/nonexistent/libpapi.so
  check "$kind: libpapi not loadable: not mapped" says "$TMP/$kind-nopapi.out" "libpapi not mapped, libpfm not mapped"
  check "$kind: ... one line says why, with dlerror's words" says "$TMP/$kind-nopapi.err" \
    "cprof: no PAPI event is counted ($EV): cannot load libpapi: /nonexistent/libpapi.so: cannot open shared object file: No such file or directory; time, cprof:: and user:: counters still work"
  check "$kind: ... the dump lists the event as not active, with that reason" dq $kind-nopapi '.events' \
    "[{\"name\":\"$EV\",\"active\":false,\"reason\":\"cannot load libpapi: /nonexistent/libpapi.so: cannot open shared object file: No such file or directory\"}]"
  check "$kind: ... and time is still measured" dq $kind-nopapi "$REGION | [.calls, .incl_ns > 0, .counters]" '[1,true,{}]'
done
# A library that loads but is no PAPI: which function is missing.
run notpapi "$TMP/static" CPROF_EVENTS=$EV CPROF_TEST_PAPI_LIB=libc.so.6
check "a library without PAPI's functions: the first one missing is named" dq notpapi '.events[0].reason | startswith("libc.so.6 has no PAPI_library_init: ")' true
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
