#!/usr/bin/env bash
# End-to-end tests of the test and bench targets of `regions`, `callgrind`
# and `cachegrind` (--lib, --test NAME, --tests, --bench NAME, --benches):
# the real build/cargo-profiler on tests/e2e/fixtures/targets, whose unit
# tests, integration test and bench do exact amounts of work on the counter
# sde:::TARGETS::WORK (see its src/lib.rs), so every figure is known.
# usage: tests/e2e/targets.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
# With an ASan+UBSan build, every run uses it.
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$ROOT/tests/e2e/fixtures/targets
# One target dir for every run here, so the runtime is compiled once; not
# regions.sh's: `make test` runs suites two at a time, and each suite's runs
# prune the run folders (--keep-runs) of its own target dir only.
TD=$BUILD/e2e-targets-target
mkdir -p "$BUILD/tmp"
TMP=$(mktemp -d "$BUILD/tmp/e2e-targets.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE TARGETS_FAIL
EV=sde:::TARGETS::WORK

. "$(dirname "$0")/lib.sh"
rc_is() { [ "$(cat "$1.rc")" = "$2" ] || { echo "     $1: exit $(cat "$1.rc"), expected $2"; return 1; }; }
export -f json_of jeq rc_is   # for the checks that run in bash -c
# The regions as [name, calls, incl, excl] of the event, sorted by name.
REG="[.regions[] | [.name, .calls, .counters[\"$EV\"].incl, .counters[\"$EV\"].excl]] | sort"

run_t() { # run_t OUTPREFIX COMMAND ARGS... : a command on the fixture, stdout/stderr/status kept
  local out=$1 cmd=$2; shift 2
  (cd "$FIX" && "$CP" "$cmd" --target-dir "$TD" "$@" </dev/null >"$out.out" 2>"$out.err"; echo $? >"$out.rc")
}
run_r() { local out=$1; shift; run_t "$out" regions --events $EV --format json "$@"; }

# --- --test NAME: the integration test alone ----------------------------------
run_r "$TMP/it" --test integ
check "--test integ: exit 0" rc_is "$TMP/it" 0
check "--test integ: exactly its regions, calls and counts (parse(6) + summarize)" jeq "$TMP/it.out" "$REG" \
  '[["targets::leaf",7,7,7],["targets::parse",2,27,20],["targets::summarize",1,1011,1000]]'
check "--test integ: built by cargo test under profile cprof, said on stderr" \
  grep -q "^cargo-profiler: built $TD/cprof/deps/integ-[0-9a-f]* (test \`integ\`, profile cprof: release + debug info + cprof/enable)\$" "$TMP/it.err"
check "--test integ: the header's command is the harness" \
  jeq "$TMP/it.out" '.command | test("^'"$TD"'/cprof/deps/integ-[0-9a-f]+$")' 'true'
check "--test integ: the harness ran its 2 tests (its stdout on stderr with --format json)" \
  bash -c "grep -q '^test integ_summary ... ok' '$TMP/it.err' && grep -q '^test integ_parse ... ok' '$TMP/it.err' && ! grep -q '^test ' '$TMP/it.out'"

# a test filter after --: only the matching test runs
run_r "$TMP/itf" --test integ -- integ_summary
check "--test integ -- integ_summary: only that test (summarize, parse(1))" jeq "$TMP/itf.out" "$REG" \
  '[["targets::leaf",1,1,1],["targets::parse",1,11,10],["targets::summarize",1,1011,1000]]'
check "--test integ -- FILTER: the filter is in the header's command" \
  jeq "$TMP/itf.out" '.command | test("/integ-[0-9a-f]+ integ_summary$")' 'true'

# --- --lib: the library's unit tests --------------------------------------------
run_r "$TMP/lib" --lib
check "--lib: the unit tests' regions (parse(2), eval(3))" jeq "$TMP/lib.out" "$REG" \
  '[["targets::eval",1,103,100],["targets::leaf",5,5,5],["targets::parse",1,12,10]]'
check "--lib: the library's harness, said on stderr" \
  grep -q "^cargo-profiler: built $TD/cprof/deps/targets-[0-9a-f]* (lib \`targets\`, " "$TMP/lib.err"
run_r "$TMP/libf" --lib -- unit_eval
check "--lib -- unit_eval: the filter selects one unit test (eval(3) only)" jeq "$TMP/libf.out" "$REG" \
  '[["targets::eval",1,103,100],["targets::leaf",3,3,3]]'

# --- --tests: every test harness, merged ----------------------------------------
run_r "$TMP/all" --tests
check "--tests: lib and integration harnesses merged (exact sums)" jeq "$TMP/all.out" "$REG" \
  '[["targets::eval",1,103,100],["targets::leaf",12,12,12],["targets::parse",3,39,30],["targets::summarize",1,1011,1000]]'
check "--tests: the lib's unit tests first, then tests/, in one run folder" bash -c \
  "grep '^cargo-profiler: running ' '$TMP/all.err' | sed 's/ (dumps in .*//; s/-[0-9a-f]*\$//; s|.*/||' | tr '\n' ' ' | grep -qx 'targets integ ' &&
   [ \$(grep '^cargo-profiler: running ' '$TMP/all.err' | sed 's/.*(dumps in //' | sort -u | wc -l) = 1 ]"
check "--tests: the header says both ran" \
  jeq "$TMP/all.out" '.command | test("/targets-[0-9a-f]+; .*/integ-[0-9a-f]+$")' 'true'
check "--tests: merged 2 dumps" jeq "$TMP/all.out" '[.notes[] | select(test("merged 2 dumps"))] | length' '1'

# --- --bench NAME, --benches: run with --bench first, as cargo bench does -------
run_r "$TMP/b" --bench speed
check "--bench speed: exit 0" rc_is "$TMP/b" 0
check "--bench speed: built by cargo bench under profile cprof" \
  grep -q "^cargo-profiler: built $TD/cprof/deps/speed-[0-9a-f]* (bench \`speed\`, profile cprof: " "$TMP/b.err"
check "--bench speed: the bench saw --bench and did its work (eval(1) x5)" jeq "$TMP/b.out" "$REG" \
  '[["targets::eval",5,505,500],["targets::leaf",5,5,5]]'
run_r "$TMP/ba" --bench speed -- extra
check "--bench speed -- extra: --bench first, then the arguments" bash -c \
  "grep -qx 'speed: done (--bench extra)' '$TMP/ba.err' && grep -q 'running .*/speed-[0-9a-f]* --bench extra (dumps in' '$TMP/ba.err'"
run_r "$TMP/bs" --benches
check "--benches: the lib's harness and the bench, both given --bench" bash -c \
  "grep -q 'running .*/targets-[0-9a-f]* --bench (dumps in' '$TMP/bs.err' && grep -q 'running .*/speed-[0-9a-f]* --bench (dumps in' '$TMP/bs.err'"
check "--benches: libtest under --bench skips the unit tests, the bench works" bash -c \
  "grep -q '^test tests::unit_parse ... ignored' '$TMP/bs.err' && jeq '$TMP/bs.out' '$REG' '[[\"targets::eval\",5,505,500],[\"targets::leaf\",5,5,5]]'"

# --- a failing test: reported as a failing program, what was dumped still shown ---
(cd "$FIX" && TARGETS_FAIL=1 "$CP" regions --target-dir "$TD" --events $EV --format json --lib </dev/null \
  >"$TMP/fl.out" 2>"$TMP/fl.err"; echo $? >"$TMP/fl.rc")
check "a failing unit test: exit 4, the harness's status (101) said in one line" bash -c \
  "[ \$(cat '$TMP/fl.rc') = 4 ] && grep -qx 'cargo-profiler regions: the program exited with status 101; showing what it dumped' '$TMP/fl.err'"
check "a failing unit test: its dump still shown (one more leaf), status in json" bash -c \
  "jeq '$TMP/fl.out' '$REG' '[[\"targets::eval\",1,103,100],[\"targets::leaf\",6,6,6],[\"targets::parse\",1,12,10]]' &&
   jeq '$TMP/fl.out' '.program' '{\"status\":101}'"
(cd "$FIX" && TARGETS_FAIL=1 "$CP" regions --target-dir "$TD" --events $EV --format json --tests </dev/null \
  >"$TMP/ft.out" 2>"$TMP/ft.err"; echo $? >"$TMP/ft.rc")
check "--tests with a failing unit test: stops there as cargo test does, says what was not run" bash -c \
  "[ \$(cat '$TMP/ft.rc') = 4 ] && grep -qx 'cargo-profiler: lib \`targets\` failed; not run after it, as cargo stops at the first failure: test \`integ\`' '$TMP/ft.err' &&
   ! grep -q 'running .*/integ-' '$TMP/ft.err'"
check "--tests with a failing unit test: the lib's dump shown (no summarize)" jeq "$TMP/ft.out" "$REG" \
  '[["targets::eval",1,103,100],["targets::leaf",6,6,6],["targets::parse",1,12,10]]'

# --- selections that cannot be: one line each -----------------------------------
run_t "$TMP/nt" regions --test nosuch
check "unknown --test: exit 1, one line naming the test targets there are" bash -c \
  "rc_is '$TMP/nt' 1 && [ \$(wc -l <'$TMP/nt.err') = 1 ] &&
   grep -qx 'cargo-profiler regions: no test target named \`nosuch\` in package \`targets\` (available: integ)' '$TMP/nt.err'"
run_t "$TMP/nb" callgrind --bench nosuch
check "unknown --bench (callgrind): exit 1, one line naming the benches" bash -c \
  "rc_is '$TMP/nb' 1 && [ \$(wc -l <'$TMP/nb.err') = 1 ] && grep -q 'no bench target named .nosuch. in package .targets. (available: speed)' '$TMP/nb.err'"
run_t "$TMP/tb" regions --test integ --bin targets
run_t "$TMP/bt" regions --bin targets --test integ
check "--test with --bin, in either order: a usage error (exit 2), one line" bash -c \
  "rc_is '$TMP/tb' 2 && rc_is '$TMP/bt' 2 && [ \$(wc -l <'$TMP/tb.err') = 1 ] && [ \$(wc -l <'$TMP/bt.err') = 1 ] &&
   grep -q '^cargo-profiler: --bin cannot be combined with --test: ' '$TMP/tb.err' &&
   grep -q '^cargo-profiler: --test cannot be combined with --bin: ' '$TMP/bt.err'"
run_t "$TMP/be" cachegrind --bench speed --example x
check "--bench with --example (cachegrind): exit 2" bash -c \
  "rc_is '$TMP/be' 2 && grep -q -- '--example cannot be combined with --bench' '$TMP/be.err'"
run_t "$TMP/mix" regions --lib --benches
check "tests with benches: exit 2, says why (cargo test vs cargo bench)" bash -c \
  "rc_is '$TMP/mix' 2 && [ \$(wc -l <'$TMP/mix.err') = 1 ] && grep -q -- '--benches cannot be combined with --lib: cargo test builds the tests, cargo bench the benches' '$TMP/mix.err'"
(cd "$ROOT/tests/e2e/fixtures/mergefix" && "$CP" regions --target-dir "$TD" --lib >/dev/null 2>"$TMP/nl.err"; echo $? >"$TMP/nl.rc")
check "--lib on a crate without a library: exit 1, one line" bash -c \
  "rc_is '$TMP/nl' 1 && [ \$(wc -l <'$TMP/nl.err') = 1 ] && grep -q 'package .mergefix. has no library target' '$TMP/nl.err'"
run_t "$TMP/nobin" regions
check "no binary to run: the message points at --lib, --test, --bench" bash -c \
  "rc_is '$TMP/nobin' 1 && grep -q 'has no binary to run (use --example NAME, or --lib, --test NAME, --bench NAME' '$TMP/nobin.err'"

# --- cprof only as a dev-dependency: enough for tests -----------------------------
mkdir -p "$TMP/devdep/src" "$TMP/devdep/tests"
printf '[package]\nname = "devdep"\nversion = "0.1.0"\nedition = "2021"\n[dev-dependencies]\ncprof = { path = "%s" }\n[workspace]\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/devdep/Cargo.toml"
printf 'pub fn nothing() {}\n' >"$TMP/devdep/src/lib.rs"
printf '#[cprof::profile]\n#[inline(never)]\nfn step() {}\n#[test]\nfn steps() { for _ in 0..3 { step(); } }\n' >"$TMP/devdep/tests/dt.rs"
# (no registry is needed: cargo writes the lock file of path dependencies offline)
(cd "$TMP/devdep" && CARGO_NET_OFFLINE=true "$CP" regions --target-dir "$TD" --format json --test dt </dev/null \
  >"$TMP/dd.out" 2>"$TMP/dd.err"; echo $? >"$TMP/dd.rc")
check "cprof as a dev-dependency: --test profiles the test's regions" bash -c \
  "rc_is '$TMP/dd' 0 && jeq '$TMP/dd.out' '[.regions[] | [.name, .calls]]' '[[\"dt::step\",3]]'"

# --- callgrind and cachegrind on test and bench harnesses ---------------------------
touch "$TMP/before-cg"
run_t "$TMP/cg" callgrind --test integ --format csv -n 0
check "callgrind --test integ: exit 0, the test's functions with their calls" bash -c \
  "rc_is '$TMP/cg' 0 && grep -q '^targets::summarize,[^,]*src/lib.rs,[0-9]*,[^,]*/integ-[0-9a-f]*,1,' '$TMP/cg.out' &&
   grep -q '^targets::parse,[^,]*src/lib.rs,[0-9]*,[^,]*/integ-[0-9a-f]*,2,' '$TMP/cg.out' &&
   grep -q '^targets::leaf,[^,]*src/lib.rs,[0-9]*,[^,]*/integ-[0-9a-f]*,7,' '$TMP/cg.out'"
check "callgrind --test integ: built without cprof/enable, by cargo test, under a profile of its own" \
  grep -q "^cargo-profiler: built $TD/cprof-vg/deps/integ-[0-9a-f]* (test \`integ\`, profile cprof-vg: release + debug info)\$" "$TMP/cg.err"
check "callgrind after regions: target/cprof/ untouched (regions' build stays, nothing to rebuild on the way back)" bash -c \
  "[ -d '$TD/cprof' ] && [ -z \"\$(find '$TD/cprof' -newer '$TMP/before-cg' -type f | head -1)\" ]"
run_t "$TMP/cgb" callgrind --bench speed --format csv -n 0
check "callgrind --bench speed: the bench under valgrind saw --bench (eval 5 calls)" \
  grep -q '^targets::eval,[^,]*src/lib.rs,[0-9]*,[^,]*/speed-[0-9a-f]*,5,' "$TMP/cgb.out"
run_t "$TMP/cgs" callgrind --benches --format csv -n 0 --keep
check "callgrind --benches: each harness its own output file in the run's folder" bash -c \
  "kept=\$(sed -n 's/^cargo-profiler callgrind: kept //p' '$TMP/cgs.err'); [ \$(echo \"\$kept\" | wc -l) = 2 ] &&
   [ \$(for f in \$kept; do dirname \"\$f\"; done | sort -u | wc -l) = 1 ] && grep -q '^targets::eval,.*,5,' '$TMP/cgs.out'"
rm -f $(sed -n 's/^cargo-profiler callgrind: kept //p' "$TMP/cgs.err")   # kept for the check only
run_t "$TMP/cc" cachegrind --test integ --format csv -n 0 -- integ_summary
check "cachegrind --test integ -- integ_summary: the test's function is there" bash -c \
  "rc_is '$TMP/cc' 0 && grep -q '^targets::summarize,' '$TMP/cc.out'"

# --- --help tells the new options -------------------------------------------------
for c in regions callgrind cachegrind; do
  "$CP" $c --help >"$TMP/h-$c.out" 2>&1
  check "$c --help: --lib, --test NAME, --tests, --bench NAME, --benches" bash -c \
    "grep -q -- '^  --lib ' '$TMP/h-$c.out' && grep -q -- '^  --test NAME ' '$TMP/h-$c.out' && grep -q -- '^  --tests ' '$TMP/h-$c.out' &&
     grep -q -- '^  --bench NAME ' '$TMP/h-$c.out' && grep -q -- '^  --benches ' '$TMP/h-$c.out' && grep -q 'first that fails ends the run' '$TMP/h-$c.out'"
done

# with the ASan+UBSan build: any report fails
san=$(cat "$TMP"/*.err 2>/dev/null | grep -cE "ERROR: (Address|Leak)Sanitizer|runtime error:")
check "no sanitizer report in any run" [ "$san" = 0 ]

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
