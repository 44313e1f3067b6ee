#!/usr/bin/env bash
# End-to-end tests of the file outputs: `--format speedscope` (checked
# against speedscope's file format, tests/e2e/data/speedscope-schema.json,
# with exact sde::: weights per thread and process of the mergefix fixture)
# and `-o FILE` (temporary file and rename, refusals, --force, symlinks).
# usage: tests/e2e/views.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$ROOT/tests/e2e/fixtures
VG=$ROOT/tests/valgrind/fixtures
TD=$BUILD/e2e-target            # shared with cli-e2e: the runtime is compiled once
TMP=$(mktemp -d "$BUILD/tmp/e2e-views.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE
EV=sde:::MERGE::WORK
SCHEMA=$ROOT/tests/e2e/data/speedscope-schema.json

. "$(dirname "$0")/lib.sh"
cpr() { # cpr OUT ARGS... : cargo profiler, stdout/stderr/status kept
  local out=$1; shift
  "$CP" "$@" </dev/null >"$out.out" 2>"$out.err"; echo $? >"$out.rc"
}
rc_is() { [ "$(cat "$1.rc")" = "$2" ] || { echo "     exit $(cat "$1.rc"), expected $2; stderr:"; sed 's/^/       /' "$1.err" | head -5; return 1; }; }
valid() { python3 "$ROOT/tests/e2e/jsonschema_lite.py" "$SCHEMA" "$1"; }
sjq() { # sjq FILE JQ-EXPR EXPECTED
  local got; got=$(jq -c "$2" "$1" 2>&1)
  [ "$got" = "$3" ] || { echo "     jq '$2': got $got, expected $3"; return 1; }
}

# --- speedscope of a run: threads and a child process ---------------------------
(cd "$FIX/mergefix" && "$CP" regions --target-dir "$TD" --events $EV --format json </dev/null >"$TMP/j.out" 2>"$TMP/j.err")
RUN=$(sed -n 's/.*(dumps in \(.*\))$/\1/p' "$TMP/j.err")
cp -r "$RUN" "$TMP/run"
cpr "$TMP/s" report "$TMP/run" --format speedscope --metric $EV
S=$TMP/s.out
check "speedscope: exit 0" rc_is "$TMP/s" 0
check "speedscope: valid against speedscope's file format" valid "$S"
check "speedscope: \$schema, exporter, one profile per thread of each process (3 + 1)" sjq "$S" \
  '[."$schema", (.exporter | startswith("cargo-profiler@")), (.profiles | length), ([.profiles[].type] | unique)]' \
  '["https://www.speedscope.app/file-format-schema.json",true,4,["sampled"]]'
check "speedscope: frames are the regions, with file and line" sjq "$S" \
  '[.shared.frames[] | select(.name=="mergefix::leaf") | [.file, .line]]' '[["src/main.rs",17]]'
# a profile's stacks by name: {"a;b": weight}
stacks='. as $d | [.profiles[] | [.samples, .weights] | transpose | map({key: (.[0] | map($d.shared.frames[.].name) | join(";")), value: .[1]}) | from_entries]'
check "speedscope: exact sde weights per thread (top 5 + leaf 3x10; each worker 100 + leaf 10; the child 1000 + 10)" sjq "$S" \
  "$stacks | sort_by(keys)" \
  '[{"mergefix::child_main":1000,"mergefix::child_main;mergefix::leaf":10},{"mergefix::top":5,"mergefix::top;mergefix::leaf":30},{"mergefix::worker":100,"mergefix::worker;mergefix::leaf":10},{"mergefix::worker":100,"mergefix::worker;mergefix::leaf":10}]'
check "speedscope: unit none for a counter; endValue = the weights' sum; sum over profiles = the report's total" sjq "$S" \
  '[([.profiles[].unit] | unique), ([.profiles[] | (.weights | add) == .endValue] | unique), ([.profiles[].weights | add] | add)]' \
  "[[\"none\"],[true],$(jq ".totals[\"$EV\"]" "$TMP/j.out")]"
cpr "$TMP/st" report "$TMP/run" --format speedscope
check "speedscope: time in nanoseconds by default; the weights add up to the report's total time" sjq "$TMP/st.out" \
  '[([.profiles[].unit] | unique), ([.profiles[].weights | add] | add)]' \
  "[[\"nanoseconds\"],$(jq '.totals.time_ns' "$TMP/j.out")]"
