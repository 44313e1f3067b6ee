#!/usr/bin/env bash
# Runs the dump reader's libFuzzer target for a bounded time from the seed
# dumps; prints "N passed, M failed" (1 passed when nothing crashed).
# usage: tests/cli_fuzz/run.sh FUZZER WORKDIR SECONDS
set -u
fuzzer=$1 work=$2 secs=${3:-15}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/corpus"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work"/ -dict="$here/json.dict" "$work/corpus" "$here/corpus"
status=$?
if [ $status -eq 0 ]; then
  echo "fuzzed ${secs}s without a crash"
  echo "1 passed, 0 failed"
else
  echo "the fuzzer found a crash (exit $status): see $work/crash-* or leak-*"
  echo "0 passed, 1 failed"
fi
