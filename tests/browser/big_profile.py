#!/usr/bin/env python3
"""big_profile.py: a cprof dump of N regions and N call-tree nodes (node i+1
is region i; the first 100 under the root, each later one under node
(i-100)//10+1), made from a real dump TEMPLATE (its header: host, clock,
calibration). Region i is called (i % 97) + 1 times. For the 10 000-region
page (tests/browser/html.sh) and its benchmark (bench/html.sh).
usage: big_profile.py TEMPLATE OUT N"""
import json, sys

tpl, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(tpl))
t = d["threads"][0]
regs, tree = [], []
for i in range(n):
    calls = i % 97 + 1
    ns = 100000 + 7 * i
    name = "big::m%d::Type%d::f%d" % (i % 10, i % 37, i)
    regs.append({"id": i + 1, "pairs": calls, "incl_calls": calls, "name": name, "file": "src/m%d.rs" % (i % 10),
                 "line": i + 1, "calls": calls, "incl_ns": ns, "excl_ns": ns, "min_ns": 1, "max_ns": ns,
                 "child_calls": 0, "desc_calls": 0, "counters": {}})
    tree.append({"node": i + 1, "parent": 0 if i < 100 else (i - 100) // 10 + 1, "pairs": calls,
                 "region": name, "file": "src/m%d.rs" % (i % 10), "line": i + 1, "calls": calls,
                 "incl_ns": ns, "excl_ns": ns, "min_ns": 1, "max_ns": ns, "child_calls": 0, "desc_calls": 0,
                 "counters": {}})
t2 = dict(t, regions=regs, tree=tree)
t2.pop("counters", None)
# written as cprof-1 whatever the template's format (cprof-2 has sites, no regions)
d2 = dict(d, format="cprof-1", threads=[t2], events=[])
d2.pop("sites", None)
d2["overhead"] = dict(d["overhead"], counters={}, counters_inside={})
json.dump(d2, open(out, "w"))
