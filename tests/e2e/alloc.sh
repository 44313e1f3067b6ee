#!/usr/bin/env bash
# End-to-end tests of allocations and user counters per region (issue 13):
# `cargo profiler regions --events cprof::allocs,...` on the fixture
# tests/e2e/fixtures/allocfix (cprof::Alloc), exact figures in every view,
# --sort, --metric, --threads, a baseline; the same figures for a C program
# through libcprof_alloc.so (LD_PRELOAD, and linked); `init --alloc`; and
# the build without profiling: no cprof symbol, the code of System itself.
# usage: tests/e2e/alloc.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$ROOT/tests/e2e/fixtures/allocfix
TD=$BUILD/e2e-target            # shared with regions.sh: the runtime is compiled once
TMP=$(mktemp -d "$BUILD/tmp/e2e-alloc.XXXXXX")
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1 CARGO_NET_OFFLINE=true
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE CPROF_CRATE_DIR
# the checks of the dumps themselves (jq) read cprof-1's region records
export CPROF_DUMP_FORMAT=1
A=cprof::allocs B=cprof::alloc_bytes F=cprof::frees FB=cprof::freed_bytes R=cprof::reallocs
ALL=$A,$B,$F,$FB,$R

. "$(dirname "$0")/lib.sh"
rc_is() { [ "$(cat "$1.rc")" = "$2" ] || { echo "     exit $(cat "$1.rc"), expected $2:"; sed 's/^/       /' "$1.err" | tail -5; return 1; }; }
cpr() { # cpr OUT ARGS... : cargo profiler in the fixture, stdout/stderr/status kept
  local out=$1; shift
  (cd "$FIX" && "$CP" "$@" </dev/null >"$out.out" 2>"$out.err"; echo $? >"$out.rc")
}
# [name, calls, then incl and excl of each built-in counter] of every region
rows() { echo "[.regions[] | [.name, .calls, (.counters[\"$A\"], .counters[\"$B\"], .counters[\"$F\"], .counters[\"$FB\"], .counters[\"$R\"] | .incl, .excl)]] | sort"; }

# --- Rust: cprof::Alloc, exact figures per region -----------------------------
cpr "$TMP/j" regions --target-dir "$TD" --events $ALL --format json
check "rust: exit 0" rc_is "$TMP/j" 0
check "rust: the events, then the user counters the program counted" jeq "$TMP/j.out" '.events' \
  "[\"$A\",\"$B\",\"$F\",\"$FB\",\"$R\",\"user::bytes\",\"user::items\"]"
# (regions without allocations: parse and line, all zero)
check "rust: every region exact: k allocations of n bytes, a parent its own plus its child's, recursion once" jeq "$TMP/j.out" "$(rows)" \
  '[["allocfix::boxes",1,3,3,96,96,3,3,96,96,0,0],["allocfix::grow",1,5,5,248,248,5,5,248,248,4,4],["allocfix::line",3,0,0,0,0,0,0,0,0,0,0],["allocfix::parent",1,7,2,5008,8,7,2,5008,8,0,0],["allocfix::parse",1,0,0,0,0,0,0,0,0,0,0],["allocfix::rec",4,4,4,32,32,4,4,32,32,0,0],["allocfix::vecs",1,5,5,5000,5000,5,5,5000,5000,0,0],["allocfix::worker",2,10,10,640,640,10,10,640,640,0,0]]'
check "rust: the tree: vecs under parent, rec 4 deep, each level its own" jeq "$TMP/j.out" \
  "[.tree[] | .. | objects | select(.name? == \"allocfix::vecs\" or .name? == \"allocfix::rec\") | .counters[\"$A\"].incl]" '[5,4,3,2,1]'
