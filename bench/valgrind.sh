#!/usr/bin/env bash
# The valgrind files benchmark (issue 12: "Valgrind files"): on a real
# callgrind file (valgrind --tool=callgrind --dump-instr=yes of rustc -O
# compiling bench/valgrind_prog.rs: tens of MB, some 16 000 functions) and
# on files written by bench/valgrind_gen.py shaped like a program of
# 20 000 functions (~30 MB) and of 456 000 functions (~230 MB), each made
# once and kept in BUILD/bench/valgrind/: `cargo-profiler report --format
# json FILE` and `cargo-profiler report FILE` (the table; the 456 000-function
# file's `--format html` too), best of 3 wall
# seconds with their peak RSS, against callgrind_annotate FILE in the same
# run (once: it takes seconds to minutes).
# Goals: json and table >= 50x faster than callgrind_annotate on the real
# file, at most 64 MB there; the 456 000-function file in seconds, in
# memory that grows with functions + edges (its bytes per function or edge).
# usage: bench/valgrind.sh BUILD
set -eu
build=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
dir=$build/bench/valgrind
mkdir -p "$dir"
cp=$build/cargo-profiler

# the real file: rustc (the toolchain's own binary, not rustup's proxy,
# which valgrind would not follow into rustc)
real=$dir/rustc.cg
if [ ! -s "$real" ]; then
  rustc_bin=$(rustc --print sysroot 2>/dev/null)/bin/rustc
  if [ ! -x "$rustc_bin" ]; then
    echo "valgrind bench: no rustc found: the real callgrind file is left out" >&2
    real=
  else
    echo "valgrind bench: callgrind of rustc -O compiling valgrind_prog.rs into $real (about a minute) ..."
    valgrind -q --tool=callgrind --dump-instr=yes --callgrind-out-file="$real.tmp" \
      "$rustc_bin" --edition 2021 -C opt-level=2 "$here/valgrind_prog.rs" -o "$dir/valgrind_prog" >/dev/null
    mv "$real.tmp" "$real"
  fi
fi
gen() { # gen NAME FUNCTIONS LINES: a generated file, made again when the generator changed
  local f=$dir/$1.cg
  if [ ! -s "$f" ] || [ "$here/valgrind_gen.py" -nt "$f" ]; then
    echo "valgrind bench: generating $f ($2 functions) ..." >&2
    python3 "$here/valgrind_gen.py" "$2" "$3" >"$f.tmp" && mv "$f.tmp" "$f"
  fi
  echo "$f"
}
s20k=$(gen gen20k 20000 120)
s456k=$(gen gen456k 456000 20)

. "$here/lib.sh"
verdict() { if awk "BEGIN{exit !($1)}"; then echo met; else echo "NOT met"; fi; }
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.1f\", $1 / $2; else print \"inf\" }"; }
one() { # one LABEL FILE GOALS(yes|no)
  local label=$1 f=$2 goals=$3 tj kj tt kt ta counts mb
  read -r tj kj < <(best "$cp" report --format json "$f")
  counts=$(python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(len(j['functions']), len(j.get('edges', [])))" "$dir/out")
  read -r tt kt < <(best "$cp" report "$f")
  /usr/bin/time -f "%e" -o "$dir/time.txt" callgrind_annotate "$f" >/dev/null 2>&1
  ta=$(cat "$dir/time.txt")
  mb=$(( $(stat -c %s "$f") / 1024 / 1024 ))
  set -- $counts
  echo "valgrind bench: $label: $(basename "$f"), $mb MB, $1 functions, $2 edges; callgrind_annotate ${ta} s"
  echo "  report --format json  ${tj} s (peak RSS $((kj / 1024)) MB): $(ratio "$ta" "$tj")x faster than callgrind_annotate"
  echo "  report (table)        ${tt} s (peak RSS $((kt / 1024)) MB): $(ratio "$ta" "$tt")x faster"
  echo "  peak RSS per function or edge: $(( (kj > kt ? kj : kt) * 1024 / ($1 + $2) )) bytes"
  if [ "$goals" = yes ]; then
    echo "  goals: json >= 50x $(verdict "$ta >= 50 * $tj"), table >= 50x $(verdict "$ta >= 50 * $tt")," \
         "peak RSS <= 64 MB $(verdict "$kj <= 65536 && $kt <= 65536")"
  fi
}
[ -n "$real" ] && one "real (rustc under callgrind)" "$real" yes
one "generated, 20 000 functions" "$s20k" no
one "generated, 456 000 functions" "$s456k" no
# the page of every function: its data written through the buffer, no tree
read -r th kh < <(best "$cp" report --format html "$s456k")
echo "  report --format html  ${th} s (peak RSS $((kh / 1024)) MB), 456 000 functions"
