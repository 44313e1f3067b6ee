#!/usr/bin/env bash
# The valgrind suite: the readers against callgrind_annotate / cg_annotate on
# files valgrind writes here (a C program, the Rust example), the format
# corners in fixtures/, bad input, and the callgrind/cachegrind/report
# commands end to end. Prints "N passed, M failed".
# usage: tests/valgrind/run.sh BUILD
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
vgdump=$build/tests/valgrind/vgdump
workload=$build/tests/valgrind/workload
cp_bin=$build/asan/cargo-profiler   # the CLI under ASan+UBSan: its reports fail the suite
# a folder of its own: two runs of the suite (two `make test`) may overlap
mkdir -p "$build/tests/valgrind"
out=$(mktemp -d "$build/tests/valgrind/run.XXXXXX")
passed=0 failed=0
# Sanitizer reports of the CLI and the readers go to files, whichever
# stream a test captures; any report fails the suite at the end.
export ASAN_OPTIONS="log_path=$out/sanitizer${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="log_path=$out/sanitizer:print_stacktrace=1:halt_on_error=1"

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && echo "     $2"; }
# check NAME COMMAND...: passes when the command succeeds
check() { local n=$1; shift; local o; if o=$("$@" 2>&1); then ok "$n"; else bad "$n" "$(echo "$o" | tail -n 5)"; fi; }
# same_place NAME FILE FUNCTION FILE,LINE: FUNCTION's csv row starts FUNCTION,FILE,LINE, and
# --only-crate does not move it
same_place() {
  local a b
  a=$("$cp_bin" report --format csv "$2" 2>&1 | grep "^$3,")
  b=$("$cp_bin" report --only-crate --format csv "$2" 2>&1 | grep "^$3,")
  check "$1" bash -c "echo '$a' | grep -q '^$3,$4,' && [ '$a' = '$b' ]"
}

if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed (apt-get install valgrind)"; echo "0 passed, 1 failed"; exit 1
fi
vg() { valgrind -q "$@" >/dev/null 2>"$out/valgrind.err"; }

# ---- readers against valgrind's annotators, on files made here ------------
cd "$out"
vg --tool=callgrind --callgrind-out-file=default.cg "$workload"
vg --tool=callgrind --callgrind-out-file=threads.cg "$workload" threads
vg --tool=callgrind --separate-threads=yes --callgrind-out-file=sep.cg "$workload" threads
vg --tool=callgrind --dump-instr=yes --cache-sim=yes --callgrind-out-file=instr-cache.cg "$workload"
vg --tool=callgrind --collect-jumps=yes --dump-instr=yes --callgrind-out-file=jumps.cg "$workload"
vg --tool=callgrind --compress-strings=no --compress-pos=no --callgrind-out-file=plain.cg "$workload"
vg --tool=callgrind --separate-recs=10 --callgrind-out-file=recs10.cg "$workload"
vg --tool=callgrind --separate-recs=1 --callgrind-out-file=recs1.cg "$workload"
vg --tool=callgrind --dump-every-bb=40000 --combine-dumps=yes --callgrind-out-file=parts.cg "$workload"
vg --tool=cachegrind --cache-sim=yes --cachegrind-out-file=default.cachegrind "$workload"
cd "$root"

for f in default threads sep.cg-01 sep.cg-02 instr-cache jumps plain recs10; do
  file=$out/$f; [ -f "$file" ] || file=$out/$f.cg
  check "callgrind $f: totals, self and inclusive equal callgrind_annotate" \
    python3 "$here/compare.py" callgrind "$vgdump" "$file"
done
check "cachegrind: totals and self equal cg_annotate" \
  python3 "$here/compare.py" cachegrind "$vgdump" "$out/default.cachegrind"

# --separate-recs=1: callgrind_annotate counts fib's calls to itself again;
# the reader keeps fib's inclusive cost the one of its call from main.
fib_incl() { "$vgdump" callgrind "$1" | awk -F'\t' '$1=="fn" && $2=="fib" {print $8}'; }
edge_incl() { "$vgdump" callgrind "$1" | awk -F'\t' '$1=="edge" && $2=="main" && $3=="fib" {print $5}'; }
a=$(fib_incl "$out/recs1.cg") b=$(edge_incl "$out/recs1.cg") c=$(fib_incl "$out/default.cg")
if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]; then ok "recursion (--separate-recs=1): fib incl = main->fib = default run ($a)"
else bad "recursion (--separate-recs=1)" "fib incl $a, main->fib $b, default run $c"; fi

# Several parts in one file (--combine-dumps): totals and self add up.
parts=$(grep -c '^part:' "$out/parts.cg")
t_parts=$("$vgdump" callgrind "$out/parts.cg" | awk -F'\t' '$1=="total"{print $3}')
s_parts=$("$vgdump" callgrind "$out/parts.cg" | awk -F'\t' '$1=="fn"{split($7,v,","); s+=v[1]} END{print s}')
sum_tot=$(awk '/^totals:/{s+=$2} END{print s}' "$out/parts.cg")
if [ "$parts" -ge 2 ] && [ "$t_parts" = "$sum_tot" ] && [ "$s_parts" = "$sum_tot" ]; then
  ok "several parts ($parts): totals = sum of the parts' totals: = sum of self ($t_parts)"
else bad "several parts" "parts $parts, total $t_parts, self sum $s_parts, totals: lines $sum_tot"; fi

