#!/usr/bin/env bash
# The merge benchmark (issue 12: "report DIR over 500 process dumps of 1000
# regions each"): a real dump of the C example is the template; 500 dumps of
# 1000 regions and 2000 tree nodes, and 10 000 dumps of 100 regions, are
# made from it as cprof-2 (bench/merge_gen.py; the 500 also as cprof-1, the
# older format, for its figure: the same calls, so the same report), then
# `cargo-profiler report DIR` and, as the reference in the same run, a
# Python script that loads every dump with json.load and sums calls per
# region (bench/merge_ref.py) are timed, best of 3 wall-clock each, with
# our peak RSS.
# Goals: 500 x 1000 >= 3x faster than Python (stretch 10x), < 256 MB;
# 10 000 x 100 in < 10 s.
# usage: bench/merge.sh BUILD
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$build/bench/merge
mkdir -p "$dir/t"
if ! ls "$dir"/t/*.json >/dev/null 2>&1; then
  CPROF_OUTPUT="$dir/t" CPROF_EVENTS=none "$build/examples/c/wordfreq" </dev/null >/dev/null 2>&1 || true
fi
tpl=$(ls "$dir"/t/*.json | head -1)
gen() { # gen NAME N R [--v1]: N dumps of R regions in $dir/NAME (kept between runs)
  local d=$dir/$1
  if [ "$(ls "$d" 2>/dev/null | wc -l)" != "$2" ] || [ "$here/merge_gen.py" -nt "$d" ] || [ "$tpl" -nt "$d" ]; then
    echo "merge bench: generating $2 dumps of $3 regions in $d ..."
    rm -rf "$d"
    python3 "$here/merge_gen.py" ${4:-} "$tpl" "$d" "$2" "$3"
  fi
}
gen d500 500 1000
gen d500v1 500 1000 --v1
gen d10k 10000 100
. "$(dirname "$0")/lib.sh"
cp=$build/cargo-profiler
read -r ours ours_kb < <(best "$cp" report -n 3 "$dir/d500")
cp "$dir/out" "$dir/out.v2"
read -r py py_kb < <(best python3 "$here/merge_ref.py" "$dir/d500")
read -r t10k kb10k < <(best "$cp" report -n 3 "$dir/d10k")
read -r v1 v1_kb < <(best "$cp" report -n 3 "$dir/d500v1")
if cmp -s "$dir/out" "$dir/out.v2"; then same="the same report"; else same="NOT the same report"; fi
read -r pyv1 pyv1_kb < <(best python3 "$here/merge_ref.py" "$dir/d500v1")
mb=$(du -sm "$dir/d500" | cut -f1) mbv1=$(du -sm "$dir/d500v1" | cut -f1)
ratio=$(awk "BEGIN{ if ($ours > 0) printf \"%.1f\", $py / $ours; else print \"inf\" }")
verdict() { if awk "BEGIN{exit !($1)}"; then echo met; else echo "NOT met"; fi; }
echo "merge bench: 500 dumps x 1000 regions, 2000 tree nodes, cprof-2 ($mb MB):"
echo "  cargo-profiler report DIR   ${ours} s (peak RSS $((ours_kb / 1024)) MB)"
echo "  python json.load + sum      ${py} s (peak RSS $((py_kb / 1024)) MB)"
echo "  ratio ${ratio}x: >= 3x $(verdict "$ratio >= 3"), stretch >= 10x $(verdict "$ratio >= 10");" \
     "peak < 256 MB $(verdict "$ours_kb < 262144")"
echo "merge bench: the same 500 as cprof-1 ($mbv1 MB): cargo-profiler ${v1} s (peak RSS $((v1_kb / 1024)) MB)," \
     "python ${pyv1} s: ratio $(awk "BEGIN{ if ($v1 > 0) printf \"%.1f\", $pyv1 / $v1; else print \"inf\" }")x;" \
     "$same as from cprof-2"
echo "merge bench: 10 000 dumps x 100 regions, cprof-2: ${t10k} s (peak RSS $((kb10k / 1024)) MB): < 10 s $(verdict "$t10k < 10")"
