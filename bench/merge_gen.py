#!/usr/bin/env python3
"""merge_gen.py: N process dumps of R regions and 2R call-tree nodes each,
made from a real dump (its header: clock, overhead, ...), with figures that
differ from dump to dump (seeded: the same files every run), as cprof-2
(the runtime's own) or, with --v1, as cprof-1 of the same calls. Each
region is called at the top and under the next one (region i's second
node is a child of region i+1's top node), as in the dump figure of
`make bench`; the cprof-1 figures are derived from the tree by the rules
of docs/dump-format.md, so both formats give the same report.
usage: merge_gen.py [--v1] TEMPLATE OUTDIR N R"""
import json, os, random, sys

v1 = sys.argv[1] == "--v1"
args = sys.argv[2:] if v1 else sys.argv[1:]
tpl, out, n, nreg = args[0], args[1], int(args[2]), int(args[3])
assert nreg >= 2, "a region's second node is under another region: R >= 2"
d = json.load(open(tpl))
os.makedirs(out, exist_ok=True)
names = ["bench::m%d::Type%d::f%d" % (i % 10, i % 37, i) for i in range(nreg)]


def span(calls, incl):
    """min_ns, max_ns of `calls` calls that took `incl` ns in all."""
    lo = incl // calls // 2 if calls > 1 else incl
    return lo, incl - (calls - 1) * lo


def draw(r):
    """Nodes (parent, site, calls, incl_ns): region i at the top (node i + 1,
    its own time plus its child's) and under region i + 1 (node R + i + 1)."""
    top = [(r.randint(1, 9), r.randint(500, 5000)) for _ in range(nreg)]
    low = [(r.randint(1, 9), r.randint(500, 5000)) for _ in range(nreg)]
    under = [c * t for c, t in low]
    nodes = [(0, i, c, c * t + under[i - 1]) for i, (c, t) in enumerate(top)]
    nodes += [((i + 1) % nreg + 1, i, c, under[i]) for i, (c, _) in enumerate(low)]
    return nodes


def figures(name, line, calls, incl, excl, lo, hi, child):
    return ('"%s", "file": "src/m.rs", "line": %d, "calls": %d, "incl_ns": %d, "excl_ns": %d, '
            '"min_ns": %d, "max_ns": %d, "child_calls": %d, "desc_calls": %d, "counters": {}}'
            % (name, line, calls, incl, excl, lo, hi, child, child))


def threads_v1(nodes):
    """cprof-1 as the runtime writes it: a node's excl_ns is its incl_ns less
    its child's, its child_calls and desc_calls its child's pairs (a second
    node has no child); a region adds up its two nodes, both outermost."""
    child = [nodes[nreg + (i - 1) % nreg] for i in range(nreg)] + [None] * nreg
    node_fig = []
    for j, (parent, site, calls, incl) in enumerate(nodes):
        kid = child[j]
        node_fig.append((calls, incl, incl - (kid[3] if kid else 0), *span(calls, incl), kid[2] if kid else 0))
    regs = []
    for i, name in enumerate(names):
        a, b = node_fig[i], node_fig[nreg + i]
        calls = a[0] + b[0]
        regs.append('{"id": %d, "pairs": %d, "incl_calls": %d, "name": %s'
                    % (i + 1, calls, calls, figures(name, i + 1, calls, a[1] + b[1], a[2] + b[2],
                                                     min(a[3], b[3]), max(a[4], b[4]), a[5] + b[5])))
    tree = ['{"node": %d, "parent": %d, "pairs": %d, "region": %s'
            % (j + 1, p, f[0], figures(names[site], site + 1, *f))
            for j, ((p, site, _, _), f) in enumerate(zip(nodes, node_fig))]
    return '"regions": [\n%s],\n     "tree": [\n%s]' % (",\n".join(regs), ",\n".join(tree))


def threads_v2(nodes):
    """[parent, site, pairs, calls, incl_ns, min_ns, max_ns]: the rest is the reader's."""
    return '"tree": [\n%s]' % ",\n".join("[%d,%d,%d,%d,%d,%d,%d]" % (p, site, calls, calls, incl, *span(calls, incl))
                                          for p, site, calls, incl in nodes)


for k in range(n):
    nodes = draw(random.Random(k))
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
              '     %s}]}\n' % (1000 + k, threads_v1(nodes) if v1 else threads_v2(nodes)))
    with open(os.path.join(out, "cprof-%d.json" % (1000 + k)), "w") as f:
        f.write(text + thread)
