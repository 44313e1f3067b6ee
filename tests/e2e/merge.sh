#!/usr/bin/env bash
# The merge of many dumps (issue 12), end to end through `cargo-profiler
# report`: (1) on every dump fixture of tests/e2e/data/merge/, it prints
# exactly what the jansson-based reader printed (recorded there: every
# figure, note, warning and exit status); (2) 1000 generated dumps, a third
# of them of an older version-1 runtime (no pairs, no id, no host/cpu,
# regions outside the tree), a third cprof-1 and a third cprof-2 as the
# runtime writes it (only incl figures: the reader derives excl, children's
# calls and regions), merged with exact calls, time and sde figures,
# raw and compensated, as Python sums them, and each region's spread across
# the processes (min, median, max, mean, imbalance) as Python finds it; (3) a
# truncated cprof-1 dump, a truncated cprof-2 one and a foreign JSON among
# those 1000: each named once on stderr, the other 997 merged exactly, exit
# status 1.
# usage: tests/e2e/merge.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$HERE/data/merge
mkdir -p "$BUILD/tmp"
TMP=$(mktemp -d "$BUILD/tmp/e2e-merge.XXXXXX")
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE

. "$HERE/lib.sh"

# --- (1) the recorded reports --------------------------------------------------
while IFS='|' read -r name args; do
  case $name in '#'*|'') continue ;; esac
  # shellcheck disable=SC2086
  (cd "$DATA" && "$CP" report $args >"$TMP/$name.out" 2>"$TMP/$name.err"; echo $? >"$TMP/$name.rc")
  if cmp -s "$TMP/$name.out" "$DATA/expected/$name.out" && cmp -s "$TMP/$name.err" "$DATA/expected/$name.err" &&
     cmp -s "$TMP/$name.rc" "$DATA/expected/$name.rc"; then
    ok "as recorded with the jansson reader: report $args"
  else
    bad "as recorded with the jansson reader: report $args" \
      "$(diff "$DATA/expected/$name.out" "$TMP/$name.out" | head -6)" "$(diff "$DATA/expected/$name.err" "$TMP/$name.err" | head -4)"
  fi
done <"$DATA/cases.txt"

# --- (2) 1000 dumps, exact sums ---------------------------------------------------
mkdir -p "$TMP/many"
python3 - "$TMP/many" "$TMP/expected" <<'PY'
import json, sys
out, exp = sys.argv[1], sys.argv[2]
E = "sde:::M::C"
def comp(v, sub):   # cprof_dump.c compensate(): never below 0 a figure that was not
    if sub <= 0: return v
    r = v - sub
    return 0 if v >= 0 and r <= 0 else round(r)
names = ["many::outer", "many::inner", "many::alone"]
tot = {c: {n: dict(calls=0, self=0, incl=0, cself=0, cincl=0) for n in names} for c in ("raw", "comp")}
per = {c: {n: [] for n in names} for c in ("raw", "comp")}   # each process's (time, sde) exclusive figures
mins = {}
def v2(k, fig, in_tree, P, I, PC):
    """The same dump as the runtime writes it in cprof-2 (runtime/dump_json.c,
    dump_v2.c; docs/dump-format.md): only what cannot be derived, so each
    node's incl_ns and counter incl are its own exclusive figure plus its
    child's (outer > inner), and the reader must derive excl, child_calls
    and the regions to get the figures the cprof-1 dumps give."""
    o, i = fig["many::outer"], fig["many::inner"]
    incl = {"many::outer": (o["excl"] + i["excl"], o["cex"] + i["cex"]), "many::inner": (i["excl"], i["cex"])}
    nodes = ",\n".join("[%d,%d,%d,%d,%d,%d,%d,%d]" % (j, j, fig[n]["pairs"], fig[n]["calls"], incl[n][0],
                                                      10 + k % 50, 1000 + k, incl[n][1])
                       for j, n in enumerate(in_tree))
    sites = ",\n".join('["%s","src/many.rs",%d]' % (n, fig[n]["line"]) for n in in_tree)
    c = '{"%s": %%.2f}' % E
    return ('{"format": "cprof-2", "version": "0.1.0", "pid": %d, "ppid": 1,\n  "command": "many",\n'
            '  "host": "h", "cpu": "c",\n  "clock": "tsc", "tsc_ghz": 2.000000, "wall_ns": 1,\n'
            '  "events": [{"name": "%s", "active": true}],\n'
            '  "overhead": {"ns_per_pair": %.2f, "ns_inside": %.2f, "ns_untimed": 0.00, "counters": %s, '
            '"counters_inside": %s, "counters_untimed": %s},\n'
            '  "sites": [\n%s],\n  "threads": [\n'
            '    {"tid": %d, "name": "main", "finished": false, "open": 0, "open_at_exit": 0,\n'
            '     "tree": [\n%s]}],\n'
            '  "errors": {"unbalanced": 0, "open": 0, "dropped": 0, "reentrant": 0}}\n'
            % (10000 + k, E, P, I, c % PC, c % 0, c % 0, sites, 10000 + k, nodes))
