#!/usr/bin/env python3
"""flame_expect.py: what a flame graph of ours must show, from another
output of the same run (an independent reading of the rules in
cli/views/flame.h), as a JavaScript `EXPECTS.push({...});` for
tests/browser/flame_checks.js.

usage: flame_expect.py report REPORT.json METRIC MINWIDTH   (a region profile's json)
       flame_expect.py folded FOLDED.txt METRIC MINWIDTH    (callgrind: stacks with self cost)
       flame_expect.py diff DIFF.json METRIC MINWIDTH a|b   (a diff's json, a shape)
Extra settings (the frame to hover, the term to search, the frame to zoom)
come as NAME=VALUE arguments after those: hover=FULLNAME search=TERM
zoom=FULLNAME icicle=1 what=LABEL (of the checks).
"""
import json
import sys

PX = 1200.0


def fmt_sig3(v, unit):
    return ("%.2f" % v if v < 10 else "%.1f" % v if v < 100 else "%.0f" % v) + unit


def fmt_time(ns):
    if ns < 1000:
        return "%.0f ns" % ns
    if ns < 999.5e3:
        return fmt_sig3(ns / 1e3, " us")
    if ns < 999.5e6:
        return fmt_sig3(ns / 1e6, " ms")
    return fmt_sig3(ns / 1e9, " s")


def fmt_count(n):
    if n < 0:
        return "-" + fmt_count(-n)
    if n < 1000:
        return "%.0f" % n
    for lim, div, unit in ((999.5e3, 1e3, "K"), (999.5e6, 1e6, "M"), (999.5e9, 1e9, "G")):
        if n < lim:
            return fmt_sig3(n / div, unit)
    return fmt_sig3(n / 1e12, "T")


def percent(part, whole):
    return "-" if whole <= 0 else "%.1f%%" % (100.0 if part >= whole else 100.0 * part / whole)


def lay_out(children, weight, minwidth):
    """Preorder frames: [depth, item or None (merged), width, merged count, parent item]."""
    total = sum(weight[c] for c in children.get(0, []) if weight[c] > 0)
    narrow = total * minwidth / PX
    out = []

    def visit(item, depth, x, w, merged=0, parent=0):
        out.append([depth, None if merged else item, w, merged, parent])
        if merged:
            return
        cx, end, mc, mw, kept = x, x + w, 0, 0.0, []
        for c in children.get(item, []):
            cw = weight[c]
            if 0 < cw < narrow:
                mc, mw = mc + 1, mw + cw
                continue
            cw = min(cw, end - cx)
            if not cw > 0:
                continue
            kept.append((c, cx, cw))
            cx += cw
        mw = min(mw, end - cx)
        for c, kx, kw in kept:
            visit(c, depth + 1, kx, kw, parent=item)
        if mc and mw >= narrow and mw > 0:
            visit(None, depth + 1, cx, mw, merged=mc, parent=item)

    visit(0, 0, 0.0, total)
    return out, total, narrow


