#!/usr/bin/env bash
# Runs one test suite, keeps its log, and records "passed failed" for
# tests/summary.sh, reading whichever closing lines the runner prints
# (Criterion, cargo test, or a plain "N passed, M failed").
# usage: tests/run-suite.sh RESULTS_DIR NAME COMMAND [ARGS...]
set -u
results=$1 name=$2; shift 2
mkdir -p "$results"
log="$results/$name.log"
echo "=== suite $name: $*"
start=$(date +%s)
"$@" >"$log" 2>&1
status=$?
secs=$(( $(date +%s) - start ))
passed=0 failed=0
# Criterion: "[====] Synthesis: Tested: 12 | Passing: 11 | Failing: 1 | Crashing: 0"
while read -r p f c; do
  passed=$((passed + p)); failed=$((failed + f + c))
done < <(sed -n 's/.*Synthesis: Tested: [0-9]* | Passing: \([0-9]*\) | Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2 \3/p' "$log")
# cargo test: "test result: ok. 5 passed; 0 failed; ..."
while read -r p f; do
  passed=$((passed + p)); failed=$((failed + f))
done < <(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$log")
# plain: "N passed, M failed" alone on a line
while read -r p f; do
  passed=$((passed + p)); failed=$((failed + f))
done < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*$/\1 \2/p' "$log")
# A sanitizer report fails the suite even when the runner counted a pass
# (Criterion records the result before the process's exit-time leak check).
san=$(grep -cE "ERROR: (Address|Leak|Thread|Memory)Sanitizer|WARNING: ThreadSanitizer|runtime error:" "$log")
if [ "$san" -ne 0 ]; then
  echo "    $san sanitizer report(s) in $log"
  failed=$((failed + 1))
fi
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then
  failed=1   # the runner failed without saying which test: count it once
fi
echo "$passed $failed $status" >"$results/$name"
if [ $failed -ne 0 ]; then
  echo "--- suite $name FAILED (exit $status, ${secs} s): last lines of $log"
  tail -n 40 "$log"
else
  echo "    $name: $passed passed (${secs} s)"
fi
exit 0
