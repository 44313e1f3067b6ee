#!/usr/bin/env python3
"""merge_ref.py: the reference of bench/merge.sh (issue 12): load every dump
of a folder with json.load and sum calls per region."""
import json, sys, glob, collections
c = collections.Counter()
for f in glob.glob(sys.argv[1] + "/*.json"):
    d = json.load(open(f))
    for t in d["threads"]:
        for r in t["regions"]:
            c[r["name"]] += r["calls"]
print(len(c))
