#!/usr/bin/env python3
"""merge_ref.py: the reference of bench/merge.sh (issue 12): load every dump
of a folder with json.load and sum calls per region (cprof-1: its region
records; cprof-2: its tree nodes, by site)."""
import json, sys, glob, collections
c = collections.Counter()
for f in glob.glob(sys.argv[1] + "/*.json"):
    d = json.load(open(f))
    sites = d.get("sites")
    for t in d["threads"]:
        if sites is None:
            for r in t["regions"]:
                c[r["name"]] += r["calls"]
        else:
            for n in t["tree"]:
                c[sites[n[1]][0]] += n[3]
print(len(c))
