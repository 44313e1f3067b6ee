#!/usr/bin/env bash
# A real MPI job: `mpirun -np 4` of examples/mpi/mpi_ranks (rank r counts
# (r + 1) * 100 units of sde:::MPIRANKS::WORK in region "unit"), then
# `cargo profiler report` of its folder: each dump's rank, host and name,
# the exact figures per rank (--by rank, json and table), the spread of
# every region across the 4 processes (min, median, max, imbalance: exact
# for the counter, present and consistent for time) in json, table, csv and
# markdown, --by host, the folders of two hosts (the same pids) merged
# without a collision, and a dump of an older runtime (cprof-PID.json, no
# rank) among them. Nothing is skipped: without mpirun the suite fails.
# usage: tests/e2e/mpi.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$BUILD/tmp"
TMP=$(mktemp -d "$BUILD/tmp/e2e-mpi.XXXXXX")
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE

. "$HERE/lib.sh"

EV=sde:::MPIRANKS::WORK
BIN=$BUILD/examples/mpi/mpi_ranks
HOST=$(hostname)
HOST_FILE=$(printf '%s' "$HOST" | tr -c 'A-Za-z0-9._-' '_' | cut -c1-64)

if ! command -v mpirun >/dev/null || [ ! -x "$BIN" ]; then
  bad "mpirun and the MPI example are there" "mpirun: $(command -v mpirun || echo missing)" \
    "$BIN: $([ -x "$BIN" ] && echo built || echo 'missing (make: needs mpicc; make deps installs openmpi-bin, libopenmpi-dev)')"
  echo "$passed passed, $failed failed"
  exit 1
fi

# --- the job --------------------------------------------------------------------
mkdir -p "$TMP/run"
CPROF_EVENTS=$EV CPROF_OUTPUT=$TMP/run mpirun --allow-run-as-root --oversubscribe -np 4 "$BIN" \
  >"$TMP/job.out" 2>"$TMP/job.err"
rc=$?
check "mpirun -np 4: the job ran, its ranks' work added up (exit 0)" \
  bash -c "[ $rc = 0 ] && grep -q '^4 ranks, 1000 units of work (expected 1000)' '$TMP/job.out'"
[ $rc = 0 ] || echo "     $(head -5 "$TMP/job.err")"
check "four dumps, each named cprof-$HOST_FILE-PID.json" \
  bash -c "[ \$(ls '$TMP/run' | wc -l) = 4 ] && [ \$(ls '$TMP/run' | grep -cE '^cprof-$HOST_FILE-[0-9]+\\.json\$') = 4 ]"