for k in range(1000):
    old = k % 3 == 0
    P, I, PC = 2 + k % 3, 1 + k % 2, k % 2
    oc = k % 7 + 1
    ic = 2 * oc
    fig = {"many::outer": dict(calls=oc, pairs=oc + (0 if old else k % 2), excl=100 + k, child=ic, cex=k - 500, line=10),
           "many::inner": dict(calls=ic, pairs=ic, excl=50 + 3 * k, child=0, cex=2 * k + 1, line=20),
           "many::alone": dict(calls=1, pairs=1, excl=k, child=0, cex=-k, line=30)}
    in_tree = ["many::outer", "many::inner"]
    regs, tree = [], []
    for n in names if old else in_tree:
        f = fig[n]
        r = {"name": n, "file": "src/many.rs", "line": f["line"], "calls": f["calls"], "incl_ns": 0,
             "excl_ns": f["excl"], "min_ns": 10 + k % 50, "max_ns": 1000 + k, "incl_calls": f["calls"],
             "child_calls": f["child"], "desc_calls": f["child"], "counters": {E: {"incl": 0, "excl": f["cex"]}}}
        if not old:
            r = dict({"id": len(regs) + 1, "pairs": f["pairs"]}, **r)
        regs.append(r)
    for i, n in enumerate(in_tree):
        f = fig[n]
        nd = {"node": i + 1, "parent": i, "region": n, "file": "src/many.rs", "line": f["line"], "calls": f["calls"],
              "incl_ns": 0, "excl_ns": f["excl"], "child_calls": f["child"], "desc_calls": f["child"],
              "counters": {E: {"incl": 0, "excl": f["cex"]}}}
        if not old:
            nd["pairs"] = f["pairs"]
        tree.append(nd)
    d = {"format": "cprof-1", "version": "0.0.9" if old else "0.1.0", "pid": 10000 + k, "ppid": 1,
         "command": "many", "clock": "tsc", "tsc_ghz": 2.0, "wall_ns": 1,
         "events": [{"name": E, "active": True}],
         "overhead": {"ns_per_pair": P, "ns_inside": I, "counters": {E: PC}, "counters_inside": {E: 0}},
         "threads": [{"tid": 10000 + k, "name": "main", "regions": regs, "tree": tree}]}
    if not old:
        d["host"], d["cpu"] = "h", "c"
    with open("%s/cprof-%d.json" % (out, 10000 + k), "w") as f:
        f.write(v2(k, fig, in_tree, P, I, PC) if k % 3 == 2 else json.dumps(d))
    for c in ("raw", "comp"):
        on = c == "comp"
        self = {}
        for n in names if old else in_tree:
            f = fig[n]
            pairs = f["pairs"] if not old else f["calls"]
            self[n] = (comp(f["excl"], f["child"] * P + pairs * I) if on else f["excl"],
                       comp(f["cex"], f["child"] * PC) if on else f["cex"])
            t = tot[c][n]
            t["calls"] += f["calls"]
            t["self"] += self[n][0]
            t["cself"] += self[n][1]
            per[c][n].append(self[n])
        # inclusive: a node's own figures and its children's (outer > inner; alone alone)
        tot[c]["many::outer"]["incl"] += self["many::outer"][0] + self["many::inner"][0]
        tot[c]["many::outer"]["cincl"] += self["many::outer"][1] + self["many::inner"][1]
        tot[c]["many::inner"]["incl"] += self["many::inner"][0]
        tot[c]["many::inner"]["cincl"] += self["many::inner"][1]
        if old:
            tot[c]["many::alone"]["incl"] += self["many::alone"][0]
            tot[c]["many::alone"]["cincl"] += self["many::alone"][1]
    mins.setdefault("min", 10 + k % 50)
    mins["min"] = min(mins["min"], 10 + k % 50)
    mins["max"] = max(mins.get("max", 0), 1000 + k)
