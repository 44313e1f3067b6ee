#!/usr/bin/env bash
# End-to-end round trip of our own --format json report: for real dumps (the
# C example, and the mergefix fixture's threads and child process) and for
# valgrind files, `report X --format json > r.json` then `report r.json`
# must print what `report X` prints, in every format (table, tree, csv,
# json, folded), bar lines that name the input file (the spread across
# processes of mergefix's two included). Also: --threads reports, reports
# cut by -n, other report versions, mixing with dumps.
# usage: tests/e2e/report_json.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# A target dir of its own: regions.sh checks which run under its target dir
# is the newest, and the two suites may run at once.
TD=$BUILD/e2e-report-target
mkdir -p "$BUILD/tmp"
TMP=$(mktemp -d "$BUILD/tmp/e2e-report-json.XXXXXX")
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE

. "$(dirname "$0")/lib.sh"

# same_output NAME INPUT REPORT ARGS...: `report INPUT ARGS` and `report REPORT ARGS`
# print the same stdout (lines naming either file left out) and exit alike.
same_output() {
  local name=$1 in=$2 rep=$3; shift 3
  "$CP" report "$in" "$@" >"$TMP/a.out" 2>"$TMP/a.err"; local ra=$?
  "$CP" report "$rep" "$@" >"$TMP/b.out" 2>"$TMP/b.err"; local rb=$?
  grep -v -F -e "$in" -e "$rep" "$TMP/a.out" >"$TMP/a.cmp"
  grep -v -F -e "$in" -e "$rep" "$TMP/b.out" >"$TMP/b.cmp"
  if [ $ra = 0 ] && [ $ra = $rb ] && [ -s "$TMP/a.cmp" ] && cmp -s "$TMP/a.cmp" "$TMP/b.cmp"; then
    ok "$name"
  else
    bad "$name" "exit $ra vs $rb" "$(diff "$TMP/a.cmp" "$TMP/b.cmp" | head -8)" "$(head -3 "$TMP/b.err")"
  fi
}

# round_trip LABEL INPUT [ARGS...]: every format, the report made with ARGS too
round_trip() {
  local label=$1 in=$2; shift 2
  local rep=$TMP/$label.report.json
  "$CP" report "$in" "$@" --format json >"$rep" 2>"$TMP/$label.make.err"
  check "$label: the report is a cprof-report-1" grep -q '"format": "cprof-report-1"' "$rep"
  for f in table tree csv json folded; do
    same_output "$label: --format $f of the report = of the input" "$in" "$rep" "$@" --format "$f"
  done
}

# --- real dumps: the C example (examples/c/wordfreq, built by make) ----------------
mkdir -p "$TMP/c"
(cd "$TMP/c" && CPROF_OUTPUT="$TMP/c" "$BUILD/examples/c/wordfreq" <"$ROOT/README.md" >/dev/null 2>&1)
DUMP=$(ls "$TMP"/c/cprof-*.json 2>/dev/null | head -1)
check "the C example wrote a dump" [ -n "$DUMP" ]
if [ -n "$DUMP" ]; then
  round_trip c-dump "$DUMP"
  round_trip c-dump-sorted "$DUMP" --sort calls
  same_output "c-dump: --no-compensate report read back as it was made" "$DUMP" \
    "$(f=$TMP/raw.json; "$CP" report "$DUMP" --no-compensate --format json >"$f"; echo "$f")" --no-compensate --format json
  "$CP" report "$DUMP" --format json -n 2 >"$TMP/top2.json" 2>/dev/null
  "$CP" report "$TMP/top2.json" >"$TMP/top2.out" 2>&1
  check "-n 2 report: says it lacks rows" grep -q "warning: $TMP/top2.json: a report of the top 2 of [0-9]* regions" "$TMP/top2.out"
  check "-n 2 report: every region still in the table (from the tree)" \
    bash -c "[ \"\$(grep -c 'wordfreq.c:' '$TMP/top2.out')\" = \"\$('$CP' report '$DUMP' | grep -c 'wordfreq.c:')\" ]"
  "$CP" report "$TMP/c-dump.report.json" "$DUMP" >/dev/null 2>"$TMP/mix.err"; rc=$?
  check "a report and a dump: not merged, said, exit 1" \
    bash -c "[ $rc = 1 ] && grep -q 'a report and cprof dumps cannot be merged' '$TMP/mix.err'"
  cp "$TMP/c-dump.report.json" "$TMP/twin.json"
  "$CP" report "$TMP/c-dump.report.json" "$TMP/twin.json" --format json >"$TMP/two.json" 2>/dev/null
  check "two reports: merged, said once" bash -c "[ \$(grep -c 'merged 2 reports' '$TMP/two.json') = 1 ]"
  sed 's/"cprof-report-1"/"cprof-report-9"/' "$TMP/c-dump.report.json" >"$TMP/v9.json"
  "$CP" report "$TMP/v9.json" >/dev/null 2>"$TMP/v9.err"; rc=$?
  check "another report version: named with the one expected, exit 1" \
    bash -c "[ $rc = 1 ] && grep -q 'v9.json: unknown report format \"cprof-report-9\" (this cargo-profiler reads \"cprof-report-1\"' '$TMP/v9.err'"
  head -c 300 "$TMP/c-dump.report.json" >"$TMP/cut.json"
  "$CP" report "$TMP/cut.json" >"$TMP/cut.out" 2>"$TMP/cut.err"; rc=$?
  check "a cut report: one line naming it, nothing on stdout" \
    bash -c "[ $rc = 1 ] && [ \$(wc -l <'$TMP/cut.err') = 1 ] && grep -q 'cut.json: line' '$TMP/cut.err' && [ ! -s '$TMP/cut.out' ]"
fi

# --- the mergefix fixture: threads, a child process, an sde counter ---------------
EV=sde:::MERGE::WORK
if command -v cargo >/dev/null; then
  (cd "$ROOT/tests/e2e/fixtures/mergefix" && "$CP" regions --target-dir "$TD" --events $EV </dev/null \
    >"$TMP/mf.out" 2>"$TMP/mf.err")
  RUN=$(sed -n 's/.*(dumps in \(.*\))$/\1/p' "$TMP/mf.err" | head -1)
  check "mergefix ran (dumps of its processes)" [ -d "$RUN" ]
  check "regions of a program and its child: each region's spread across the 2 processes" \
    grep -q '^per process (2 processes): ' "$TMP/mf.out"
  if [ -d "$RUN" ]; then
    round_trip mergefix "$RUN"
    "$CP" report "$RUN" --threads --format json >"$TMP/thr.json" 2>/dev/null
    same_output "--threads report: its merged part read back" "$RUN" "$TMP/thr.json"
  fi
else
  echo "skip mergefix: no cargo"
fi

# --- valgrind files --------------------------------------------------------------
for f in "$ROOT"/tests/valgrind/fixtures/*.cg "$ROOT"/tests/valgrind/fixtures/*.cachegrind; do
  round_trip "$(basename "$f")" "$f"
done
same_output "callgrind: --callers from a report" "$ROOT/tests/valgrind/fixtures/rust.cg" \
  "$TMP/rust.cg.report.json" --callers demo::fib
"$CP" report "$ROOT/tests/valgrind/fixtures/compress.cg" --format json -n 1 >"$TMP/vtop.json" 2>/dev/null
"$CP" report "$TMP/vtop.json" >"$TMP/vtop.out" 2>&1
check "-n 1 callgrind report: says it lacks rows" \
  grep -q "a report of the top 1 of [0-9]* functions (-n): figures of the others are missing" "$TMP/vtop.out"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
