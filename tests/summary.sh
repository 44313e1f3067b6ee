#!/usr/bin/env bash
# Adds up the results tests/run-suite.sh recorded and prints the closing line.
# A suite with no result (its build failed) counts as one failure.
# usage: tests/summary.sh RESULTS_DIR SUITE...
set -u
results=$1; shift
passed=0 failed=0 bad=""
for s in "$@"; do
  if [ -f "$results/$s" ]; then
    read -r p f _ <"$results/$s"
    passed=$((passed + p)); failed=$((failed + f))
    [ "$f" -ne 0 ] && bad="$bad $s"
  else
    failed=$((failed + 1)); bad="$bad $s(did-not-run)"
  fi
done
[ -n "$bad" ] && echo "failing suites:$bad"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
