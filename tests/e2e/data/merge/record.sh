#!/usr/bin/env bash
# record.sh CARGO_PROFILER: writes expected/NAME.out, .err, .rc for every
# line of cases.txt, as CARGO_PROFILER prints them. The files here were
# recorded with the jansson-based dump reader (main at 8cb06f0), before the
# pull parser replaced it: tests/e2e/merge.sh checks that the reader of
# today prints every figure, note and warning exactly as that one did.
# Re-recorded when throttling and trust marks came (issue 11): the diff
# against the jansson reader's output was additions only (overhead_share,
# each node's "overhead", the trust column and its note, csv's
# pairs,timed,overhead_share); every figure was the same. Again for reals
# in the shortest digits that read back (0.833, not 0.83299999999999996):
# every value the same double. And
# when min_ns, max_ns lost the average profiler cost of a call (not only
# ns_inside), kept around mean_ns: only those two changed.
set -u
cp=$(realpath "$1")
cd "$(dirname "$0")"
mkdir -p expected
export NO_COLOR=1 CPROF_QUIET=1
grep -v '^#' cases.txt | while IFS='|' read -r name args; do
  # shellcheck disable=SC2086
  "$cp" report $args >"expected/$name.out" 2>"expected/$name.err"
  echo $? >"expected/$name.rc"
done