check "rust: user counters exact, inclusive and exclusive, not named in --events" jeq "$TMP/j.out" \
  '[.regions[] | select(.name == "allocfix::parse" or .name == "allocfix::line") | [.name, .counters["user::bytes"].incl, .counters["user::bytes"].excl, .counters["user::items"].incl, .counters["user::items"].excl]] | sort' \
  '[["allocfix::line",0,0,15,15],["allocfix::parse",60,60,15,0]]'
check "rust: enter and exit allocate nothing (no overhead to compensate)" bash -c \
  "d=\$(sed -n 's/.*(dumps in \(.*\))\$/\1/p' '$TMP/j.err'); [ \"\$(jq -c '[.overhead.counters[\"$A\"], .overhead.counters_inside[\"$A\"]]' \"\$d\"/cprof-*.json)\" = '[0,0]' ]"
check "rust: allocations outside every region are in the threads' totals, in no region" bash -c \
  "d=\$(sed -n 's/.*(dumps in \(.*\))\$/\1/p' '$TMP/j.err'); jq -e '[.threads[] | (.totals[\"$A\"] - ([.tree[] | select(.parent == 0) | .counters[\"$A\"].incl] | add)) >= (if .name == \"main\" then 10 else 2 end)] | all' \"\$d\"/cprof-*.json >/dev/null"

json_of "$TMP/j.out" >"$TMP/j.json"
check "rust: the report's totals are the threads' (allocations outside every region included), its regions less" bash -c \
  "d=\$(sed -n 's/.*(dumps in \\(.*\\))\$/\\1/p' '$TMP/j.err'); t=\$(jq -s '[.[].threads[].totals[\"$A\"]] | add' \"\$d\"/cprof-*.json); \
   [ \"\$(jq '.totals[\"$A\"]' '$TMP/j.json')\" = \"\$t\" ] && [ \"\$(jq '[.tree[] | select(.parent == 0) | .counters[\"$A\"].incl] | add' '$TMP/j.json')\" -lt \"\$t\" ]"
cpr "$TMP/jb" report "$TMP/j.json" --format json
check "rust: a json report read back keeps those totals" bash -c \
  "[ \"\$(jq -c .totals '$TMP/jb.out')\" = \"\$(jq -c .totals '$TMP/j.json')\" ]"
cpr "$TMP/jt" report "$TMP/j.json"
check "rust: the table says what was counted outside every region" bash -c \
  "out=\$(jq '.totals[\"$A\"] - ([.tree[] | select(.parent == 0) | .counters[\"$A\"].incl] | add)' '$TMP/j.json'); \
   grep -q \"^outside every region (in the totals, in no row): $A \$out,\" '$TMP/jt.out'"
cpr "$TMP/th" regions --target-dir "$TD" --events $A --threads --format json
check "rust: two threads, each sees its own (3 and 7)" jeq "$TMP/th.out" \
  "[.threads[] | .regions[] | select(.name == \"allocfix::worker\") | .counters[\"$A\"].incl] | sort" '[3,7]'

cpr "$TMP/s" regions --target-dir "$TD" --events $A,$B --sort $B:incl --format csv
check "rust: --sort on a built-in counter (inclusive bytes)" bash -c \
  "rc_is() { [ \"\$(cat \$1.rc)\" = \$2 ]; }; rc_is '$TMP/s' 0 && [ \"\$(grep -o '^allocfix::[a-z]*' '$TMP/s.out' | head -3 | tr '\n' ' ')\" = 'allocfix::parent allocfix::vecs allocfix::worker ' ]"
check "rust: csv has the counters' columns" bash -c "head -1 '$TMP/s.out' | grep -q '$A' && head -1 '$TMP/s.out' | grep -q 'user::items'"
cpr "$TMP/rt" regions --target-dir "$TD" --events none -n 0
check "rust: the table gives user counters' rates per second and per call (items/call of line: 15 in 3 calls = 5)" bash -c \
  "hdr=\$(grep '^region ' '$TMP/rt.out'); for c in bytes/s bytes/call items/s items/call; do echo \"\$hdr\" | grep -qw \"\$c\" || exit 1; done; \
   awk '\$1 == \"allocfix::line\" { print \$(NF-1) } \$1 == \"allocfix::parse\" { print \$(NF-3) }' '$TMP/rt.out' | sort | tr '\\n' ' ' | grep -qx '5 60 '"
