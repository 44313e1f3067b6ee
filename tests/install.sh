#!/usr/bin/env bash
# Installs into a scratch prefix and builds the C example against the
# installed copy the way a user would: `pkg-config --cflags --libs cprof`.
# Prints "N passed, M failed".
set -u
build=${1:-build}
prefix=$(realpath -m "$build/tmp/prefix")
rm -rf "$prefix"
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else echo "FAIL: $1"; failed=$((failed + 1)); fi; }

make --no-print-directory install PREFIX="$prefix" BUILD="$build" >/dev/null
check "cargo-profiler installed and runs" '"$prefix/bin/cargo-profiler" --version >/dev/null'
check "header installed" '[ -f "$prefix/include/cprof.h" ]'
check "static and shared libraries installed" '[ -f "$prefix/lib/libcprof.a" ] && [ -f "$prefix/lib/libcprof.so.0" ]'
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
check "pkg-config --libs prints what a link needs" '[ "$(echo $(pkg-config --libs cprof))" = "-L$prefix/lib -lcprof -lpthread -lm" ]'
out="$build/tmp/wordfreq-installed"
# shellcheck disable=SC2046
check "a program builds against the installed copy" \
  'cc -std=c11 examples/c/wordfreq.c -o "$out" $(pkg-config --cflags cprof) -Wl,-rpath,"$prefix/lib" $(pkg-config --libs cprof)'
dir=$(mktemp -d "$build/tmp/install-XXXXXX")
check "it runs and dumps" 'CPROF_EVENTS=none CPROF_OUTPUT="$dir" "$out" 1000 >/dev/null && ls "$dir"/cprof-*.json >/dev/null'
check "the static library links with nothing beyond -lpthread -lm (no libpapi)" \
  'cc -std=c11 examples/c/wordfreq.c -o "$out.static" -I"$prefix/include" "$prefix/lib/libcprof.a" -lpthread -lm &&
   ! objdump -p "$out.static" | grep -q "NEEDED.*libpapi"'
check "the shared library needs no libpapi and calls no PAPI function directly" \
  '! objdump -p "$prefix/lib/libcprof.so.0" | grep -q "NEEDED.*libpapi" && [ -z "$(nm -D --undefined-only "$prefix/lib/libcprof.so.0" | grep -i papi)" ]'
check "the shared library exports only the API" \
  '[ -z "$(nm -D --defined-only "$prefix/lib/libcprof.so.0" | awk "{print \$3}" | grep -v "^cprof_[a-z0-9_]*$" | grep -v "^_")" ]'
# a program whose inline fast path was built for another CPROF_HOT_ABI must
# not load against this library: the thread state's symbol carries the ABI,
# and the old name is gone
abi=$(sed -n 's/^#define CPROF_HOT_ABI \([0-9]*\)u$/\1/p' include/cprof_hot.h)
check "the thread state's symbol carries CPROF_HOT_ABI ($abi), and an older fast path's does not link" \
  'nm -D --defined-only "$prefix/lib/libcprof.so.0" | grep -q " cprof_tls_abi${abi}u$" &&
   printf "extern __thread void *cprof_tls;\nint main(void) { return cprof_tls != 0; }\n" >"$out.old.c" &&
   ! cc "$out.old.c" -o "$out.old" -L"$prefix/lib" -lcprof 2>/dev/null'
# dlopen: a plugin linked with the installed libcprof.so, loaded, used by a
# thread, unloaded before that thread ends
check "a plugin using libcprof.so loads with dlopen, unloads, and the process still exits 0 with its dump" \
  'cc -std=c11 -shared -fPIC tests/dlopen/plugin.c -o "$build/tmp/libplugin.so" -I"$prefix/include" -L"$prefix/lib" -Wl,-rpath,"$prefix/lib" -lcprof &&
   cc -std=c11 tests/dlopen/host.c -o "$build/tmp/dlhost" -ldl -pthread && pdir=$(mktemp -d "$build/tmp/dl-XXXXXX") &&
   CPROF_EVENTS=none CPROF_OUTPUT="$pdir" "$build/tmp/dlhost" "$build/tmp/libplugin.so" &&
   grep -q "\"plugin_work\"" "$pdir"/cprof-*.json'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
