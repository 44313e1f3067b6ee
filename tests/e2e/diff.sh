#!/usr/bin/env bash
# End-to-end tests of comparing runs: `regions`/`callgrind` with
# --save-baseline/--baseline/--repeat/--limit, `cargo profiler diff` and
# `cargo profiler baselines`, on the fixture tests/e2e/fixtures/difffix,
# whose sde:::DIFF::WORK counter doubles in Parser::parse alone when the
# program is given "double": exact figures, exact verdicts.
# usage: tests/e2e/diff.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "$BUILD/tmp/e2e-diff.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE
EV=sde:::DIFF::WORK
# a copy of the fixture (its target dir inside the temporary folder): the
# "edited code" check moves its lines, and baselines stay this run's own
FIX=$TMP/fixtures/difffix
mkdir -p "$TMP/fixtures" && cp -r "$ROOT/tests/e2e/fixtures/difffix" "$ROOT/tests/e2e/fixtures/sde.rs" "$TMP/fixtures/"
sed -i "s|path = \"../../../../proc-macro-shim/cprof\"|path = \"$ROOT/proc-macro-shim/cprof\"|" "$FIX/Cargo.toml"
TD=$FIX/target

. "$(dirname "$0")/lib.sh"
rc_is() { [ "$(cat "$1.rc")" = "$2" ] || { echo "     exit $(cat "$1.rc"), expected $2; stderr:"; sed 's/^/       /' "$1.err" | head -5; return 1; }; }
cpr() { # cpr OUT ARGS... : cargo profiler in the fixture, stdout/stderr/status kept
  local out=$1; shift
  (cd "$FIX" && "$CP" "$@" </dev/null >"$out.out" 2>"$out.err"; echo $? >"$out.rc")
}
# one row's figure of one metric: row NAME METRIC FIELD
row() { echo "(.rows[] | select(.name==\"$1\" and .metric==\"$2\") | .$3)"; }

# --- a baseline, then a run that doubles one region's work ---------------------
cpr "$TMP/a" regions --events $EV --save-baseline before
check "save-baseline: exit 0, said where" bash -c "rc_is() { [ \"\$(cat \$1.rc)\" = \$2 ]; }; rc_is '$TMP/a' 0 && grep -q 'saved baseline before (1 run) in .*/cargo-profiler/baselines/before' '$TMP/a.err'"
check "save-baseline: the folder holds the run and baseline.json" bash -c \
  "ls '$TD/cargo-profiler/baselines/before/rep-1/'*.json >/dev/null && [ \"\$(jq -r '.format + \" \" + .kind' '$TD/cargo-profiler/baselines/before/baseline.json')\" = 'cprof-baseline-1 regions' ]"
cpr "$TMP/bl" baselines
check "baselines lists it: name, kind, runs" bash -c "rc_is() { [ \"\$(cat \$1.rc)\" = \$2 ]; }; rc_is '$TMP/bl' 0 && grep -Eq '^before +regions +1 run' '$TMP/bl.out'"
check "baselines: each column under its heading (runs over the count, saved over the date, command over the command)" python3 -c "
import sys; h, r = open(sys.argv[1]).read().splitlines()[:2]
assert h.index('runs') == r.index('1 run') and h.index('saved') == r.index('20') and h.index('command') == r.index('/'), (h, r)" "$TMP/bl.out"

cpr "$TMP/b" regions --events $EV --baseline before --format json -- double
check "baseline: exit 0 (no limit), format cprof-diff-1" jeq "$TMP/b.out" '.format' '"cprof-diff-1"'
check "baseline: Parser::parse exactly +100 of work (101 -> 201), regressed" jeq "$TMP/b.out" \
  "[$(row difffix::parser::Parser::parse $EV a), $(row difffix::parser::Parser::parse $EV b), $(row difffix::parser::Parser::parse $EV delta), $(row difffix::parser::Parser::parse $EV verdict)]" \
  '[101,201,100,"regressed"]'
