#!/usr/bin/env bash
# Runs the readers' libFuzzer target for a bounded time from a corpus of
# real valgrind files and the format fixtures; prints "N passed, M failed"
# (1 passed when nothing crashed). usage: fuzz/run.sh BUILD SECONDS
set -u
build=$1 secs=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
work=$build/fuzz/corpus
mkdir -p "$work"
seeds=$(mktemp -d "$build/fuzz/seeds.XXXXXX")   # per run: runs may overlap
trap 'rm -rf "$seeds"' EXIT
cp "$here"/corpus/* "$here"/../tests/valgrind/fixtures/*.cg "$here"/../tests/valgrind/fixtures/*.cachegrind "$seeds"/
"$build"/fuzz/readers -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=131072 \
  -print_final_stats=1 -artifact_prefix="$build"/fuzz/ "$work" "$seeds"
status=$?
if [ $status -eq 0 ]; then
  echo "fuzzed ${secs}s without a crash"
  echo "1 passed, 0 failed"
else
  echo "the fuzzer found a crash (exit $status): see $build/fuzz/crash-* or leak-*"
  echo "0 passed, 1 failed"
fi