cpr "$TMP/sr" report "$TMP/run" --format speedscope --threads
check "speedscope: --threads refused (each thread is a profile already), exit 2" \
  bash -c "[ \"\$(cat '$TMP/sr.rc')\" = 2 ] && grep -q 'speedscope show each thread already' '$TMP/sr.err'"
cpr "$TMP/sm" report "$TMP/run" --format speedscope --metric nosuch
check "speedscope: --metric not measured: exit 2" rc_is "$TMP/sm" 2

# --- speedscope of valgrind profiles --------------------------------------------
cpr "$TMP/cg" report "$VG/compress.cg" --format speedscope
check "speedscope callgrind: valid, one profile, stacks from call paths" bash -c \
  "python3 '$ROOT/tests/e2e/jsonschema_lite.py' '$SCHEMA' '$TMP/cg.out' && [ \"\$(jq -c '[(.profiles | length), (.shared.frames | map(.name) | sort)]' '$TMP/cg.out')\" = '[1,[\"main\",\"memcpy\",\"work\"]]' ]"
check "speedscope callgrind: the weights add up to the functions' self cost (374 Ir)" sjq "$TMP/cg.out" \
  "$stacks | map(to_entries | sort_by(.key) | from_entries)" '[{"main":24,"main;memcpy":50,"main;work":200,"main;work;memcpy":100}]'
cpr "$TMP/cgd" report "$VG/compress.cg" --format speedscope --metric Dr
check "speedscope callgrind --metric Dr: 39 Dr" sjq "$TMP/cgd.out" '[.profiles[0].weights | add]' '[39]'
cpr "$TMP/cc" report "$VG/small.cachegrind" --format speedscope
check "speedscope cachegrind (no stacks): one sample per function, valid" bash -c \
  "python3 '$ROOT/tests/e2e/jsonschema_lite.py' '$SCHEMA' '$TMP/cc.out' && [ \"\$(jq '[.profiles[0].samples[] | length] | unique' -c '$TMP/cc.out')\" = '[1]' ]"

# --- -o FILE ----------------------------------------------------------------------
O=$TMP/out && mkdir -p "$O"
cpr "$TMP/o1" report "$TMP/run" --format json -o "$O/r.json"
check "-o: exit 0, nothing on stdout, the path said on stderr" bash -c \
  "[ \"\$(cat '$TMP/o1.rc')\" = 0 ] && [ ! -s '$TMP/o1.out' ] && grep -qx 'cargo-profiler report: wrote $O/r.json' '$TMP/o1.err'"
check "-o: the file is the report stdout would hold" bash -c \
  "'$CP' report '$TMP/run' --format json 2>/dev/null | cmp -s - '$O/r.json'"
check "-o: no temporary file left beside it" bash -c "[ \"\$(ls -A '$O')\" = r.json ]"
check "-o: mode from the umask (0644 under umask 022)" bash -c \
  "(umask 022; '$CP' report '$TMP/run' --format json -o '$O/m.json' 2>/dev/null) && [ \"\$(stat -c %a '$O/m.json')\" = 644 ]"
cpr "$TMP/o2" report "$TMP/run" --format speedscope -o "$O/r.json"
check "-o: a file we wrote is replaced (json by speedscope)" bash -c \
  "[ \"\$(cat '$TMP/o2.rc')\" = 0 ] && jq -e '.profiles' '$O/r.json' >/dev/null"
cpr "$TMP/o2b" report "$TMP/run" --format json -o "$O/r.json"
check "-o: ... and speedscope by json again" bash -c "[ \"\$(cat '$TMP/o2b.rc')\" = 0 ] && jq -e '.format' '$O/r.json' >/dev/null"
echo 'my notes' >"$O/notes.txt"
cpr "$TMP/o3" report "$TMP/run" -o "$O/notes.txt"
check "-o: a file we did not write is refused before anything runs, exit 2, and kept" bash -c \
  "[ \"\$(cat '$TMP/o3.rc')\" = 2 ] && grep -q 'notes.txt: exists and is not a file cargo-profiler wrote (--force replaces it)' '$TMP/o3.err' && [ \"\$(cat '$O/notes.txt')\" = 'my notes' ]"
cpr "$TMP/o3b" report "$TMP/run" -o "$O/r.json"
check "-o: a table over a json report we wrote is allowed; a second table needs --force (a table carries no mark)" bash -c \
  "[ \"\$(cat '$TMP/o3b.rc')\" = 0 ] && ! '$CP' report '$TMP/run' -o '$O/r.json' 2>/dev/null"
