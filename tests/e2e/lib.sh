# lib.sh: what every end-to-end script shares (sourced): the counters,
# ok/bad/check, and reading the JSON part of an output.

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok   $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "     $l"; done; }
# check NAME CONDITION-COMMAND... : passes when the command succeeds
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name" "failed: $*"; fi; }
# The JSON report: everything from the first line that is just "{".
json_of() { sed -n '/^{$/,$p' "$1"; }
jeq() { # jeq FILE JQ-EXPR EXPECTED
  local got; got=$(json_of "$1" | jq -c "$2" 2>&1)
  if [ "$got" = "$3" ]; then return 0; fi
  echo "     jq '$2': got $got, expected $3"; return 1
}