cpr "$TMP/u" regions --target-dir "$TD" --events none --sort user::items:excl --format csv
check "rust: --sort user::items, with no --events at all" bash -c \
  "rc_is() { [ \"\$(cat \$1.rc)\" = \$2 ]; }; rc_is '$TMP/u' 0 && grep -o '^allocfix::[a-z]*' '$TMP/u.out' | head -1 | grep -qx allocfix::line"
cpr "$TMP/f" regions --target-dir "$TD" --events $B --format folded --metric $B
check "rust: folded stacks carry exclusive bytes" bash -c \
  "grep -qx 'allocfix::parent;allocfix::vecs 5000' '$TMP/f.out' && grep -qx 'allocfix::parent 8' '$TMP/f.out'"
cpr "$TMP/tr" regions --target-dir "$TD" --events $A --format tree
check "rust: the tree view shows the counter" bash -c "grep -q '$A' '$TMP/tr.out' && grep -q 'allocfix::vecs' '$TMP/tr.out'"
cpr "$TMP/mix" regions --target-dir "$TD" --events PAPI_TOT_INS,$A --format json
check "rust: mixed with a PAPI event: the allocations exact whether PAPI counts or not" jeq "$TMP/mix.out" \
  "[(.regions[] | select(.name == \"allocfix::vecs\") | .counters[\"$A\"].incl), ((.events | index(\"PAPI_TOT_INS\")) != null or (.missing | map(.name) | index(\"PAPI_TOT_INS\")) != null)]" '[5,true]'
cpr "$TMP/bl" regions --target-dir "$TD" --events $A,$B --save-baseline allocs
cpr "$TMP/bl2" regions --target-dir "$TD" --events $A,$B --baseline allocs --limit "$A=+0" --limit "$B=+0" --format json
check "rust: a baseline of allocations, the same again: a limit of +0 holds, every count the same" bash -c \
  "rc_is() { [ \"\$(cat \$1.rc)\" = \$2 ]; }; rc_is '$TMP/bl' 0 && rc_is '$TMP/bl2' 0 && [ \"\$(sed -n '/^{\$/,\$p' '$TMP/bl2.out' | jq -c '[.rows[] | select(.metric == \"$A\" or .metric == \"$B\") | .verdict] | unique')\" = '[\"same\"]' ]"

cpr "$TMP/blr" regions --target-dir "$TD" --events $A,$B --format json
json_of "$TMP/blr.out" >"$TMP/blr.out.json"
json_of "$TMP/blr.out" | jq 'walk(if type == "object" and .name? == "allocfix::vecs" and has("counters")
  then .counters["'$B'"].excl += 1000 | .counters["'$B'"].incl += 1000 else . end)' >"$TMP/more.json"
cpr "$TMP/bl3" diff "$TMP/blr.out.json" "$TMP/more.json" --limit "$B=+0" --format json
check "rust: allocation counters are exact: 1000 bytes more in one run each is regressed, and a +0 limit breaks (exit 3)" bash -c \
  "[ \"\$(cat '$TMP/bl3.rc')\" = 3 ] && [ \"\$(sed -n '/^{\$/,\$p' '$TMP/bl3.out' | jq -c '[[.rows[] | select(.name == \"allocfix::vecs\" and .metric == \"$B\") | [.delta, .verdict]], [.metrics[] | select(.name == \"$B\") | .exact]]')\" = '[[[1000,\"regressed\"]],[true]]' ]"

