# lib.sh: what the bench scripts share (sourced, after $dir is set).

# best CMD...: "least-wall-seconds peak-KB" of 3 runs (the KB of the fastest);
# its stdout in $dir/out; a failing command ends the bench, saying why.
best() {
  local b= m= t rss
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >"$dir/out" 2>"$dir/err" || {
      echo "bench: failed: $*" >&2; cat "$dir/err" >&2; exit 1; }
    read -r t rss <"$dir/time.txt"
    if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t m=$rss; fi
  done
  echo "$b $m"
}
