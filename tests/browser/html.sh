#!/usr/bin/env bash
# The HTML pages (--format html) in a real browser (headless chromium,
# offline, tests/browser/harness.sh): a real run of the difffix fixture
# (sde:::DIFF::WORK, exact) and mergefix (threads and a child process),
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

echo "$passed passed, $failed failed"
