#!/usr/bin/env bash
# The HTML pages (--format html) in a real browser (headless chromium,
# offline, tests/browser/harness.sh): a real run of the difffix fixture
# (sde:::DIFF::WORK, exact) and mergefix (threads and a child process: the
# spread of each region across the two processes),
# a diff of two difffix runs, callgrind and cachegrind files, a generated
# profile of 10 000 regions. Each page is checked against what the CLI
# prints for the same input (--format json, table, tree), so the figures
# drawn are the figures reported. Screenshots go to build/results/artifacts/.
# usage: tests/browser/html.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/browser
mkdir -p "$BUILD/tmp"
. "$HERE/harness.sh"
TMP=$BROWSER_TMP/html   # removed with the harness's folder
mkdir -p "$TMP/fixtures"
export NO_COLOR=1 CPROF_QUIET=1
# one target dir for the fixtures: cprof (and the runtime its build.rs
# compiles) is built once, not once per fixture
export CARGO_TARGET_DIR=$TMP/target
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE
cp -r "$ROOT/tests/e2e/fixtures/difffix" "$ROOT/tests/e2e/fixtures/mergefix" "$ROOT/tests/e2e/fixtures/sde.rs" "$TMP/fixtures/"
for f in difffix mergefix; do
  sed -i "s|path = \"../../../../proc-macro-shim/cprof\"|path = \"$ROOT/proc-macro-shim/cprof\"|" "$TMP/fixtures/$f/Cargo.toml"
done
# A flame graph is in the pages once the svg view is there (branch svg).
FLAME=false; [ -f "$ROOT/cli/views/flame.h" ] && FLAME=true