# One file per thread, read together: totals and fib add up.
t1=$("$vgdump" callgrind "$out/sep.cg-01" | awk -F'\t' '$1=="total"{print $3}')
t2=$("$vgdump" callgrind "$out/sep.cg-02" | awk -F'\t' '$1=="total"{print $3}')
t12=$("$vgdump" callgrind "$out/sep.cg-01" "$out/sep.cg-02" | awk -F'\t' '$1=="total"{print $3}')
f1=$("$vgdump" callgrind "$out/sep.cg-01" | awk -F'\t' '$1=="fn"&&$2=="fib"{print $7}')
f2=$("$vgdump" callgrind "$out/sep.cg-02" | awk -F'\t' '$1=="fn"&&$2=="fib"{print $7}')
f12=$("$vgdump" callgrind "$out/sep.cg-01" "$out/sep.cg-02" | awk -F'\t' '$1=="fn"&&$2=="fib"{print $7}')
if [ -n "$t1" ] && [ $((t1 + t2)) = "$t12" ] && [ -n "$f2" ] && [ $((f1 + f2)) = "$f12" ]; then
  ok "--separate-threads files merged: totals $t1+$t2, fib self $f1+$f2"
else bad "--separate-threads merge" "totals $t1 $t2 -> $t12, fib $f1 $f2 -> $f12"; fi