# --- without an allocation hook: said, not zeros --------------------------------
cpr "$TMP/plain" regions --target-dir "$TD" --events $A --features plain --format json
check "rust: no cprof::Alloc: the counter is missing, with how to add it" jeq "$TMP/plain.out" \
  "[.missing[] | select(.name == \"$A\") | .reason | test(\"no allocation hook.*init --alloc\")]" '[true]'

# --- off: no trace of the wrapper ------------------------------------------------
(cd "$FIX" && cargo build --offline --quiet --release --target-dir "$TMP/off" 2>"$TMP/off.err" &&
  cargo build --offline --quiet --release --features plain --target-dir "$TMP/plain-off" 2>>"$TMP/off.err")
text_size() { size -A "$1" | awk '$1 == ".text" { print $2 }'; }
check "off: built without cprof/enable, no cprof or PAPI symbol" bash -c \
  "[ -x '$TMP/off/release/allocfix' ] && ! nm '$TMP/off/release/allocfix' | grep -Eq 'cprof|CPROF|PAPI_'"
# (unstripped files differ by the length of symbol names: the feature changes their hashes)
strip -o "$TMP/off.stripped" "$TMP/off/release/allocfix" && strip -o "$TMP/plain.stripped" "$TMP/plain-off/release/allocfix"
check "off: cprof::Alloc<System> is System's code: every section the same size, the stripped file too" bash -c \
  "[ \"\$(size -A '$TMP/off/release/allocfix' | tail -n +2)\" = \"\$(size -A '$TMP/plain-off/release/allocfix' | tail -n +2)\" ] &&
   [ \$(stat -c %s '$TMP/off.stripped') = \$(stat -c %s '$TMP/plain.stripped') ]"
echo "     (off: .text $(text_size "$TMP/off/release/allocfix") vs $(text_size "$TMP/plain-off/release/allocfix") bytes, stripped $(stat -c %s "$TMP/off.stripped") vs $(stat -c %s "$TMP/plain.stripped"))"
check "off: same output as profiled" bash -c "[ \"\$('$TMP/off/release/allocfix')\" = 'allocfix 5159' ]"

# --- C: libcprof_alloc.so, the same figures -------------------------------------
CSRC=$ROOT/tests/e2e/fixtures/alloc_c/allocs.c
cc -std=c11 -D_GNU_SOURCE -O2 -I"$ROOT/include" -pthread "$CSRC" -o "$TMP/c-static" "$BUILD/libcprof.a" -lpthread -lm
mkdir -p "$TMP/lib" && ln -s "$BUILD/libcprof.so" "$TMP/lib/libcprof.so.0" && ln -s "$BUILD/libcprof.so" "$TMP/lib/libcprof.so" &&
  ln -s "$BUILD/libcprof_alloc.so" "$TMP/lib/libcprof_alloc.so"   # as make install lays them out
cc -std=c11 -D_GNU_SOURCE -O2 -I"$ROOT/include" -pthread "$CSRC" -o "$TMP/c-linked" -L"$TMP/lib" -Wl,-rpath,"$TMP/lib" \
  -Wl,--no-as-needed -lcprof_alloc -lcprof -lpthread -lm