check "baseline: every other region's work the same" jeq "$TMP/b.out" \
  "[.rows[] | select(.metric==\"$EV\" and .name!=\"difffix::parser::Parser::parse\" and .name!=\"difffix::run\") | [.name, .a, .b, .verdict]] | sort" \
  '[["difffix::leaf",2,2,"same"],["difffix::render",51,51,"same"]]'
check "baseline: the enclosing region carries the change (152 -> 252)" jeq "$TMP/b.out" \
  "[$(row difffix::run $EV a), $(row difffix::run $EV b)]" '[152,252]'
check "baseline: calls exact and unchanged" jeq "$TMP/b.out" \
  '[.rows[] | select(.metric=="calls") | .verdict] | unique' '["same"]'
# Parser::parse's time doubles, so its two figures differ; render's may
# come out equal to the ns now and then (about 1 run in 30 under load),
# and two equal figures are "same" (as a diff of a run with itself is)
check "baseline: 1 run each, time has no noise estimate (said)" jeq "$TMP/b.out" \
  "[($(row difffix::parser::Parser::parse time verdict)), ([.rows[] | select(.metric==\"time\" and .a != .b) | .verdict] | unique), ([.notes[] | select(test(\"1 run each\"))] | length)]" \
  '["no noise estimate",["no noise estimate"],1]'
check "baseline: the commands differ (said)" jeq "$TMP/b.out" '[.notes[] | select(test("commands differ"))] | length' '1'

# --- limits --------------------------------------------------------------------
cpr "$TMP/l1" regions --events $EV --baseline before --limit "$EV=+50%@*Parser::parse" -- double
check "limit on the doubled region: exit 3, the row and the limit named" bash -c \
  "[ \$(cat '$TMP/l1.rc') = 3 ] && grep -q 'limit $EV=+50%@\*Parser::parse broken by difffix::parser::Parser::parse' '$TMP/l1.err'"
cpr "$TMP/l2" regions --events $EV --baseline before --limit "$EV=+50%@difffix::render" --limit 'calls=+0' -- double
check "limits on an unchanged region and on calls: exit 0" rc_is "$TMP/l2" 0
cpr "$TMP/l3" regions --events $EV --baseline before --limit 'time=+1%' -- double
check "a time limit with 1 run each cannot break (no noise estimate): exit 0" rc_is "$TMP/l3" 0
cpr "$TMP/l4" regions --events $EV --baseline before --limit "$EV=300" -- double
check "a hard limit (b <= 300) holds: exit 0" rc_is "$TMP/l4" 0
cpr "$TMP/l5" regions --events $EV --baseline before --limit "$EV=200" -- double
check "a hard limit (b <= 200) broken by 201 and 252: exit 3" bash -c \
  "[ \$(cat '$TMP/l5.rc') = 3 ] && [ \$(grep -c 'limit $EV=200 broken by' '$TMP/l5.err') = 2 ]"
cpr "$TMP/l6" regions --events $EV --limit "$EV=+5%"
check "--limit without --baseline: usage error" bash -c "[ \$(cat '$TMP/l6.rc') = 2 ] && grep -q -- '--limit needs --baseline' '$TMP/l6.err'"
cpr "$TMP/l7" regions --events $EV --baseline before --limit 'time=5'  -- double
check "a time limit without a unit: usage error saying so" bash -c "[ \$(cat '$TMP/l7.rc') = 2 ] && grep -q unit '$TMP/l7.err'"
cpr "$TMP/l10" regions --events $EV --baseline before --limit "$EV=+1%@*Parser::prase" -- double
check "a limit whose glob selects no row (a typo): usage error naming rows there are" bash -c \
  "[ \$(cat '$TMP/l10.rc') = 2 ] && grep -q \"no row matches '\\*Parser::prase'.*rows here: \" '$TMP/l10.err'"
