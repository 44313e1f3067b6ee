#!/usr/bin/env bash
# The headers in a user's strictest builds: tests/header/strict.c compiled
# -Werror under C89 -pedantic (plain calls: the inline path is C99), gnu89,
# C99 and C11 -pedantic, and with clang's -Wcast-align -Wcomma where clang
# is here; each build run, its calls counted in the dump.
# Prints "N passed, M failed".
# usage: tests/header/strict.sh BUILD
set -u
BUILD=$(realpath "${1:-build}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
TMP=$(mktemp -d "$BUILD/tmp/header-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
SRC=$ROOT/tests/header/strict.c
W="-Werror -Wall -Wextra"

build_run() { # build_run NAME CC FLAGS...: compiled, linked, run; its dump in $TMP/NAME
  local name=$1 cc=$2; shift 2
  "$cc" "$@" -I"$ROOT/include" -c "$SRC" -o "$TMP/$name.o" 2>"$TMP/$name.err" || { cat "$TMP/$name.err"; return 1; }
  cc "$TMP/$name.o" -o "$TMP/$name" "$BUILD/libcprof.a" -lpthread -lm -ldl || return 1
  mkdir -p "$TMP/$name.d"
  CPROF_EVENTS=none CPROF_QUIET=1 CPROF_OUTPUT="$TMP/$name.d" "$TMP/$name" >"$TMP/$name.out" || return 1
  [ "$(cat "$TMP/$name.out")" = 20 ] || { echo "     output: $(cat "$TMP/$name.out")"; return 1; }
  local got
  got=$(jq -c '[.threads[0].tree[] | .[3]] | add' "$TMP/$name.d"/cprof-*.json)
  [ "$got" = 10 ] || { echo "     calls in the dump: $got, expected 10 (5 pairs, 5 scopes)"; return 1; }
}

check "gcc -std=c89 -pedantic" build_run c89 gcc -std=c89 -pedantic $W
check "gcc -std=c89 -pedantic -DCPROF_NO_INLINE" build_run c89n gcc -std=c89 -pedantic -DCPROF_NO_INLINE $W
check "gcc -std=gnu89 -pedantic" build_run gnu89 gcc -std=gnu89 -pedantic $W
check "gcc -std=c99 -pedantic" build_run c99 gcc -std=c99 -pedantic $W
check "gcc -std=c11 -pedantic -Wcast-align=strict" build_run c11 gcc -std=c11 -pedantic -Wcast-align=strict $W
if command -v clang >/dev/null; then
  check "clang -std=c99 -Wcast-align -Wcomma" build_run clang99 clang -std=c99 -Wcast-align -Wcomma $W
  check "clang -std=c89 -pedantic" build_run clang89 clang -std=c89 -pedantic $W
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