for c in ("raw", "comp"):
    rows = [{"name": n, "calls": t["calls"], "incl_ns": t["incl"], "excl_ns": t["self"],
             "incl": t["cincl"], "excl": t["cself"]} for n, t in sorted(tot[c].items())]
    json.dump(rows, open("%s-%s.json" % (exp, c), "w"), sort_keys=True)
json.dump(mins, open(exp + "-minmax.json", "w"), sort_keys=True)
json.dump(per, open(exp + "-per.json", "w"))
PY
rows='[.regions[] | {name, calls, incl_ns, excl_ns, incl: .counters["sde:::M::C"].incl, excl: .counters["sde:::M::C"].excl}] | sort_by(.name)'
"$CP" report --format json -n 0 --no-compensate "$TMP/many" >"$TMP/raw.json" 2>"$TMP/raw.err"; rc=$?
check "1000 dumps: 333 of them cprof-2, 334 version-1 of an older runtime" bash -c \
  "[ \$(grep -l '^{\"format\": \"cprof-2\"' '$TMP'/many/*.json | wc -l) = 333 ] &&
   [ \$(grep -l '\"version\": \"0.0.9\"' '$TMP'/many/*.json | wc -l) = 334 ]"
check "1000 dumps (a third version-1 of an older runtime, a third cprof-2), raw: exact calls, time and sde sums" bash -c \
  "[ $rc = 0 ] && [ \"\$(jq -cS '$rows' '$TMP/raw.json')\" = \"\$(jq -cS . '$TMP/expected-raw.json')\" ]"
check "1000 dumps, raw: shortest and longest call over all dumps" bash -c \
  "[ \"\$(jq -c '[.regions[] | select(.name == \"many::outer\") | .min_ns, .max_ns]' '$TMP/raw.json')\" = \"\$(jq -c '[.min, .max]' '$TMP/expected-minmax.json')\" ]"
"$CP" report --format json -n 0 "$TMP/many" >"$TMP/comp.json" 2>"$TMP/comp.err"; rc=$?
check "1000 dumps, compensated per dump's own calibration: exact sums" bash -c \
  "[ $rc = 0 ] && [ \"\$(jq -cS '$rows' '$TMP/comp.json')\" = \"\$(jq -cS . '$TMP/expected-comp.json')\" ]"
check "1000 dumps: each region's spread across the processes that entered it, time and sde exact" \
  python3 - "$TMP/comp.json" "$TMP/expected-per.json" <<'PY'
import json, statistics, sys
rep, per = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["comp"]
def fig(v):
    mx, mean = max(v), sum(v) / len(v)
    return [min(v), statistics.median(v), mx, mean, (mx - mean) / mx if mx > 0 else 0]
def close(a, b):
    return all(abs(x - y) <= 1e-9 * max(1, abs(y)) for x, y in zip(a, b))
ok = rep["processes"] == 1000
for r in rep["regions"]:
    p, v = r["per_process"], per[r["name"]]
    got = [[p["excl_ns"][k] for k in ("min", "median", "max", "mean", "imbalance")],
           [p["counters"]["sde:::M::C"][k] for k in ("min", "median", "max", "mean", "imbalance")]]
    ok &= p["processes"] == len(v) and close(got[0], fig([x[0] for x in v])) and close(got[1], fig([x[1] for x in v]))
sys.exit(0 if ok and len(rep["regions"]) == 3 else 1)
PY
check "1000 dumps: the notes say how many were merged" bash -c \
  "jq -e '.notes | index(\"merged 1000 dumps (processes)\")' '$TMP/comp.json' >/dev/null"

# --- (3) a truncated dump and a foreign JSON among them --------------------------------
mkdir -p "$TMP/bad" && cp "$TMP"/many/*.json "$TMP/bad/"
head -c 300 "$TMP/many/cprof-10001.json" >"$TMP/bad/cprof-10001.json"
printf '{"hello": "world", "threads": []}\n' >"$TMP/bad/cprof-10002.json"
# a cprof-2 dump cut after its first tree node, at the start of line 14
cut2=$(grep -b -o '^\[1,1,' "$TMP/many/cprof-10005.json" | cut -d: -f1)
head -c "$cut2" "$TMP/many/cprof-10005.json" >"$TMP/bad/cprof-10005.json"
"$CP" report --format json -n 0 --no-compensate "$TMP/bad" >"$TMP/bad.json" 2>"$TMP/bad.err"; rc=$?
check "a truncated cprof-1 dump, a truncated cprof-2 one and a foreign JSON among 1000: exit 1" bash -c "[ $rc = 1 ]"
check "... each named once on stderr, with what is wrong, and nothing else" bash -c \
  "[ \$(wc -l <'$TMP/bad.err') = 3 ] && grep -q 'bad/cprof-10001.json: byte 300 (line 1): truncated or empty dump' '$TMP/bad.err' &&
   grep -q 'bad/cprof-10005.json: byte $cut2 (line 14): truncated or empty dump' '$TMP/bad.err' &&
   grep -q 'bad/cprof-10002.json: not a cprof dump (no \"format\" field)' '$TMP/bad.err'"
# the figures of the three left out (k = 1: cprof-1; k = 2, 5: cprof-2; none old)
python3 - "$TMP/expected-raw.json" "$TMP/expected-997.json" <<'PY'
import json, sys
rows = {r["name"]: r for r in json.load(open(sys.argv[1]))}
for k in (1, 2, 5):
    oc = k % 7 + 1
    ic = 2 * oc
    o, i = rows["many::outer"], rows["many::inner"]
    o["calls"] -= oc; i["calls"] -= ic
    o["excl_ns"] -= 100 + k; i["excl_ns"] -= 50 + 3 * k
    o["incl_ns"] -= 100 + k + 50 + 3 * k; i["incl_ns"] -= 50 + 3 * k
    o["excl"] -= k - 500; i["excl"] -= 2 * k + 1
    o["incl"] -= k - 500 + 2 * k + 1; i["incl"] -= 2 * k + 1
json.dump(sorted(rows.values(), key=lambda r: r["name"]), open(sys.argv[2], "w"), sort_keys=True)
PY
check "... the other 997 merged exactly (none silently dropped, none twice)" bash -c \
  "[ \"\$(jq -cS '$rows' '$TMP/bad.json')\" = \"\$(jq -cS . '$TMP/expected-997.json')\" ] &&
   jq -e '.notes | index(\"merged 997 dumps (processes)\")' '$TMP/bad.json' >/dev/null"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