cpr "$TMP/l8" regions --events $EV --baseline before --limit 'bogus'
check "a malformed limit: usage error, one line" bash -c "[ \$(cat '$TMP/l8.rc') = 2 ] && [ \$(wc -l <'$TMP/l8.err') = 1 ]"
cpr "$TMP/l9" regions --events $EV --baseline before --limit 'Ir=+5%' -- double
check "a limit on a metric the diff lacks: usage error naming the metrics" bash -c \
  "[ \$(cat '$TMP/l9.rc') = 2 ] && grep -q 'Ir' '$TMP/l9.err' && grep -q 'calls' '$TMP/l9.err'"

# --- diff of run folders, baselines by name, formats ------------------------------
cpr "$TMP/s2" regions --events $EV --save-baseline after -- double
cpr "$TMP/d1" diff before after --format json
check "diff NAME NAME: the same exact figures" jeq "$TMP/d1.out" \
  "[$(row difffix::parser::Parser::parse $EV a), $(row difffix::parser::Parser::parse $EV b), .a.name, .b.name]" \
  '[101,201,"baseline before","baseline after"]'
cpr "$TMP/d2" diff "$TD/cargo-profiler/baselines/before/rep-1" "$TD/cargo-profiler/baselines/after/rep-1" --format csv
check "diff of two run folders, csv: one line per row and metric" bash -c \
  "[ \$(cat '$TMP/d2.rc') = 0 ] && grep -q '^difffix::parser::Parser::parse,$EV,101,201,100,' '$TMP/d2.out'"
cpr "$TMP/d3" diff before after --format markdown --metric $EV
check "markdown: a table, regressions first" bash -c \
  "[ \$(cat '$TMP/d3.rc') = 0 ] && grep -q '^|' '$TMP/d3.out' && grep '^| *\`' '$TMP/d3.out' | head -2 | grep -q 'regressed'"
cpr "$TMP/d4" diff before after --format folded --metric $EV
check "folded: stack A B lines (self values)" bash -c \
  "grep -qx 'difffix::run;Parser::parse 100 200' '$TMP/d4.out' || grep -qx 'difffix::run;difffix::parser::Parser::parse 100 200' '$TMP/d4.out'"
cpr "$TMP/d5" diff before after --metric $EV
check "table: the regressed region first" bash -c \
  "[ \$(cat '$TMP/d5.rc') = 0 ] && grep -E 'Parser::parse|difffix::run' '$TMP/d5.out' | head -1 | grep -q '101\|152'"
cpr "$TMP/d6" diff before after --metric $EV --limit "$EV=+10%@*parse"
check "diff --limit: exit 3" rc_is "$TMP/d6" 3
cpr "$TMP/d7" diff before
check "diff with one side: usage error" rc_is "$TMP/d7" 2
cpr "$TMP/d8" diff before nosuch
check "an unknown baseline: exit 1, the ones there named" bash -c \
  "[ \$(cat '$TMP/d8.rc') = 1 ] && grep -q \"no baseline 'nosuch'.*after, before\" '$TMP/d8.err'"
cpr "$TMP/d10" diff before after --sort calls --format markdown
check "markdown sorted by calls: the sde change still makes the row regressed (named)" bash -c \
  "grep -q 'regressed ($EV)' '$TMP/d10.out' && ! grep -q 'No changes' '$TMP/d10.out'"
cpr "$TMP/d11" diff before after --sort "$EV:excl" --format csv
check "--sort METRIC:excl: rows by the change of their own figure (parse, whose own work doubled, first)" bash -c \
  "[ \$(cat '$TMP/d11.rc') = 0 ] && sed -n 2p '$TMP/d11.out' | grep -q '^difffix::parser::Parser::parse,'"
(cd "$FIX" && "$CP" report "$TD/cargo-profiler/baselines/before" --no-compensate --format json >"$TMP/raw.json" 2>/dev/null)
cpr "$TMP/d12" diff "$TMP/raw.json" after
check "a raw report (--no-compensate) against compensated figures: said" bash -c \
  "[ \$(cat '$TMP/d12.rc') = 0 ] && grep -q 'raw figures (--no-compensate)' '$TMP/d12.out'"