def main():
    kind, path, metric, minwidth = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    rest = sys.argv[5:]
    shape = rest.pop(0) if kind == "diff" else None
    opts = dict(a.split("=", 1) for a in rest)
    nodes = {0: {"name": "all", "label": "all", "self": 0, "calls": 0, "w": 0}}
    children = {}
    is_time = metric == "time"
    if kind == "report":
        rep = json.load(open(path))
        labels = {r["name"]: r.get("label") or r["name"] for r in rep.get("regions", [])}
        for n in rep["tree"]:
            if metric == "time":
                w, s = n["incl_ns"], n["excl_ns"]
            else:
                w, s = n["counters"][metric]["incl"], n["counters"][metric]["excl"]
            nodes[n["node"]] = {"name": n["name"], "label": labels.get(n["name"], n["name"]), "w": w, "self": s,
                                "calls": n["calls"], "key": (n["name"].encode(), (n.get("file") or "").encode(),
                                                             n.get("line") or 0)}
            children.setdefault(n["parent"], []).append(n["node"])
    elif kind == "folded":
        ids = {(): 0}
        for line in open(path):
            stack, v = line.rstrip("\n").rsplit(" ", 1)
            parts = tuple(stack.split(";"))
            for d in range(1, len(parts) + 1):
                p = parts[:d]
                if p not in ids:
                    ids[p] = len(ids)
                    nodes[ids[p]] = {"name": p[-1], "label": p[-1], "w": 0, "self": 0, "calls": None,
                                     "key": (p[-1].encode(),)}
                    children.setdefault(ids[p[:-1]], []).append(ids[p])
                nodes[ids[p]]["w"] += int(v)
            nodes[ids[parts]]["self"] += int(v)
    else:
        d = json.load(open(path))
        is_time = any(m["name"] == metric and m["is_time"] for m in d["metrics"])
        labels = {r["name"]: r["label"] for r in d["rows"]}
        for n in d["tree"]:
            c, calls = n["metrics"][metric], n["metrics"]["calls"]
            nodes[n["node"]] = {"name": n["name"], "label": labels.get(n["name"], n["name"]), "w": c[shape],
                                "a": c["a"], "b": c["b"], "verdict": c["verdict"], "self_a": c["self_a"],
                                "self_b": c["self_b"], "calls_a": calls["a"], "calls_b": calls["b"],
                                "key": (n["name"].encode(), n["node"])}
            children.setdefault(n["parent"], []).append(n["node"])
    for k in children:
        children[k].sort(key=lambda i: nodes[i]["key"])
    weight = {i: n["w"] for i, n in nodes.items()}
    frames, total, narrow = lay_out(children, weight, minwidth)
    fmt = fmt_time if is_time else fmt_count
    ex = {"total": total, "icicle": opts.get("icicle") == "1", "kind": kind, "frames": []}
    for depth, item, w, merged, parent in frames:
        if item is None:
            sub = [c for c in children.get(parent, []) if 0 < weight[c] < narrow]
            ex["frames"].append({"depth": depth, "name": None, "merged": merged, "w": w,
                                 "self": sum(nodes[c]["self"] for c in sub) if kind != "diff" else None})
        else:
            n = nodes[item]
            f = {"depth": depth, "name": n["name"] if item else None, "w": w,
                 "self": n.get("self") if kind != "diff" else None}
            if kind == "diff" and item:
                f["color"] = ("grey" if n["a"] == n["b"] or n["verdict"] in ("same", "within noise", "inconclusive", "untrusted")
                              else "red" if n["b"] > n["a"] else "blue")
            ex["frames"].append(f)
    by_name = {n["name"]: n for i, n in nodes.items() if i}
    if "hover" in opts:
        n = by_name[opts["hover"]]
        must = [n["name"], n["label"]]
        if kind == "diff":
            a, b = n["a"], n["b"]
            p = 100.0 * (b - a) / abs(a)
            must += ["%s -> %s (%s%.1f%%, x%.2f)" % (fmt(a), fmt(b), "+" if p >= 0 else "", p, b / a), n["verdict"]]
        else:
            must += ["incl %s (%s)" % (fmt(n["w"]), percent(n["w"], total)), "self " + fmt(n["self"])]
            if n["calls"] is not None:
                must.append("%d call%s" % (n["calls"], "" if n["calls"] == 1 else "s"))
        ex["hover"] = {"name": n["name"], "must": must}
    if "search" in opts:
        term = opts["search"]
        hits, share, cover = 0, 0.0, -1
        for f in ex["frames"]:
            if cover >= 0 and f["depth"] <= cover:
                cover = -1
            if f["name"] and term in f["name"]:
                hits += 1
                if cover < 0:
                    share, cover = share + f["w"], f["depth"]
        ex["search"] = {"term": term, "frames": hits, "share": share / total if total else 0,
                        "text": "Matched: %s" % percent(share, total)}
    if "zoom" in opts:
        ex["zoom"] = next(i for i, f in enumerate(ex["frames"]) if f["name"] == opts["zoom"])
    ex["select"] = 'svg.cprof-flame[data-shape="%s"]' % shape if shape else "svg.cprof-flame"
    ex["shape"] = shape
    ex["what"] = opts.get("what", kind + (" " + shape if shape else "") + " " + metric)
    print("EXPECTS.push(%s);" % json.dumps(ex))


main()
