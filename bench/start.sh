#!/usr/bin/env bash
# The start-and-exit benchmark (issue 12: "a profiled time-only process
# costs at most 2 ms of CPU more than an unprofiled one"). CPU time (user +
# system, from wait4) of bench/start_prog.c from exec to exit: unprofiled
# (the reference) and linked with libcprof: time only (one region, then a
# few nested ones, dumped at exit), CPROF_DISABLE=1, one sde::: event
# (libpapi and libpfm4 loaded), and time only with libcprof.so; each the
# median of ROUNDS round means of RUNS runs, the variants taking turns run
# by run (bench/start_run.c), with its page faults. Then a dump of 1000 regions
# on 2000 call paths: CPU time of a process's first cprof_dump() (with the
# calibration) and of a second one (writing only), median of 5 processes;
# and the calibrated figures over the time-only runs (their spread).
# Goal: time only <= 2 ms more than the unprofiled program.
# usage: bench/start.sh BUILD   (START_RUNS, START_ROUNDS: default 60, 5)
set -eu
build=$1
dir=$build/bench/start
out=$dir/dumps
runs=${START_RUNS:-60} rounds=${START_ROUNDS:-5}
rm -rf "$out" && mkdir -p "$out/none" "$out/sde" "$out/so" "$out/big"
case "$dir" in *" "*) echo "start bench: $dir: the driver splits variants at spaces" >&2; exit 1 ;; esac

mapfile -t res < <("$dir/run" "$runs" "$rounds" \
  "$dir/empty" \
  "CPROF_EVENTS=none CPROF_OUTPUT=$out/none $dir/prof" \
  "CPROF_DISABLE=1 $dir/prof" \
  "CPROF_EVENTS=sde:::START::N CPROF_OUTPUT=$out/sde $dir/sde" \
  "CPROF_EVENTS=none CPROF_OUTPUT=$out/so $dir/prof-so")
[ "${#res[@]}" -eq 5 ] || { echo "start bench: the driver failed" >&2; exit 1; }
read -r ref ref_pf <<<"${res[0]}"
verdict() { if awk "BEGIN{exit !($1)}"; then echo met; else echo "NOT met"; fi; }
line() { # line LABEL "US FAULTS" [GOAL-TEXT GOAL-CONDITION]
  local us pf; read -r us pf <<<"$2"
  printf "  %-44s %6.2f ms  %+6.2f ms  %5.0f faults" "$1" "$(awk "BEGIN{print $us / 1000}")" \
    "$(awk "BEGIN{print ($us - $ref) / 1000}")" "$pf"
  if [ $# -gt 2 ]; then printf "  %s %s" "$3" "$(verdict "$4")"; fi
  echo
}
echo "start bench: CPU per process from exec to exit (median of $rounds round means of $runs runs), against the unprofiled program:"
printf "  %-44s %6.2f ms  %9s  %5.0f faults\n" "unprofiled (the reference)" "$(awk "BEGIN{print $ref / 1000}")" "" "$ref_pf"
read -r none _ <<<"${res[1]}"
line "libcprof.a, time only (CPROF_EVENTS=none)" "${res[1]}" "goal <= +2 ms:" "$none - $ref <= 2000"
line "libcprof.a, CPROF_DISABLE=1" "${res[2]}"
line "libcprof.a + libsde, one sde::: event (PAPI)" "${res[3]}"
line "libcprof.so, time only" "${res[4]}"
[ "$(ls "$out/none" | wc -l)" -eq $((runs * rounds)) ] || { echo "start bench: time-only runs wrote no dump" >&2; exit 1; }

# quantiles: "min p10 median p90 max" of numbers, one a line, scaled by 1/$1.
quantiles() { sort -n | awk -v d="$1" '{ v[NR] = $1 / d } END {
  printf "min %.2f  p10 %.2f  median %.2f  p90 %.2f  max %.2f", v[1], v[int(NR / 10) + 1], v[int((NR + 1) / 2)], v[int(NR * 9 / 10)], v[NR] }'; }
median() { quantiles "$1" | awk '{ print $6 }'; }

# The dump of 1000 regions, 2000 call paths: medians of 5 processes.
for _ in 1 2 3 4 5; do
  CPROF_EVENTS=none CPROF_OUTPUT="$out/big" "$dir/prof" big
done >"$out/big.txt"
first=$(cut -d" " -f1 "$out/big.txt" | median 1000) second=$(cut -d" " -f2 "$out/big.txt" | median 1000)
kb=$(ls -l "$out"/big/*.json | awk '{ s += $5; n++ } END { printf "%.0f", s / n / 1024 }')
echo "start bench: a dump of 1000 regions on 2000 call paths ($kb KB; median of 5 processes): the first" \
     "$first ms (calibration and first use included), a second $second ms (writing only)"

# The calibrated figures over the time-only runs: what reports subtract.
echo "start bench: the calibration over the $(ls "$out/none" | wc -l) time-only runs (ns):"
echo "  ns_per_pair  $(jq -r .overhead.ns_per_pair "$out"/none/*.json | quantiles 1)"
echo "  ns_inside    $(jq -r .overhead.ns_inside "$out"/none/*.json | quantiles 1)"
rm -rf "$out"
