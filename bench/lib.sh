# lib.sh: what the bench scripts share (sourced by bash scripts, after $dir
# is set).

# best CMD...: "least-wall-seconds peak-KB" of 3 runs (the KB of the fastest);
# its stdout in $dir/out; a failing command ends the bench, saying why.
# The seconds have 4 decimals, read from bash's EPOCHREALTIME (microseconds,
# no fork; its decimal point is the locale's, so '.' or ',' is taken out)
# around /usr/bin/time, which is there for the peak KB: its own start (a
# fork and an exec, 1-3 ms on a loaded VM) is in every command's time alike.
best() {
  local b= m= t0 t1 rss
  [ -n "${EPOCHREALTIME:-}" ] || { echo "bench: best needs bash 5 (EPOCHREALTIME)" >&2; exit 1; }
  for _ in 1 2 3; do
    t0=${EPOCHREALTIME//[.,]/}
    /usr/bin/time -f "%M" -o "$dir/time.txt" "$@" >"$dir/out" 2>"$dir/err" || {
      echo "bench: failed: $*" >&2; cat "$dir/err" >&2; exit 1; }
    t1=${EPOCHREALTIME//[.,]/}
    read -r rss <"$dir/time.txt"
    if [ -z "$b" ] || [ $((t1 - t0)) -lt "$b" ]; then b=$((t1 - t0)) m=$rss; fi
  done
  awk -v us="$b" -v kb="$m" 'BEGIN { printf "%.4f %s\n", us / 1e6, kb }'
}