check "each dump: its rank (0 to 3, each once), world_size 4, host, and its pid in its name" bash -c "
  for f in '$TMP'/run/*.json; do
    jq -r --arg f \"\$(basename \$f)\" '[.rank, .world_size, .host, (\"cprof-$HOST_FILE-\" + (.pid|tostring) + \".json\" == \$f)] | @tsv' \$f
  done | sort >'$TMP/ranks.tsv'
  printf '0\t4\t%s\ttrue\n1\t4\t%s\ttrue\n2\t4\t%s\ttrue\n3\t4\t%s\ttrue\n' '$HOST' '$HOST' '$HOST' '$HOST' | cmp -s - '$TMP/ranks.tsv'"

# --- the merged report: exact sums, the spread across the processes -----------------------
"$CP" report "$TMP/run" --format json >"$TMP/r.json" 2>"$TMP/r.err"
check "report --format json: the 4 processes" jeq "$TMP/r.json" '[.processes, .host]' "[4,\"$HOST\"]"
check "unit: 1000 calls, $EV 1000 (exclusive, exact)" \
  jeq "$TMP/r.json" "[.regions[] | select(.name == \"unit\") | .calls, .counters[\"$EV\"].excl]" '[1000,1000]'
check "unit: per_process $EV over 4: min 100, median 250, max 400, mean 250, imbalance 0.375" \
  jeq "$TMP/r.json" ".regions[] | select(.name == \"unit\") | .per_process | [.processes, (.counters[\"$EV\"] | .min, .median, .max, .mean, .imbalance)]" \
  '[4,100,250,400,250,0.375]'
check "work: per_process $EV 0 everywhere (counted in unit, not in work itself)" \
  jeq "$TMP/r.json" ".regions[] | select(.name == \"work\") | .per_process.counters[\"$EV\"] | [.min, .max, .imbalance]" '[0,0,0]'
# (work's own time is only its loop: compensated, it can be 0 in every rank
# on a loaded machine, so only unit's, real work, must be above 0)
check "every region: time's spread present, min <= median <= max, mean between, imbalance (max - mean) / max" \
  jeq "$TMP/r.json" '[.regions[] | .per_process | .processes == 4 and (.excl_ns | .min <= .median and .median <= .max
    and .min <= .mean and .mean <= .max and (.max == 0 and .imbalance == 0
      or (((.max - .mean) / .max) - .imbalance | fabs) < 1e-9))] | all' 'true'
check "unit's time is in every rank's spread (max above 0)" \
  jeq "$TMP/r.json" '.regions[] | select(.name == "unit") | .per_process.excl_ns.max > 0' 'true'
check "the spread's max is a process's own exclusive time (the largest rank's, in --by rank)" bash -c "
  '$CP' report '$TMP/run' --by rank --format json 2>/dev/null >'$TMP/br.json'
  [ \"\$(jq '[.ranks[].regions[] | select(.name == \"unit\") | .excl_ns] | max' '$TMP/br.json')\" = \
    \"\$(jq '.regions[] | select(.name == \"unit\") | .per_process.excl_ns.max' '$TMP/r.json')\" ]"

# --- --by rank -------------------------------------------------------------------------
check "--by rank (json): ranks 0 to 3 in order, each one process of this host" \
  jeq "$TMP/br.json" '[.ranks[] | [.rank, .processes, .host]]' "[[0,1,\"$HOST\"],[1,1,\"$HOST\"],[2,1,\"$HOST\"],[3,1,\"$HOST\"]]"
check "--by rank (json): rank r counted (r + 1) * 100 in unit, exclusive and in work, inclusive" \
  jeq "$TMP/br.json" "[.ranks[] | [(.regions[] | select(.name == \"unit\") | .counters[\"$EV\"].excl, .calls),
                                   (.regions[] | select(.name == \"work\") | .counters[\"$EV\"].incl)]]" \
  '[[100,100,100],[200,200,200],[300,300,300],[400,400,400]]'
check "--by rank (json): each rank's pid is its dump's" bash -c "
  [ \"\$(jq -c '[.ranks[] | .pid]' '$TMP/br.json')\" = \
    \"\$(for f in '$TMP'/run/*.json; do jq -r '[.rank, .pid] | @tsv' \$f; done | sort -n | cut -f2 | jq -sc .)\" ]"
"$CP" report "$TMP/run" --by rank >"$TMP/br.txt" 2>&1
check "--by rank (table): one block per rank, in order, naming pid and host" bash -c "
  [ \"\$(grep -o '^== rank [0-9] (pid [0-9]* on $HOST) ==\$' '$TMP/br.txt' | cut -c9 | tr -d '\\n')\" = 0123 ]"
check "--by rank (table): each block's unit row: calls and $EV as in json" bash -c "
  [ \"\$(awk '\$1 == \"unit\" { print \$2, \$(NF-1) }' '$TMP/br.txt' | tr '\\n' ' ')\" = '100 100 200 200 300 300 400 400 ' ]"
"$CP" report "$TMP/run" --by rank --format csv >"$TMP/br.csv" 2>/dev/null
check "--by rank (csv): rank,host leading columns, one table" bash -c "
  head -1 '$TMP/br.csv' | grep -q '^rank,host,name,' && [ \$(grep -c '^[0-3],$HOST,unit,' '$TMP/br.csv') = 4 ]"
"$CP" report "$TMP/run" --by rank --format folded >"$TMP/br.folded" 2>/dev/null
check "--by rank (folded): the rank is each stack's root frame" bash -c "
  [ \"\$(cut -d';' -f1 '$TMP/br.folded' | sort -u | tr '\\n' ' ')\" = 'rank-0 rank-1 rank-2 rank-3 ' ]"

# --- the table, csv and markdown: the per-process section ---------------------------------
"$CP" report "$TMP/run" >"$TMP/r.txt" 2>&1
check "table: a per-process section after the regions, over 4 processes" \
  grep -q '^per process (4 processes): ' "$TMP/r.txt"
check "table: unit's $EV spread: 100, 250, 400, 37.5%" bash -c "
  sed -n '/^per process/,\$p' '$TMP/r.txt' | awk '\$1 == \"unit\" { print \$2, \$(NF-3), \$(NF-2), \$(NF-1), \$NF }' | grep -qx '4 100 250 400 37.5%'"
check "table: the regions table itself keeps its columns (the spread is below it)" bash -c "
  grep -q '^region  *calls  *incl  *excl  *excl%  *mean  *$EV incl  *$EV excl  *location\$' '$TMP/r.txt'"
"$CP" report "$TMP/run" --format csv >"$TMP/r.csv" 2>/dev/null
check "csv: processes and $EV's spread columns, exact" bash -c "
  python3 - '$TMP/r.csv' <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
u = [r for r in rows if r['name'] == 'unit'][0]
e = '$EV' + '_excl_'
got = [u['processes'], u[e + 'min'], u[e + 'median'], u[e + 'max'], u[e + 'mean'], u[e + 'imbalance']]
sys.exit(0 if got == ['4', '100', '250', '400', '250', '0.375'] and all(u['excl_ns_' + k] for k in ('min', 'median', 'max', 'mean', 'imbalance')) else 1)
PY"
"$CP" report "$TMP/run" --format markdown >"$TMP/r.md" 2>/dev/null
check "markdown: the per-process table, unit's row" \
  grep -qE '^\| `unit` \| 4 \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| 100 \| 250 \| 400 \| 37\.5% \|$' "$TMP/r.md"
"$CP" report "$TMP/run" --by host >"$TMP/bh.txt" 2>&1
check "--by host: one block, this host's 4 processes" bash -c "
  [ \"\$(grep -c '^== ' '$TMP/bh.txt')\" = 1 ] && grep -q '^== host $HOST (4 processes) ==\$' '$TMP/bh.txt'"

# --- two hosts' folders, the same pids: merged without a collision -------------------------
mkdir -p "$TMP/other" "$TMP/all"
for f in "$TMP"/run/*.json; do
  pid=$(jq .pid "$f")
  jq '.host = "other-host"' "$f" >"$TMP/other/cprof-other-host-$pid.json"
done
cp "$TMP"/run/*.json "$TMP"/other/*.json "$TMP/all/"
# the host lists name the hosts in the order their dumps are read: by file name
if [ "$(LC_ALL=C ls "$TMP/all" | head -1 | cut -c1-16)" = cprof-other-host ]; then
  BOTH="other-host, $HOST"
else
  BOTH="$HOST, other-host"
fi
check "two hosts, the same 4 pids: 8 files in one folder" bash -c "
  [ \$(ls '$TMP/all' | wc -l) = 8 ] && [ \"\$(jq -s '[.[].pid] | unique | length' '$TMP'/all/*.json)\" = 4 ]"
"$CP" report "$TMP/all" --format json >"$TMP/all.json" 2>"$TMP/all.err"
check "merged: 8 processes, both hosts, unit's $EV 2000 over 2000 calls" \
  jeq "$TMP/all.json" "[.processes, .host, (.regions[] | select(.name == \"unit\") | .calls, .counters[\"$EV\"].excl)]" \
  "[8,\"$BOTH\",2000,2000]"
check "merged: unit's spread over 8: min 100, median 250, max 400, imbalance 0.375" \
  jeq "$TMP/all.json" ".regions[] | select(.name == \"unit\") | .per_process | [.processes, (.counters[\"$EV\"] | .min, .median, .max, .imbalance)]" \
  '[8,100,250,400,0.375]'
"$CP" report "$TMP/all" --by host --format json >"$TMP/bh.json" 2>/dev/null
check "--by host: each host's 4 processes and their 1000 units" \
  jeq "$TMP/bh.json" "[.hosts[] | [.host, .processes, (.regions[] | select(.name == \"unit\") | .counters[\"$EV\"].excl)]]" \
  "$(jq -cn --arg h "$HOST" '[[$h, 4, 1000], ["other-host", 4, 1000]] | sort')"
check "--by host: each host's own spread (its 4 ranks)" \
  jeq "$TMP/bh.json" "[.hosts[] | .regions[] | select(.name == \"unit\") | .per_process.counters[\"$EV\"] | [.min, .max]]" \
  '[[100,400],[100,400]]'
"$CP" report "$TMP/all" --by rank --format json >"$TMP/br2.json" 2>/dev/null
check "--by rank of two jobs: rank r is one process of each host" \
  jeq "$TMP/br2.json" "[.ranks[] | [.rank, .processes, .host, (.regions[] | select(.name == \"unit\") | .counters[\"$EV\"].excl)]]" \
  "[[0,2,\"$BOTH\",200],[1,2,\"$BOTH\",400],[2,2,\"$BOTH\",600],[3,2,\"$BOTH\",800]]"

# --- an older runtime's dump among them: cprof-PID.json, no rank ---------------------------
mkdir -p "$TMP/old"
cp "$TMP"/run/*.json "$TMP/old/"
first=$(ls "$TMP"/run/*.json | head -1)
jq 'del(.rank, .world_size, .host, .cpu) | .pid = 99999' "$first" >"$TMP/old/cprof-99999.json"
"$CP" report "$TMP/old" --by rank --format json >"$TMP/old.json" 2>"$TMP/old.err"
check "an old dump (cprof-PID.json, no rank) is read: 5 processes, its own group last, rank null" \
  jeq "$TMP/old.json" '[.processes, [.ranks[] | .rank], .ranks[-1].pid]' '[5,[0,1,2,3,null],99999]'
check "no warning for a dump without rank" bash -c "! grep -q warning '$TMP/old.err'"
jq '.rank = "3"' "$first" >"$TMP/old/cprof-$HOST_FILE-88888.json"
"$CP" report "$TMP/old/cprof-$HOST_FILE-88888.json" >"$TMP/badrank.out" 2>&1
check "a rank of the wrong type: left out with a warning naming the file, the rest read" \
  grep -q "warning: .*cprof-$HOST_FILE-88888.json: \"rank\": expected a non-negative integer or null, left out" "$TMP/badrank.out"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