cpr "$TMP/d9" diff before after --metric nosuch
check "diff --metric of no metric: usage error naming the metrics" bash -c "[ \$(cat '$TMP/d9.rc') = 2 ] && grep -q 'calls' '$TMP/d9.err'"

# --- edited code: lines move, every region still matches --------------------------
leaf_line=$(( $(grep -n '^fn leaf' "$FIX/src/main.rs" | cut -d: -f1) + 3 ))
sed -i '1i // an edit that moves every line\n// down by three\n' "$FIX/src/main.rs"
cpr "$TMP/e" regions --events $EV --baseline before --format json
check "a baseline taken before lines moved still matches every region (none new or gone)" jeq "$TMP/e.out" \
  "[([.rows[] | .verdict] | map(select(. == \"new\" or . == \"gone\")) | length), ([.rows[] | select(.metric==\"$EV\") | .verdict] | unique)]" '[0,["same"]]'
check "... and the rows name the new lines" jeq "$TMP/e.out" "$(row difffix::leaf calls line)" "$leaf_line"

# --- repeated runs ---------------------------------------------------------------
cpr "$TMP/r1" regions --events $EV --repeat 3 --save-baseline r3 -- spin=500
check "--repeat 3: three runs kept, the mean shown with +-" bash -c \
  "[ \$(cat '$TMP/r1.rc') = 0 ] && [ \$(grep -c 'cargo-profiler: running' '$TMP/r1.err') = 3 ] && grep -q ' +- ' '$TMP/r1.out' && grep -q 'mean of 3 runs' '$TMP/r1.out' &&
   [ \$(ls -d '$TD/cargo-profiler/baselines/r3/rep-'* | wc -l) = 3 ]"
cpr "$TMP/r2" regions --events $EV --repeat 3 --baseline r3 --format json -- spin=500
check "--repeat against a repeated baseline: time judged with an interval" jeq "$TMP/r2.out" \
  "[($(row difffix::spin time verdict) | . == \"within noise\" or . == \"inconclusive\" or . == \"regressed\" or . == \"improved\"), ($(row difffix::spin time ci) | length), .a.runs, .b.runs]" '[true,2,3,3]'
check "... exact figures still exact" jeq "$TMP/r2.out" "[.rows[] | select(.metric==\"$EV\") | .verdict] | unique" '["same"]'
cpr "$TMP/r3" report "$TD/cargo-profiler/baselines/r3" --format json
# a region of nothing called 300K times: throttled, its time mostly the
# profiler's own; two runs of one binary must not call its time a change
cpr "$TMP/u1" regions --events $EV --repeat 3 --save-baseline tiny -- tiny=300000
cpr "$TMP/u2" regions --events $EV --repeat 3 --baseline tiny --limit 'time=+5%@*tiny' --format json -- tiny=300000
check "a throttled region mostly the profiler's own: marked, its time \"untrusted\", its calls same (json)" jeq "$TMP/u2.out" \
  "[$(row difffix::tiny time verdict), ($(row difffix::tiny time low_trust) | any), $(row difffix::tiny calls verdict)]" '["untrusted",true,"same"]'
check "... --limit time leaves it out, exit 0, one line says so" bash -c \
  "[ \$(cat '$TMP/u2.rc') = 0 ] && grep -q 'limit time=+5%@\*tiny: 1 region left out (untrusted: its time is mostly the profiler' '$TMP/u2.err'"
