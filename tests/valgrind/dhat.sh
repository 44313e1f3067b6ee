#!/usr/bin/env bash
# The dhat suite: the DHAT reader against DHAT's own summary and file on a
# C program with allocations known by heart (allocs.c), every view of a
# dhat profile, bad files, the copy and ad-hoc modes, diff, and
# `cargo profiler dhat` end to end on the C program and on a Rust crate
# (tests/e2e/fixtures/dhatfix). Prints "N passed, M failed".
# usage: tests/valgrind/dhat.sh BUILD
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
allocs=$build/tests/valgrind/allocs
cp_bin=$build/asan/cargo-profiler   # under ASan+UBSan: its reports fail the suite
mkdir -p "$build/tests/valgrind"
out=$(mktemp -d "$build/tests/valgrind/dhat.XXXXXX")
passed=0 failed=0
export ASAN_OPTIONS="log_path=$out/sanitizer${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="log_path=$out/sanitizer:print_stacktrace=1:halt_on_error=1"

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && echo "     $2"; }
check() { local n=$1; shift; local o; if o=$("$@" 2>&1); then ok "$n"; else bad "$n" "$(echo "$o" | tail -n 8)"; fi; }

if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed (apt-get install valgrind)"; echo "0 passed, 1 failed"; exit 1
fi

# ---- the reader against DHAT's summary and its file ------------------------
cd "$out"
valgrind --tool=dhat --dhat-out-file=allocs.dhat "$allocs" >/dev/null 2>summary.txt
valgrind --tool=dhat --mode=copy --dhat-out-file=copy.dhat "$allocs" >/dev/null 2>copy-summary.txt
valgrind --tool=dhat --mode=ad-hoc --dhat-out-file=adhoc.dhat "$allocs" adhoc >/dev/null 2>adhoc-summary.txt
cd "$root"
"$cp_bin" report --format json -n 0 "$out/allocs.dhat" >"$out/allocs.json" 2>"$out/report.err"
check "report --format json: tool dhat, the metrics in order" python3 - "$out/allocs.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["format"] == "cprof-report-1" and j["tool"] == "dhat", (j["format"], j["tool"])
assert j["events"] == ["bytes", "blocks", "peak_bytes", "peak_blocks", "end_bytes", "end_blocks",
                       "lifetime", "reads", "writes"], j["events"]
PY
check "totals equal DHAT's own summary (Total, At t-gmax, At t-end, Reads, Writes)" \
  python3 "$here/dhat_check.py" summary "$out/allocs.json" "$out/summary.txt"
check "totals are the fixture's known figures: 548 B in 10 blocks, 190 B in 3 at t-gmax, 90 B in 2 at t-end" python3 - "$out/allocs.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["totals"]
want = {"bytes": 548, "blocks": 10, "peak_bytes": 190, "peak_blocks": 3, "end_bytes": 90, "end_blocks": 2}
assert {k: t[k] for k in want} == want, t
PY
check "every function's self and inclusive figures equal what the DHAT file says (computed apart)" \
  python3 "$here/dhat_check.py" functions "$out/allocs.json" "$out/allocs.dhat"
check "the fixture's functions by heart: f, g, h, main, rec (recursion counted once)" python3 - "$out/allocs.json" <<'PY'
import json, sys
fn = {f["name"]: f for f in json.load(open(sys.argv[1]))["functions"]}
def fig(n, side):
    return (fn[n][side]["bytes"], fn[n][side]["blocks"])