cpr "$TMP/o4" report "$TMP/run" -o "$O/notes.txt" --force
check "-o --force: replaced" bash -c "[ \"\$(cat '$TMP/o4.rc')\" = 0 ] && grep -q '^cprof:' '$O/notes.txt'"
echo 'target' >"$O/target.txt"
ln -s target.txt "$O/link.json"
cpr "$TMP/o5" report "$TMP/run" --format json -o "$O/link.json"
check "-o: a symlink is refused (not followed), its target kept" bash -c \
  "[ \"\$(cat '$TMP/o5.rc')\" = 2 ] && grep -q 'symbolic link' '$TMP/o5.err' && [ \"\$(cat '$O/target.txt')\" = target ] && [ -L '$O/link.json' ]"
cpr "$TMP/o6" report "$TMP/run" --format json -o "$O/link.json" --force
check "-o --force on a symlink: the link itself is replaced, never its target" bash -c \
  "[ \"\$(cat '$TMP/o6.rc')\" = 0 ] && [ ! -L '$O/link.json' ] && jq -e .format '$O/link.json' >/dev/null && [ \"\$(cat '$O/target.txt')\" = target ]"
cpr "$TMP/o7" report "$TMP/run" -o "$O"
check "-o FOLDER: refused, exit 2" bash -c "[ \"\$(cat '$TMP/o7.rc')\" = 2 ] && grep -q 'is a folder' '$TMP/o7.err'"
cpr "$TMP/o8" report "$TMP/run" -o "$TMP/nosuch/x.json"
check "-o in a missing folder: refused, exit 2" bash -c "[ \"\$(cat '$TMP/o8.rc')\" = 2 ] && grep -q 'its folder does not exist' '$TMP/o8.err'"
cpr "$TMP/o9" report "$TMP/run" --format json -o /dev/null
check "-o /dev/null: written into, not replaced" bash -c "[ \"\$(cat '$TMP/o9.rc')\" = 0 ] && [ -c /dev/null ]"
cpr "$TMP/o10" report "$TMP/nosuch.json" --format json -o "$O/never.json"
check "-o: nothing readable: exit 1, no file made" bash -c "[ \"\$(cat '$TMP/o10.rc')\" = 1 ] && [ ! -e '$O/never.json' ] && [ \"\$(ls -A '$O' | grep -c '^\\.')\" = 0 ]"
CPROF_TEST_NO_RENAME_EXCHANGE=1 cpr "$TMP/o10b" report "$TMP/run" --format json -o "$O/nf.json"
check "-o where renameat2 has no flags (NFS, FUSE): link + unlink, no temporary file left" bash -c \
  "[ \"\$(cat '$TMP/o10b.rc')\" = 0 ] && jq -e .format '$O/nf.json' >/dev/null && [ \"\$(ls -A '$O' | grep -c '^\\.')\" = 0 ] && [ \"\$(stat -c %h '$O/nf.json')\" = 1 ]"
cpr "$TMP/o11" diff "$TMP/run" "$TMP/run" --format json -o "$O/d.json"
check "-o with diff: the comparison in the file" bash -c \
  "[ \"\$(cat '$TMP/o11.rc')\" = 0 ] && [ \"\$(jq -r .format '$O/d.json')\" = cprof-diff-1 ] && [ ! -s '$TMP/o11.out' ]"
cpr "$TMP/o12" diff "$TMP/run" "$TMP/run" -o "$O/notes.txt"
check "-o with diff: a file we did not write is refused" bash -c \
  "[ \"\$(cat '$TMP/o12.rc')\" != 0 ] && grep -q 'not a file cargo-profiler wrote' '$TMP/o12.err'"
(cd "$FIX/mergefix" && "$CP" regions --target-dir "$TD" --events $EV -o "$O/notes.txt" </dev/null >"$TMP/o13.out" 2>"$TMP/o13.err"; echo $? >"$TMP/o13.rc")
check "regions -o over a foreign file: refused before the build and run (exit 2, no dumps said)" bash -c \
  "[ \"\$(cat '$TMP/o13.rc')\" = 2 ] && ! grep -q 'dumps in' '$TMP/o13.err'"

(cd "$FIX/mergefix" && script -qec "'$CP' regions --target-dir '$TD' --events $EV --format svg" /dev/null >"$TMP/tty.out" 2>&1; echo $? >"$TMP/tty.rc")
check "svg to a terminal: refused before the build and run (exit 2, give -o)" bash -c \
  "[ \"\$(cat '$TMP/tty.rc')\" = 2 ] && grep -q 'writes a page for a browser: give -o FILE' '$TMP/tty.out' && ! grep -q 'dumps in\|built ' '$TMP/tty.out'"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
