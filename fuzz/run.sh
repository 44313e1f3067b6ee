#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from its seeds; prints
# "N passed, M failed" (1 passed when nothing crashed).
# usage: fuzz/run.sh FUZZER WORKDIR SECONDS MAX_LEN [-dict=FILE] SEED...
# (SEED: files or folders, copied so that runs may overlap)
set -u
fuzzer=$1 work=$2 secs=$3 maxlen=$4; shift 4
dict=()
case "${1:-}" in -dict=*) dict=("$1"); shift ;; esac
mkdir -p "$work/corpus"
seeds=$(mktemp -d "$work/seeds.XXXXXX")
trap 'rm -rf "$seeds"' EXIT
for s in "$@"; do
  if [ -d "$s" ]; then cp "$s"/* "$seeds"/; else cp "$s" "$seeds"/; fi
done
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$maxlen" \
  -print_final_stats=1 -artifact_prefix="$work"/ "${dict[@]}" "$work/corpus" "$seeds"
status=$?
if [ $status -eq 0 ]; then
  echo "fuzzed ${secs}s without a crash"
  echo "1 passed, 0 failed"
else
  echo "the fuzzer found a crash (exit $status): see $work/crash-* or leak-*"
  echo "0 passed, 1 failed"
fi
