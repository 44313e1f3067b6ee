#!/usr/bin/env bash
# bench/throttle.sh (make bench-throttle): many tiny nested calls against an
# oracle, the same program with only the outer region annotated (issue 11).
# For each workload: the outer region's inclusive time (median of 3 runs),
# compensated and raw, with throttling on (the default) and off, against the
# oracle's; and the whole run's wall time against the oracle's (best of 3,
# in ms: bench/lib.sh's best).
# Goals: within +-15% of the oracle, at most 3x slower.
# Then the runtime's cold work: outer around 1000 sites entered twice.
# usage: bench/throttle.sh CARGO_PROFILER THROTTLE_C THROTTLE_C_ORACLE TINY_ORACLE TINY_INNER \
#          REGEX_ORACLE REGEX_INNER
set -u
CP=$1 TC=$2 TCO=$3 TO=$4 TI=$5 RO=$6 RI=$7
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/lib.sh"
export CPROF_EVENTS=none CPROF_QUIET=1

# outer NAME ENV... -- CMD...: the median over 3 runs of the region's
# inclusive ns (compensated, then raw), printed "comp raw"
outer() {
  local name=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  local c=() r=()
  for i in 1 2 3; do
    rm -rf "$dir/d" && mkdir "$dir/d"
    env "${envs[@]}" CPROF_OUTPUT="$dir/d" "$@" >/dev/null || { echo "bench: failed: $*" >&2; exit 1; }
    c+=("$("$CP" report "$dir/d" --format json | jq "[.regions[] | select(.name | endswith(\"$name\")) | .incl_ns] | add")")
    r+=("$("$CP" report "$dir/d" --format json --no-compensate | jq "[.regions[] | select(.name | endswith(\"$name\")) | .incl_ns] | add")")
  done
  echo "$(printf '%s\n' "${c[@]}" | sort -n | sed -n 2p) $(printf '%s\n' "${r[@]}" | sort -n | sed -n 2p)"
}
wall() { # wall ENV... -- CMD...: best wall ms of 3
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  set -- env "${envs[@]}" CPROF_OUTPUT="$dir" "$@"
  best "$@" | awk '{ printf "%.1f", $1 * 1000 }'
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.0f%%", (a - b) * 100 / b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f ms", a / 1e6 }'; }

workload() { # workload TITLE OUTER-NAME CALLS ORACLE-CMD -- INNER-CMD
  local title=$1 name=$2 calls=$3; shift 3
  local o=() i=()
  while [ "$1" != -- ]; do o+=("$1"); shift; done; shift
  i=("$@")
  read -r oc _ < <(outer "$name" X=1 -- "${o[@]}")
  read -r tc tr < <(outer "$name" X=1 -- "${i[@]}")
  read -r fc fr < <(outer "$name" CPROF_THROTTLE=off -- "${i[@]}")
  local wo wt wf
  wo=$(wall X=1 -- "${o[@]}"); wt=$(wall X=1 -- "${i[@]}"); wf=$(wall CPROF_THROTTLE=off -- "${i[@]}")
  echo "$title ($calls calls)"
  printf '  outer incl: oracle %s; throttled %s (%s), raw %s (%s); off %s (%s), raw %s (%s)   goal: within +-15%%\n' \
    "$(ms "$oc")" "$(ms "$tc")" "$(pct "$tc" "$oc")" "$(ms "$tr")" "$(pct "$tr" "$oc")" \
    "$(ms "$fc")" "$(pct "$fc" "$oc")" "$(ms "$fr")" "$(pct "$fr" "$oc")"
  printf '  wall: oracle %s ms; throttled %s ms (%s); off %s ms (%s)   goal: at most 3x\n' \
    "$wo" "$wt" "$(ratio "$wt" "$wo")" "$wf" "$(ratio "$wf" "$wo")"
}

echo "many tiny nested calls against the oracle (only the outer region annotated)"
workload "C: outer > mid > 4 x leaf, noinline functions of a few ns" outer 100M \
  "$TCO" nested 20000000 -- "$TC" nested 20000000
workload "C, CPROF_SCOPE in mid and leaf: the same" outer 100M \
  "$TCO" nested 20000000 -- "$TC" scoped 20000000
workload "Rust: a lexer, #[profile] on its 6 inlinable helpers" lex_line 38.4M \
  "$TO" 100000 3 -- "$TI" 100000 3
# the issue's reference workload: regex-lite (vendored, bench/regexlite/),
# 4 patterns over 600 KB of generated text; outer: its per-match iterator
workload "Rust: regex-lite 0.1.9 find_iter (PikeVM), #[profile] on 12 of its functions" string::Matches::next 76.4M \
  "$RO" 600 1 -- "$RI" 600 1
read -r cc _ < <(outer outer X=1 -- "$TC" cold)
read -r co _ < <(outer outer CPROF_THROTTLE=off -- "$TC" cold)
echo "cold work: outer around 1000 sites entered twice, nothing inside (was 0.5-3 ms, best 797 us)"
printf '  outer incl: %s us (median of 3; 2000 pairs at ~25 ns are ~50 us)\n' "$(awk -v a="$cc" 'BEGIN { printf "%.0f", a / 1e3 }')"
