#!/usr/bin/env python3
"""merge_gen.py: N process dumps of R regions and 2R call-tree nodes each,
made from a real dump (its header: clock, overhead, ...), with figures that
differ from dump to dump (seeded: the same files every run), as cprof-2
(the runtime's own) or, with --v1, as cprof-1.
usage: merge_gen.py [--v1] TEMPLATE OUTDIR N R"""
import json, os, random, sys

v1 = sys.argv[1] == "--v1"
args = sys.argv[2:] if v1 else sys.argv[1:]
tpl, out, n, nreg = args[0], args[1], int(args[2]), int(args[3])
d = json.load(open(tpl))
os.makedirs(out, exist_ok=True)
names = ["bench::m%d::Type%d::f%d" % (i % 10, i % 37, i) for i in range(nreg)]


def threads_v1(r):
    regs, tree = [], []
    for i, name in enumerate(names):
        calls = r.randint(1, 9)
        ns = calls * r.randint(500, 5000)
        regs.append('{"id": %d, "name": "%s", "file": "src/m.rs", "line": %d, "calls": %d, "pairs": %d, '
                    '"incl_ns": %d, "excl_ns": %d, "min_ns": %d, "max_ns": %d, "incl_calls": %d, '
                    '"child_calls": 0, "desc_calls": 0, "counters": {}}'
                    % (i + 1, name, i + 1, 2 * calls, 2 * calls, 2 * ns, 2 * ns, ns // calls // 2,
                       ns // calls * 2, 2 * calls))
        tree.append((name, i + 1, calls, ns))
    nodes = []
    for j in range(2 * nreg):   # node j+1: region j % R, at the top (first R) or under node j-R+1
        name, line, calls, ns = tree[j % nreg]
        parent = 0 if j < nreg else j - nreg + 1
        nodes.append('{"node": %d, "parent": %d, "pairs": %d, "region": "%s", "file": "src/m.rs", '
                     '"line": %d, "calls": %d, "incl_ns": %d, "excl_ns": %d, "min_ns": %d, "max_ns": %d, '
                     '"child_calls": 0, "desc_calls": 0, "counters": {}}'
                     % (j + 1, parent, calls, name, line, calls, ns, ns, ns // calls // 2, ns // calls * 2))
    return '"regions": [\n%s],\n"tree": [\n%s]' % (",\n".join(regs), ",\n".join(nodes))


def threads_v2(r):
    figs = []
    for i in range(nreg):   # the same draws as threads_v1: the same figures
        calls = r.randint(1, 9)
        figs.append((calls, calls * r.randint(500, 5000)))
    nodes = []
    for j in range(2 * nreg):   # [parent, site, pairs, calls, incl_ns, min_ns, max_ns]
        calls, ns = figs[j % nreg]
        parent = 0 if j < nreg else j - nreg + 1
        nodes.append("[%d,%d,%d,%d,%d,%d,%d]" % (parent, j % nreg, calls, calls, ns, ns // calls // 2,
                                                 ns // calls * 2))
    return '"tree": [\n%s]' % ",\n".join(nodes)


for k in range(n):
    r = random.Random(k)
    head = dict(d)
    head["format"] = "cprof-1" if v1 else "cprof-2"
    head["pid"] = 1000 + k
    head["events"] = []
    head.pop("threads", None)
    head.pop("sites", None)
    if not v1:
        head["sites"] = [[name, "src/m.rs", i + 1] for i, name in enumerate(names)]
    text = json.dumps(head)[:-1] + ",\n"
    thread = ('"threads": [{"tid": %d, "name": "main", "finished": false, "open": 0, "open_at_exit": 0,\n'
              '%s}]}\n' % (1000 + k, threads_v1(r) if v1 else threads_v2(r)))
    with open(os.path.join(out, "cprof-%d.json" % (1000 + k)), "w") as f:
        f.write(text + thread)