assert fig("f", "self") == (300, 3) and fig("f", "incl") == (350, 4), fn["f"]
assert fig("g", "self") == (50, 1) and fig("g", "incl") == (50, 1) and fn["g"]["self"]["end_bytes"] == 50
assert fig("h", "self") == (100, 1) and fn["h"]["self"]["peak_bytes"] == 100, fn["h"]
assert fig("rec", "self") == (48, 3) and fig("rec", "incl") == (48, 3), fn["rec"]
assert fig("main", "self") == (50, 2) and fig("main", "incl") == (548, 10), fn["main"]
assert fn["f"]["self"]["writes"] == 300, fn["f"]["self"]
assert not any(n in fn for n in ("malloc", "calloc", "realloc")), sorted(fn)
assert fn["f"]["file"].endswith("allocs.c") and fn["f"]["line"] > 0, fn["f"]
PY
"$cp_bin" report --format folded "$out/allocs.dhat" >"$out/allocs.folded" 2>>"$out/report.err"
check "folded: one line per allocation stack, its bytes; the top sites are the DHAT file's; they add up to the total" \
  python3 "$here/dhat_check.py" folded "$out/allocs.folded" "$out/allocs.dhat"
check "folded by hand: main;f;g 50, main;rec;rec;rec 16, sum 548" \
  bash -c "grep -qx 'main;f;g 50' '$out/allocs.folded' && grep -qx 'main;rec;rec;rec 16' '$out/allocs.folded' &&
    [ \$(awk '{s+=\$NF} END{print s}' '$out/allocs.folded') = 548 ]"