c_run() { # c_run NAME EXE [ENV...]: its dump in $TMP/NAME/
  local name=$1 exe=$2; shift 2
  mkdir -p "$TMP/$name"
  env CPROF_OUTPUT="$TMP/$name" CPROF_EVENTS=$ALL "$@" "$exe" >"$TMP/$name.out" 2>"$TMP/$name.err"
}
c_rows() { # per region (all threads): [name, calls, incl, excl of each counter]
  jq -c "[.threads[].regions[] | [.name, .calls, (.counters[\"$A\"], .counters[\"$B\"], .counters[\"$F\"], .counters[\"$FB\"], .counters[\"$R\"] | .incl, .excl)]] | sort" "$TMP/$1"/cprof-*.json
}
C_WANT='[["grow",1,4,4,240,240,4,4,240,240,3,3],["misc",1,3,3,1088,1088,0,0,0,0,0,0],["parent",1,7,2,5048,48,7,2,5048,48,0,0],["parse",1,0,0,0,0,0,0,0,0,0,0],["rec",4,4,4,96,96,4,4,96,96,0,0],["vecs",1,5,5,5000,5000,5,5,5000,5000,0,0],["worker",1,3,3,168,168,3,3,168,168,0,0],["worker",1,7,7,392,392,7,7,392,392,0,0]]'
c_run cpre "$TMP/c-static" LD_PRELOAD="$BUILD/libcprof_alloc.so"
check "c: libcprof.a + LD_PRELOAD=libcprof_alloc.so: every region exact (malloc, calloc, realloc, posix_memalign, aligned_alloc, free)" \
  bash -c "[ \"\$(c_rows() { $(declare -f c_rows | tail -n +2); }; A=$A B=$B F=$F FB=$FB R=$R TMP=$TMP c_rows cpre)\" = '$C_WANT' ]"
check "c: a thread's total is its regions' plus what it allocated outside them, exactly" bash -c \
  "[ \"\$(jq -c '[.threads[] | select(.name != \"main\") | .totals[\"$A\"] - ([.regions[].counters[\"$A\"].incl] | add)] | unique' '$TMP'/cpre/cprof-*.json)\" = '[2]' ]"
check "c: user counter from C (cprof_count)" bash -c \
  "[ \"\$(jq -c '[.threads[].regions[] | select(.name == \"parse\") | .counters[\"user::bytes\"].incl]' '$TMP'/cpre/cprof-*.json)\" = '[60]' ]"
c_run clink "$TMP/c-linked"
check "c: libcprof.so with libcprof_alloc.so linked (no LD_PRELOAD): the same figures" \
  bash -c "[ \"\$(c_rows() { $(declare -f c_rows | tail -n +2); }; A=$A B=$B F=$F FB=$FB R=$R TMP=$TMP c_rows clink)\" = '$C_WANT' ]"
c_run cnone "$TMP/c-static"
check "c: no hook: not counted, the dump says why" bash -c \
  "jq -e '.events[0] | (.active == false) and (.reason | test(\"libcprof_alloc.so\"))' '$TMP'/cnone/cprof-*.json >/dev/null && grep -q 'allocs done' '$TMP/cnone.out'"
c_run cdis "$TMP/c-static" LD_PRELOAD="$BUILD/libcprof_alloc.so" CPROF_DISABLE=1
check "c: the preload in a program that measures nothing changes nothing" bash -c \
  "grep -q 'allocs done' '$TMP/cdis.out' && [ -z \"\$(ls '$TMP/cdis')\" ]"
