#!/usr/bin/env python3
"""jsonschema_lite.py SCHEMA FILE: checks FILE (JSON) against SCHEMA with the
part of JSON Schema that speedscope's schema uses (type, properties,
required, enum, items, anyOf, $ref to #/definitions), then what the spec says
in words (file-format-spec.ts): samples and weights of equal length, frame
indices in range, startValue <= endValue. Prints one line per error; exit 1
if any."""
import json, sys

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}

def is_type(v, t):
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])

def check(root, s, v, path, errs):
    if "$ref" in s:
        name = s["$ref"].split("/")[-1]
        return check(root, root["definitions"][name], v, path, errs)
    if "anyOf" in s:
        if not any(not check(root, alt, v, path, []) for alt in s["anyOf"]):
            errs.append(f"{path}: matches none of anyOf")
        return errs
    if "type" in s and not is_type(v, s["type"]):
        errs.append(f"{path}: expected {s['type']}, got {type(v).__name__}")
        return errs
    if "enum" in s and v not in s["enum"]:
        errs.append(f"{path}: {v!r} not one of {s['enum']}")
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append(f"{path}: missing required {k}")
        for k, sub in s.get("properties", {}).items():
            if k in v:
                check(root, sub, v[k], f"{path}.{k}", errs)
    if isinstance(v, list) and "items" in s:
        for i, x in enumerate(v):
            check(root, s["items"], x, f"{path}[{i}]", errs)
    return errs

def semantics(doc, errs):
    nf = len(doc["shared"]["frames"])
    for i, p in enumerate(doc["profiles"]):
        if p.get("type") != "sampled":
            continue
        if len(p["samples"]) != len(p["weights"]):
            errs.append(f"profiles[{i}]: {len(p['samples'])} samples, {len(p['weights'])} weights")
        if any(f < 0 or f >= nf or int(f) != f for s in p["samples"] for f in s):
            errs.append(f"profiles[{i}]: a frame index out of 0..{nf - 1}")
        if p["startValue"] > p["endValue"]:
            errs.append(f"profiles[{i}]: startValue > endValue")
        if any(w < 0 for w in p["weights"]):
            errs.append(f"profiles[{i}]: a negative weight")

schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errs = check(schema, schema, doc, "$", [])
if not errs:
    semantics(doc, errs)
for e in errs:
    print(f"{sys.argv[2]}: {e}")
sys.exit(1 if errs else 0)