cpr() { # cpr FIXTURE OUT ARGS... : cargo profiler in the fixture; OUT.out/.err/.rc
  local fix=$1 out=$2; shift 2
  (cd "$TMP/fixtures/$fix" && "$CP" "$@" </dev/null >"$out.out" 2>"$out.err"; echo $? >"$out.rc")
}
run_dir() { sed -n 's/.*(dumps in \(.*\))$/\1/p' "$1.err" | tail -1; }
# checks PAGE-NAME JS-VARS... : the check script of PAGE-NAME with its data (NAME=FILE: the file's text as a
# JSON string, NAME=@FILE: the file as JSON) before it
checks() {
  local name=$1 js=$TMP/$1.checks.js; shift
  { echo "var FLAME = $FLAME;"
    for v in "$@"; do
      case ${v#*=} in
        @*) printf 'var %s = %s;\n' "${v%%=*}" "$(cat "${v#*=@}")" ;;
        *) printf 'var %s = %s;\n' "${v%%=*}" "$(jq -Rs . "${v#*=}")" ;;
      esac
    done
    cat "$HERE/checks/lib.js" "$HERE/checks/$name.js"; } >"$js"
  echo "$js"
}
made() { # made NAME OUT : the command made OUT.html (exit 0, "wrote" said)
  check "$1: written, the path said" bash -c "[ \$(cat '$2.rc') = 0 ] && grep -q 'wrote .*$(basename "$2").html' '$2.err' && [ -s '$2.html' ]"
}

# --- a real run: the report page -----------------------------------------------
EV=sde:::DIFF::WORK
cpr difffix "$TMP/a" regions --events $EV
RUN_A=$(run_dir "$TMP/a")
check "difffix: a run" test -d "$RUN_A"
cpr difffix "$TMP/r" report "$RUN_A" --format html -o "$TMP/r.html"
made "report --format html" "$TMP/r"
cpr difffix "$TMP/rj" report "$RUN_A" --format json
cpr difffix "$TMP/rt" report "$RUN_A"
cpr difffix "$TMP/rtree" report "$RUN_A" --format tree
echo "\"$EV\"" >"$TMP/ev.json"
browser_check "report page" "$TMP/r.html" "$(checks html_report WANT=@"$TMP/rj.out" TABLE="$TMP/rt.out" TREE="$TMP/rtree.out" EV=@"$TMP/ev.json")"
browser_screenshot "$TMP/r.html" html-report
# the same run with leaf's trust share on a rounding edge: 4946 of 10000
# (json's 0.495: the table said !49%, the page !50%) and 3250 (0.325, a tie:
# printf's 32, JS's Math.round 33): the page's "!NN%" is the table's
for edge in 4946:0.495:50 3250:0.325:32; do
  IFS=: read -r oh share pct <<<"$edge"
  jq "(.tree[] | select(.name==\"difffix::leaf\") | .overhead) |= {\"raw_excl_ns\": 10000, \"ns\": $oh}" "$TMP/rj.out" >"$TMP/edge.json"
  cpr difffix "$TMP/e" report "$TMP/edge.json" --format html -o "$TMP/e.html"
  cpr difffix "$TMP/ej" report "$TMP/edge.json" --format json
  cpr difffix "$TMP/et" report "$TMP/edge.json"
  cpr difffix "$TMP/etree" report "$TMP/edge.json" --format tree
  check "trust share $share: json $share, the table !$pct%" bash -c \
    "[ \"\$(jq -c '[.regions[] | select(.name==\"difffix::leaf\") | .overhead_share]' '$TMP/ej.out')\" = '[$share]' ] && grep -q 'difffix::leaf .* !$pct% ' '$TMP/et.out'"
  echo "\"!$pct%\"" >"$TMP/mark.json"
  browser_check "report page, trust share $share" "$TMP/e.html" "$(checks html_trust TABLE="$TMP/et.out" TREE="$TMP/etree.out" MARK=@"$TMP/mark.json")"
done
# a call path fitted into its parent (it measured less than its throttled
# children's estimates: its own time reads 0): "fit" in its row, the page's
# marks the table's
jq '(.tree[] | select(.name=="difffix::leaf")) |= . + {"fitted": true}' "$TMP/rj.out" >"$TMP/fit.json"
cpr difffix "$TMP/f" report "$TMP/fit.json" --format html -o "$TMP/f.html"
cpr difffix "$TMP/ft" report "$TMP/fit.json"
cpr difffix "$TMP/ftree" report "$TMP/fit.json" --format tree
check "a fitted call path: the table marks its region's row fit, and no other" bash -c \
  "grep -q 'difffix::leaf .*fit ' '$TMP/ft.out' && [ \"\$(grep -c 'fit ' '$TMP/ft.out')\" = 1 ]"
echo '"fit"' >"$TMP/mark.json"
browser_check "report page, a fitted call path" "$TMP/f.html" "$(checks html_trust TABLE="$TMP/ft.out" TREE="$TMP/ftree.out" MARK=@"$TMP/mark.json")"

# --- allocation and user counters: their columns and rates -----------------------
cp -r "$ROOT/tests/e2e/fixtures/allocfix" "$TMP/fixtures/"
sed -i "s|path = \"../../../../proc-macro-shim/cprof\"|path = \"$ROOT/proc-macro-shim/cprof\"|" "$TMP/fixtures/allocfix/Cargo.toml"
cpr allocfix "$TMP/al" regions --events cprof::allocs,cprof::alloc_bytes
RUN_AL=$(run_dir "$TMP/al")
cpr allocfix "$TMP/alh" report "$RUN_AL" --format html -o "$TMP/alh.html"
made "counters: report --format html" "$TMP/alh"
cpr allocfix "$TMP/alt" report "$RUN_AL"
browser_check "counters page" "$TMP/alh.html" "$(checks html_counters TABLE="$TMP/alt.out")"

# --- diff A B: verdicts ------------------------------------------------------------
cpr difffix "$TMP/b" regions --events $EV -- double
RUN_B=$(run_dir "$TMP/b")
cpr difffix "$TMP/d" diff "$RUN_A" "$RUN_B" --format html -o "$TMP/d.html"
made "diff --format html" "$TMP/d"
cpr difffix "$TMP/dj" diff "$RUN_A" "$RUN_B" --format json
check "diff: Parser::parse regressed in the json (the fixture works)" jeq "$TMP/dj.out" \
  "[.rows[] | select(.metric==\"$EV\" and .verdict==\"regressed\") | .name] | sort" '["difffix::parser::Parser::parse","difffix::run"]'
browser_check "diff page" "$TMP/d.html" "$(checks html_diff WANT=@"$TMP/dj.out" EV=@"$TMP/ev.json")"
browser_screenshot "$TMP/d.html" html-diff

# --- regions --baseline: the same page of a comparison ---------------------------------
cpr difffix "$TMP/sb" regions --events $EV --save-baseline before
cpr difffix "$TMP/bl" regions --events $EV --baseline before --format html -o "$TMP/bl.html" -- double
made "regions --baseline --format html" "$TMP/bl"
page_data() { python3 -c "import re,sys; s=open(sys.argv[1]).read(); print(re.search(r'<script type=\"application/json\" id=\"cprof-data\">(.*?)</script>', s, re.S).group(1))" "$1"; }
page_data "$TMP/bl.html" 2>/dev/null | jq . >"$TMP/bl.json"
check "regions --baseline --format html: its data a cprof-diff-1 with Parser::parse regressed (101 -> 201)" jeq "$TMP/bl.json" \
  "[.format, (.rows[] | select(.name==\"difffix::parser::Parser::parse\" and .metric==\"$EV\") | .a, .b, .verdict)]" \
  '["cprof-diff-1",101,201,"regressed"]'
check "regions --baseline --format html: two flame graphs" bash -c "[ \$(grep -o '<svg class=\"cprof-flame\"' '$TMP/bl.html' | wc -l) = 2 ]"

# --- the mean of --repeat runs ----------------------------------------------------------
cpr difffix "$TMP/rp" regions --events $EV --repeat 3 --save-baseline three
cpr difffix "$TMP/mh" report three --format html -o "$TMP/mh.html"
made "report of 3 runs --format html" "$TMP/mh"
cpr difffix "$TMP/mhj" report three --format json
cpr difffix "$TMP/mht" report three
browser_check "mean page" "$TMP/mh.html" "$(checks html_mean WANT=@"$TMP/mhj.out" TABLE="$TMP/mht.out")"

# --- threads and processes: mergefix, ending with status 3 ---------------------------
MEV=sde:::MERGE::WORK
cpr mergefix "$TMP/m" regions --events $MEV --format html -o "$TMP/m.html" -- exit3
RUN_M=$(run_dir "$TMP/m")
check "regions --format html: a program that failed (status 3): exit 4, the page written" bash -c \
  "[ \$(cat '$TMP/m.rc') = 4 ] && grep -q 'wrote .*m.html' '$TMP/m.err' && [ -s '$TMP/m.html' ]"
cpr mergefix "$TMP/mj" report "$RUN_M" --threads --format json
cpr mergefix "$TMP/mt" report "$RUN_M"
echo "\"$MEV\"" >"$TMP/mev.json"
browser_check "threads page" "$TMP/m.html" "$(checks html_threads WANT=@"$TMP/mj.out" EV=@"$TMP/mev.json" TABLE="$TMP/mt.out")"

# --- valgrind files -------------------------------------------------------------------
VG=$ROOT/tests/valgrind/fixtures
cpr difffix "$TMP/cg" report "$VG/rust.cg" --format html -o "$TMP/cg.html"
made "callgrind --format html" "$TMP/cg"
cpr difffix "$TMP/cgj" report "$VG/rust.cg" --format json
cpr difffix "$TMP/cgt" report "$VG/rust.cg" -n 0
cpr difffix "$TMP/cgtree" report "$VG/rust.cg" --format tree -n 0
browser_check "callgrind page" "$TMP/cg.html" "$(checks html_callgrind WANT=@"$TMP/cgj.out" TABLE="$TMP/cgt.out" TREE="$TMP/cgtree.out")"
cpr difffix "$TMP/cc" report "$VG/small.cachegrind" --format html -o "$TMP/cc.html"
cpr difffix "$TMP/ccj" report "$VG/small.cachegrind" --format json
cpr difffix "$TMP/cct" report "$VG/small.cachegrind" -n 0
browser_check "cachegrind page" "$TMP/cc.html" "$(checks html_cachegrind WANT=@"$TMP/ccj.out" TABLE="$TMP/cct.out")"

cpr difffix "$TMP/vd" diff "$VG/rust.cg" "$VG/inline.cg" --format html -o "$TMP/vd.html"
made "diff of callgrind files --format html" "$TMP/vd"
cpr difffix "$TMP/vdj" diff "$VG/rust.cg" "$VG/inline.cg" --format json
browser_check "callgrind diff page" "$TMP/vd.html" "$(checks html_vgdiff WANT=@"$TMP/vdj.out")"

# --- 10 000 regions ------------------------------------------------------------------
mkdir -p "$TMP/big"
python3 "$HERE/big_profile.py" "$(ls "$RUN_A"/*.json | head -1)" "$TMP/big/cprof-1.json" 10000
cpr difffix "$TMP/bg" report "$TMP/big" --format html -o "$TMP/bg.html"
made "10 000 regions --format html" "$TMP/bg"
cpr difffix "$TMP/bgj" report "$TMP/big" --format json -n 5
echo '"97"' >"$TMP/most.json"
browser_check "10 000 regions" "$TMP/bg.html" "$(checks html_big TOP=@"$TMP/bgj.out" MOST_CALLS=@"$TMP/most.json")"

# --- refusals --------------------------------------------------------------------------
cpr difffix "$TMP/tty" report "$RUN_A" --format html --threads
check "--threads with html: usage error (the page shows each thread)" bash -c "[ \$(cat '$TMP/tty.rc') = 2 ] && [ \$(wc -l <'$TMP/tty.err') = 1 ]"
echo "not ours" >"$TMP/theirs.html"
cpr difffix "$TMP/ow" report "$RUN_A" --format html -o "$TMP/theirs.html"
check "-o over a file we did not write: refused, the file kept" bash -c "[ \$(cat '$TMP/ow.rc') != 0 ] && [ \"\$(cat '$TMP/theirs.html')\" = 'not ours' ]"
cpr difffix "$TMP/ow2" report "$RUN_A" --format html -o "$TMP/r.html"
check "-o over a page we wrote: replaced" bash -c "[ \$(cat '$TMP/ow2.rc') = 0 ]"

echo "$passed passed, $failed failed"