check "c: preloaded into programs without the runtime (sort, python3): they run as before" bash -c \
  "[ \"\$(printf 'b\na\n' | LD_PRELOAD='$BUILD/libcprof_alloc.so' sort | tr '\n' ' ')\" = 'a b ' ] &&
   [ \"\$(LD_PRELOAD='$BUILD/libcprof_alloc.so' python3 -c 'print(sum(len(str(i)) for i in range(100000)))')\" = 488890 ]"

# --- init --alloc -----------------------------------------------------------------
mk_crate() { # mk_crate DIR MAIN-RS-TEXT
  mkdir -p "$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\n\n[workspace]\n' "$(basename "$1")" >"$1/Cargo.toml"
  printf '%b' "$2" >"$1/src/main.rs"
}
mk_crate "$TMP/ia" '//! A crate.\n#![allow(dead_code)]\n\n#[cprof::profile]\nfn hot() -> usize { let v: Vec<u64> = Vec::with_capacity(4); std::hint::black_box(v).capacity() }\n\nfn main() { println!("{}", hot()); }\n'
(cd "$TMP/ia" && "$CP" init --alloc >"$TMP/ia.out" 2>"$TMP/ia.err"); rc=$?
check "init --alloc: the dependency, and the allocator after the inner attributes" bash -c \
  "[ $rc = 0 ] && grep -q '^cprof = ' '$TMP/ia/Cargo.toml' && [ \"\$(sed -n '3p;6,7p' '$TMP/ia/src/main.rs')\" = \"\$(printf '\n#[global_allocator]\nstatic CPROF_ALLOC: cprof::Alloc<std::alloc::System> = cprof::Alloc::new(std::alloc::System);')\" ] &&
   grep -q 'added to .*src/main.rs' '$TMP/ia.out'"
(cd "$TMP/ia" && "$CP" regions --target-dir "$TD" --events $A,$B --format csv >"$TMP/iar.out" 2>"$TMP/iar.err"); rc=$?
check "init --alloc then regions: 1 allocation of 32 bytes in hot" bash -c \
  "[ $rc = 0 ] && head -1 '$TMP/iar.out' | grep -q '$A' && grep -q '^ia::hot,' '$TMP/iar.out' &&
   [ \"\$(jq -c '[.threads[].regions[] | select(.name == \"ia::hot\") | .counters[\"$A\"].incl, .counters[\"$B\"].incl]' \$(sed -n 's/.*(dumps in \(.*\))\$/\1/p' '$TMP/iar.err')/cprof-*.json)\" = '[1,32]' ]"
cp "$TMP/ia/src/main.rs" "$TMP/ia.main"
(cd "$TMP/ia" && "$CP" init --alloc >"$TMP/ia2.out" 2>&1); rc=$?
check "init --alloc again: nothing to do, nothing changed" bash -c \
  "[ $rc = 0 ] && grep -q 'already counts allocations' '$TMP/ia2.out' && cmp -s '$TMP/ia.main' '$TMP/ia/src/main.rs'"
mk_crate "$TMP/ib" 'use std::alloc::System;\n\n#[global_allocator]\nstatic GLOBAL: System = System;\n\nfn main() {}\n'
cp "$TMP/ib/src/main.rs" "$TMP/ib.main"
(cd "$TMP/ib" && "$CP" init --alloc >"$TMP/ib.out" 2>&1); rc=$?
check "init --alloc with its own #[global_allocator]: unchanged, says how to wrap it" bash -c \
  "[ $rc = 0 ] && cmp -s '$TMP/ib.main' '$TMP/ib/src/main.rs' && grep -qF 'static GLOBAL: cprof::Alloc<System> = cprof::Alloc::new(System);' '$TMP/ib.out'"
mk_crate "$TMP/ic" 'fn main() {}\r\n'
(cd "$TMP/ic" && "$CP" init --alloc --optional >"$TMP/ic.out" 2>&1); rc=$?
check "init --alloc --optional: gated on the feature, CRLF kept, a plain build has no cprof" bash -c \
  "[ $rc = 0 ] && grep -q '^#\[cfg(feature = \"cprof\")\]' '$TMP/ic/src/main.rs' && [ \$(grep -c \$'\r\$' '$TMP/ic/src/main.rs') = \$(wc -l <'$TMP/ic/src/main.rs') ] &&
   (cd '$TMP/ic' && cargo build --offline --quiet --target-dir '$TMP/ic-target') && ! nm '$TMP/ic-target/debug/ic' | grep -q cprof"
mkdir -p "$TMP/id/src" && printf '[package]\nname = "id"\nversion = "0.0.0"\nedition = "2021"\n\n[lib]\npath = "src/lib.rs"\n\n[workspace]\n' >"$TMP/id/Cargo.toml" && echo 'pub fn f() {}' >"$TMP/id/src/lib.rs"
(cd "$TMP/id" && "$CP" init --alloc >"$TMP/id.out" 2>"$TMP/id.err"); rc=$?
check "init --alloc on a library: exit 1, says a binary is needed" bash -c "[ $rc = 1 ] && grep -q 'no binary target' '$TMP/id.err'"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
