#!/bin/sh
# papi_presets.sh CC OUT: the names of PAPI's presets, X(PAPI_TOT_INS) a
# line, from the PAPI headers CC finds (papiStdEventDefs.h), into OUT: so
# the runtime knows a misspelled preset without loading libpapi
# (counters.c). Run by runtime/runtime.mk and by the cprof crate's build.rs.
# CC may be several words ("ccache cc").
set -u
cc=$1 out=$2
# shellcheck disable=SC2086
echo '#include <papiStdEventDefs.h>' | $cc -E -P -x c - |
  sed -n 's/^[[:space:]]*\(PAPI_[A-Z0-9_]*\)_idx.*/X(\1)/p' | grep -v '^X(PAPI_END)$' >"$out.tmp"
if [ ! -s "$out.tmp" ]; then
  echo "papi_presets.sh: no PAPI presets found through $cc (is libpapi-dev installed?)" >&2
  rm -f "$out.tmp"
  exit 1
fi
mv "$out.tmp" "$out"
