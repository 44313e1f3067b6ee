#!/usr/bin/env bash
# End-to-end tests of `cargo profiler regions` and `report`: the real
# build/cargo-profiler on the fixture crates (tests/e2e/fixtures), checking
# exact sde::: figures after merging threads and a child process, every
# output format, options and every error the issue lists.
# usage: tests/e2e/regions.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
PLAIN=$CP                       # the optimised build, for checks of how work grows
BUILD=$(realpath "$2")
# With an ASan+UBSan build, every run but the installed one uses it.
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$ROOT/tests/e2e/fixtures
TD=$BUILD/e2e-target            # one target dir: the runtime is compiled once
TMP=$(mktemp -d "$BUILD/tmp/e2e-regions.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE
EV=sde:::MERGE::WORK

. "$(dirname "$0")/lib.sh"

run_mf() { # run_mf OUTPREFIX ARGS... : regions on mergefix, stdout/stderr/status kept
  local out=$1; shift
  (cd "$FIX/mergefix" && "$CP" regions --target-dir "$TD" "$@" </dev/null >"$out.out" 2>"$out.err"; echo $? >"$out.rc")
}

# --- build once, exact merged figures (threads + child process) ---------------
# CPROF_TEST_DUMP_V1: each dump is also written as cprof-1, from the same cut,
# into run1-v1 (the checks of hand-changed dumps below start from those)
mkdir -p "$TMP/run1-v1"
CPROF_TEST_DUMP_V1=$TMP/run1-v1 run_mf "$TMP/j" --events $EV --format json
# a copy of its dumps for the report checks below: later runs prune old run folders (--keep-runs)
cp -r "$(sed -n 's/.*(dumps in \(.*\))$/\1/p' "$TMP/j.err")" "$TMP/run1"
check "json: exit 0" [ "$(cat "$TMP/j.rc")" = 0 ]
check "json: format and events" jeq "$TMP/j.out" '[.format, .events]' "[\"cprof-report-1\",[\"$EV\"]]"
check "json: merged regions (name calls incl excl)" jeq "$TMP/j.out" \
  "[.regions[] | [.name, .calls, .counters[\"$EV\"].incl, .counters[\"$EV\"].excl]] | sort" \
  '[["mergefix::child_main",1,1010,1000],["mergefix::leaf",6,60,60],["mergefix::top",1,35,5],["mergefix::worker",2,220,200]]'
check "json: file:line of a region" jeq "$TMP/j.out" '.regions[] | select(.name=="mergefix::leaf") | [.file, .line]' '["src/main.rs",17]'
check "json: times are consistent (incl >= excl, max >= min, mean = incl/calls)" jeq "$TMP/j.out" \
  '[.regions[] | (.incl_ns >= .excl_ns) and (.max_ns >= .min_ns) and (.mean_ns == ((.incl_ns / .calls) | floor))] | all' 'true'
check "json: tree merged by call path" jeq "$TMP/j.out" \
  ".tree as \$t | [\$t[] | select(.name==\"mergefix::leaf\") | . as \$n | [(\$t[] | select(.node==\$n.parent) | .name), .calls, .counters[\"$EV\"].incl]] | sort" \
  '[["mergefix::child_main",1,10],["mergefix::top",3,30],["mergefix::worker",2,20]]'
check "json: total of the event = sum of exclusive" jeq "$TMP/j.out" ".totals[\"$EV\"]" '1265'
check "json: the program's stdout goes to stderr, the report alone to stdout" bash -c \
  "grep -qx 'mergefix done' '$TMP/j.err' && ! grep -q 'mergefix done' '$TMP/j.out' && head -1 '$TMP/j.out' | grep -qx '{'"
check "json: dumps of 2 processes merged (note)" jeq "$TMP/j.out" '[.notes[] | select(test("merged 2 dumps"))] | length' '1'
check "json: compensation applied and said" jeq "$TMP/j.out" '[.compensated, ([.notes[] | select(test("compensation: applied"))] | length)]' '[true,1]'
check "regions: output folder under target/cargo-profiler" grep -q "dumps in $TD/cargo-profiler/run-" "$TMP/j.err"

# compensation changes time, never the sde figures (their calibrated cost is 0)
run_mf "$TMP/raw" --events $EV --format json --no-compensate
check "no-compensate: same exact counters" jeq "$TMP/raw.out" \
  "[.regions[] | [.name, .counters[\"$EV\"].incl]] | sort" \
  '[["mergefix::child_main",1010],["mergefix::leaf",60],["mergefix::top",35],["mergefix::worker",220]]'
check "no-compensate: said in the report" jeq "$TMP/raw.out" '[.compensated, ([.notes[] | select(test("compensation: off"))] | length)]' '[false,1]'

# CPROF_EVENTS from the environment is passed on unchanged without --events
(cd "$FIX/mergefix" && CPROF_EVENTS=$EV "$CP" regions --target-dir "$TD" --format json </dev/null >"$TMP/env.out" 2>/dev/null)
check "environment CPROF_EVENTS passed on" jeq "$TMP/env.out" ".totals[\"$EV\"]" '1265'
# --events with an event that does not exist: named, with the reason
run_mf "$TMP/miss" --events "$EV,PAPI_TOT_INS" --format json
check "missing event named with its reason" jeq "$TMP/miss.out" '[.missing[] | .name, (.reason | length > 0)]' '["PAPI_TOT_INS",true]'
run_mf "$TMP/misst" --events "$EV,PAPI_TOT_INS"
check "table header: active events and the missing one" bash -c "grep -q '^events: time, $EV\$' '$TMP/misst.out' && grep -q '^missing: PAPI_TOT_INS: ' '$TMP/misst.out'"

# --sort on an event that could not be counted (names with colons too): said, sorted by time
run_mf "$TMP/srtm" --events "$EV,perf::NO_SUCH_EVENT" --sort perf::NO_SUCH_EVENT:incl
check "--sort on a missing perf:: event: why, and the report sorted by time" bash -c \
  "[ \$(cat '$TMP/srtm.rc') = 0 ] && grep -q 'perf::NO_SUCH_EVENT was not counted' '$TMP/srtm.err' && grep -q '^mergefix::' '$TMP/srtm.out'"
run_mf "$TMP/srtc" --events "$EV" --sort "${EV,,}:INCL"
check "--sort keys and event names in any case" bash -c "[ \$(cat '$TMP/srtc.rc') = 0 ] && grep -q '^mergefix::' '$TMP/srtc.out'"
run_mf "$TMP/mbad" --events "$EV" --format folded --metric bogus
check "--metric of an event not measured: refused before building, exit 2" bash -c \
  "[ \$(cat '$TMP/mbad.rc') = 2 ] && [ \$(wc -l <'$TMP/mbad.err') = 1 ] && grep -q -- '--metric bogus: not measured here (measured: time $EV)' '$TMP/mbad.err'"
run_mf "$TMP/dupev" --events "$EV,$EV" --format json
check "an event counted once and refused once: shown, not listed as missing" \
  jeq "$TMP/dupev.out" '[.totals["'"$EV"'"], (.missing | length)]' '[1265,0]'

# --filter: only the selected regions are measured
run_mf "$TMP/flt" --events $EV --filter '*leaf' --format json
check "filter: only leaf measured, all its calls" jeq "$TMP/flt.out" "[.regions[] | [.name, .calls, .counters[\"$EV\"].incl]]" '[["mergefix::leaf",6,60]]'

# --dev builds the dev profile (target/debug), figures unchanged
run_mf "$TMP/dev" --dev --events $EV --format json
check "--dev: the debug build, same exact figures" bash -c "grep -q 'running $TD/cprof-dev/mergefix' '$TMP/dev.err' && [ \"\$(sed -n '/^{\$/,\$p' '$TMP/dev.out' | jq -c '.totals[\"$EV\"]')\" = 1265 ]"

# --profile NAME: a custom profile of the crate, with debug info added for file:line
run_mf "$TMP/prof" --profile profiling --events $EV --format json
check "--profile profiling: built in target/cprof-profiling with debug info, same exact figures" bash -c \
  "grep -q 'running $TD/cprof-profiling/mergefix' '$TMP/prof.err' && readelf -S '$TD/cprof-profiling/mergefix' | grep -q '\.debug_info' &&
   [ \"\$(sed -n '/^{\$/,\$p' '$TMP/prof.out' | jq -c '.totals[\"$EV\"]')\" = 1265 ]"
# a profile the crate does not define: cargo's own words, cargo's status
run_mf "$TMP/noprof" --profile nosuch --events $EV
check "--profile of an undefined profile: cargo says it is not defined" bash -c \
  "[ \$(cat '$TMP/noprof.rc') = 101 ] && grep -q 'profile .nosuch. is not defined' '$TMP/noprof.err' && ! grep -q inherits '$TMP/noprof.err'"

# two profiles at once: refused, as cargo refuses them
(cd "$FIX/mergefix" && "$CP" regions --dev --release >/dev/null 2>"$TMP/two.err"; echo $? >"$TMP/two.rc")
check "--dev with --release: one line, exit 2" bash -c \
  "[ \$(cat '$TMP/two.rc') = 2 ] && [ \$(wc -l <'$TMP/two.err') = 1 ] && grep -q 'conflicts with --dev' '$TMP/two.err'"

# SIGTERM to cargo-profiler alone: passed on to the program, never left running
rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
(cd "$FIX/mergefix" && exec 3<>"$TMP/fifo" && "$CP" regions --target-dir "$TD" -- echo <&3 >/dev/null 2>"$TMP/term.err"; echo $? >"$TMP/term.rc") &
for _ in $(seq 100); do pgrep -f "$TD/cprof/mergefix echo" >/dev/null && break; sleep 0.1; done
pkill -TERM -f "regions --target-dir $TD -- echo"
for _ in $(seq 50); do [ -s "$TMP/term.rc" ] && break; sleep 0.1; done
check "SIGTERM to cargo-profiler: the program gets it too, exits with its status (143), said in one line" bash -c \
  "! pgrep -f '$TD/cprof/[m]ergefix echo' >/dev/null && [ \"\$(cat '$TMP/term.rc')\" = 143 ] &&
   grep -q 'the program was killed by signal 15 (SIGTERM: Terminated) before writing a dump' '$TMP/term.err'"

# stdin passes through
(cd "$FIX/mergefix" && printf 'hello\n' | "$CP" regions --target-dir "$TD" -- echo >"$TMP/in.out" 2>/dev/null)
check "stdin passed through to the program, its stdout to stdout (table)" grep -qx "echo: hello" "$TMP/in.out"

# --- table: columns, sorting, -n ------------------------------------------------
run_mf "$TMP/t" --events $EV --sort "$EV:incl"
hdr=$(grep -m1 '^region ' "$TMP/t.out")
check "table: columns" bash -c "[[ '$hdr' =~ ^region\ +calls\ +incl\ +excl\ +excl%\ +mean\ +$EV\ incl\ +$EV\ excl\ +(trust\ +)?location$ ]]"
order=$(awk '/^region /{f=1} f && /^$/{exit} f' "$TMP/t.out" | awk 'NR>1{print $1}' | tr '\n' ' ')
check "table: --sort EVENT:incl" [ "$order" = "mergefix::child_main mergefix::worker mergefix::leaf mergefix::top " ]
check "table: human units (1.01K) and location (a trust mark between them, if any)" grep -Eq '^mergefix::child_main +1 .* 1\.01K +1\.00K +(!?[0-9]+% +)?src/main\.rs:36$' "$TMP/t.out"
check "table: below it, each region's spread across the 2 processes, mergefix::leaf's $EV exact" bash -c \
  "sed -n '/^per process (2 processes): /,\$p' '$TMP/t.out' | grep -Eq '^mergefix::leaf +2 .* 10 +30 +50 +40\.0%\$'"
# aligned: every row has the location column starting at the same offset
cols=$(awk '/^region /{f=1} f && /^$/{exit} f' "$TMP/t.out" | awk '{print index($0, $NF)}' | sort -u | wc -l)
check "table: aligned columns" [ "$cols" = 1 ]
run_mf "$TMP/tc" --events $EV --sort calls -n 2
order=$(awk '/^region /{f=1} f && /^$/{exit} f' "$TMP/tc.out" | awk 'NR>1{print $1}' | tr '\n' ' ')
check "table: --sort calls with -n 2" [ "$order" = "mergefix::leaf mergefix::worker " ]
check "table: says rows were cut" grep -q '^showing 2 of 4 regions' "$TMP/tc.out"
run_mf "$TMP/te" --events $EV --sort "$EV"
order=$(awk '/^region /{f=1} f && /^$/{exit} f' "$TMP/te.out" | awk 'NR>1{print $1}' | tr '\n' ' ')
check "table: --sort EVENT (exclusive)" [ "$order" = "mergefix::child_main mergefix::worker mergefix::leaf mergefix::top " ]
run_mf "$TMP/bs" --sort bogus
check "bad --sort: refused before the build, one line" bash -c "[ \$(cat '$TMP/bs.rc') = 2 ] && [ \$(wc -l <'$TMP/bs.err') = 1 ] && grep -q 'sort bogus: unknown key' '$TMP/bs.err'"
run_mf "$TMP/bs2" --events $EV,PAPI_TOT_INS --sort PAPI_TOT_INS:incl
check "--sort on an event that could not be counted: said after the run, the report still shown" bash -c \
  "[ \$(cat '$TMP/bs2.rc') = 0 ] && { grep -q 'PAPI_TOT_INS was not counted' '$TMP/bs2.err' || grep -q PAPI_TOT_INS '$TMP/bs2.out'; } && grep -q 'mergefix::leaf' '$TMP/bs2.out'"
# colour: on a terminal only, and NO_COLOR wins
(cd "$FIX/mergefix" && env -u NO_COLOR TERM=xterm script -qec "'$CP' regions --target-dir '$TD' --events $EV" /dev/null </dev/null >"$TMP/tty.out" 2>&1)
check "colour on a terminal" grep -q $'\e\\[1m' "$TMP/tty.out"
(cd "$FIX/mergefix" && NO_COLOR=1 TERM=xterm script -qec "'$CP' regions --target-dir '$TD' --events $EV" /dev/null </dev/null >"$TMP/tty2.out" 2>&1)
check "NO_COLOR honoured on a terminal" bash -c "grep -q '^region ' '$TMP/tty2.out' && ! grep -q $'\e\\[' '$TMP/tty2.out'"
check "no colour when not on a terminal" bash -c "! grep -q $'\e\\[' '$TMP/t.out'"

# --- tree, csv, folded, threads ------------------------------------------------
run_mf "$TMP/tr" --events $EV --format tree --sort "$EV:incl"
tree=$(sed -n '/^call path/,$p' "$TMP/tr.out" | awk 'NR>1{match($0, /^ */); print RLENGTH ":" $1 ":" $2}' | tr '\n' ' ')
check "tree: indented paths, sorted, calls" [ "$tree" = "0:mergefix::child_main:1 2:mergefix::leaf:1 0:mergefix::worker:2 2:mergefix::leaf:2 0:mergefix::top:1 2:mergefix::leaf:3 " ]
run_mf "$TMP/csv" --events $EV --format csv --sort name
# (a program and its child: two processes, and the spread of each region across them)
check "csv: header" grep -qx $'name,file,line,calls,incl_ns,excl_ns,min_ns,max_ns,mean_ns,sde:::MERGE::WORK_incl,sde:::MERGE::WORK_excl,pairs,timed,overhead_share,processes,excl_ns_min,excl_ns_median,excl_ns_max,excl_ns_mean,excl_ns_imbalance,sde:::MERGE::WORK_excl_min,sde:::MERGE::WORK_excl_median,sde:::MERGE::WORK_excl_max,sde:::MERGE::WORK_excl_mean,sde:::MERGE::WORK_excl_imbalance\r' "$TMP/csv.out"
rows=$(grep -a '^mergefix::' "$TMP/csv.out" | tr -d '\r' | awk -F, '{print $1","$2","$3","$4","$10","$11}' | tr '\n' ' ')
check "csv: exact rows" [ "$rows" = "mergefix::child_main,src/main.rs,36,1,1010,1000 mergefix::leaf,src/main.rs,17,6,60,60 mergefix::top,src/main.rs,22,1,35,5 mergefix::worker,src/main.rs,30,2,220,200 " ]
run_mf "$TMP/fo" --events $EV --format folded --metric $EV
folded=$(grep -a '^mergefix::' "$TMP/fo.out" | sort | tr '\n' '|')
check "folded: one line per call path, exclusive values" [ "$folded" = "mergefix::child_main 1000|mergefix::child_main;mergefix::leaf 10|mergefix::top 5|mergefix::top;mergefix::leaf 30|mergefix::worker 200|mergefix::worker;mergefix::leaf 20|" ]
run_mf "$TMP/fot" --format folded
check "folded: time values by default (integers)" bash -c "grep -a '^mergefix::' '$TMP/fot.out' | grep -Eqv ' [0-9]+\$' && exit 1; grep -aq '^mergefix::top;mergefix::leaf [0-9]*\$' '$TMP/fot.out'"
run_mf "$TMP/th" --events $EV --threads --format json
check "threads: 4 threads in 2 processes, each exact" jeq "$TMP/th.out" \
  "[.threads[] | [.regions[] | [.name, .counters[\"$EV\"].incl]] | sort] | sort" \
  '[[["mergefix::child_main",1010],["mergefix::leaf",10]],[["mergefix::leaf",10],["mergefix::worker",110]],[["mergefix::leaf",10],["mergefix::worker",110]],[["mergefix::leaf",30],["mergefix::top",35]]]'
run_mf "$TMP/tht" --events $EV --threads
run_mf "$TMP/thf" --events $EV --threads --format folded --metric $EV
folded=$(grep -a '^[a-z]*-[0-9]*-[0-9]*;' "$TMP/thf.out" | sed 's/-[0-9]*-[0-9]*;/;/' | sort | tr '\n' '|')
check "threads: folded with the thread as the root frame" [ "$folded" = "main;mergefix::child_main 1000|main;mergefix::child_main;mergefix::leaf 10|main;mergefix::top 5|main;mergefix::top;mergefix::leaf 30|mergefix;mergefix::worker 100|mergefix;mergefix::worker 100|mergefix;mergefix::worker;mergefix::leaf 10|mergefix;mergefix::worker;mergefix::leaf 10|" ]
check "threads: one table block per thread" [ "$(grep -c '^== pid [0-9]*, thread [0-9]* (' "$TMP/tht.out")" = 4 ]

# --- the example crate (examples/rust): a realistic run, 3 threads --------------
(cd "$ROOT/examples/rust" && "$CP" regions --target-dir "$TD" --threads --format json -- 20000 3 >"$TMP/ex.out" 2>"$TMP/ex.err"); rc=$?
check "example crate: regions on 3 threads, merged and per thread" bash -c \
  "[ $rc = 0 ] && [ \"\$(json_of() { sed -n '/^{\$/,\$p' \"\$1\"; }; json_of '$TMP/ex.out' | jq -c '[(.regions | length > 3), ([.threads[] | select(.regions | length > 0)] | length >= 3), ([.regions[] | .incl_ns >= .excl_ns and .calls > 0] | all)]')\" = '[true,true,true]' ]"

# --- program status ------------------------------------------------------------
run_mf "$TMP/x3" --events $EV --format json -- exit3
check "program exit status reported (3), in json too, dump still shown; exits 4: the program failed" bash -c \
  "[ \$(cat '$TMP/x3.rc') = 4 ] && grep -q 'the program exited with status 3; showing what it dumped' '$TMP/x3.err' && grep -q '\"mergefix::leaf\"' '$TMP/x3.out' && [ \"\$(sed -n '/^{\$/,\$p' '$TMP/x3.out' | jq -c .program)\" = '{\"status\":3}' ]"
run_mf "$TMP/ab" -- abort
check "crash before the dump: signal named, one line, exits 4 (the program failed)" bash -c \
  "[ \$(cat '$TMP/ab.rc') = 4 ] && [ \$(grep -c '^cargo-profiler regions:' '$TMP/ab.err') = 1 ] && grep -q 'killed by signal 6 (SIGABRT: Aborted).*before writing a dump' '$TMP/ab.err'"
"$CP" report "$TD/cargo-profiler/" -n 1 >/dev/null 2>"$TMP/newest.err"
check "report of the runs folder when the newest run has no dump: says so, shows the newest with one" \
  grep -q "the newest, run-.*, has no dump: showing the newest that has one, $TD/cargo-profiler/run-" "$TMP/newest.err"

# --- errors ----------------------------------------------------------------------
(cd "$FIX/mergefix" && CPROF_DISABLE=1 "$CP" regions --target-dir "$TD" </dev/null >"$TMP/dis.out" 2>"$TMP/dis.err"; echo $? >"$TMP/dis.rc")
check "a run that dumps nothing: empty output folder, one line, exit 1" bash -c \
  "[ \$(cat '$TMP/dis.rc') = 1 ] && [ \$(grep -c '^cargo-profiler regions:' '$TMP/dis.err') = 1 ] && grep -q 'no dump in this folder (empty output folder)' '$TMP/dis.err'"
mkdir -p "$TMP/nowhere"
(cd "$TMP/nowhere" && "$CP" regions >"$TMP/np.out" 2>"$TMP/np.err"; echo $? >"$TMP/np.rc")
check "not in a cargo project: one line, exit 1" bash -c \
  "[ \$(cat '$TMP/np.rc') = 1 ] && [ \$(wc -l <'$TMP/np.err') = 1 ] && grep -q 'not in a cargo project' '$TMP/np.err'"
run_mf "$TMP/ub" --bin nope
check "unknown --bin: one line with the available ones" bash -c \
  "[ \$(cat '$TMP/ub.rc') = 1 ] && [ \$(wc -l <'$TMP/ub.err') = 1 ] && grep -q 'no bin target named .nope. in package .mergefix. (available: mergefix)' '$TMP/ub.err'"
(cd "$FIX/twobins" && "$CP" regions --target-dir "$TD" >"$TMP/two.out" 2>"$TMP/two.err"; echo $? >"$TMP/two.rc")
check "several binaries, none chosen: listed" bash -c \
  "[ \$(cat '$TMP/two.rc') = 1 ] && grep -q 'available binaries: alpha, beta' '$TMP/two.err'"
(cd "$FIX/twobins" && "$CP" regions --target-dir "$TD" --bin beta --format csv >"$TMP/beta.out" 2>"$TMP/beta.err"; echo $? >"$TMP/beta.rc")
check "--bin picks one of several" bash -c "[ \$(cat '$TMP/beta.rc') = 0 ] && grep -qx 'beta 210' '$TMP/beta.err' && grep -q '^beta::beta_work,src/bin/beta.rs,2,1,' '$TMP/beta.out'"
(cd "$FIX/twobins" && "$CP" regions --target-dir "$TD" --example gamma --format csv >"$TMP/gamma.out" 2>"$TMP/gamma.err"; echo $? >"$TMP/gamma.rc")
check "--example runs an example" bash -c "[ \$(cat '$TMP/gamma.rc') = 0 ] && grep -qx 'gamma 465' '$TMP/gamma.err' && grep -q '^gamma::gamma_work,examples/gamma.rs,2,1,' '$TMP/gamma.out'"
# a workspace: -p picks the member, the current folder too; a member without cprof is refused
mkdir -p "$TMP/ws/a/src" "$TMP/ws/b/src"
printf '[workspace]\nmembers = ["a", "b"]\nresolver = "2"\n' >"$TMP/ws/Cargo.toml"
printf '[package]\nname = "a"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\ncprof = { path = "%s" }\n' "$ROOT/proc-macro-shim/cprof" >"$TMP/ws/a/Cargo.toml"
printf '#[cprof::profile]\nfn in_a() -> u8 { 1 }\nfn main() { println!("a {}", in_a()); }\n' >"$TMP/ws/a/src/main.rs"
printf '[package]\nname = "b"\nversion = "0.0.0"\nedition = "2021"\n' >"$TMP/ws/b/Cargo.toml"
printf 'fn main() {}\n' >"$TMP/ws/b/src/main.rs"
(cd "$TMP/ws" && "$CP" regions --target-dir "$TD" >/dev/null 2>"$TMP/ws0.err"); rc=$?
check "workspace without -p: asks for one" bash -c "[ $rc = 1 ] && grep -q 'workspace of 2 packages: choose one with -p NAME' '$TMP/ws0.err'"
(cd "$TMP/ws" && "$CP" regions --target-dir "$TD" -p a --format csv >"$TMP/wsa.out" 2>/dev/null); rc=$?
check "workspace -p a" bash -c "[ $rc = 0 ] && grep -q '^a::in_a,' '$TMP/wsa.out'"
(cd "$TMP/ws/a/src" && "$CP" regions --target-dir "$TD" --format csv >"$TMP/wsc.out" 2>/dev/null); rc=$?
check "workspace: the member of the current folder" bash -c "[ $rc = 0 ] && grep -q '^a::in_a,' '$TMP/wsc.out'"
(cd "$TMP/ws" && "$CP" regions --target-dir "$TD" --bin a --format csv >"$TMP/wsbin.out" 2>/dev/null); rc=$?
check "workspace root, --bin NAME of one member: that member, no -p needed" bash -c "[ $rc = 0 ] && grep -q '^a::in_a,' '$TMP/wsbin.out'"
(cd "$TMP/ws" && "$CP" regions --target-dir "$TD" -p b >/dev/null 2>"$TMP/wsb.err"); rc=$?
check "workspace -p b (no cprof): refused" bash -c "[ $rc = 1 ] && grep -q 'does not depend on cprof' '$TMP/wsb.err'"
(cd "$TMP/ws" && "$CP" regions --target-dir "$TD" -p zz >/dev/null 2>"$TMP/wsz.err"); rc=$?
check "workspace -p unknown" bash -c "[ $rc = 1 ] && grep -q 'no package named .zz.' '$TMP/wsz.err'"
(cd "$TMP/nowhere" && "$CP" regions --manifest-path "$TMP/ws/a/Cargo.toml" --target-dir "$TD" --format csv >"$TMP/wsm.out" 2>/dev/null); rc=$?
check "--manifest-path from elsewhere" bash -c "[ $rc = 0 ] && grep -q '^a::in_a,' '$TMP/wsm.out'"
(cd "$FIX/nocprof" && "$CP" regions --target-dir "$TD" >"$TMP/nc.out" 2>"$TMP/nc.err"; echo $? >"$TMP/nc.rc")
check "crate without cprof: says to run cargo profiler init" bash -c \
  "[ \$(cat '$TMP/nc.rc') = 1 ] && [ \$(wc -l <'$TMP/nc.err') = 1 ] && grep -q 'does not depend on cprof.*cargo profiler init' '$TMP/nc.err'"
# a dependency whose cprof is optional (cargo profiler init --optional): its
# regions stay off unless its feature is on; a note says which --features
mkdir -p "$TMP/optapp/src" "$TMP/optlib/src"
printf '[package]\nname = "optlib"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\ncprof = { path = "%s", optional = true }\n\n[features]\nprofile = ["cprof/enable"]\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/optlib/Cargo.toml"
printf '#[cfg_attr(feature = "cprof", cprof::profile)]\npub fn in_lib() -> u8 { 2 }\n' >"$TMP/optlib/src/lib.rs"
printf '[package]\nname = "optapp"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\ncprof = { path = "%s" }\noptlib = { path = "../optlib" }\n\n[workspace]\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/optapp/Cargo.toml"
printf '#[cprof::profile]\nfn in_app() -> u8 { optlib::in_lib() }\nfn main() { println!("{}", in_app()); }\n' >"$TMP/optapp/src/main.rs"
(cd "$TMP/optapp" && "$CP" regions --target-dir "$TD" --format csv >"$TMP/opt.out" 2>"$TMP/opt.err"); rc=$?
check "an optional cprof in a dependency: a note names the --features, its regions are off" bash -c \
  "[ $rc = 0 ] && grep -q 'note: cprof is an optional dependency of optlib, off in this build: its regions are not measured (add --features optlib/profile)' '$TMP/opt.err' && grep -q '^optapp::in_app,' '$TMP/opt.out' && ! grep -q in_lib '$TMP/opt.out'"
(cd "$TMP/optapp" && "$CP" regions --target-dir "$TD" --format csv --features optlib/profile >"$TMP/opt2.out" 2>"$TMP/opt2.err"); rc=$?
check "--features optlib/profile: its regions measured, no note" bash -c \
  "[ $rc = 0 ] && grep -q '^optlib::in_lib,' '$TMP/opt2.out' && ! grep -q 'optional dependency' '$TMP/opt2.err'"
# report without a PATH: the crate's runs (its target directory's), or one clear line
(cd "$TMP/optapp" && CARGO_TARGET_DIR="$TD" "$CP" report --format csv >"$TMP/rnp.out" 2>"$TMP/rnp.err"); rc=$?
check "report with no PATH, in a crate: its newest run" bash -c \
  "[ $rc = 0 ] && grep -q 'holds runs; showing the newest' '$TMP/rnp.err' && grep -q '^optlib::in_lib,' '$TMP/rnp.out'"
(cd "$TMP/nowhere" && "$CP" report >/dev/null 2>"$TMP/rnc.err"); rc=$?
check "report with no PATH, not in a crate: usage error, one line" bash -c \
  "[ $rc = 2 ] && [ \$(wc -l <'$TMP/rnc.err') = 1 ] && grep -q 'no PATH given, and no crate here' '$TMP/rnc.err'"
# the crate's own feature that turns the dependency's on (similar trial:
# `cprof = ["dep:cprof", "similar/cprof"]`): cargo resolves it on, no note
mkdir -p "$TMP/optapp3/src"
printf '[package]\nname = "optapp3"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\ncprof = { path = "%s", optional = true }\noptlib = { path = "../optlib" }\n\n[features]\ncprof = ["dep:cprof", "optlib/profile"]\n\n[workspace]\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/optapp3/Cargo.toml"
printf '#[cfg_attr(feature = "cprof", cprof::profile)]\nfn in_app() -> u8 { optlib::in_lib() }\nfn main() { println!("{}", in_app()); }\n' >"$TMP/optapp3/src/main.rs"
(cd "$TMP/optapp3" && "$CP" regions --target-dir "$TD" --format csv >"$TMP/opt3.out" 2>"$TMP/opt3.err"); rc=$?
check "a crate feature that turns the dependency's cprof on: no note, its regions measured" bash -c \
  "[ $rc = 0 ] && grep -q '^optlib::in_lib,' '$TMP/opt3.out' && ! grep -q 'optional dependency' '$TMP/opt3.err'"
# regions only in the dependency, left off: no dump, and the error says why
mkdir -p "$TMP/optapp4/src"
printf '[package]\nname = "optapp4"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\ncprof = { path = "%s" }\noptlib = { path = "../optlib" }\n\n[workspace]\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/optapp4/Cargo.toml"
printf 'fn main() { println!("{}", optlib::in_lib()); }\n' >"$TMP/optapp4/src/main.rs"
(cd "$TMP/optapp4" && "$CP" regions --target-dir "$TD" >/dev/null 2>"$TMP/opt4.err"); rc=$?
check "no dump, the dependency's regions off: the last line says which --features" bash -c \
  "[ $rc = 1 ] && tail -n 1 '$TMP/opt4.err' | grep -q 'did the program run any profiled region? (cprof is an optional dependency of optlib, off in this build: its regions are not measured (add --features optlib/profile))'"
# a workspace whose other member turns the dependency's feature on: not in
# this member's build, so the note is still said (cargo tree -p, not the
# workspace's unified metadata)
mkdir -p "$TMP/wsopt/wapp/src" "$TMP/wsopt/wother/src"
printf '[workspace]\nmembers = ["wapp", "wother"]\nresolver = "2"\n' >"$TMP/wsopt/Cargo.toml"
printf '[package]\nname = "wapp"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\ncprof = { path = "%s" }\noptlib = { path = "../../optlib" }\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/wsopt/wapp/Cargo.toml"
printf '#[cprof::profile]\nfn in_app() -> u8 { optlib::in_lib() }\nfn main() { println!("{}", in_app()); }\n' >"$TMP/wsopt/wapp/src/main.rs"
printf '[package]\nname = "wother"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\noptlib = { path = "../../optlib", features = ["profile"] }\n' \
  >"$TMP/wsopt/wother/Cargo.toml"
printf 'fn main() { println!("{}", optlib::in_lib()); }\n' >"$TMP/wsopt/wother/src/main.rs"
(cd "$TMP/wsopt" && "$CP" regions --target-dir "$TD" -p wapp --format csv >"$TMP/wsopt.out" 2>"$TMP/wsopt.err"); rc=$?
check "workspace: another member's feature does not hide the note for -p wapp" bash -c \
  "[ $rc = 0 ] && grep -q 'note: cprof is an optional dependency of optlib, off in this build' '$TMP/wsopt.err' && ! grep -q in_lib '$TMP/wsopt.out'"
# a build failure: cargo's rendered errors, cargo's exit status
mkdir -p "$TMP/broken/src"
printf '[package]\nname = "broken"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\ncprof = { path = "%s" }\n\n[workspace]\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/broken/Cargo.toml"
printf 'fn main() {\n    let x: u32 = "not a number";\n}\n' >"$TMP/broken/src/main.rs"
(cd "$TMP/broken" && "$CP" regions --target-dir "$TD" >"$TMP/br.out" 2>"$TMP/br.err"; echo $? >"$TMP/br.rc")
check "build failure: cargo's status and rendered error" bash -c \
  "[ \$(cat '$TMP/br.rc') = 101 ] && grep -q '^error\[E0308\]: mismatched types' '$TMP/br.err' && grep -q -- '--> src/main.rs:2' '$TMP/br.err' && ! grep -q '\"reason\"' '$TMP/br.out' '$TMP/br.err'"
# --bin given as a path: no build, no cargo project needed
(cd "$TMP/nowhere" && CPROF_EVENTS=$EV "$CP" regions --bin "$TD/cprof/mergefix" --format json >"$TMP/path.out" 2>"$TMP/path.err"; echo $? >"$TMP/path.rc")
check "--bin PATH runs an existing executable without cargo" bash -c \
  "[ \$(cat '$TMP/path.rc') = 0 ] && [ -d '$TMP/nowhere/target/cargo-profiler' ]" 
check "--bin PATH: exact figures" jeq "$TMP/path.out" ".totals[\"$EV\"]" '1265'
(cd "$TMP/optapp/src" && CPROF_EVENTS=$EV "$CP" regions --bin "$TD/cprof/mergefix" --format csv >/dev/null 2>"$TMP/pathc.err"); rc=$?
check "--bin PATH inside a crate's folder: the runs go to the crate's target directory, not ./target" bash -c \
  "[ $rc = 0 ] && [ -d '$TMP/optapp/target/cargo-profiler' ] && [ ! -e '$TMP/optapp/src/target' ] && grep -q 'dumps in $TMP/optapp/target/cargo-profiler/run-' '$TMP/pathc.err'"

# --- report: existing dumps, and bad ones ----------------------------------------
run_dir=$TMP/run1
CPR=$CP
"$CPR" report --format json "$run_dir" >"$TMP/rep.out" 2>"$TMP/rep.err"; rc=$?
same_v1() { # same_v1 ARGS...: report ARGS of run1 (cprof-2) and of its cprof-1 copy, byte for byte
  "$CPR" report "$@" "$run_dir" >"$TMP/v2.rep" 2>&1 && "$CPR" report "$@" "$TMP/run1-v1" >"$TMP/v1.rep" 2>&1 &&
    cmp "$TMP/v2.rep" "$TMP/v1.rep" && [ -s "$TMP/v2.rep" ]
}
check "report: the run's cprof-2 dumps are compact (no \"regions\"), the copies cprof-1" bash -c \
  "[ \"\$(jq -r .format '$run_dir'/cprof-*.json | sort -u)\" = cprof-2 ] && [ \"\$(jq -r .format '$TMP/run1-v1'/cprof-*.json | sort -u)\" = cprof-1 ] && ! grep -q '\"regions\"' '$run_dir'/cprof-*.json"
for f in table tree json csv; do
  check "report --format $f: cprof-2 dumps and their cprof-1 copies, the same bytes" same_v1 --format $f
  check "report --threads --format $f: the same bytes from either format" same_v1 --threads --format $f
done
check "report --no-compensate --format json: the same bytes from either format" same_v1 --no-compensate --format json
check "report: a folder gives the same merged figures" bash -c "[ $rc = 0 ] && [ \"\$(jq -c '[.regions[] | [.name, .counters[\"$EV\"].incl]] | sort' '$TMP/rep.out')\" = '[[\"mergefix::child_main\",1010],[\"mergefix::leaf\",60],[\"mergefix::top\",35],[\"mergefix::worker\",220]]' ]"
mkdir -p "$TMP/runs/run-20000101-000000-1" "$TMP/runs/run-20990101-000000-1" "$TMP/runs/run-20991231-000000-1"
cp "$run_dir"/cprof-*.json "$TMP/runs/run-20990101-000000-1/"
cp "$(ls "$run_dir"/cprof-*.json | head -1)" "$TMP/runs/run-20000101-000000-1/"
"$CPR" report --format json "$TMP/runs" >"$TMP/repnew.out" 2>"$TMP/repnew.err"; rc=$?
check "report: a folder of runs (target/cargo-profiler/) shows the newest with a dump, and says the newest has none" bash -c "[ $rc = 0 ] && grep -q 'the newest, run-20991231-000000-1, has no dump: showing the newest that has one, $TMP/runs/run-20990101-000000-1' '$TMP/repnew.err' && [ \"\$(jq -c '.totals' '$TMP/repnew.out')\" = \"\$(jq -c '.totals' '$TMP/rep.out')\" ]"
mkdir -p "$TMP/runs2/run-20990101-000000-9999" "$TMP/runs2/run-20990101-000000-10000"
cp "$run_dir"/cprof-*.json "$TMP/runs2/run-20990101-000000-10000/"
cp "$(ls "$run_dir"/cprof-*.json | head -1)" "$TMP/runs2/run-20990101-000000-9999/"
"$CPR" report --format json "$TMP/runs2" >/dev/null 2>"$TMP/repnew2.err"
check "report: runs of the same second are ordered by PID as a number" \
  grep -q "showing the newest, $TMP/runs2/run-20990101-000000-10000" "$TMP/repnew2.err"
"$CPR" report --threads --format csv "$run_dir" >"$TMP/thr.csv" 2>"$TMP/thr.err"; rc=$?
check "report --threads --format csv: pid,tid,thread columns, one header, per-thread rows add up" bash -c \
  "[ $rc = 0 ] && head -1 '$TMP/thr.csv' | grep -q '^pid,tid,thread,name,file,line,calls' && [ \$(grep -c '^pid,' '$TMP/thr.csv') = 1 ] && [ \$(awk -F, '\$4==\"mergefix::leaf\" {s+=\$7} END {print s}' '$TMP/thr.csv') = 6 ]"
"$CPR" report --format json "$run_dir" "$run_dir/" >"$TMP/twice.out" 2>"$TMP/twice.err"; rc=$?
check "report: the same dumps given twice are read once" bash -c "[ $rc = 0 ] && grep -q 'given twice, read once' '$TMP/twice.err' && [ \"\$(jq -c '.totals' '$TMP/twice.out')\" = \"\$(jq -c '.totals' '$TMP/rep.out')\" ]"
mkdir -p "$TMP/wf" && CPROF_OUTPUT="$TMP/wf" CPROF_EVENTS=NO_SUCH_EVENT "$BUILD/examples/c/wordfreq" 1000 >/dev/null
"$CPR" report --sort NO_SUCH_EVENT "$TMP/wf" >"$TMP/wf.out" 2>"$TMP/wf.err"; rc=$?
check "report --sort on an event that was not counted: says why, sorts by time" bash -c \
  "[ $rc = 0 ] && grep -q 'NO_SUCH_EVENT was not counted' '$TMP/wf.err' && grep -q '^main ' '$TMP/wf.out'"
mkdir -p "$TMP/longname"
jq --arg n "$(printf 'a "long", name%.0s' $(seq 40))" '.threads[].name = $n' "$(ls "$run_dir"/cprof-*.json | head -1)" >"$TMP/longname/cprof-1.json"
"$CPR" report --threads --format csv "$TMP/longname" >"$TMP/longname.csv" 2>/dev/null; rc=$?
check "csv --threads: a long thread name with quotes and commas stays one field" bash -c \
  "[ $rc = 0 ] && python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); assert len(r) > 1 and all(len(x) == len(r[0]) for x in r) and len(r[1][2]) > 400' '$TMP/longname.csv'"
cat "$(ls "$run_dir"/cprof-*.json | head -1)" | "$CPR" report /dev/stdin >"$TMP/pipe.out" 2>"$TMP/pipe.err"; rc=$?
check "report from a pipe: one clear line, exit 1" bash -c "[ $rc = 1 ] && grep -q 'not a regular file' '$TMP/pipe.err' && [ \$(wc -l <'$TMP/pipe.err') = 1 ] && [ ! -s '$TMP/pipe.out' ]"
one=$(ls "$TMP/run1-v1"/cprof-*.json | head -1)   # cprof-1: the checks below change its records
"$CPR" report --format csv "$one" >"$TMP/rep1.out" 2>&1; rc=$?
check "report: a single file" bash -c "[ $rc = 0 ] && grep -q '^mergefix::leaf,' '$TMP/rep1.out'"
mkdir -p "$TMP/bad"
# cut inside the threads list: where that is depends on the dump, never on the checkout's path
cut=$(( $(grep -bo '"threads": \[' "$one" | head -1 | cut -d: -f1) + 14 ))
head -c "$cut" "$one" >"$TMP/bad/cprof-1.json"
"$CPR" report "$TMP/bad/cprof-1.json" >/dev/null 2>"$TMP/tr.err"; rc=$?
check "truncated dump: file and byte named, one line, exit 1" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/tr.err') = 1 ] && grep -q \"bad/cprof-1.json: byte $cut .*truncated\" '$TMP/tr.err'"
sed '0,/"calls": /s//"calls": x/' "$one" >"$TMP/bad/cprof-2.json"
"$CPR" report "$TMP/bad/cprof-2.json" >/dev/null 2>"$TMP/co.err"; rc=$?
check "corrupt dump: file and byte named" bash -c "[ $rc = 1 ] && grep -Eq 'bad/cprof-2.json: byte [0-9]+ \(line [0-9]+, column [0-9]+\): corrupt dump' '$TMP/co.err'"
sed 's/"cprof-1"/"cprof-7"/' "$one" >"$TMP/bad/cprof-3.json"
"$CPR" report "$TMP/bad/cprof-3.json" >/dev/null 2>"$TMP/ver.err"; rc=$?
check "unknown dump format version" bash -c "[ $rc = 1 ] && grep -q 'cprof-3.json: unknown dump format \"cprof-7\"' '$TMP/ver.err'"
sed '0,/"incl_ns": [0-9]*/s//"incl_ns": -5/' "$one" >"$TMP/bad/cprof-4.json"
"$CPR" report "$TMP/bad/cprof-4.json" >"$TMP/neg.out" 2>"$TMP/neg.err"; rc=$?
check "dump with a wrong value: that value costs itself (one warning naming it), the rest shown" bash -c "[ $rc = 0 ] && grep -q 'cprof-4.json: 1 value(s) out of range, read as 0 (the first: threads\[0\]\.regions\[0\]\.incl_ns: expected a non-negative integer)' '$TMP/neg.out'"
mkdir -p "$TMP/empty"
"$CPR" report "$TMP/empty" >/dev/null 2>"$TMP/em.err"; rc=$?
check "empty output folder" bash -c "[ $rc = 1 ] && [ \$(wc -l <'$TMP/em.err') = 1 ] && grep -q 'empty: no dump in this folder' '$TMP/em.err'"
cp "$one" "$TMP/bad/cprof-5.json"
"$CPR" report --format json "$TMP/bad/cprof-5.json" "$TMP/bad/cprof-1.json" >"$TMP/mix.out" 2>"$TMP/mix.err"; rc=$?
check "a bad dump among good ones: error, the rest still shown" bash -c "[ $rc = 1 ] && grep -q 'cprof-1.json: byte' '$TMP/mix.err' && jq -e '.regions | length > 0' '$TMP/mix.out' >/dev/null"
"$CPR" report "$TMP/bad/none.json" >/dev/null 2>"$TMP/nf.err"; rc=$?
check "missing file" bash -c "[ $rc = 1 ] && grep -q 'none.json: No such file' '$TMP/nf.err'"

# --- command line ----------------------------------------------------------------
"$CP" --help >"$TMP/h.out"; rc=$?
check "--help lists commands and exit statuses" bash -c "[ $rc = 0 ] && grep -q '^  regions ' '$TMP/h.out' && grep -q '^exit status:' '$TMP/h.out'"
"$CP" regions --help >"$TMP/rh.out"; rc=$?
check "regions --help" bash -c "[ $rc = 0 ] && grep -q -- '--events LIST' '$TMP/rh.out' && grep -q -- '--no-compensate' '$TMP/rh.out' && grep -q 'exit status' '$TMP/rh.out'"
check "--version" bash -c "'$CP' --version | grep -Eq '^cargo-profiler [0-9]+\.[0-9]+\.[0-9]+\$'"
"$CP" frobnicate 2>"$TMP/u.err"; rc=$?
check "unknown command: exit 2" bash -c "[ $rc = 2 ] && grep -q \"unknown command 'frobnicate'\" '$TMP/u.err'"
# cprof under another name, and cprof only as a dev-dependency
for k in renamed devonly; do
  mkdir -p "$TMP/$k/src"
  printf 'use prof::profile;\n#[profile]\nfn work() -> u32 { 7 }\nfn main() { println!("{}", work()); }\n' >"$TMP/$k/src/main.rs"
done
printf '[package]\nname = "renamed"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nprof = { package = "cprof", path = "%s" }\n[workspace]\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/renamed/Cargo.toml"
printf '[package]\nname = "devonly"\nversion = "0.1.0"\nedition = "2021"\n[dev-dependencies]\nprof = { package = "cprof", path = "%s" }\n[workspace]\n' \
  "$ROOT/proc-macro-shim/cprof" >"$TMP/devonly/Cargo.toml"
(cd "$TMP/renamed" && "$CP" regions --target-dir "$TD" >/dev/null 2>"$TMP/ren.err"; echo $? >"$TMP/ren.rc")
check "a renamed cprof dependency: one clear line before building (the macro needs ::cprof)" bash -c \
  "[ \$(cat '$TMP/ren.rc') = 1 ] && grep -q 'cprof is renamed to .prof. in Cargo.toml' '$TMP/ren.err' && [ \$(wc -l <'$TMP/ren.err') = 1 ]"
(cd "$TMP/devonly" && "$CP" regions --target-dir "$TD" >/dev/null 2>"$TMP/dev.err"; echo $? >"$TMP/dev.rc")
check "cprof only as a dev-dependency: one clear line before building" bash -c \
  "[ \$(cat '$TMP/dev.rc') = 1 ] && grep -q 'cprof is only a dev-dependency of this crate' '$TMP/dev.err' && [ \$(wc -l <'$TMP/dev.err') = 1 ]"
"$CP" regions --bin /bin/true stray --format json 2>"$TMP/stray.err"; rc=$?
check "program arguments before --: exit 2, nothing run" bash -c "[ $rc = 2 ] && grep -q \"unexpected argument 'stray' (program arguments go after --)\" '$TMP/stray.err'"
"$CP" regions --format xml 2>"$TMP/fx.err"; rc=$?
check "bad --format: exit 2" bash -c "[ $rc = 2 ] && grep -q 'format xml: expected' '$TMP/fx.err'"
(cd "$FIX/mergefix" && "$CP" regions --target-dir "$TD" --sort bogus </dev/null >/dev/null 2>"$TMP/sb.err"; echo $? >"$TMP/sb.rc")
check "regions --sort on an unknown key: exit 2, the keys listed as the events asked for (not yet known countable)" bash -c \
  "[ \$(cat '$TMP/sb.rc') = 2 ] && grep -q 'unknown key (expected incl, .* among: time, .*; these are the events asked for: if one cannot be counted here, --sort falls back to time)' '$TMP/sb.err'"
# every format the error lists is in --help's --format paragraph (speedscope was missing)
fmts=$(sed -n 's/.*format xml: expected \(.*\)$/\1/p' "$TMP/fx.err" | sed 's/ or /, /; s/,//g')
"$CP" report --help | sed -n '/^  --format FMT/,/^  -n N/p' >"$TMP/fhelp.txt"
check "--help names every format --format takes ($fmts)" bash -c \
  "[ -n '$fmts' ] && for f in $fmts; do grep -qw \"\$f\" '$TMP/fhelp.txt' || { echo \"missing: \$f\"; exit 1; }; done"
# as cargo runs it: `cargo profiler ...` -> cargo-profiler profiler ...
mkdir -p "$TMP/bin" && ln -sf "$CP" "$TMP/bin/cargo-profiler"
check "cargo profiler --version through cargo" bash -c "PATH='$TMP/bin':\$PATH cargo profiler --version | grep -q '^cargo-profiler '"
(cd "$FIX/mergefix" && PATH="$TMP/bin:$PATH" cargo profiler regions --target-dir "$TD" --events $EV --format csv >"$TMP/cg.out" 2>/dev/null)
check "cargo profiler regions through cargo" grep -q '^mergefix::leaf,src/main.rs,17,6,' "$TMP/cg.out"

# --- a selection that matches nothing, by full name or its ending -----------------
run_mf "$TMP/fnone" --events $EV --filter 'nosuch*'
check "--filter that matches no region: says so with the names it could have meant, exit 1" bash -c \
  "[ \$(cat '$TMP/fnone.rc') = 1 ] && grep -q \"CPROF_REGIONS 'nosuch\*' matched none of the [0-9]* region(s) the program entered; the nearest: .*mergefix::leaf\" '$TMP/fnone.err'"
fnone_dir=$(sed -n 's/^cargo-profiler regions: nothing was recorded, so \(.*\) is removed$/\1/p' "$TMP/fnone.err")
"$CP" report "$(dirname "${fnone_dir:-/nonexistent/x}")" --format json >"$TMP/fnrep.out" 2>"$TMP/fnrep.err"; echo $? >"$TMP/fnrep.rc"
check "--filter that matched nothing: its run folder removed, so report of the runs folder shows the run before it" bash -c \
  "[ -n '$fnone_dir' ] && [ ! -e '$fnone_dir' ] && [ \$(cat '$TMP/fnrep.rc') = 0 ] && jq -e '.regions | length > 0' '$TMP/fnrep.out' >/dev/null"
run_mf "$TMP/ftypo" --events $EV --filter 'wroker'
check "--filter with a typo: the nearest name first (wroker: mergefix::worker)" bash -c \
  "[ \$(cat '$TMP/ftypo.rc') = 1 ] && grep -q \"matched none of the [0-9]* region(s) the program entered; the nearest: mergefix::worker, \" '$TMP/ftypo.err'"
run_mf "$TMP/fsuf" --events $EV --filter 'leaf,mergefix::top' --format json
check "--filter by a ::-ending of the full name (leaf) and by the full name (mergefix::top)" \
  jeq "$TMP/fsuf.out" '[.regions[].name] | sort' '["mergefix::leaf","mergefix::top"]'

check "json: every region's one-call figures around its mean, compensated and raw (min_ns <= mean_ns <= max_ns)" bash -c \
  "jq -e '[.regions[] | select(.calls > 0) | .min_ns <= .mean_ns and .mean_ns <= .max_ns] | all' '$TMP/j.out' >/dev/null && jq -e '[.regions[] | select(.calls > 0) | .min_ns <= .mean_ns and .mean_ns <= .max_ns] | all' '$TMP/raw.out' >/dev/null"

# --- one path, every view the same numbers (issue 8) ---------------------------
check "json: every region's excl and calls are its tree nodes' (compensated)" jeq "$TMP/j.out" \
  ".tree as \$t | [.regions[] | . as \$r | [\$t[] | select(.name==\$r.name)] as \$ns | (\$r.excl_ns == (\$ns | map(.excl_ns) | add)) and (\$r.calls == (\$ns | map(.calls) | add)) and (\$r.counters[\"$EV\"].excl == (\$ns | map(.counters[\"$EV\"].excl) | add))] | all" 'true'
check "json: every node's excl = incl - its children's incl (compensated)" jeq "$TMP/j.out" \
  '.tree as $t | [$t[] | . as $n | $n.excl_ns == $n.incl_ns - ([$t[] | select(.parent == $n.node) | .incl_ns] | add // 0)] | all' 'true'
check "json: the same holds raw (--no-compensate)" jeq "$TMP/raw.out" \
  '.tree as $t | [$t[] | . as $n | $n.excl_ns == $n.incl_ns - ([$t[] | select(.parent == $n.node) | .incl_ns] | add // 0)] | all' 'true'
"$CPR" report --sort exclusive "$run_dir" >/dev/null 2>"$TMP/sx.err"; rc=$?
check "report --sort exclusive: a usage error, exit 2, one line" bash -c "[ $rc = 2 ] && [ \$(wc -l <'$TMP/sx.err') = 1 ] && grep -q 'unknown key' '$TMP/sx.err'"
"$CPR" report --metric nosuch "$run_dir" >/dev/null 2>"$TMP/mx.err"; rc=$?
check "report --metric of an event not in the profile: exit 2" bash -c "[ $rc = 2 ] && grep -q 'not measured here' '$TMP/mx.err'"
"$CPR" report --only-crate "$run_dir" >/dev/null 2>"$TMP/oc.err"; rc=$?
check "report --only-crate on region dumps: exit 2, says what it is for" bash -c "[ $rc = 2 ] && grep -q 'only-crate is for valgrind profiles' '$TMP/oc.err'"
"$CPR" >/dev/null 2>"$TMP/none.err"; rc=$?
check "no command: the commands in two lines, exit 2" bash -c "[ $rc = 2 ] && [ \$(wc -l <'$TMP/none.err') -le 3 ] && grep -q 'regions report init callgrind cachegrind' '$TMP/none.err'"
"$CPR" region >/dev/null 2>"$TMP/dym.err"; rc=$?
check "a misspelt command: did you mean, exit 2" bash -c "[ $rc = 2 ] && grep -q \"did you mean 'regions'\" '$TMP/dym.err'"
"$CPR" report --tree "$run_dir" >/dev/null 2>"$TMP/rtree.err"; rc=$?
check "report --tree (a format's name as an option): did you mean --format tree?, exit 2" bash -c \
  "[ $rc = 2 ] && grep -qx 'cargo-profiler report: --tree: unknown option; did you mean --format tree? (see --help)' '$TMP/rtree.err'"
"$CPR" diff --json "$run_dir" "$run_dir" >/dev/null 2>"$TMP/djson.err"; rc=$?
"$CPR" report --foramt tree "$run_dir" >/dev/null 2>"$TMP/rfmt.err"; rc2=$?
"$CPR" report --bogus "$run_dir" >/dev/null 2>"$TMP/rbog.err"; rc3=$?
check "diff --json: --format json?; report --foramt: --format?; report --bogus: no guess; each one line, exit 2" bash -c \
  "[ $rc = 2 ] && grep -q 'did you mean --format json?' '$TMP/djson.err' && [ $rc2 = 2 ] && grep -q 'did you mean --format? ' '$TMP/rfmt.err' &&
   [ $rc3 = 2 ] && ! grep -q 'did you mean' '$TMP/rbog.err' && grep -qx 'cargo-profiler report: --bogus: unknown option (see --help)' '$TMP/rbog.err' &&
   [ \$(cat '$TMP/djson.err' '$TMP/rfmt.err' '$TMP/rbog.err' | wc -l) = 3 ]"
# getopt's own words are not printed before ours (similar trial): one line
# for a value missing, one given to an option that takes none, an ambiguous
# abbreviation, an unknown short option
"$CPR" report "$run_dir" --format >/dev/null 2>"$TMP/ue1.err"; r1=$?
"$CPR" report --help=x >/dev/null 2>"$TMP/ue2.err"; r2=$?
"$CPR" report --fo tree "$run_dir" >/dev/null 2>"$TMP/ue3.err"; r3=$?
"$CPR" report -Q "$run_dir" >/dev/null 2>"$TMP/ue4.err"; r4=$?
"$CPR" report "$run_dir" --sor >/dev/null 2>"$TMP/ue5.err"; r5=$?
"$CPR" report --threads -xz "$run_dir" >/dev/null 2>"$TMP/ue6.err"; r6=$?
"$CPR" regions --tes >/dev/null 2>"$TMP/ue7.err"; r7=$?
check "usage errors: each one line saying what is wrong, exit 2" bash -c \
  "[ $r1$r2$r3$r4 = 2222 ] && [ \$(cat '$TMP'/ue[1-4].err | wc -l) = 4 ] &&
   grep -qx 'cargo-profiler report: --format needs a value (see --help)' '$TMP/ue1.err' &&
   grep -qx 'cargo-profiler report: --help takes no value (see --help)' '$TMP/ue2.err' &&
   grep -q '^cargo-profiler report: --fo is ambiguous: --format, ' '$TMP/ue3.err' &&
   grep -qx 'cargo-profiler report: -Q: unknown option (see --help)' '$TMP/ue4.err'"
check "usage errors as getopt reads them: an abbreviation is its option, a cluster's letter is blamed, not the option before" bash -c \
  "[ $r5$r6$r7 = 222 ] && grep -qx 'cargo-profiler report: --sort needs a value (see --help)' '$TMP/ue5.err' &&
   grep -qx 'cargo-profiler report: -x: unknown option (see --help)' '$TMP/ue6.err' &&
   grep -qx 'cargo-profiler regions: --tes is ambiguous: --test, --tests (see --help)' '$TMP/ue7.err'"
"$CPR" report --threads "$run_dir" >"$TMP/th1.out" 2>/dev/null; rc=$?
check "report --threads: the header once, then one block a thread" bash -c \
  "[ $rc = 0 ] && [ \$(grep -c '^events:' '$TMP/th1.out') = 1 ] && [ \$(grep -c '^== pid' '$TMP/th1.out') -ge 3 ]"

# --- nothing lost, nothing hangs (issue 14) ----------------------------------------
mkdir -p "$TMP/loops" && cp "$one" "$TMP/loops/" && mkdir -p "$TMP/loops2"
ln -s . "$TMP/loops2/run-1"; ln -s . "$TMP/loops2/run-2"; ln -s . "$TMP/loops2/run-3"; ln -s "$TMP/loops" "$TMP/loops2/run-4"
timeout 20 "$CPR" report "$TMP/loops2" >/dev/null 2>"$TMP/loops.err"; rc=$?
check "report DIR with run-* links back to itself: no hang, no link followed, one line" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/loops.err') = 1 ] && grep -q 'no dump in this folder' '$TMP/loops.err'"
mkdir -p "$TMP/long"
long=$(head -c 100000 /dev/zero | tr '\0' x)
jq --arg n "$long" '.threads[] |= (.regions |= map(if .name == "mergefix::leaf" then .name = $n else . end) | .tree |= map(if .region == "mergefix::leaf" then .region = $n else . end))' "$one" >"$TMP/long/cprof-1.json"
"$CPR" report "$TMP/long" >"$TMP/long.out" 2>/dev/null; rc=$?
"$CPR" report --format json "$TMP/long" >"$TMP/longj.out" 2>/dev/null
check "a 100 KB region name: the table stays small, the name whole in json" bash -c \
  "[ $rc = 0 ] && [ \$(wc -c <'$TMP/long.out') -lt 20000 ] && grep -q '…xxxxxxxx' '$TMP/long.out' && [ \"\$(jq '[.regions[] | select(.name | length == 100000)] | length' '$TMP/longj.out')\" = 1 ]"
mkdir -p "$TMP/huge" && printf '{"format": "cprof-1", ' >"$TMP/huge/cprof-1.json" && truncate -s 20G "$TMP/huge/cprof-1.json"
timeout 20 "$PLAIN" report "$TMP/huge/cprof-1.json" >/dev/null 2>"$TMP/huge.err"; rc=$?
check "a 20 GB (sparse) dump: refused with one line, not read until memory runs out" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/huge.err') = 1 ] && grep -q 'cprof-1.json: 21475 MB: too large to read here' '$TMP/huge.err'"
rm -f "$TMP/huge/cprof-1.json"
mkdir -p "$TMP/many"
python3 - "$one" "$TMP/many" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["events"] = d["events"] + [{"name": "NOPE_%d" % i, "active": False, "reason": "no such event"} for i in range(200000)]
json.dump(d, open(sys.argv[2] + "/cprof-1.json", "w"))
t = dict(d); t["events"] = []
t["threads"] = [{"tid": i, "name": "t", "regions": [], "tree": [], "counter_error": "perf_event: no PMU"} for i in range(100000)]
json.dump(t, open(sys.argv[2] + "/threads.json", "w"))
PY
timeout 60 "$PLAIN" report --format json "$TMP/many/cprof-1.json" >"$TMP/many.out" 2>/dev/null; rc=$?
check "200 000 events that were not counted: read in linear time (was quadratic), each named once" bash -c \
  "[ $rc = 0 ] && [ \"\$(jq '.missing | length' '$TMP/many.out')\" -ge 200000 ]"
timeout 60 "$PLAIN" report --format json "$TMP/many/threads.json" >"$TMP/manyt.out" 2>/dev/null; rc=$?
check "100 000 threads that counted nothing for one reason: one note, not 100 000" bash -c \
  "[ $rc = 0 ] && [ \"\$(jq '[.notes[] | select(test(\"counters not read\"))] | length' '$TMP/manyt.out')\" = 1 ] && jq -r '.notes[]' '$TMP/manyt.out' | grep -q '100000 threads (thread 0, ...): counters not read: perf_event: no PMU'"

# --threads over dumps whose events differ in order or in what was counted:
# one header, every block the same columns
mkdir -p "$TMP/thr2"
python3 - "$one" "$TMP/thr2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["events"][0]["name"]
def add(rec, v):
    rec.setdefault("counters", {})["sde:::T::Y"] = {"incl": v, "excl": v}
a = json.loads(json.dumps(d)); a["pid"] = 1
a["events"] = [{"name": ev, "active": True}, {"name": "sde:::T::Y", "active": True}]
for t in a["threads"]:
    for r in t["regions"] + t["tree"]: add(r, 7)
b = json.loads(json.dumps(d)); b["pid"] = 2
b["events"] = [{"name": "sde:::T::Y", "active": False, "reason": "not here"}, {"name": ev, "active": True}]
json.dump(a, open(sys.argv[2] + "/cprof-1.json", "w")); json.dump(b, open(sys.argv[2] + "/cprof-2.json", "w"))
PY
"$CPR" report --threads --format csv "$TMP/thr2" >"$TMP/thr2.csv" 2>"$TMP/thr2.err"; rc=$?
check "--threads csv over dumps with other events: one header, every row its columns" bash -c \
  "[ $rc = 0 ] && [ \$(grep -c '^pid,' '$TMP/thr2.csv') = 1 ] && python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); assert len(r) > 2 and all(len(x) == len(r[0]) for x in r), r' '$TMP/thr2.csv'"
"$CPR" report --threads --format json --sort sde:::T::Y "$TMP/thr2" >"$TMP/thr2.json" 2>/dev/null; rc=$?
check "--threads json --sort by an event one dump did not count: every thread there" bash -c \
  "[ $rc = 0 ] && [ \"\$(jq '[.threads[] | .pid] | unique' '$TMP/thr2.json' | jq -c .)\" = '[1,2]' ]"
mkdir -p "$TMP/level"
jq '.events = [{"name": "sde:::T::LEVEL", "active": true}] | .threads[] |= (.regions |= map(.counters = {"sde:::T::LEVEL": {"incl": -10, "excl": -10}}) | .tree |= map(.counters = {"sde:::T::LEVEL": {"incl": -10, "excl": -10}}))' "$one" >"$TMP/level/cprof-1.json"
"$CPR" report --format csv "$TMP/level" >"$TMP/level.csv" 2>/dev/null; rc=$?
"$CPR" report --format folded --metric sde:::T::LEVEL "$TMP/level" >"$TMP/level.folded" 2>/dev/null
check "a counter that went down: negative in csv as in json (top: -10 itself); folded leaves out values below 1" bash -c \
  "[ $rc = 0 ] && python3 -c 'import csv,sys; r={x[\"name\"]: x for x in csv.DictReader(open(sys.argv[1]))}; assert r[\"mergefix::top\"][\"sde:::T::LEVEL_excl\"] == \"-10\", r' '$TMP/level.csv' && ! grep -q 18446744 '$TMP/level.csv' && [ ! -s '$TMP/level.folded' ]"
mkdir -p "$TMP/mix" && head -c 100 "$one" >"$TMP/mix/a.json"
"$CPR" report --format csv "$TMP/mix/a.json" "$one" >"$TMP/mix.out" 2>"$TMP/mix.err"; rc=$?
check "a broken file before a good one: the good one still shown (exit 1 for the broken one)" bash -c \
  "[ $rc = 1 ] && grep -q '^mergefix::' '$TMP/mix.out' && grep -q 'a.json: byte 100' '$TMP/mix.err' && ! grep -q 'cannot be shown' '$TMP/mix.err'"
mkdir -p "$TMP/dumps1000"
python3 - "$one" "$TMP/dumps1000" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["threads"][0]
t["regions"] = [{"name": "m::r%d" % i, "file": "f.rs", "line": i, "calls": 1, "incl_ns": 5, "excl_ns": 5, "min_ns": 5, "max_ns": 5, "incl_calls": 1, "child_calls": 0, "desc_calls": 0} for i in range(100)]
t["tree"] = [{"node": i + 1, "parent": 0, "region": "m::r%d" % i, "file": "f.rs", "line": i, "calls": 1, "incl_ns": 5, "excl_ns": 5, "child_calls": 0, "desc_calls": 0} for i in range(100)]
d["threads"] = [t]; d["events"] = []
for p in range(1000):
    d["pid"] = p
    json.dump(d, open("%s/cprof-%d.json" % (sys.argv[2], p), "w"))
PY
timeout 60 "$PLAIN" report --format json "$TMP/dumps1000" >"$TMP/d1000.out" 2>/dev/null; rc=$?
check "1000 dumps of 100 regions: merged in linear time (was 107 s), every call counted" bash -c \
  "[ $rc = 0 ] && [ \"\$(jq '[.regions[].calls] | add' '$TMP/d1000.out')\" = 100000 ]"
rm -rf "$TMP/dumps1000"

# --- throttling (issue 11): tiny is timed 1 call in N, counted and scaled exactly
mkdir -p "$TMP/thr-v1"
CPROF_TEST_DUMP_V1=$TMP/thr-v1 run_mf "$TMP/thr" --events $EV --format json -- tiny
check "throttled: exit 0" [ "$(cat "$TMP/thr.rc")" = 0 ]
thr_dir=$(sed -n 's/.*(dumps in \(.*\))$/\1/p' "$TMP/thr.err")
for f in table tree json csv; do
  check "throttled, report --format $f: cprof-2 dumps and their cprof-1 copies, the same bytes" bash -c \
    "'$CPR' report --format $f '$thr_dir' >'$TMP/thr2.rep' 2>&1 && '$CPR' report --format $f '$TMP/thr-v1' >'$TMP/thr1.rep' 2>&1 && cmp '$TMP/thr2.rep' '$TMP/thr1.rep' && grep -q tiny '$TMP/thr2.rep'"
done
check "throttled: calls exact, the sde counter scaled from the timed calls exactly (2 a call)" jeq "$TMP/thr.out" \
  "[.regions[] | [.name, .calls, .counters[\"$EV\"].incl, .counters[\"$EV\"].excl]] | sort" \
  '[["mergefix::burst",50,200050,50],["mergefix::tiny",100000,200000,200000]]'
check "throttled: tiny is marked sampled (fewer timed than calls), burst is not" jeq "$TMP/thr.out" \
  '[.regions[] | [.name, (.sampled != null), (.sampled.pairs // .calls), ((.sampled.timed // 0) < 100000 and (.sampled.timed // 0) > 1000)]] | sort' \
  '[["mergefix::burst",false,50,false],["mergefix::tiny",true,100000,true]]'
check "throttled: the tree agrees with the table" jeq "$TMP/thr.out" \
  "[.tree[] | select(.name == \"mergefix::tiny\") | [.calls, .counters[\"$EV\"].incl, (.sampled != null)]]" '[[100000,200000,true]]'
check "throttled: the tiny region's figures are mostly the profiler's: trust low, share above 0.25" jeq "$TMP/thr.out" \
  '[.regions[] | select(.name == "mergefix::tiny") | [.trust, .overhead_share > 0.25]]' '[["low",true]]'
run_mf "$TMP/thrt" --events $EV -- tiny
check "throttled, table: ~ before tiny's figures, ~1/N in its trust column, and the note" bash -c \
  "grep -Eq '^mergefix::tiny +100K +~[0-9.]+ [mun]?s +~.*~1/[0-9]+ !' '$TMP/thrt.out' && grep -q '^~ sampled: 1 region timed 1 call in N' '$TMP/thrt.out' && grep -q '^! [0-9]* regions\\?: more than 25%' '$TMP/thrt.out'"
(cd "$FIX/mergefix" && CPROF_THROTTLE=off "$CP" regions --target-dir "$TD" --events $EV --format json -- tiny </dev/null >"$TMP/thro.out" 2>"$TMP/thro.err"; echo $? >"$TMP/thro.rc")
check "CPROF_THROTTLE=off: every call timed, nothing sampled, the same exact counts" jeq "$TMP/thro.out" \
  "[.regions[] | [.name, .calls, .counters[\"$EV\"].incl, .sampled]] | sort" \
  '[["mergefix::burst",50,200050,null],["mergefix::tiny",100000,200000,null]]'
thro_dir=$(sed -n 's/.*(dumps in \(.*\))$/\1/p' "$TMP/thro.err")
"$CPR" diff "$thr_dir" "$thro_dir" >"$TMP/thrd.out" 2>&1
check "diff of a throttled run and a CPROF_THROTTLE=off one: tiny's time marked ~!, the sides' timing said" bash -c \
  "grep -Eq '^(mergefix::)?tiny +.* ~![0-9.]+ [mun]?s -> ' '$TMP/thrd.out' && grep -q 'warning: 1 region was timed differently on the two sides (mergefix::tiny: about 1 call in [0-9]* in ' '$TMP/thrd.out' && grep -q '^! [0-9]* regions\\?: more than 25% of the measured time on a side' '$TMP/thrd.out'"

# with the ASan+UBSan build: any report fails
san=$(cat "$TMP"/*.err 2>/dev/null | grep -cE "ERROR: (Address|Leak)Sanitizer|runtime error:")
check "no sanitizer report in any run" [ "$san" = 0 ]

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
