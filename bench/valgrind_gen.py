#!/usr/bin/env python3
"""valgrind_gen.py: writes a callgrind file shaped like one of a big program
(bench/valgrind.sh): N functions in N/25 source files of 6 objects, each
with about L cost lines (positions "instr line", relative as callgrind
writes them) and 0-8 calls to functions further down (a call graph without
cycles), names and files compressed ("(id) name" once, then "(id)").
A function's inclusive cost is split evenly among the calls into it, so
the figures add up as a program's do. Seeded: the same
arguments give the same file.
usage: valgrind_gen.py N L > file.cg"""
import random
import sys

MODS = ["parse", "eval", "lexer", "codegen", "alloc", "io", "fmt", "hash", "sync", "ty"]
OBJS = ["/usr/bin/bigprog"] + [f"/usr/lib/x86_64-linux-gnu/libbig{k}.so.1" for k in range(5)]


def body(i, n, lines):
    """Function i's cost lines and calls, the same on every call:
    [(dpos, dline, cost, call)], call = (target, count) or None."""
    rnd = random.Random(i * 1000003 + n)
    k = rnd.randint(lines // 2, lines + lines // 2)
    ncalls = rnd.randint(0, 8) if i + 1 < n else 0
    at = set(rnd.sample(range(1, k), min(ncalls, k - 1))) if k > 1 else set()
    out = []
    for j in range(k):
        call = (rnd.randint(i + 1, min(n - 1, i + 2000)), rnd.randint(1, 30)) if j in at else None
        out.append((rnd.randint(1, 7), rnd.randint(0, 2), rnd.randint(1, 400), call))
    return out


def main():
    n = int(sys.argv[1])
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    nfiles = max(1, n // 25)
    obj_of = lambda i: 0 if i < n // 2 else 1 + i % 5
    file_of = lambda i: i * nfiles // n
    fname = lambda i: f"bigprog::{MODS[i % 10]}::module{i // 100}::Item{i % 7}::method_{i}"
    flname = lambda f: f"src/{MODS[f % 10]}/file{f}.rs"
    into = [0] * n   # call lines into each function
    for i in range(n):
        for *_, call in body(i, n, lines):
            if call:
                into[call[0]] += 1
    share = [0] * n  # a call line's share of its callee's inclusive cost, callees first
    for i in range(n - 1, -1, -1):
        s = 0
        for _, _, c, call in body(i, n, lines):
            s += c + (share[call[0]] if call else 0)
        share[i] = s // max(1, into[i])
    w = sys.stdout.write
    w("# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 4242\n")
    w("cmd:  /usr/bin/bigprog --input big.txt\npart: 1\n\n")
    w("desc: I1 cache: \ndesc: D1 cache: \ndesc: LL cache: \n\n")
    w("positions: instr line\nevents: Ir\nsummary: 0\n\n")
    seen = {"ob": set(), "fl": set(), "fn": set()}

    def ref(kind, key, i, text):
        if i in seen[key]:
            return f"{kind}=({i + 1})\n"
        seen[key].add(i)
        return f"{kind}=({i + 1}) {text}\n"

    total, cur_o, cur_f, buf = 0, -1, -1, []
    for i in range(n):
        if obj_of(i) != cur_o:
            cur_o = obj_of(i)
            buf.append(ref("ob", "ob", cur_o, OBJS[cur_o]))
        if file_of(i) != cur_f:
            cur_f = file_of(i)
            buf.append(ref("fl", "fl", cur_f, flname(cur_f)))
        buf.append(ref("fn", "fn", i, fname(i)))
        for j, (dpos, dline, c, call) in enumerate(body(i, n, lines)):
            total += c
            if j == 0:
                buf.append(f"0x{0x400000 + i * 0x200:x} {10 + (i % 25) * 40} {c}\n")
            else:
                buf.append(f"+{dpos} +{dline} {c}\n")
            if call:
                t, cnt = call
                if obj_of(t) != cur_o:
                    buf.append(ref("cob", "ob", obj_of(t), OBJS[obj_of(t)]))
                if file_of(t) != cur_f:
                    buf.append(ref("cfi", "fl", file_of(t), flname(file_of(t))))
                buf.append(ref("cfn", "fn", t, fname(t)))
                buf.append(f"calls={cnt} 0x{0x400000 + t * 0x200:x} {10 + (t % 25) * 40}\n")
                buf.append(f"* * {share[t]}\n")
        if len(buf) > 4096:
            w("".join(buf))
            buf = []
    w("".join(buf))
    w(f"\ntotals: {total}\n")


main()
