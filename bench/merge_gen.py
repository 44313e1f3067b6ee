#!/usr/bin/env python3
"""merge_gen.py: N process dumps of R regions and 2R call-tree nodes each,
made from a real dump (its header: format, clock, overhead, ...), with
figures that differ from dump to dump (seeded: the same files every run).
usage: merge_gen.py TEMPLATE OUTDIR N R"""
import json, os, random, sys

tpl, out, n, nreg = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
d = json.load(open(tpl))
os.makedirs(out, exist_ok=True)
names = ["bench::m%d::Type%d::f%d" % (i % 10, i % 37, i) for i in range(nreg)]
for k in range(n):
    r = random.Random(k)
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
    head = dict(d)
    head["pid"] = 1000 + k
    head["events"] = []
    head.pop("threads", None)
    text = json.dumps(head)[:-1] + ",\n"
    thread = ('"threads": [{"tid": %d, "name": "main", "finished": false, "open": 0, "open_at_exit": 0,\n'
              '"regions": [\n%s],\n"tree": [\n%s]}]}\n' % (1000 + k, ",\n".join(regs), ",\n".join(nodes)))
    with open(os.path.join(out, "cprof-%d.json" % (1000 + k)), "w") as f:
        f.write(text + thread)