cpr "$TMP/u3" diff tiny tiny --format csv
check "... untrusted in the diff's csv too" grep -q '^difffix::tiny,time,.*,untrusted,' "$TMP/u3.out"
cpr "$TMP/long" regions --events $EV --save-baseline a-baseline-name-longer-than-twenty
cpr "$TMP/bl2" baselines
check "baselines: a name longer than the column widens it, every row's kind under its heading" python3 -c "
import sys; lines = open(sys.argv[1]).read().splitlines(); k = lines[0].index('kind')
assert len(lines) > 2 and all(l.index(' regions ') + 1 == k for l in lines[1:]), lines" "$TMP/bl2.out"
check "report of a repeated run: the mean of its runs" jeq "$TMP/r3.out" \
  "[.regions[] | select(.name==\"difffix::render\") | .counters[\"$EV\"].incl]" '[51]'
check "report of a repeated run: each region's one-call figures around its mean" jeq "$TMP/r3.out" \
  '[.regions[] | select(.calls > 0 and .incl_ns > 0) | .max_ns > 0 and .min_ns <= .mean_ns and .mean_ns <= .max_ns] | all' 'true'
cpr "$TMP/r3one" report "$TD/cargo-profiler/baselines/r3/rep-1" --format json
check "report of a repeated run: the profiler's part a mean too, as one run's (was the sum of the 3: one-call figures went to 0)" bash -c \
  "a=\$(jq '[.tree[].overhead.ns] | add' '$TMP/r3.out'); b=\$(jq '[.tree[].overhead.ns] | add' '$TMP/r3one.out'); awk -v a=\"\$a\" -v b=\"\$b\" 'BEGIN { exit !(b > 0 && a / b > 0.5 && a / b < 2) }'"
(cd "$FIX" && "$CP" report r3 --format json >"$TMP/m3.json" 2>/dev/null)
cpr "$TMP/r3c" report "$TMP/m3.json" --format json
cpr "$TMP/r3d" report "$TMP/m3.json"
check "a report of a mean read back: still the mean of 3 runs, with each interval" bash -c \
  "[ \"\$(sed -n '/^{\$/,\$p' '$TMP/r3c.out' | jq -c '[.runs, ([.regions[] | has(\"incl_ns_ci_half\")] | all)]')\" = '[3,true]' ] && grep -q ' +- ' '$TMP/r3d.out'"
cpr "$TMP/r3b" report r3
check "report NAME: a baseline by its name" bash -c "[ \$(cat '$TMP/r3b.rc') = 0 ] && grep -q 'mean of 3 runs' '$TMP/r3b.out'"
cpr "$TMP/r4" regions --repeat 0
check "--repeat 0: usage error" rc_is "$TMP/r4" 2

# --- refusals ------------------------------------------------------------------
echo '{"format":"cprof-1"' >"$TMP/broken.json"
cpr "$TMP/x1" diff before "$TMP/broken.json"
check "a side that cannot be read: exit 1" rc_is "$TMP/x1" 1
cpr "$TMP/x2" regions --save-baseline ../escape
check "a baseline name with a path: usage error" rc_is "$TMP/x2" 2
mkdir -p "$TD/cargo-profiler/baselines/mine" && echo keep >"$TD/cargo-profiler/baselines/mine/notes.txt"
cpr "$TMP/x3" regions --events $EV --save-baseline mine
check "a folder that is not a baseline is never replaced" bash -c \
  "[ \$(cat '$TMP/x3.rc') = 1 ] && grep -q 'not a baseline' '$TMP/x3.err' && [ \"\$(cat '$TD/cargo-profiler/baselines/mine/notes.txt')\" = keep ]"
cpr "$TMP/x4" regions --events $EV --save-baseline before -- double
cpr "$TMP/x5" diff before after --format json
check "--save-baseline again replaces our own baseline (now 201 like after)" jeq "$TMP/x5.out" \
  "[$(row difffix::parser::Parser::parse $EV a), $(row difffix::parser::Parser::parse $EV verdict)]" '[201,"same"]'
