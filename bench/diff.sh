#!/usr/bin/env bash
# The diff benchmark (issue: "diff of two runs of 1000 regions and 2000 tree
# nodes in well under a second"): a real dump of the C example is the
# template; two dumps of 1000 regions and 2000 call-tree nodes are made from
# it (B: every figure a little different), then `cargo-profiler diff A B`
# (table and json) and, as the reference in the same run, `report A` are
# timed (best of 3); also 10 runs against 10 (bootstrap verdicts).
# usage: bench/diff.sh BUILD
set -eu
build=$1
dir=$build/bench/diff
rm -rf "$dir" && mkdir -p "$dir/t"
CPROF_OUTPUT="$dir/t" CPROF_EVENTS=none "$build/examples/c/wordfreq" </dev/null >/dev/null 2>&1 || true
tpl=$(ls "$dir"/t/*.json | head -1)
python3 - "$tpl" "$dir" <<'PY'
import json, os, random, sys
d = json.load(open(sys.argv[1]))
t = d["threads"][0]
def dump(path, seed, scale):
    r = random.Random(seed)
    regs, tree = [], []
    for i in range(1000):
        ns = int(1000 * (i + 1) * scale * r.uniform(0.97, 1.03))
        regs.append({"name": "bench::m%d::Type%d::f%d" % (i % 10, i % 37, i), "file": "src/m.rs", "line": i + 1,
                     "calls": 2, "incl_ns": 2 * ns, "excl_ns": 2 * ns, "min_ns": ns, "max_ns": ns,
                     "incl_calls": 2, "child_calls": 0, "desc_calls": 0})
    for n in range(2000):   # node n+1: region n % 1000, under the root (first 1000) or under node n-999
        i = n % 1000
        parent = 0 if n < 1000 else n - 999
        ns = regs[i]["incl_ns"] // 2
        tree.append({"node": n + 1, "parent": parent, "region": regs[i]["name"], "file": "src/m.rs",
                     "line": i + 1, "calls": 1, "incl_ns": ns, "excl_ns": ns, "child_calls": 0, "desc_calls": 0})
    t2 = dict(t); t2["regions"] = regs; t2["tree"] = tree
    d2 = dict(d); d2["threads"] = [t2]; d2["events"] = []
    d2["format"] = "cprof-1"   # these regions and nodes are cprof-1 records
    d2.pop("sites", None)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    json.dump(d2, open(path, "w"))
dump(sys.argv[2] + "/a/cprof-1.json", 1, 1.0)
dump(sys.argv[2] + "/b/cprof-1.json", 2, 1.1)
for k in range(1, 11):
    dump("%s/ra/rep-%d/cprof-1.json" % (sys.argv[2], k), 10 + k, 1.0)
    dump("%s/rb/rep-%d/cprof-1.json" % (sys.argv[2], k), 30 + k, 1.1)
PY
. "$(dirname "$0")/lib.sh"
cp=$build/cargo-profiler
read -r tr _ < <(best "$cp" report -n 0 "$dir/a")
read -r tt _ < <(best "$cp" diff "$dir/a" "$dir/b")
read -r tj mj < <(best "$cp" diff --format json "$dir/a" "$dir/b")
read -r tree _ < <(best "$cp" diff --format tree -n 0 "$dir/a" "$dir/b")
read -r t10 m10 < <(best "$cp" diff --format json "$dir/ra" "$dir/rb")
rows=$(jq '[.rows[] | .name] | unique | length' "$dir/out")
echo "diff bench: 1000 regions, 2000 tree nodes (${rows} rows in the last diff)"
echo "  report A (reference)       ${tr} s"
echo "  diff A B, table            ${tt} s"
echo "  diff A B, json             ${tj} s (peak ${mj} KB)"
echo "  diff A B, tree -n 0        ${tree} s"
echo "  10 runs against 10, json   ${t10} s (peak ${m10} KB; bootstrap on every row and path)"
