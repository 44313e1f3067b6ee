#!/usr/bin/env python3
"""compare.py: checks the valgrind readers against valgrind's own annotators.

  compare.py callgrind|cachegrind VGDUMP FILE

Runs callgrind_annotate (--inclusive=no and =yes) or cg_annotate on FILE with
every function shown, and the readers (through VGDUMP, which prints the
model), then checks exactly: the totals, every function's self cost (by
function name, recursion levels merged) and, for callgrind, the inclusive
cost of every function annotate shows once under its own name. Prints one
line per mismatch and exits 1 if there is any.
"""
import os
import re
import subprocess
import sys

HASH = re.compile(r"::h[0-9a-fA-F]{16}$")


def strip_context(fn):
    """fn without callgrind's "'N" / "'caller" suffix (a lifetime quote stays)."""
    depth = 0
    for i, c in enumerate(fn):
        if c == "<":
            depth += 1
        elif c == ">" and depth > 0:
            depth -= 1
        elif c == "'" and depth == 0 and i > 0 and fn[i - 1] not in "& ":
            return fn[:i]
    return fn


def display_name(fn):
    """What the reader shows for a valgrind function name (see vg_function_name)."""
    fn = strip_context(fn)
    return HASH.sub("", fn) if len(fn) > 19 else fn


def annotate(cmd):
    out = subprocess.run(cmd, cwd="/", capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("annotate failed: %s\n%s" % (" ".join(cmd), out.stderr))
    lines = out.stdout.splitlines()
    events, totals, rows = None, None, []
    i = 0
    while i < len(lines):
        l = lines[i]
        if l.startswith("Events recorded:"):
            events = l.split(":", 1)[1].split()
        if l.rstrip().endswith("PROGRAM TOTALS") or l.rstrip().endswith("PROGRAM TOTALS (calculated)"):
            nums = l.split("PROGRAM TOTALS")[0].split()
            totals = [int(x.replace(",", "")) if x != "." else 0 for x in nums]
        if "file:function" in l:
            i += 2
            while i < len(lines) and lines[i].strip():
                parts = lines[i].split()
                nums = []
                for tok in parts[: len(events)]:
                    nums.append(0 if tok == "." else int(tok.replace(",", "")))
                rest = lines[i].strip().split(None, len(events))[len(events)]
                obj = None
                mo = re.match(r"^(.*) \[([^\[\]]*)\]$", rest)
                if mo:
                    rest, obj = mo.group(1), mo.group(2)
                f, _, fn = rest.partition(":")
                rows.append((f, fn, obj, nums))
                i += 1
            break
        i += 1
    return events, totals, rows


def read_dump(vgdump, tool, path):
    out = subprocess.run([vgdump, tool, path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("reader failed: %s" % out.stderr.strip())
    metrics, totals, fns = [], {}, []
    for l in out.stdout.splitlines():
        t = l.split("\t")
        if t[0] == "metrics":
            metrics = t[1:]
        elif t[0] == "total":
            totals[t[1]] = int(t[2])
        elif t[0] == "fn":
            self_ = [int(x) for x in t[6].split(",")]
            incl = None if t[7] == "-" else [int(x) for x in t[7].split(",")]
            fns.append((t[1], t[2], t[3], self_, incl))
    return metrics, totals, fns


def main():
    tool, vgdump, path = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    bad = []
    metrics, totals, fns = read_dump(vgdump, tool, path)
    if tool == "callgrind":
        base = ["callgrind_annotate", "--threshold=100", "--auto=no", "--show-percs=no"]
        ev, tot, rows = annotate(base + ["--inclusive=no", path])
        _, _, irows = annotate(base + ["--inclusive=yes", path])
    else:
        ev, tot, rows = annotate(["cg_annotate", "--threshold=0", "--auto=no", "--show-percs=no", path])
        irows = []
    if ev != metrics:
        bad.append("events: annotate %s, reader %s" % (ev, metrics))
    for e, v in zip(ev, tot):
        if totals.get(e) != v:
            bad.append("total %s: annotate %d, reader %s" % (e, v, totals.get(e)))
    n = len(ev)

    def add(d, k, v):
        d[k] = [a + b for a, b in zip(d.get(k, [0] * n), v)]

    # Self cost by display name (callgrind_annotate splits a function by
    # file for fi=/fe= inlined code and by recursion level, cg_annotate by
    # the file of its inlined code; the reader keeps one row a function).
    want, got = {}, {}
    for f, fn, obj, v in rows:
        add(want, display_name(fn) if tool == "callgrind" else fn, v)
    names = [name for name, f, obj, s, incl in fns]
    if tool == "cachegrind" and len(names) != len(set(names)):
        bad.append("a function in more than one row: %s" % sorted(n for n in set(names) if names.count(n) > 1))
    for name, f, obj, s, incl in fns:
        add(got, name, s)
    for k in sorted(set(want) | set(got), key=str):
        a, b = want.get(k, [0] * n), got.get(k, [0] * n)
        if a != b:
            bad.append("self %s: annotate %s, reader %s" % (k, a, b))
    checked_incl = 0
    if tool == "callgrind":
        # Inclusive: annotate's level-1 row of each function, when the name
        # is in one file only (no inlined-file split to add up).
        files = {}
        for f, fn, obj, v in irows:
            files.setdefault(display_name(fn), set()).add(f)
        ours = {}
        for name, f, obj, s, incl in fns:
            add(ours, (f, name), incl)
        for f, fn, obj, v in irows:
            if strip_context(fn) != fn or len(files[display_name(fn)]) != 1:
                continue
            k = (f, display_name(fn))
            if ours.get(k) != v:
                bad.append("incl %s:%s: annotate %s, reader %s" % (f, fn, v, ours.get(k)))
            checked_incl += 1
    for b in bad:
        print("MISMATCH " + b)
    print("%s: %d functions, totals %s, %d self and %d inclusive checked, %d mismatches"
          % (path, len(fns), tot, len(want), checked_incl, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