CPROF_TEST_NO_RENAME_EXCHANGE=1 cpr "$TMP/x6" regions --events $EV --save-baseline before
cpr "$TMP/x7" diff before after --format json
check "... also where the file system cannot exchange two folders (old aside, new in, old removed)" bash -c \
  "[ \$(cat '$TMP/x6.rc') = 0 ] && [ \"\$(sed -n '/^{\$/,\$p' '$TMP/x7.out' | jq -c '$(row difffix::parser::Parser::parse $EV a)')\" = 101 ] &&
   [ -z \"\$(ls -A '$TD/cargo-profiler/baselines' | grep '^\\.')\" ]"

# --- failures: nothing judged on part of a run, nothing saved from a failed one --
cpr "$TMP/f1" regions --events $EV --save-baseline failed -- "fail-from=1,$TMP/count1"
check "a failed program: exit 4, and its run is not saved as a baseline" bash -c \
  "[ \$(cat '$TMP/f1.rc') = 4 ] && grep -q 'not saved: the program failed' '$TMP/f1.err' && [ ! -e '$TD/cargo-profiler/baselines/failed' ]"
cpr "$TMP/f1b" regions --events $EV --baseline after -- "fail-from=1,$TMP/count1b"
check "a failed run against a baseline: exit 4, and the diff says the program failed" bash -c \
  "[ \$(cat '$TMP/f1b.rc') = 4 ] && grep -q 'warning: this run: the program exited with status 7' '$TMP/f1b.out'"
cpr "$TMP/f2" regions --events $EV --repeat 4 --format json -- "fail-from=3,$TMP/count2"
check "--repeat: run 3 of 4 fails: said, left out, the mean of runs 1-2 shown, exit 4" bash -c \
  "[ \$(cat '$TMP/f2.rc') = 4 ] && grep -q 'run 3 of 4: the program exited with status 7; it is left out, the mean of runs 1-2 is shown' '$TMP/f2.err' &&
   [ \$(grep -c 'cargo-profiler: running' '$TMP/f2.err') = 3 ] && [ \"\$(sed -n '/^{\$/,\$p' '$TMP/f2.out' | jq .runs)\" = 2 ]"
cpr "$TMP/f3" regions --events $EV --baseline r3 --save-baseline r3 --limit "$EV=+1%@*parse" -- double
check "a broken limit: the regression is not saved over the baseline" bash -c \
  "[ \$(cat '$TMP/f3.rc') = 3 ] && grep -q 'not saved: a --limit was broken' '$TMP/f3.err' && [ \$(ls -d '$TD/cargo-profiler/baselines/r3/rep-'* | wc -l) = 3 ]"
mkdir -p "$TMP/part" && cp "$TD/cargo-profiler/baselines/after/rep-1/"*.json "$TMP/part/" && echo '{"format":"cprof-1","pid":' >"$TMP/part/cprof-99.json"
cpr "$TMP/f4" diff after "$TMP/part"
check "a side with a file that cannot be read: compared, but exit 1" bash -c \
  "[ \$(cat '$TMP/f4.rc') = 1 ] && grep -q 'cprof-99.json' '$TMP/f4.err'"
cpr "$TMP/f5" regions --events $EV --limit 'PAPI_TOT_INS=+1%' --baseline before
check "a limit on a metric not measured: usage error before building" bash -c \
  "[ \$(cat '$TMP/f5.rc') = 2 ] && grep -q 'not measured here' '$TMP/f5.err' && ! grep -q 'running' '$TMP/f5.err'"
cpr "$TMP/f6" regions --events $EV --baseline before --threads
check "--threads with --baseline: usage error" rc_is "$TMP/f6" 2
cpr "$TMP/f7" regions --events $EV --baseline nosuch
check "--baseline of no baseline: refused before building" bash -c \
  "[ \$(cat '$TMP/f7.rc') = 1 ] && grep -q \"no baseline 'nosuch'\" '$TMP/f7.err' && ! grep -q 'running' '$TMP/f7.err'"

# --- callgrind: Ir is exact ---------------------------------------------------------
if command -v valgrind >/dev/null; then
  cpr "$TMP/c1" callgrind --save-baseline cg
  cpr "$TMP/c2" callgrind --baseline cg --format json -- double
  check "callgrind baseline: Parser::parse's Ir about doubles, regressed; render's Ir the same" jeq "$TMP/c2.out" \
    "[(.rows[] | select((.name | endswith(\"Parser::parse\")) and .metric==\"Ir\") | [.verdict, (.ratio > 1.8 and .ratio < 2.1)]), (.rows[] | select(.name==\"difffix::render\" and .metric==\"Ir\") | [.verdict, .delta])]" \
    '[["regressed",true],["same",0]]'
  cpr "$TMP/c2t" callgrind --baseline cg -- double
  check "callgrind diff table: rows by the change of their own cost, Parser::parse first (not main)" bash -c \
    "[ \$(cat '$TMP/c2t.rc') = 0 ] && grep -A1 '^function' '$TMP/c2t.out' | tail -1 | grep -q 'Parser::parse *regressed'"
  cpr "$TMP/c3" callgrind --baseline cg --limit 'Ir=+10%@*Parser::parse' -- double
  check "callgrind --limit on the changed function: exit 3" rc_is "$TMP/c3" 3
  cpr "$TMP/c4" callgrind --baseline cg --limit 'Ir=+10%@difffix::render' -- double
  check "callgrind --limit on an unchanged function: exit 0" rc_is "$TMP/c4" 0
  cpr "$TMP/c5" diff before cg
  check "a region run against a callgrind profile: refused in one line" bash -c \
    "[ \$(cat '$TMP/c5.rc') = 1 ] && grep -q 'cannot be compared' '$TMP/c5.err' && [ \$(wc -l <'$TMP/c5.err') = 1 ]"
  cpr "$TMP/c7" regions --events $EV --baseline cg
  check "regions --baseline of a callgrind baseline: refused before building" bash -c \
    "[ \$(cat '$TMP/c7.rc') = 1 ] && grep -q 'a callgrind baseline, not one of regions' '$TMP/c7.err' && ! grep -q 'running' '$TMP/c7.err'"
  cpr "$TMP/c6" callgrind --repeat 2
  check "callgrind --repeat: usage error (valgrind's counts are exact)" rc_is "$TMP/c6" 2
  # the debug info names files by absolute paths: the text views show them short
  cpr "$TMP/c8" callgrind -n 0
  cpr "$TMP/c8j" callgrind -n 0 --format json
  check "callgrind table: rustc's sources as <rust>/..., the crate's files and executable relative to it; json keeps the full paths" python3 -c '
import json, os, sys
t = open(sys.argv[1]).read().split("\nIr self", 1)[1]   # the rows (the header names the command)
fns = json.load(open(sys.argv[2]))["functions"]
root = os.path.realpath(sys.argv[3])
files = [f.get("file") or "" for f in fns]
assert any(f.startswith("/rustc/") for f in files) and any(f == root + "/src/main.rs" for f in files), files[:20]
assert any((f.get("object") or "").startswith(root + "/target/") for f in fns)
assert "/rustc/" not in t and "<rust>/std/" in t, [l for l in t.splitlines() if "/rustc/" in l][:3]
assert root + "/" not in t and " src/main.rs:" in t and " target/cprof-vg/difffix" in t, [l for l in t.splitlines() if root in l][:3]' "$TMP/c8.out" "$TMP/c8j.out" "$FIX"
  check "callgrind diff table: the crate's files relative to it" bash -c \
    "grep -qE 'Parser::parse .* src/main.rs:[0-9]+' '$TMP/c2t.out' && ! grep -q '$FIX/src' '$TMP/c2t.out'"
else
  bad "valgrind is not installed (make deps)"
fi

# with the ASan+UBSan build: any report fails
san=$(cat "$TMP"/*.err 2>/dev/null | grep -cE "ERROR: (Address|Leak)Sanitizer|runtime error:")
check "no sanitizer report in any run" [ "$san" = 0 ]

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
