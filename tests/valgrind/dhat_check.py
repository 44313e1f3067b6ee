#!/usr/bin/env python3
"""dhat_check.py: checks cargo-profiler's reading of a DHAT file against
DHAT itself, computed apart from the C reader:
  summary REPORT.json STDERR   totals == DHAT's summary lines on stderr
  functions REPORT.json FILE   each function's self/incl == the sums over
                               the file's program points (valgrind's own
                               malloc frames, in vgpreload_*, left out)
  folded FOLDED FILE           the folded stacks == the program points'
                               stacks with their bytes; sum == total bytes
"""
import json
import re
import sys

HEAP = [("tb", "bytes"), ("tbk", "blocks"), ("gb", "peak_bytes"), ("gbk", "peak_blocks"),
        ("eb", "end_bytes"), ("ebk", "end_blocks"), ("tl", "lifetime"), ("rb", "reads"), ("wb", "writes")]


def num(s):
    return int(s.replace(",", ""))


def summary(report, stderr):
    t = json.load(open(report))["totals"]
    text = open(stderr).read()
    m = re.search(r"Total:\s+([\d,]+) bytes in ([\d,]+) blocks", text)
    want = {"bytes": num(m.group(1)), "blocks": num(m.group(2))}
    for key, b, k in (("At t-gmax:", "peak_bytes", "peak_blocks"), ("At t-end:", "end_bytes", "end_blocks")):
        m = re.search(re.escape(key) + r"\s+([\d,]+) bytes in ([\d,]+) blocks", text)
        if m:
            want[b], want[k] = num(m.group(1)), num(m.group(2))
    for key, name in (("Reads:", "reads"), ("Writes:", "writes")):
        m = re.search(re.escape(key) + r"\s+([\d,]+) bytes", text)
        if m:
            want[name] = num(m.group(1))
    got = {k: t[k] for k in want}
    assert got == want, (got, want)
    assert len(want) in (2, 8), want   # copy mode: Total only; heap: all five lines
    print("totals", got)


def frame(text):
    m = re.match(r"^0x[0-9A-Fa-f]+: (.*) \((.*)\)$", text)
    if not m:
        return (text, "", False)
    name, loc = m.groups()
    if loc.startswith("in "):
        return (name, loc, "vgpreload_" in loc)
    return (name, re.sub(r":\d+$", "", loc), False)


def stacks(path):
    d = json.load(open(path))
    frames = [frame(f) for f in d["ftbl"]]
    for pp in d["pps"]:
        fs = [frames[i] for i in pp["fs"]]
        while len(fs) > 1 and fs[0][2]:
            fs = fs[1:]
        yield pp, [f[:2] for f in reversed(fs)]   # outermost first


def functions(report, path):
    got = {(f["name"], f["file"] or f["object"] or ""): f for f in json.load(open(report))["functions"]}
    want = {}
    for pp, st in stacks(path):
        for key in set(st):
            w = want.setdefault(key, {"self": {}, "incl": {}})
            for k, name in HEAP:
                w["incl"][name] = w["incl"].get(name, 0) + pp[k]
                w["self"].setdefault(name, 0)
        for k, name in HEAP:
            want[st[-1]]["self"][name] += pp[k]
    names = lambda keys: sorted(k[0] for k in keys)
    assert names(got) == names(want), (names(got), names(want))
    for key, w in want.items():
        g = [f for k, f in got.items() if k[0] == key[0] and k[1].endswith(key[1])]
        assert len(g) == 1, (key, g)
        assert g[0]["self"] == w["self"] and g[0]["incl"] == w["incl"], (key, g[0], w)
    print(len(want), "functions")


def folded(folded_path, path):
    got = {}
    for line in open(folded_path):
        stack, v = line.rsplit(" ", 1)
        got[stack] = int(v)
    want = {}
    for pp, st in stacks(path):
        key = ";".join(f[0] for f in st)
        want[key] = want.get(key, 0) + pp["tb"]
    want = {k: v for k, v in want.items() if v > 0}
    assert got == want, (got, want)
    top = sorted(want.items(), key=lambda kv: -kv[1])[:3]
    assert sorted(got.items(), key=lambda kv: -kv[1])[:3] == top, top
    total = sum(pp["tb"] for pp in json.load(open(path))["pps"])
    assert sum(got.values()) == total, (sum(got.values()), total)
    print("top sites", top)


if __name__ == "__main__":
    {"summary": summary, "functions": functions, "folded": folded}[sys.argv[1]](*sys.argv[2:])