"$cp_bin" report --format speedscope "$out/allocs.dhat" >"$out/allocs.speedscope" 2>>"$out/report.err"
check "speedscope: valid, unit bytes, the stacks' weights add up to the 548 bytes, main;f;g 50" bash -c \
  "python3 '$root/tests/e2e/jsonschema_lite.py' '$root/tests/e2e/data/speedscope-schema.json' '$out/allocs.speedscope' &&
   [ \"\$(jq -c '. as \$d | [.profiles[0].unit, (.profiles[0].weights | add), ([.profiles[0].samples, .profiles[0].weights] | transpose | map(select((.[0] | map(\$d.shared.frames[.].name) | join(\";\")) == \"main;f;g\") | .[1]))]' '$out/allocs.speedscope')\" = '[\"bytes\",548,[50]]' ]"
"$cp_bin" report --format svg -o "$out/allocs.svg" "$out/allocs.dhat" 2>>"$out/report.err"
check "svg: a flame graph of the allocation stacks by bytes, 548 in all" bash -c \
  "grep -q '<!-- cargo-profiler' '$out/allocs.svg' && grep -q 'class=\"cprof-flame\".* data-metric=\"bytes\" .*data-total=\"548\"' '$out/allocs.svg'"
"$cp_bin" report --format folded --metric blocks "$out/allocs.dhat" >"$out/blocks.folded" 2>>"$out/report.err"
check "folded --metric blocks: blocks per stack, 10 in all" \
  bash -c "grep -qx 'main;f 3' '$out/blocks.folded' && [ \$(awk '{s+=\$NF} END{print s}' '$out/blocks.folded') = 10 ]"
"$cp_bin" report --format csv --sort blocks "$out/allocs.dhat" | tr -d '\r' >"$out/blocks.csv"
check "--sort blocks: rows by blocks self, largest first (ties by name): f rec main g h" \
  bash -c "[ \"\$(tail -n +2 '$out/blocks.csv' | cut -d, -f1 | tr '\n' ' ')\" = 'f rec main g h ' ]"
"$cp_bin" report --format csv --sort peak_bytes:incl "$out/allocs.dhat" | tr -d '\r' >"$out/peak.csv"
check "--sort peak_bytes:incl: main (190) first, then h (100)" \
  bash -c "[ \"\$(tail -n +2 '$out/peak.csv' | cut -d, -f1 | head -2 | tr '\n' ' ')\" = 'main h ' ]"
"$cp_bin" report --color never "$out/allocs.dhat" >"$out/table.txt" 2>&1
check "table: bytes self first, f on top with 300 / 350, the ratios avg life, reads/B, writes/B" \
  bash -c "grep -q '^bytes self  bytes incl  blocks self  blocks incl  peak_bytes self .*avg life  reads/B  writes/B  function' '$out/table.txt' &&
    grep -E '^ +300 +350 +3 +4 ' '$out/table.txt' | grep -qE ' 1\\.00  f +.*allocs\\.c:[0-9]+' &&
    grep -q '^total: bytes 548 blocks 10 peak_bytes 190 peak_blocks 3 end_bytes 90 end_blocks 2 ' '$out/table.txt'"
"$cp_bin" report --format tree -n 0 --color never "$out/allocs.dhat" >"$out/tree.txt" 2>&1
check "tree: the allocation stacks, main > f > g, main > rec > rec > rec" \
  bash -c "grep -q '^allocation stacks as DHAT recorded them' '$out/tree.txt' &&
    grep -A2 -E '^main +548 +50 ' '$out/tree.txt' | grep -qE '^  f +350 +300 ' &&
    grep -qE '^    g +50 +50 ' '$out/tree.txt' && grep -qE '^      rec +16 +16 ' '$out/tree.txt'"
o=$("$cp_bin" report --callers rec --format json "$out/allocs.dhat" 2>&1)
check "--callers rec: main carries all of rec's 48 bytes, rec's own calls are recursive and add none" python3 -c '
import json, sys
f = json.loads(sys.argv[1])["functions"][0]
c = {e["name"]: e for e in f["callers"]}
assert set(c) == {"main", "rec"}, c
assert c["main"]["incl"]["bytes"] == 48 == f["incl"]["bytes"] and c["rec"]["recursive"] and c["rec"]["incl"]["bytes"] == 0, c' "$o"
"$cp_bin" report --callees main --color never "$out/allocs.dhat" >"$out/callees.txt" 2>&1
check "--callees main (table): f 350, h 100, rec 48, no call counts" \
  bash -c "grep -qE '^ +- +350 +63\\.9%  f ' '$out/callees.txt' && grep -qE '^ +- +100 +18\\.2%  h ' '$out/callees.txt' &&
    grep -qE '^ +- +48 +8\\.8%  rec ' '$out/callees.txt' && grep -qE '^  bytes incl 548 \\(100\\.0% of the total\\), self 50\$' '$out/callees.txt'"
"$cp_bin" report --format markdown "$out/allocs.dhat" >"$out/md.txt" 2>&1
check "markdown: the table's columns" bash -c "grep -q '| bytes self | bytes incl |' '$out/md.txt' && grep -q '^| 300 | 350 | 3 | 4 |' '$out/md.txt'"
"$cp_bin" report --format json -n 0 "$out/allocs.json" >"$out/again.json" 2>&1
check "a dhat report read back: the same functions and totals" python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["tool"] == b["tool"] == "dhat" and a["totals"] == b["totals"], (a["totals"], b["totals"])
key = lambda j: sorted((f["name"], json.dumps(f["self"], sort_keys=True), json.dumps(f["incl"], sort_keys=True)) for f in j["functions"])
assert key(a) == key(b)' "$out/allocs.json" "$out/again.json"
o=$("$cp_bin" report --sort calls "$out/allocs.dhat" 2>&1); rc=$?
check "--sort calls: a usage error (exit 2) saying DHAT counts no calls" bash -c "[ $rc = 2 ] && echo '$o' | grep -q 'DHAT counts no calls'"

# ---- the other modes ----------------------------------------------------------
"$cp_bin" report --format json -n 0 "$out/copy.dhat" >"$out/copy.json" 2>&1
check "copy mode: bytes and blocks copied equal DHAT's summary" python3 "$here/dhat_check.py" summary "$out/copy.json" "$out/copy-summary.txt"
"$cp_bin" report --format json -n 0 "$out/adhoc.dhat" >"$out/adhoc.json" 2>&1
check "ad-hoc mode: units and events (53 in 6; ev 50 in 5, main 3 in 1)" python3 - "$out/adhoc.json" "$out/adhoc-summary.txt" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
assert j["events"] == ["units", "events"] and j["totals"] == {"units": 53, "events": 6}, j["totals"]
s = open(sys.argv[2]).read()
assert re.search(r"Total:\s+53 units in 6 events", s), s
fn = {f["name"]: f for f in j["functions"]}
assert fn["ev"]["self"] == {"units": 50, "events": 5} and fn["main"]["self"] == {"units": 3, "events": 1}, fn
assert fn["main"]["incl"] == {"units": 53, "events": 6}, fn["main"]
PY
o=$("$cp_bin" report "$out/allocs.dhat" "$out/copy.dhat" 2>&1 >/dev/null); rc=$?
check "a heap and a copy profile are not merged: exit 1, one line naming the file" \
  bash -c "[ $rc = 1 ] && [ \$(echo '$o' | wc -l) = 1 ] && echo '$o' | grep -q 'copy.dhat: a DHAT copy-mode profile: cannot be merged'"
"$cp_bin" report --format json "$out/allocs.dhat" "$out/allocs.dhat" >/dev/null 2>&1
cp "$out/allocs.dhat" "$out/allocs2.dhat"
"$cp_bin" report --format json -n 0 "$out/allocs.dhat" "$out/allocs2.dhat" >"$out/two.json" 2>/dev/null
check "two dhat files merged: every figure doubles" python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert all(b["totals"][k] == 2 * v for k, v in a["totals"].items()), (a["totals"], b["totals"])' "$out/allocs.json" "$out/two.json"

# ---- diff ------------------------------------------------------------------------
python3 - "$out/allocs.dhat" "$out/more.dhat" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for pp in d["pps"]:
    if pp["tb"] == 100 and pp["tbk"] == 1:   # h's calloc
        pp["tb"] = 1100
json.dump(d, open(sys.argv[2], "w"))
PY
"$cp_bin" diff --format json "$out/allocs.dhat" "$out/allocs2.dhat" >"$out/diff-same.json" 2>&1; rc1=$?
"$cp_bin" diff --format json "$out/allocs.dhat" "$out/more.dhat" >"$out/diff-more.json" 2>&1; rc2=$?
check "diff of two dhat files: kind dhat, exact metrics; the same run unchanged, h's 1000 more bytes exactly" python3 - "$out/diff-same.json" "$out/diff-more.json" <<'PY'
import json, sys
same, more = (json.load(open(p)) for p in sys.argv[1:3])
assert same["kind"] == "dhat" and all(m["exact"] for m in same["metrics"] if m["name"] != "calls"), same["metrics"]
assert all(r["delta"] == 0 and r["verdict"] == "same" for r in same["rows"]), same["rows"]
rows = {r["name"]: r for r in more["rows"] if r["metric"] == "bytes"}
assert rows["h"]["delta"] == 1000 and rows["h"]["a"] == 100 and rows["h"]["b"] == 1100, rows["h"]
assert rows["main"]["delta"] == 1000 and rows["f"]["delta"] == 0, rows
PY

# ---- bad input: one line naming the file and the field, exit 1 --------------------
b=$out/bad; mkdir -p "$b"
head -c 300 "$out/allocs.dhat" >"$b/truncated.dhat"
printf '{"dhatFileVersion":2,"mode":"heap" "verb":1}' >"$b/syntax.dhat"
sed 's/"dhatFileVersion":2/"dhatFileVersion":3/' "$out/allocs.dhat" >"$b/version.dhat"
sed 's/"mode":"heap"/"mode":"leak"/' "$out/allocs.dhat" >"$b/mode.dhat"
python3 - "$out/allocs.dhat" "$b" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def put(name, f):
    x = json.loads(json.dumps(d)); f(x); json.dump(x, open(sys.argv[2] + "/" + name, "w"))
put("no-tb.dhat", lambda x: x["pps"][1].pop("tb"))
put("neg.dhat", lambda x: x["pps"][0].__setitem__("gb", -1))
put("index.dhat", lambda x: x["pps"][2]["fs"].__setitem__(0, len(x["ftbl"])))
put("no-ftbl.dhat", lambda x: x.pop("ftbl"))
put("frame.dhat", lambda x: x["ftbl"].__setitem__(1, 7))
put("flags.dhat", lambda x: x.__setitem__("bklt", False))
PY
expect_error() {  # NAME FILE REGEX
  local o rc; o=$("$cp_bin" report "$2" 2>&1 >/dev/null); rc=$?
  if [ $rc -eq 1 ] && [ "$(echo "$o" | wc -l)" -eq 1 ] && echo "$o" | grep -qE "$3"; then ok "bad input $1: $o"
  else bad "bad input $1 (exit $rc)" "$o"; fi
}
expect_error truncated "$b/truncated.dhat" "$b/truncated.dhat: byte 300 \\(line [0-9]+\\): truncated DHAT file"
expect_error syntax "$b/syntax.dhat" "$b/syntax.dhat: line 1, column [0-9]+: not valid JSON \\(expected a DHAT file\\)"
expect_error version "$b/version.dhat" "$b/version.dhat: dhatFileVersion 3: expected 2"
expect_error mode "$b/mode.dhat" "$b/mode.dhat: mode \"leak\": expected heap, copy or ad-hoc"
expect_error missing-field "$b/no-tb.dhat" "$b/no-tb.dhat: pps\\[1\\]\\.tb: expected a count"
expect_error negative "$b/neg.dhat" "$b/neg.dhat: pps\\[0\\]\\.gb: expected a count"
expect_error frame-index "$b/index.dhat" "$b/index.dhat: pps\\[2\\]\\.fs\\[0\\]: expected an index into ftbl"
expect_error no-ftbl "$b/no-ftbl.dhat" "$b/no-ftbl.dhat: ftbl: expected an array"
expect_error frame "$b/frame.dhat" "$b/frame.dhat: ftbl\\[1\\]: expected a frame"
expect_error flags "$b/flags.dhat" "$b/flags.dhat: bklt: expected true in heap mode"
o=$("$cp_bin" report --format json "$b/no-tb.dhat" "$out/allocs.dhat" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["bytes"])')
check "a bad file beside a good one: the good one alone is shown (548 bytes)" bash -c "[ '$o' = 548 ]"

# ---- the command -------------------------------------------------------------------
cd "$out"
o=$("$cp_bin" dhat --bin "$allocs" --format json -n 0 --keep 2>"$out/cmd.err"); rc=$?
kept=$(sed -n 's/^cargo-profiler dhat: kept //p' "$out/cmd.err")
printf '%s' "$o" >"$out/cmd.json"
if [ $rc -eq 0 ] && [ -f "$kept" ]; then
  check "dhat --bin: the totals of the fixture, f first (300 bytes self)" python3 - "$out/cmd.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["tool"] == "dhat" and j["totals"]["bytes"] == 548 and j["totals"]["peak_bytes"] == 190, j["totals"]
assert j["functions"][0]["name"] == "f" and j["functions"][0]["self"]["bytes"] == 300, j["functions"][0]
assert j["functions"][0]["file"].startswith("/"), j["functions"][0]["file"]   # --fullpath-after=
PY
  check "the kept file is dhat.out.PID and report of its folder reads it" \
    bash -c "case '$(basename "$kept")' in dhat.out.[0-9]*) ;; *) exit 1;; esac &&
      '$cp_bin' report --format csv '$(dirname "$kept")' | grep -q '^f,.*,300,350,'"
else bad "dhat --bin --keep (exit $rc)" "$(tail -5 "$out/cmd.err")"; fi
o=$("$cp_bin" dhat --bin "$allocs" --mode copy --format json 2>/dev/null | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["events"], j["totals"]["bytes"] > 0)')
check "dhat --mode copy: bytes and blocks copied" bash -c "[ \"$o\" = \"['bytes', 'blocks'] True\" ]"
o=$("$cp_bin" dhat --bin "$allocs" --mode ad-hoc --format csv -- adhoc 2>/dev/null | tr -d '\r' | grep '^ev,')
check "dhat --mode ad-hoc -- adhoc: ev has 50 units in 5 events" bash -c "echo '$o' | grep -q ',50,50,5,5\$'"
"$cp_bin" dhat --bin "$allocs" --sort lifetime:incl -n 1 --color never >"$out/life.txt" 2>&1; rc=$?
check "dhat --sort lifetime:incl: sorted by a detail metric, which then gets its column" \
  bash -c "[ $rc = 0 ] && grep -q 'lifetime self  lifetime incl' '$out/life.txt' && grep -qE '  main +' '$out/life.txt'"
for args in "--mode leak" "--cache 32768,8,64:32768,8,64:8388608,16,64" "--sort Ir" "--sort mean" "--repeat 3"; do
  "$cp_bin" dhat --bin "$allocs" $args >"$out/usage.txt" 2>&1; rc=$?
  check "dhat $args: a usage error before running (exit 2, one line)" bash -c "[ $rc = 2 ] && [ \$(wc -l <'$out/usage.txt') = 1 ]"
done
"$cp_bin" dhat --bin /bin/false >"$out/false.txt" 2>&1; rc=$?
check "a failing program: exit 4, its status said" bash -c "[ $rc = 4 ] && grep -q 'exited with status 1' '$out/false.txt'"
check "dhat --help: the metrics and --mode are explained" \
  bash -c "'$cp_bin' dhat --help | grep -q 'peak_bytes (live when the heap was largest' && '$cp_bin' dhat --help | grep -q -- '--mode MODE'"
check "cargo profiler --help lists dhat" bash -c "'$cp_bin' --help | grep -qE '^  dhat +run the program under DHAT'"
cd "$root"

# ---- a Rust crate ---------------------------------------------------------------------
fix=$root/tests/e2e/fixtures/dhatfix
if command -v cargo >/dev/null; then
  CARGO_NET_OFFLINE=true "$cp_bin" dhat --manifest-path "$fix/Cargo.toml" --target-dir "$out/target" \
    --only-crate --format json -n 0 >"$out/rust.json" 2>"$out/rust.err"; rc=$?
  if [ $rc -eq 0 ]; then
    check "Rust crate --only-crate: make_big allocates most, exactly 100000 bytes in 1 block (std's frames under it are its self); small 160 in 11" python3 - "$out/rust.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
fns = j["functions"]
assert fns[0]["name"] == "dhatfix::make_big", [f["name"] for f in fns]
assert fns[0]["self"]["bytes"] == 100000 and fns[0]["self"]["blocks"] == 1, fns[0]
assert all((f["file"] or "").endswith("dhatfix/src/main.rs") for f in fns), [(f["name"], f["file"]) for f in fns]
small = [f for f in fns if f["name"] == "dhatfix::small"][0]
assert small["incl"]["bytes"] == 160 and small["incl"]["blocks"] == 11, small
assert small["self"]["bytes"] == 80 and small["self"]["blocks"] == 1, small   # the Vec; the boxes in its closure
main = [f for f in fns if f["name"] == "dhatfix::main"][0]
assert main["incl"]["bytes"] >= 100160, main
PY
    CARGO_NET_OFFLINE=true "$cp_bin" dhat --manifest-path "$fix/Cargo.toml" --target-dir "$out/target" \
      --format json -n 0 >"$out/rust-all.json" 2>/dev/null
    check "Rust crate: the allocator's frames left out (no malloc, alloc::alloc, RawVec rows); make_big's incl is 100000" python3 - "$out/rust-all.json" <<'PY'
import json, sys
fns = json.load(open(sys.argv[1]))["functions"]
names = [f["name"] for f in fns]
assert "malloc" not in names and not any(n.startswith(("alloc::alloc::", "alloc::raw_vec::", "__rust_alloc")) for n in names), names
mb = [f for f in fns if f["name"] == "dhatfix::make_big"][0]
assert mb["incl"]["bytes"] == 100000 and mb["file"].endswith("src/main.rs"), mb
PY
  else bad "cargo profiler dhat on the Rust crate (exit $rc)" "$(tail -5 "$out/rust.err")"; fi
fi

if ls "$out"/sanitizer.* >/dev/null 2>&1; then
  cat "$out"/sanitizer.*
  bad "sanitizer reports (above)"
else ok "no sanitizer report from the CLI"; fi

echo "$passed passed, $failed failed"
if [ $failed -eq 0 ]; then rm -rf "$out"; else echo "files kept in $out"; fi
[ $failed -eq 0 ]