# ---- format corners: hand-written files with hand-checked expectations ----
for f in "$here"/fixtures/*.cg; do
  n=$(basename "$f" .cg)
  check "fixture $n.cg: model as expected" diff -u "${f%.cg}.expect" <("$vgdump" callgrind "$f")
done
check "fixture small.cachegrind: model as expected" \
  diff -u "$here/fixtures/small.expect" <("$vgdump" cachegrind "$here/fixtures/small.cachegrind")
for f in compress rust inline; do
  check "fixture $f.cg agrees with callgrind_annotate" python3 "$here/compare.py" callgrind "$vgdump" "$here/fixtures/$f.cg"
done
check "fixture small.cachegrind agrees with cg_annotate" \
  python3 "$here/compare.py" cachegrind "$vgdump" "$here/fixtures/small.cachegrind"

# ---- bad input: one clear line naming the file and the line, no crash -----
b=$out/bad; mkdir -p "$b"
: >"$b/empty.cg"
printf 'events: Ir\nfn=main\n1 2\nfn\n' >"$b/corrupt.cg"
printf 'events: Ir\nfl=(1) a.c\nfn=(3)\n1 2\n' >"$b/undefined-id.cg"
printf 'events: Ir\nfn=main\n1 2 3\n' >"$b/unknown-event.cg"
printf 'fn=main\n1 2\nevents: Ir\n' >"$b/no-events.cg"
printf 'version: 2\nevents: Ir\n' >"$b/version.cg"
printf 'events: Ir\nfn=main\ncfn=f\ncalls=1 2\nfn=g\n1 1\n' >"$b/call-no-cost.cg"
printf 'events: Ir\nfn=main\n1 99999999999999999999\n' >"$b/overflow.cg"
printf 'events: Ir\nfn=main\n1 2\x00\x01\n' >"$b/nul.cg"
printf 'events: Ir\nfn=main\n1 x\n' >"$b/not-a-number.cg"
python3 -c "import sys; sys.stdout.write('events: Ir\nfn=main\n1 ' + '1 ' * 600000 + '\n')" >"$b/long-line.cg"
# Cut mid-line and cut at a line boundary (where the cut falls depends on
# the paths in the file, so each case is made on purpose, not by a byte count).
{ head -n 400 "$out/default.cg"; printf 'fn=(9'; } >"$b/truncated.cg"
head -n 400 "$out/default.cg" >"$b/truncated-lines.cg"
head -n 40 "$out/default.cachegrind" >"$b/truncated-lines.cachegrind"
grep -m1 -n '^fn=' "$out/default.cg" | cut -d: -f1 >"$b/first-fn"
head -n "$(cat "$b/first-fn")" "$out/default.cg" >"$b/truncated-header.cg"          # cut before any cost
head -n "$(grep -m1 -n '^fn=' "$out/default.cachegrind" | cut -d: -f1)" "$out/default.cachegrind" >"$b/truncated-header.cachegrind"
printf '# callgrind format\nevents: Ir Ir\nfn=(1) a\n0 5 6\ntotals: 5 6\n' >"$b/dup-events.cg"
printf 'events: Ir\nfn= \n0 5\n' >"$b/empty-fn.cg"
expect_error() {  # NAME FILE REGEX
  local o rc; o=$("$vgdump" callgrind "$2" 2>&1); rc=$?
  if [ $rc -eq 1 ] && [ "$(echo "$o" | wc -l)" -eq 1 ] && echo "$o" | grep -qE "$3"; then ok "bad input $1: $o"
  else bad "bad input $1 (exit $rc)" "$o"; fi
}
expect_error empty "$b/empty.cg" "^$b/empty.cg: empty file"
expect_error corrupt "$b/corrupt.cg" "^$b/corrupt.cg:4: expected"
expect_error undefined-id "$b/undefined-id.cg" "^$b/undefined-id.cg:3: fn=\\(3\\) refers to a name id never defined"
expect_error unknown-event "$b/unknown-event.cg" "^$b/unknown-event.cg:3: .*more costs than the 1 event"
expect_error no-events "$b/no-events.cg" "^$b/no-events.cg:2: cost line before the events: line"
expect_error version "$b/version.cg" "^$b/version.cg:1: version: 2 is not supported"
expect_error call-without-cost "$b/call-no-cost.cg" "^$b/call-no-cost.cg:5: expected the cost line of the calls= line"
expect_error overflow "$b/overflow.cg" "^$b/overflow.cg:3: .*expected a cost"
expect_error nul "$b/nul.cg" "^$b/nul.cg:3: NUL byte"
expect_error not-a-number "$b/not-a-number.cg" "^$b/not-a-number.cg:3: .*expected a cost"
expect_error long-line "$b/long-line.cg" "^$b/long-line.cg:3: line longer than 1048576 bytes"
expect_error duplicate-event "$b/dup-events.cg" "^$b/dup-events.cg:2: events: Ir given twice"
expect_error empty-fn "$b/empty-fn.cg" "^$b/empty-fn.cg:2: fn=: expected a function name"
expect_error directory "$b" "^$b: not a regular file"
expect_error missing "$b/nope.cg" "^$b/nope.cg: No such file"
expect_truncated() {  # NAME TOOL FILE LINE [nofn]
  local o rc; o=$("$vgdump" "$2" "$3" 2>&1); rc=$?
  if [ $rc -eq 0 ] && { [ "${5:-}" = nofn ] || echo "$o" | grep -q "^fn	"; } &&
     echo "$o" | grep -qx "note	warning: $3 is truncated at line $4; shown: what parsed before it"; then
    ok "bad input $1: the part that parsed, and a warning naming line $4"
  else bad "bad input $1 (exit $rc)" "$(echo "$o" | grep -v '^fn\|^edge' | head -3)"; fi
}
expect_truncated "truncated mid-line" callgrind "$b/truncated.cg" 401
expect_truncated "truncated at a line end (no totals:)" callgrind "$b/truncated-lines.cg" 400
expect_truncated "cachegrind truncated at a line end (no summary:)" cachegrind "$b/truncated-lines.cachegrind" 40
expect_truncated "cut before any cost line (callgrind)" callgrind "$b/truncated-header.cg" "$(cat "$b/first-fn")" nofn
expect_truncated "cut before any cost line (cachegrind)" cachegrind "$b/truncated-header.cachegrind" \
  "$(grep -m1 -n '^fn=' "$out/default.cachegrind" | cut -d: -f1)" nofn
check "whole callgrind and cachegrind files draw no truncation warning" \
  bash -c "! '$vgdump' callgrind '$out/default.cg' | grep -q truncated && ! '$vgdump' cachegrind '$out/default.cachegrind' | grep -q truncated"
o=$("$cp_bin" report --format json "$b/corrupt.cg" 2>/dev/null); rc=$?
if [ $rc -eq 1 ] && [ -z "$o" ]; then ok "report of a file that does not parse: exit 1, nothing on stdout"
else bad "report of a corrupt file (exit $rc)" "$o"; fi
check "cachegrind reader rejects a corrupt file by line" \
  bash -c "! '$vgdump' cachegrind '$b/corrupt.cg' 2>&1 | grep -v '^$b/corrupt.cg:4: ' | grep -q ."

# ---- the commands -----------------------------------------------------------
json=$out/report.json
if "$cp_bin" report --format json "$out/default.cg" >"$json" 2>"$out/report.err"; then
  check "report --format json: fixed fields, totals and every function equal the reader's" python3 - "$json" "$vgdump" "$out/default.cg" <<'PY'
import json, subprocess, sys
j = json.load(open(sys.argv[1]))
assert j["format"] == "cprof-report-1" and j["tool"] == "callgrind", (j["format"], j["tool"])
assert j["events"] == ["Ir"], j["events"]
d = subprocess.run([sys.argv[2], "callgrind", sys.argv[3]], capture_output=True, text=True).stdout
tot = {l.split("\t")[1]: int(l.split("\t")[2]) for l in d.splitlines() if l.startswith("total\t")}
assert j["totals"] == tot, (j["totals"], tot)
want = {}
for l in d.splitlines():
    t = l.split("\t")
    if t[0] == "fn":
        want[(t[1], t[2], t[3])] = (int(t[5]), int(t[6]), int(t[7]))
got = {}
for f in j["functions"]:
    assert set(["name", "file", "line", "object", "calls", "self", "incl"]) <= set(f), f
    got[(f["name"], f["file"] or "", f["object"] or "")] = (f["calls"], f["self"]["Ir"], f["incl"]["Ir"])
assert got == want, [k for k in set(got) | set(want) if got.get(k) != want.get(k)][:5]
fib = [f for f in j["functions"] if f["name"] == "fib"][0]
assert fib["incl"]["Ir"] == fib["self"]["Ir"] and fib["calls"] > 1000, fib
PY
else bad "report --format json" "$(cat "$out/report.err")"; fi
for fmt in table csv folded; do
  check "report --format $fmt on a callgrind file" bash -c "'$cp_bin' report --format $fmt '$out/default.cg' | grep -q hash_buf"
done
fib_self=$("$vgdump" callgrind "$out/default.cg" | awk -F'\t' '$1=="fn" && $2=="fib" {print $7}')
total_ir=$("$vgdump" callgrind "$out/default.cg" | awk -F'\t' '$1=="total" {print $3}')
check "report --format folded: call paths from calls= lines (main;fib = fib self $fib_self), values add up to the total" \
  bash -c "'$cp_bin' report --format folded '$out/default.cg' >'$out/folded.txt' &&
    grep -qE ';main;fib $fib_self\$' '$out/folded.txt' &&
    grep -qE ';main;is_even;is_odd [0-9]+\$' '$out/folded.txt' &&
    awk -v t=$total_ir '{s+=\$NF} END{d=t-s; if (d<0) d=-d; exit !(d*100 <= t)}' '$out/folded.txt'"
total_thr=$("$vgdump" callgrind "$out/threads.cg" | awk -F'\t' '$1=="total" {print $3}')
check "report --format folded with a second thread: its stacks start at clone, values add up to the total" \
  bash -c "'$cp_bin' report --format folded '$out/threads.cg' >'$out/folded-threads.txt' &&
    grep -qE '^clone;start_thread;worker;fib [0-9]+\$' '$out/folded-threads.txt' &&
    awk -v t=$total_thr '{s+=\$NF} END{d=t-s; if (d<0) d=-d; exit !(d*100 <= t)}' '$out/folded-threads.txt'"
# --format tree: the same estimated call paths, indented under their callers
"$cp_bin" report --format tree -n 0 --color never "$out/default.cg" >"$out/tree.txt" 2>&1
check "report --format tree: main > fib with fib's whole cost, main > is_even > is_odd, the estimate said" \
  python3 - "$out/tree.txt" "$fib_self" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
assert any(l.startswith("call paths estimated from callgrind's call edges") for l in lines), lines[:5]
rows = [(len(l) - len(l.lstrip(" ")), l.split()) for l in lines if re.match(r" *\S+ +[0-9.]+[KMG]? ", l)]
def child(name, parent):
    for i, (d, w) in enumerate(rows):
        if w[0] == parent:
            for d2, w2 in rows[i + 1:]:
                if d2 <= d:
                    break
                if d2 == d + 2 and w2[0] == name:
                    return w2
    return None
fib = child("fib", "main")
assert fib and fib[1] == fib[2], fib          # incl == self: the recursion is merged
assert child("is_odd", "is_even") and child("is_even", "main"), "is_even/is_odd path"
PY
"$cp_bin" report --format tree -n 5 "$out/default.cg" >"$out/tree5.txt" 2>&1
check "report --format tree -n 5: five paths and how many are left" \
  bash -c "[ \$(sed -n '/^call path /,/^(/p' '$out/tree5.txt' | wc -l) -eq 7 ] && grep -qE '^\([0-9]+ more call paths not shown: -n 5\)\$' '$out/tree5.txt'"
check "report --format tree on a cachegrind file: the table, and why" \
  bash -c "'$cp_bin' report --format tree '$out/default.cachegrind' | head -1 | grep -q 'cachegrind records no calls'"
"$cp_bin" report --format tree -n 0 --color never "$b/truncated-lines.cg" "$out/default.cg" >"$out/tree-merged.txt" 2>&1
check "report --format tree of two merged files: no path left over without cost" \
  bash -c "grep -q '^call path' '$out/tree-merged.txt' && ! grep -qE '^ *[^ (]+ +0 +0 ' '$out/tree-merged.txt'"
"$cp_bin" report --format csv "$out/default.cg" | sed -n 2p >"$out/first-report"
"$cp_bin" report --format csv --sort ir "$out/default.cg" | sed -n 2p >"$out/first-report-ir"
check "report sorts a callgrind file as the callgrind command does (Ir self), event names in any case" \
  bash -c "grep -q hash_buf '$out/first-report' && cmp -s '$out/first-report' '$out/first-report-ir'"
check "report --sort d1mr (any case) on a cachegrind file" \
  bash -c "'$cp_bin' report --sort d1mr --format csv '$out/default.cachegrind' >/dev/null"
check "report --metric ir (any case) for folded stacks" \
  bash -c "'$cp_bin' report --metric ir --format folded '$out/default.cg' | grep -qE ';main;fib [0-9]+\$'"
check "csv of a truncated file: the warning on stderr" \
  bash -c "'$cp_bin' report --format csv '$b/truncated-lines.cg' 2>&1 >/dev/null | grep -q 'warning: .*truncated at line 400'"
: >"$b/empty.txt"; echo hello >"$b/hello.txt"
check "report of an empty or unknown file: one line saying what was expected" \
  bash -c "'$cp_bin' report '$b/empty.txt' 2>&1 | grep -qx 'cargo-profiler report: $b/empty.txt: empty file (expected a cprof dump, a callgrind, cachegrind or DHAT file)' &&
    '$cp_bin' report '$b/hello.txt' 2>&1 | grep -qx 'cargo-profiler report: $b/hello.txt: not a profile (expected a cprof dump, a callgrind, cachegrind or DHAT file)'"
check "cachegrind --sort calls: refused before running (no calls recorded)" \
  bash -c "'$cp_bin' cachegrind --bin '$workload' --sort calls 2>&1 | grep -q 'cachegrind records no calls'; [ \${PIPESTATUS[0]} = 2 ]"
check "report recognises a cachegrind file by content" \
  bash -c "'$cp_bin' report --format json '$out/default.cachegrind' | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j[\"tool\"]==\"cachegrind\" and len(j[\"events\"])==9, j[\"tool\"]'"

cd "$out"
o=$("$cp_bin" callgrind --bin "$workload" -n 5 --keep --format json 2>"$out/cmd.err"); rc=$?
kept=$(sed -n 's/^cargo-profiler callgrind: kept //p' "$out/cmd.err")
if [ $rc -eq 0 ] && [ -f "$kept" ] && echo "$o" | python3 -c '
import json, sys
j = json.load(sys.stdin)
names = [f["name"] for f in j["functions"]]
assert len(names) == 5 and names[0] == "hash_buf", names
assert j["functions"][0]["self"]["Ir"] > j["functions"][1]["self"]["Ir"]'; then
  ok "callgrind --bin PATH -n 5 --keep: top functions by Ir self, raw file kept ($kept)"
  check "callgrind's kept file agrees with callgrind_annotate" python3 "$here/compare.py" callgrind "$vgdump" "$kept"
  check "report on the folder --keep kept: reads its callgrind.out.* file" \
    bash -c "'$cp_bin' report --format csv '$(dirname "$kept")' | grep -q '^hash_buf,'"
else bad "callgrind --bin PATH --keep (exit $rc)" "$(cat "$out/cmd.err") $(echo "$o" | head -5)"; fi
"$cp_bin" callgrind --bin "$workload" --format tree >"$out/cmdtree.txt" 2>/dev/null
check "callgrind --format tree: the first 40 call paths by default, main among them" \
  bash -c "[ \$(sed -n '/^call path /,/^(/p' '$out/cmdtree.txt' | wc -l) -eq 42 ] && grep -qE '^ +main +' '$out/cmdtree.txt' &&
    grep -qE '^\([0-9]+ more call paths not shown: -n 40\)\$' '$out/cmdtree.txt'"
before=$(find "$out/target/cargo-profiler" -type f | wc -l)
"$cp_bin" callgrind --bin "$workload" -n 3 >/dev/null 2>&1
after=$(find "$out/target/cargo-profiler" -type f | wc -l)
if [ "$before" = "$after" ]; then ok "without --keep the raw file is removed"; else bad "without --keep" "$before files before, $after after"; fi
o=$("$cp_bin" callgrind --bin "$workload" --callers fib 2>&1)
if echo "$o" | grep -q '^Callers of fib' && echo "$o" | grep -qE '100.0% +main' && echo "$o" | grep -q 'fib (recursive)'; then
  ok "--callers fib (table): main's share is 100%, the recursion is marked"
else bad "--callers fib" "$o"; fi
o=$("$cp_bin" callgrind --bin "$workload" --callers fib --format json 2>>"$out/cmd.err")
if echo "$o" | python3 -c '
import json, sys
f = json.load(sys.stdin)["functions"][0]
c = {e["name"]: e for e in f["callers"]}
assert set(c) == {"main", "fib"}, c.keys()
assert c["main"]["calls"] == 1 and c["main"]["incl"]["Ir"] == f["incl"]["Ir"] and not c["main"]["recursive"], c["main"]
assert c["fib"]["recursive"] and c["fib"]["calls"] == f["calls"] - 1 and c["fib"]["incl"]["Ir"] == 0, c["fib"]'; then
  ok "--callers fib --format json: one call from main carries all of fib; the recursive calls add none"
else bad "--callers fib --format json" "$o"; fi
a=$("$cp_bin" report --callers fib --format json "$out/default.cg" 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["functions"][0]["callers"], sort_keys=True))')
b=$("$cp_bin" callgrind --bin "$workload" --callers fib --format json 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["functions"][0]["callers"], sort_keys=True))')
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "report --callers on a kept callgrind file: the same as callgrind --callers"
else bad "report --callers" "report: $a / callgrind: $b"; fi
o=$("$cp_bin" report --callees main "$out/default.cachegrind" 2>&1); rc=$?
if [ $rc -eq 2 ] && echo "$o" | grep -q "cachegrind records no calls"; then ok "report --callees on a cachegrind file: a clear usage error (exit 2)"
else bad "report --callees cachegrind (exit $rc)" "$o"; fi
o=$("$cp_bin" callgrind --bin "$workload" --callers no_such_function 2>&1); rc=$?
if [ $rc -eq 2 ] && echo "$o" | grep -q -- "--callers no_such_function: no function of that name"; then ok "--callers of an unknown function: a clear usage error (exit 2)"
else bad "--callers unknown function (exit $rc)" "$o"; fi
o=$("$cp_bin" callgrind --bin "$workload" --callees main --format json 2>>"$out/cmd.err")
if echo "$o" | python3 -c '
import json, sys
j = json.load(sys.stdin)
f = j["functions"][0]
c = {e["name"]: e for e in f["callees"]}
assert c["fib"]["calls"] == 1 and c["fib"]["incl"]["Ir"] > 100000, c["fib"]
assert c["is_even"]["calls"] == 1 and c["hash_buf"]["calls"] == 1
assert sum(e["incl"]["Ir"] for e in f["callees"]) + f["self"]["Ir"] == f["incl"]["Ir"]'; then
  ok "--callees main --format json: edges add up to main's inclusive cost"
else bad "--callees main" "$o"; fi
o=$("$cp_bin" cachegrind --bin "$workload" --sort d1mr --format json -n 0 2>>"$out/cmd.err")
if echo "$o" | python3 -c '
import json, sys
j = json.load(sys.stdin)
v = [f["self"]["D1mr"] for f in j["functions"]]
assert v == sorted(v, reverse=True) and v[0] > 1000, v[:5]
assert j["totals"]["D1mr"] == sum(v), (j["totals"]["D1mr"], sum(v))'; then
  ok "cachegrind --sort d1mr (any case): sorted by D1mr, totals add up"
else bad "cachegrind --sort d1mr" "$(echo "$o" | head -5)"; fi
o=$("$cp_bin" callgrind --bin "$workload" --sort D1mr 2>&1); rc=$?
if [ $rc -eq 2 ] && echo "$o" | grep -q "cache simulation"; then ok "callgrind --sort D1mr: the missing event is explained"
else bad "callgrind --sort D1mr (exit $rc)" "$o"; fi
o=$("$cp_bin" callgrind --bin "$workload" --cache 32768,8,64:32768,8,64:8388608,16,64 --sort d1mr --format json -n 1 2>>"$out/cmd.err")
if echo "$o" | python3 -c 'import json,sys; j=json.load(sys.stdin); assert "D1mr" in j["events"] and j["functions"][0]["self"]["D1mr"] > 0'; then
  ok "callgrind --cache I1:D1:LL turns the cache simulation on"
else bad "callgrind --cache" "$(echo "$o" | head -3)"; fi
o=$("$cp_bin" cachegrind --bin "$workload" --cache 1000,3,7:1000,3,7:1000,3,7 2>&1); rc=$?
if [ $rc -eq 2 ] && echo "$o" | grep -q -- "--cache"; then ok "cachegrind --cache a geometry valgrind refuses: a usage error before running"
else bad "cachegrind --cache bad geometry (exit $rc)" "$o"; fi
mkdir -p "$out/pct%q"
o=$("$cp_bin" callgrind --bin "$workload" --target-dir "$out/pct%q" --format json 2>&1 >"$out/pct.json"); rc=$?
if [ $rc -eq 0 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out/pct.json"; then ok "a % in the output folder reaches valgrind as a plain %"
else bad "% in --target-dir (exit $rc)" "$o"; fi
o=$("$cp_bin" callgrind --bin "$workload" --format json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["functions"]))')
if [ "${o:-0}" -gt 20 ]; then ok "callgrind --format json lists every function (no table limit)"
else bad "callgrind json limit" "$o functions"; fi
o=$("$cp_bin" callgrind --bin "$workload" --only-crate -n 0 --format json 2>>"$out/cmd.err")
if echo "$o" | python3 -c '
import json, sys
j = json.load(sys.stdin)
names = sorted(f["name"] for f in j["functions"])
assert names == ["fib", "hash_buf", "is_even", "is_odd", "main", "strided"], names'; then
  ok "--only-crate keeps the program's own functions only"
else bad "--only-crate" "$(echo "$o" | head -5)"; fi
"$cp_bin" callgrind --bin "$workload" --only-crate --format folded >"$out/oc.folded" 2>/dev/null
"$cp_bin" callgrind --bin "$workload" --only-crate --format tree -n 0 --color never >"$out/oc.tree" 2>/dev/null
check "--only-crate --format folded/tree: call paths among the program's own functions (main > fib)" \
  bash -c "grep -qE '^main;fib [0-9]+\$' '$out/oc.folded' && grep -qE '^main;is_even;is_odd [0-9]+\$' '$out/oc.folded' &&
    grep -A1 -E '^main ' '$out/oc.tree' | grep -qE '^  [a-z_]+ '"
# one derivation: with --only-crate, a function's self in the table is what
# its call paths carry (the hidden callees stay out of both)
"$cp_bin" report --only-crate --format folded "$out/default.cg" >"$out/roc.folded" 2>/dev/null
"$cp_bin" report --only-crate --format json "$out/default.cg" >"$out/roc.json" 2>/dev/null; rc=$?
check "report FILE --only-crate: table self = the self its call paths carry, function by function" python3 -c '
import json, sys
fns = {f["name"]: f["self"]["Ir"] for f in json.load(open(sys.argv[1]))["functions"]}
paths = {}
for line in open(sys.argv[2]):
    stack, v = line.rsplit(" ", 1)
    paths[stack.split(";")[-1]] = paths.get(stack.split(";")[-1], 0) + int(v)
assert sorted(fns) == ["fib", "hash_buf", "is_even", "is_odd", "main", "strided"], sorted(fns)
# is_even/is_odd call each other: how the cost of a cycle splits among its
# paths is not in the file (docs/valgrind.md); every other function agrees
for n, s in fns.items():
    if n not in ("is_even", "is_odd"):
        assert abs(paths.get(n, 0) - s) <= max(2, s // 1000), (n, s, paths.get(n))
' "$out/roc.json" "$out/roc.folded"
o=$("$cp_bin" report --sort D1mr:incl "$out/default.cg" 2>&1); rc=$?
check "report --sort on an event the file lacks: a usage error (exit 2), one line" bash -c "[ $rc = 2 ] && [ \$(echo '$o' | wc -l) = 1 ]"
o=$("$cp_bin" report --sort calls "$out/default.cachegrind" 2>&1); rc=$?
check "report --sort calls of a cachegrind file: exit 2, says why" bash -c "[ $rc = 2 ] && echo '$o' | grep -q 'cachegrind records no calls'"
# a crate's function whose first instructions are inlined library code (its
# fl= is the toolchain's): still the crate's, shown at its own source
mkdir -p "$out/own"
cat >"$out/own/callgrind.out.1" <<'CG'
# callgrind format
version: 1
creator: callgrind-3.19.0
events: Ir
fl=/rustc/abc/library/core/src/slice/index.rs
fn=prog::work
fi=/home/u/prog/src/main.rs
7 10
fe=/rustc/abc/library/core/src/slice/index.rs
219 100
fl=/home/u/prog/src/main.rs
fn=prog::main
3 5
cfl=/rustc/abc/library/core/src/slice/index.rs
cfn=prog::work
calls=2 7
4 110
fl=/rustc/abc/library/core/src/slice/sort.rs
fn=core::slice::sort::quicksort
fi=/home/u/prog/src/main.rs
9 40
fe=/rustc/abc/library/core/src/slice/sort.rs
1 60
totals: 215
CG
o=$("$cp_bin" report --only-crate --format csv "$out/own/callgrind.out.1" 2>&1); rc=$?
check "--only-crate keeps a crate function whose entry is inlined std code, at its own file; std's generics stay hidden" \
  bash -c "[ $rc = 0 ] && echo '$o' | grep -q '^prog::work,/home/u/prog/src/main.rs,7,' && echo '$o' | grep -q '^prog::main,' && ! echo '$o' | grep -q quicksort"
# a crate function whose inlined code from another file of the crate costs
# more than its own lines: at its own fl= file and first line, with
# --only-crate as without (the ryu trial: format64 moved to d2s_intrinsics.rs)
cat >"$out/own/callgrind.out.2" <<'CG'
# callgrind format
version: 1
creator: callgrind-3.19.0
events: Ir
fl=/home/u/prog/src/pretty.rs
fn=prog::pretty::format
53 5
fi=/home/u/prog/src/intrinsics.rs
88 500
fe=/home/u/prog/src/pretty.rs
56 7
totals: 512
CG
same_place "--only-crate keeps a function at its own file and first line, not at costlier inlined code" \
  "$out/own/callgrind.out.2" prog::pretty::format /home/u/prog/src/pretty.rs,53
# the loader's entry has no symbol: the tree's root named as valgrind's
# tools name it, not a bare 0x000000000001ab70 (the ryu trial)
cat >"$out/own/callgrind.out.4" <<'CG'
# callgrind format
version: 1
creator: callgrind-3.19.0
events: Ir
ob=/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
fl=???
fn=0x000000000001ab70
0 15
cob=/home/u/prog/target/release/prog
cfl=/home/u/prog/src/main.rs
cfn=prog::main
calls=1 3
0 100
ob=/home/u/prog/target/release/prog
fl=/home/u/prog/src/main.rs
fn=prog::main
3 100
totals: 115
CG
"$cp_bin" report --format tree "$out/own/callgrind.out.4" >"$out/own/root.out" 2>&1
check "callgrind tree: a root with no symbol shown as '0x1ab70: ??? (in ld-linux-x86-64.so.2)'" \
  bash -c "grep -q '^0x1ab70: ??? (in ld-linux-x86-64.so.2) ' '$out/own/root.out' && ! grep -q 0x000000000001ab70 '$out/own/root.out'"
"$cp_bin" report --callers prog::work --only-crate "$out/own/callgrind.out.1" >"$out/own/co.out" 2>&1; rc=$?
check "--callers with --only-crate: refused (it would cut the edges), exit 2" bash -c "[ $rc = 2 ] && grep -q 'drop --only-crate' '$out/own/co.out'"
o=$("$cp_bin" report --callers ork "$out/own/callgrind.out.1" 2>&1); rc=$?
check "--callers takes a full name or its end after a ::, not any substring (exit 2)" bash -c "[ $rc = 2 ] && echo '$o' | grep -q 'no function of that name'"
o=$("$cp_bin" report --callers work --format csv "$out/own/callgrind.out.1" 2>&1); rc=$?
check "--callers work: prog::work by its ::-ending" bash -c "[ $rc = 0 ] && echo '$o' | grep -q '^prog::work,.*prog::main'"
# cachegrind: one row a function, its location the file holding most of its
# cost over every file read, whatever their order
for i in 1 2; do
  cat >"$out/own/cachegrind.out.$i" <<CG
desc: I1 cache: 32768 B, 64 B, 8-way associative
cmd: prog
events: Ir
fl=src/a.rs
fn=f
1 $([ $i = 1 ] && echo 1 || echo 100)
fl=src/inl.rs
fn=f
2 $([ $i = 1 ] && echo 60 || echo 0)
summary: $([ $i = 1 ] && echo 61 || echo 100)
CG
done
a=$("$cp_bin" report --format csv "$out/own/cachegrind.out.1" "$out/own/cachegrind.out.2" 2>/dev/null | tr -d '\r' | grep '^f,')
b=$("$cp_bin" report --format csv "$out/own/cachegrind.out.2" "$out/own/cachegrind.out.1" 2>/dev/null | tr -d '\r' | grep '^f,')
check "cachegrind: one row, at the file with most of the cost over all files, in any order" \
  bash -c "[ '$a' = '$b' ] && echo '$a' | grep -q '^f,src/a.rs,1,,0,161\$'"
# cachegrind has no fi=/fe=: a Rust function's lowest line in its own file
# can be a function of that file inlined into it, and its costliest file
# inlined code (the ryu trial: work::main at line 9, Rng::next); its `fn`
# line in the source places it. No column blank or "-" on every row.
mkdir -p "$out/own/src"
printf 'struct Rng(u64);\nimpl Rng {\n    fn next(&mut self) -> u64 {\n        self.0 ^ 1\n    }\n}\n\nfn main() {\n    let mut r = Rng(1);\n    r.next();\n}\n' >"$out/own/src/work.rs"
cat >"$out/own/cachegrind.out.3" <<CG
desc: I1 cache: 32768 B, 64 B, 8-way associative
cmd: work
events: Ir
fl=$out/own/src/intrinsics.rs
fn=work::main
20 900
fl=$out/own/src/work.rs
fn=work::main
4 30
8 5
10 6
summary: 941
CG
same_place "cachegrind: a Rust function at its fn line in its own file, with --only-crate as without" \
  "$out/own/cachegrind.out.3" work::main "$out/own/src/work.rs,8"
o=$("$cp_bin" report "$out/own/cachegrind.out.3" 2>&1)
check "cachegrind table: no calls column, no object column (cachegrind records neither)" \
  bash -c "echo '$o' | grep -q 'function  *location\$' && ! echo '$o' | grep -qw calls && ! echo '$o' | grep -q object"
o=$("$cp_bin" report --format markdown "$out/own/cachegrind.out.3" 2>&1)
check "cachegrind markdown: no calls or object column" \
  bash -c "echo '$o' | grep -q '| function | location |\$' && ! echo '$o' | grep -q '| calls |'"
o=$("$cp_bin" cachegrind --bin "$workload" --cache 16384,4,64,16384,4,64,1048576,8,64 --keep -n 1 2>&1)
kept=$(echo "$o" | sed -n 's/^cargo-profiler cachegrind: kept //p')
if [ -f "$kept" ] && grep -q '^desc: D1 cache: *16384 B, 64 B, 4-way' "$kept" && grep -q '^desc: LL cache: *1048576 B, 64 B, 8-way' "$kept"; then
  ok "cachegrind --cache (nine numbers) fixes the simulated geometry"
else bad "cachegrind --cache" "$o"; fi
if command -v script >/dev/null; then
  o=$(script -qec "'$cp_bin' callgrind --bin '$workload' -n 1" /dev/null 2>&1)
  if echo "$o" | grep -q "running under callgrind ... [0-9.]* s"; then ok "on a terminal: a live line with the elapsed time"
  else bad "live line on a terminal" "$o"; fi
  o=$("$cp_bin" callgrind --bin "$workload" -n 1 2>&1 </dev/null | cat)
  if ! echo "$o" | grep -q "running under"; then ok "not a terminal: no live line"; else bad "no live line when piped" "$o"; fi
fi
o=$(PATH=/nonexistent "$cp_bin" callgrind --bin "$workload" 2>&1); rc=$?
if [ $rc -eq 1 ] && echo "$o" | grep -q "valgrind is not installed.*apt-get install valgrind"; then ok "no valgrind: says how to install it"
else bad "no valgrind (exit $rc)" "$o"; fi
o=$("$cp_bin" callgrind --bin /bin/false -n 3 2>&1); rc=$?
if [ $rc -eq 4 ] && echo "$o" | grep -q "exited with status 1" && echo "$o" | grep -q "Ir self"; then
  ok "a failing program: exits 4, its status said, what valgrind recorded still shown"
else bad "failing program (exit $rc)" "$o"; fi
cd "$root"

# ---- the Rust example (release with debug info, built by cargo offline) ----
if [ -f examples/rust/Cargo.toml ] && command -v cargo >/dev/null; then
  o=$(CARGO_NET_OFFLINE=true "$cp_bin" callgrind --manifest-path examples/rust/Cargo.toml --keep -n 0 --format json -- 3000 2 2>"$out/rust.err"); rc=$?
  kept=$(sed -n 's/^cargo-profiler callgrind: kept //p' "$out/rust.err")
  printf '%s' "$o" >"$out/rust.json"   # a file: the report is too long for one argument
  if [ $rc -eq 0 ] && [ -f "$kept" ]; then
    check "Rust example: callgrind file agrees with callgrind_annotate" python3 "$here/compare.py" callgrind "$vgdump" "$kept"
    check "Rust example: names demangled without hashes, recursion merged" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
names = [f["name"] for f in j["functions"]]
assert any(n.startswith("exprcalc::") for n in names), names[:10]
import re
assert not any(re.search(r"'"'"'[0-9]+$", n) for n in names), [n for n in names if re.search(r"'"'"'[0-9]+$", n)]
assert not any(re.search(r"::h[0-9a-f]{16}$", n) for n in names)' "$out/rust.json"
    rm -rf "$(dirname "$kept")"
    CARGO_NET_OFFLINE=true "$cp_bin" callgrind --manifest-path examples/rust/Cargo.toml --only-crate -n 0 --format json -- 3000 2 >"$out/rust-own.json" 2>/dev/null
    check "Rust example --only-crate: only the crate's functions, gen::expr among them" python3 -c '
import json, sys
names = [f["name"] for f in json.load(open(sys.argv[1]))["functions"]]
assert names and all(n.startswith("exprcalc::") for n in names), names
assert "exprcalc::gen::expr" in names and "exprcalc::main" in names, names' "$out/rust-own.json"
  else bad "Rust example under callgrind (exit $rc)" "$(tail -5 "$out/rust.err")"; fi
fi

if ls "$out"/sanitizer.* >/dev/null 2>&1; then
  cat "$out"/sanitizer.*
  bad "sanitizer reports (above)"
else ok "no sanitizer report from the CLI or the readers"; fi

echo "$passed passed, $failed failed"
if [ $failed -eq 0 ]; then rm -rf "$out"; else echo "files kept in $out"; fi
[ $failed -eq 0 ]
