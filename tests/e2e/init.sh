#!/usr/bin/env bash
# End-to-end tests of `cargo profiler init` (cargo add underneath: what it
# keeps of Cargo.toml, what it refuses, --optional, -p, the installed copy)
# and of where the profiled build goes (target/cprof/, never over the
# user's target/release) and the runs folder's pruning (--keep-runs).
# usage: tests/e2e/init.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX=$ROOT/tests/e2e/fixtures
TD=$BUILD/e2e-target            # shared with regions.sh: the runtime is compiled once
TMP=$(mktemp -d "$BUILD/tmp/e2e-init.XXXXXX")
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$TMP"' EXIT
export NO_COLOR=1 CPROF_QUIET=1 CARGO_NET_OFFLINE=true
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE CPROF_CRATE_DIR
CRATE=$ROOT/proc-macro-shim/cprof

. "$(dirname "$0")/lib.sh"
# dep_path MANIFEST: where cargo finds the cprof dependency of that package
dep_path() {
  cargo metadata --offline --no-deps --format-version 1 --manifest-path "$1" 2>/dev/null |
    jq -r --arg m "$(realpath "$1")" '.packages[] | select(.manifest_path == $m) | .dependencies[] | select(.name == "cprof") | .path'
}
# crate DIR NAME [MANIFEST-BODY]: a one-binary crate of its own (not in our workspace)
crate() {
  mkdir -p "$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\n%s\n[workspace]\n' "$2" "${3:-}" >"$1/Cargo.toml"
  echo 'fn main() {}' >"$1/src/main.rs"
}
no_leftovers() { ! ls -a "$1" | grep -q 'cargo-profiler-.*\.orig'; }
export -f dep_path no_leftovers
mkdir -p "$TMP/nowhere"

# --- what cargo add keeps -----------------------------------------------------
mkdir -p "$TMP/newc/src"
printf '# keep me\n[package]\nname = "newc"   # odd   spacing kept\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n\n[workspace]\n' >"$TMP/newc/Cargo.toml"
printf '#[cprof::profile]\nfn hot() -> u32 { 7 }\nfn main() { println!("{}", hot()); }\n' >"$TMP/newc/src/main.rs"
cp "$TMP/newc/Cargo.toml" "$TMP/newc.orig"
(cd "$TMP/newc" && "$CP" init >"$TMP/init.out" 2>"$TMP/init.err"); rc=$?
check "init: adds one line (cargo's: a relative path to our crate), the rest kept byte for byte" bash -c \
  "[ $rc = 0 ] && diff '$TMP/newc.orig' '$TMP/newc/Cargo.toml' | grep -c '^[<>]' | grep -qx 1 &&
   grep -q '^cprof = { version = \"0.1.0\", path = \"\.\./.*proc-macro-shim/cprof\" }\$' '$TMP/newc/Cargo.toml' &&
   [ \"\$(dep_path '$TMP/newc/Cargo.toml')\" = '$CRATE' ]"
check "init: says what it did, the line cargo wrote" bash -c \
  "grep -q 'added to \[dependencies\] of $TMP/newc/Cargo.toml' '$TMP/init.out' && grep -q '^  cprof = { version' '$TMP/init.out' && no_leftovers '$TMP/newc'"
(cd "$TMP/newc" && "$CP" init >"$TMP/init2.out" 2>&1); rc=$?
check "init again: nothing to do" bash -c "[ $rc = 0 ] && grep -q 'already depends on cprof' '$TMP/init2.out' && [ \$(grep -c cprof '$TMP/newc/Cargo.toml') = 1 ]"
(cd "$TMP/newc" && "$CP" regions --target-dir "$TD" --format csv >"$TMP/newc.out" 2>"$TMP/newc.err"); rc=$?
check "init then regions works" bash -c "[ $rc = 0 ] && grep -q '^newc::hot,src/main.rs,2,1,' '$TMP/newc.out'"

mkdir -p "$TMP/nodeps/src" && echo 'fn main() {}' >"$TMP/nodeps/src/main.rs"
printf '[package]\nname = "nodeps"\nversion = "0.0.0"' >"$TMP/nodeps/Cargo.toml"
(cd "$TMP/nodeps" && "$CP" init >/dev/null 2>&1); rc=$?
check "init without [dependencies] nor a final newline: the table appended" bash -c \
  "[ $rc = 0 ] && [ \"\$(head -4 '$TMP/nodeps/Cargo.toml')\" = \"\$(printf '[package]\\nname = \"nodeps\"\\nversion = \"0.0.0\"\\n')\" ] &&
   sed -n 5p '$TMP/nodeps/Cargo.toml' | grep -qx '\[dependencies\]' && sed -n 6p '$TMP/nodeps/Cargo.toml' | grep -q '^cprof = '"
mkdir -p "$TMP/mlstr/src" && echo 'fn main() {}' >"$TMP/mlstr/src/main.rs"
printf '[package]\nname = "mlstr"\nversion = "0.0.0"\ndescription = """\n[dependencies]\nnot a table\n"""\n' >"$TMP/mlstr/Cargo.toml"
(cd "$TMP/mlstr" && "$CP" init >/dev/null 2>&1); rc=$?
check "init: a [dependencies] line inside a multi-line string is text, not the table" bash -c \
  "[ $rc = 0 ] && grep -c '^cprof = ' '$TMP/mlstr/Cargo.toml' | grep -qx 1 && sed -n 5,7p '$TMP/mlstr/Cargo.toml' | grep -qx 'not a table' &&
   [ \"\$(dep_path '$TMP/mlstr/Cargo.toml')\" = '$CRATE' ]"
mkdir -p "$TMP/crlf/src" && echo 'fn main() {}' >"$TMP/crlf/src/main.rs"
printf '[package]\r\nname = "crlf"\r\nversion = "0.0.0"\r\n\r\n[dependencies]\r\n' >"$TMP/crlf/Cargo.toml"
(cd "$TMP/crlf" && "$CP" init >/dev/null 2>&1); rc=$?
check "init: a CRLF Cargo.toml keeps CRLF line ends (cargo add alone writes LF)" bash -c \
  "[ $rc = 0 ] && python3 -c 'import sys; t=open(sys.argv[1],\"rb\").read(); assert b\"\\ncprof = \" in t and t.count(b\"\\n\") == t.count(b\"\\r\\n\") == 6' '$TMP/crlf/Cargo.toml'"
crate "$TMP/tabled" tabled "$(printf '[dependencies.cprof]\npath = "%s"' "$CRATE")"
(cd "$TMP/tabled" && "$CP" init >"$TMP/tabled.out" 2>&1); rc=$?
check "init: a [dependencies.cprof] table counts as there" bash -c "[ $rc = 0 ] && grep -q 'already depends on cprof' '$TMP/tabled.out'"
crate "$TMP/qc" qc "$(printf "# don't write ''' here\ny = 'a \"\"\" b'\n[dependencies]\n")"
(cd "$TMP/qc" && "$CP" init >/dev/null 2>&1); rc=$?
check "init: triple quotes in a comment or a one-line string open no string: one [dependencies], cargo reads it" bash -c \
  "[ $rc = 0 ] && [ \$(grep -c 'dependencies' '$TMP/qc/Cargo.toml') = 1 ] && [ \"\$(dep_path '$TMP/qc/Cargo.toml')\" = '$CRATE' ]"
crate "$TMP/qt" qt '[ "dependencies" ]'
(cd "$TMP/qt" && "$CP" init >/dev/null 2>&1); rc=$?
check "init: a quoted [\"dependencies\"] header is the table" bash -c \
  "[ $rc = 0 ] && [ \$(grep -c 'dependencies' '$TMP/qt/Cargo.toml') = 1 ] && [ \"\$(dep_path '$TMP/qt/Cargo.toml')\" = '$CRATE' ]"
crate "$TMP/ren" ren "$(printf '[dependencies]\nprof = { package = "cprof", path = "%s" }\n' "$CRATE")"
cp "$TMP/ren/Cargo.toml" "$TMP/ren.orig"
(cd "$TMP/ren" && "$CP" init >/dev/null 2>"$TMP/ren.err"); rc=$?
check "init: cprof renamed: one line saying it must keep its name, the file untouched" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/ren.err') = 1 ] && grep -q 'renamed to .prof.' '$TMP/ren.err' && cmp -s '$TMP/ren.orig' '$TMP/ren/Cargo.toml'"
crate "$TMP/tgt" tgt "$(printf "[target.'cfg(unix)'.dependencies]\ncprof = { path = \"%s\" }\n" "$CRATE")"
(cd "$TMP/tgt" && "$CP" init >"$TMP/tgt.out" 2>&1); rc=$?
check "init: cprof in a target's dependencies counts as there" bash -c "[ $rc = 0 ] && grep -q 'already depends on cprof' '$TMP/tgt.out'"
(cd "$TMP/nowhere" && "$CP" init >/dev/null 2>"$TMP/ni.err"); rc=$?
check "init outside a crate: one line, exit 1" bash -c "[ $rc = 1 ] && [ \$(wc -l <'$TMP/ni.err') = 1 ] && grep -q 'not in a cargo project' '$TMP/ni.err'"

# --- what init must not damage --------------------------------------------------
crate "$TMP/ro" ro
chmod 0444 "$TMP/ro/Cargo.toml"; cp -p "$TMP/ro/Cargo.toml" "$TMP/ro.orig"
(cd "$TMP/ro" && "$CP" init >/dev/null 2>"$TMP/ro.err"); rc=$?
check "init: a read-only (0444) Cargo.toml is refused in one line, even as root, and left alone" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/ro.err') = 1 ] && grep -q 'is read-only (mode 0444)' '$TMP/ro.err' &&
   cmp -s '$TMP/ro.orig' '$TMP/ro/Cargo.toml' && [ \$(stat -c %a '$TMP/ro/Cargo.toml') = 444 ] && [ ! -e '$TMP/ro/Cargo.lock' ] && no_leftovers '$TMP/ro'"
crate "$TMP/own" own
ln "$TMP/own/Cargo.toml" "$TMP/own.link"
if [ "$(id -u)" = 0 ]; then chown nobody:nogroup "$TMP/own/Cargo.toml"; fi
chmod 0640 "$TMP/own/Cargo.toml"
before=$(stat -c '%i %U:%G %a %h' "$TMP/own/Cargo.toml")
(cd "$TMP/own" && "$CP" init >/dev/null 2>"$TMP/own.err"); rc=$?
check "init: Cargo.toml keeps its inode, owner, group, mode and hard link ($before)" bash -c \
  "[ $rc = 0 ] && [ \"\$(stat -c '%i %U:%G %a %h' '$TMP/own/Cargo.toml')\" = '$before' ] && cmp -s '$TMP/own/Cargo.toml' '$TMP/own.link' &&
   grep -q '^cprof = ' '$TMP/own.link' && [ ! -s '$TMP/own.err' ] && no_leftovers '$TMP/own'"
# a crate folder whose name has a double quote: TOML quoting is cargo's. A
# backslash: cargo add writes it as a / (portable manifest paths), so init
# refuses it in one line
for d in 'q"uote' 'back\slash'; do
  mkdir -p "$TMP/$d/proc-macro-shim"
  cp -r "$ROOT/proc-macro-shim/Cargo.toml" "$ROOT/proc-macro-shim/cprof" "$ROOT/proc-macro-shim/cprof-macros" "$TMP/$d/proc-macro-shim/"
  cp -r "$ROOT/runtime" "$ROOT/include" "$TMP/$d/"
  rm -rf "$TMP/$d/proc-macro-shim/cprof/target" "$TMP/$d/proc-macro-shim/cprof-macros/target"
done
crate "$TMP/wq" wq
(cd "$TMP/wq" && CPROF_CRATE_DIR="$TMP/q\"uote/proc-macro-shim/cprof" "$CP" init >/dev/null 2>"$TMP/wq.err"); rc=$?
check "init: a cprof path with a \" is quoted so that cargo reads it back (and resolves it)" bash -c \
  "[ $rc = 0 ] && [ \"\$(dep_path '$TMP/wq/Cargo.toml')\" = '$TMP/q\"uote/proc-macro-shim/cprof' ] &&
   cargo metadata --offline --format-version 1 --manifest-path '$TMP/wq/Cargo.toml' >/dev/null 2>&1"
crate "$TMP/wb" wb; cp "$TMP/wb/Cargo.toml" "$TMP/wb.orig"
(cd "$TMP/wb" && CPROF_CRATE_DIR="$TMP/back\\slash/proc-macro-shim/cprof" "$CP" init >/dev/null 2>"$TMP/wb.err"); rc=$?
check "init: a cprof path with a \\: one line (cargo add would write a /), the file untouched" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/wb.err') = 1 ] && grep -q 'has a backslash' '$TMP/wb.err' && cmp -s '$TMP/wb.orig' '$TMP/wb/Cargo.toml'"

# a cargo without `cargo add` (before 1.62), and a cargo add that fails half-way
mkdir -p "$TMP/fake"
cat >"$TMP/fake/noadd" <<'EOF'
#!/bin/sh
[ "$1" = add ] && { echo "error: no such command: \`add\`" >&2; exit 101; }
exec cargo "$@"
EOF
cat >"$TMP/fake/badadd" <<'EOF'
#!/bin/sh
# writes garbage over the manifest the way cargo writes (a new file renamed over it), then fails
if [ "$1" = add ]; then
  while [ $# -gt 0 ]; do [ "$1" = --manifest-path ] && m=$2; shift; done
  echo 'garbage [' >"$m.new" && mv "$m.new" "$m"; echo "error: something broke" >&2; exit 101
fi
exec cargo "$@"
EOF
chmod +x "$TMP/fake/noadd" "$TMP/fake/badadd"
crate "$TMP/old" old; cp "$TMP/old/Cargo.toml" "$TMP/old.orig"
(cd "$TMP/old" && CARGO="$TMP/fake/noadd" "$CP" init >/dev/null 2>"$TMP/old.err"); rc=$?
check "init with a cargo that has no 'cargo add': one clear line, exit 1, the file untouched" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/old.err') = 1 ] && grep -q 'this cargo has no .cargo add. (cargo 1.62 or newer' '$TMP/old.err' &&
   cmp -s '$TMP/old.orig' '$TMP/old/Cargo.toml' && no_leftovers '$TMP/old'"
ino=$(stat -c %i "$TMP/old/Cargo.toml")
(cd "$TMP/old" && CARGO="$TMP/fake/badadd" "$CP" init >/dev/null 2>"$TMP/bad.err"); rc=$?
check "init: cargo add failing after replacing the file: cargo's error, the same file back as it was" bash -c \
  "[ $rc = 1 ] && grep -q 'cargo add failed: something broke' '$TMP/bad.err' && cmp -s '$TMP/old.orig' '$TMP/old/Cargo.toml' &&
   [ \$(stat -c %i '$TMP/old/Cargo.toml') = $ino ] && no_leftovers '$TMP/old'"

# an optional dependency nobody can fetch (no registry here): cargo add stops on it
crate "$TMP/optreg" optreg "$(printf '[dependencies]\nno-such-crate-xyz = { version = "1", optional = true }')"
cp "$TMP/optreg/Cargo.toml" "$TMP/optreg.orig"
(cd "$TMP/optreg" && "$CP" init >/dev/null 2>"$TMP/optreg.err"); rc=$?
check "init on a crate with an optional registry dependency not in cargo's cache: why, and what to do, the file untouched" bash -c \
  "[ $rc = 1 ] && grep -q 'cargo add failed: .*no-such-crate-xyz.* (cargo add --offline resolves every dependency of the crate, optional and dev ones too' '$TMP/optreg.err' &&
   grep -q 'add cprof = { path = ' '$TMP/optreg.err' && cmp -s '$TMP/optreg.orig' '$TMP/optreg/Cargo.toml' && no_leftovers '$TMP/optreg'"

# --- --optional, -p, --help -------------------------------------------------------
mkdir -p "$TMP/opt/src"
printf '[package]\nname = "opt"\nversion = "0.0.0"\nedition = "2021"\n\n[workspace]\n' >"$TMP/opt/Cargo.toml"
printf '#[cfg_attr(feature = "cprof", cprof::profile)]\nfn hot() -> u32 { 7 }\nfn main() { println!("{}", hot()); }\n' >"$TMP/opt/src/main.rs"
(cd "$TMP/opt" && "$CP" init --optional >"$TMP/opt.out" 2>"$TMP/opt.err"); rc=$?
check "init --optional: an optional dependency and the feature profile = [\"cprof/enable\"]" bash -c \
  "[ $rc = 0 ] && cargo metadata --offline --no-deps --format-version 1 --manifest-path '$TMP/opt/Cargo.toml' |
   jq -e '.packages[0] | (.dependencies[] | select(.name == \"cprof\") | .optional) and (.features.profile == [\"cprof/enable\"])' >/dev/null"
check "init --optional: says how to mark functions (cfg_attr)" grep -q 'cfg_attr(feature = "cprof", cprof::profile)' "$TMP/opt.out"
(cd "$TMP/opt" && "$CP" regions --target-dir "$TD" --format csv >"$TMP/optr.out" 2>"$TMP/optr.err"); rc=$?
check "init --optional then regions: --features cprof/enable turns the optional cprof and the cfg_attr on" bash -c \
  "[ $rc = 0 ] && grep -q '^opt::hot,src/main.rs,2,1,' '$TMP/optr.out'"
(cd "$TMP/opt" && cargo build --offline -q --target-dir "$TD/opt-plain" 2>/dev/null && cargo build --offline -q --features profile --target-dir "$TD/opt-prof" 2>/dev/null); rc=$?
check "init --optional: a plain build has no cprof, --features profile profiles" bash -c \
  "[ $rc = 0 ] && ! nm '$TD/opt-plain/debug/opt' | grep -q cprof_enter && nm '$TD/opt-prof/debug/opt' | grep -q cprof_enter"
crate "$TMP/optf" optf "$(printf '[features]\nprofile = []\n')"; cp "$TMP/optf/Cargo.toml" "$TMP/optf.orig"
(cd "$TMP/optf" && "$CP" init --optional >/dev/null 2>"$TMP/optf.err"); rc=$?
check "init --optional with a feature 'profile' of the crate's own: one line, untouched" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/optf.err') = 1 ] && grep -q 'already has a feature .profile.' '$TMP/optf.err' && cmp -s '$TMP/optf.orig' '$TMP/optf/Cargo.toml'"

mkdir -p "$TMP/ws/m1/src" "$TMP/ws/m2/src"
printf '[workspace]\nmembers = ["m1", "m2"]\nresolver = "2"\n' >"$TMP/ws/Cargo.toml"
for m in m1 m2; do
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\n' $m >"$TMP/ws/$m/Cargo.toml"
  echo 'fn main() {}' >"$TMP/ws/$m/src/main.rs"
done
cp "$TMP/ws/Cargo.toml" "$TMP/ws.orig"; cp "$TMP/ws/m1/Cargo.toml" "$TMP/m1.orig"
(cd "$TMP/ws" && "$CP" init >/dev/null 2>"$TMP/ws0.err"); rc=$?
check "init at a workspace root without -p: one line naming the members" bash -c \
  "[ $rc = 1 ] && [ \$(wc -l <'$TMP/ws0.err') = 1 ] && grep -q 'workspace of 2 packages: choose one with -p NAME (m1, m2)' '$TMP/ws0.err'"
(cd "$TMP/ws" && "$CP" init -p m2 >"$TMP/ws2.out" 2>&1); rc=$?
check "init -p m2: the member's Cargo.toml gets it, the others unchanged" bash -c \
  "[ $rc = 0 ] && [ \"\$(dep_path '$TMP/ws/m2/Cargo.toml')\" = '$CRATE' ] && cmp -s '$TMP/ws.orig' '$TMP/ws/Cargo.toml' &&
   cmp -s '$TMP/m1.orig' '$TMP/ws/m1/Cargo.toml' && grep -q 'of $TMP/ws/m2/Cargo.toml' '$TMP/ws2.out'"
(cd "$TMP/ws/m1/src" && "$CP" init >/dev/null 2>&1); rc=$?
check "init in a member's folder: that member" bash -c "[ $rc = 0 ] && [ \"\$(dep_path '$TMP/ws/m1/Cargo.toml')\" = '$CRATE' ]"
(cd "$TMP/ws" && "$CP" init --package zz >/dev/null 2>"$TMP/wsz.err"); rc=$?
check "init --package unknown: one line" bash -c "[ $rc = 1 ] && grep -q 'no package named .zz.' '$TMP/wsz.err'"
"$CP" init --help >"$TMP/help.out"; rc=$?
check "init --help: cargo add, --optional, -p, the feature, CPROF_CRATE_DIR" bash -c \
  "[ $rc = 0 ] && grep -q 'cargo add --offline --path' '$TMP/help.out' && grep -q -- '--optional' '$TMP/help.out' &&
   grep -q -- '-p, --package' '$TMP/help.out' && grep -q 'profile = \[\"cprof/enable\"\]' '$TMP/help.out' && grep -q CPROF_CRATE_DIR '$TMP/help.out'"
"$CP" init --bogus 2>"$TMP/bog.err"; rc=$?
check "init with an unknown option: exit 2" bash -c "[ $rc = 2 ] && grep -q 'usage: cargo profiler init' '$TMP/bog.err'"

# --- the profiled build never replaces the user's own -------------------------------
# newc (init'ed above): a plain release build first, by hand
(cd "$TMP/newc" && cargo build --offline -q --release --target-dir "$TD" 2>/dev/null); rc=$?
sum=$(sha256sum "$TD/release/newc" | cut -d' ' -f1); mt=$(stat -c %Y.%y "$TD/release/newc")
sleep 1   # a rebuild would show in the mtime
(cd "$TMP/newc" && "$CP" regions --target-dir "$TD" --format csv >"$TMP/own1.out" 2>"$TMP/own1.err"); rc2=$?
check "regions: builds under profile cprof (target/cprof/), says so in one line" bash -c \
  "[ $rc = 0 ] && [ $rc2 = 0 ] && grep -qx 'cargo-profiler: built $TD/cprof/newc (profile cprof: release + debug info + cprof/enable)' '$TMP/own1.err' &&
   grep -q 'running $TD/cprof/newc' '$TMP/own1.err' && readelf -S '$TD/cprof/newc' | grep -q '\.debug_info'"
mkdir -p "$TMP/runhere"
(cd "$TMP/runhere" && "$TD/release/newc" >/dev/null 2>&1)
check "regions: target/release/newc of the plain build unchanged (same bytes and mtime), and it writes no dump" bash -c \
  "[ \"\$(sha256sum '$TD/release/newc' | cut -d' ' -f1)\" = '$sum' ] && [ \"\$(stat -c %Y.%y '$TD/release/newc')\" = '$mt' ] &&
   ! ls '$TMP/runhere' | grep -q 'cprof-.*json'"
(cd "$TMP/newc" && "$CP" regions --target-dir "$TD" --dev --format csv >/dev/null 2>"$TMP/own2.err"); rc=$?
check "regions --dev: profile cprof-dev (target/cprof-dev/)" bash -c \
  "[ $rc = 0 ] && grep -qx 'cargo-profiler: built $TD/cprof-dev/newc (profile cprof-dev: dev + debug info + cprof/enable)' '$TMP/own2.err'"

# --- --keep-runs: the runs folder keeps the newest N of our run folders -------------
KT=$TMP/keep-target
mkdir -p "$KT/cargo-profiler/run-20000101-000000-9" "$TMP/keep-outside"
for i in 1 2 3 4 5; do mkdir -p "$KT/cargo-profiler/run-20010101-00000$i-1" && : >"$KT/cargo-profiler/run-20010101-00000$i-1/cprof-1.json"; done
: >"$KT/cargo-profiler/run-20000101-000000-9/notes.txt"      # a file of the user's: the folder stays
: >"$TMP/keep-outside/cprof-1.json"
ln -s "$TMP/keep-outside" "$KT/cargo-profiler/run-20000101-000000-8"   # a symlink named like a run: stays, not followed
mkdir -p "$KT/cargo-profiler/mine"
(cd "$TMP/newc" && "$CP" regions --target-dir "$KT" --keep-runs 3 --format csv >/dev/null 2>"$TMP/keep.err"); rc=$?
kept=$(cd "$KT/cargo-profiler" && ls -d run-* | grep -v '^run-2000' | tr '\n' ' ')
check "regions --keep-runs 3: the new run and the 2 newest before it stay, older runs of ours removed" bash -c \
  "[ $rc = 0 ] && [ \$(echo $kept | wc -w) = 3 ] && [ -d '$KT/cargo-profiler/run-20010101-000005-1' ] && [ -d '$KT/cargo-profiler/run-20010101-000004-1' ] &&
   [ ! -e '$KT/cargo-profiler/run-20010101-000003-1' ] && [ ! -e '$KT/cargo-profiler/run-20010101-000001-1' ]"
check "regions --keep-runs: a folder with a file of the user's, a symlink, another name: all left" bash -c \
  "[ -f '$KT/cargo-profiler/run-20000101-000000-9/notes.txt' ] && [ -L '$KT/cargo-profiler/run-20000101-000000-8' ] &&
   [ -f '$TMP/keep-outside/cprof-1.json' ] && [ -d '$KT/cargo-profiler/mine' ]"
(cd "$TMP/newc" && "$CP" regions --target-dir "$KT" --keep-runs 0 --format csv >/dev/null 2>&1)
check "regions --keep-runs 0: keeps all" [ "$(cd "$KT/cargo-profiler" && ls -d run-20* | grep -vc '^run-2000')" = 4 ]
(cd "$TMP/newc" && "$CP" regions --target-dir "$KT" --keep-runs x >/dev/null 2>"$TMP/keepx.err"); rc=$?
check "regions --keep-runs x: exit 2, one line" bash -c "[ $rc = 2 ] && [ \$(wc -l <'$TMP/keepx.err') = 1 ] && grep -q -- '--keep-runs x: expected a number' '$TMP/keepx.err'"
"$CP" regions --help >"$TMP/rh.out" 2>&1
check "regions --help: --keep-runs and where the build goes" bash -c "grep -q -- '--keep-runs N' '$TMP/rh.out' && grep -q 'target/cprof/' '$TMP/rh.out'"
"$CP" callgrind --help >"$TMP/ch.out" 2>&1
"$CP" callgrind --keep-runs 3 >/dev/null 2>"$TMP/ckr.err"; rc=$?
check "callgrind --help: its own build folder, no --keep-runs; given, it is refused, exit 2" bash -c \
  "grep -q 'target/cprof-vg/' '$TMP/ch.out' && ! grep -q 'target/cprof/' '$TMP/ch.out' && ! grep -q -- '--keep-runs' '$TMP/ch.out' &&
   [ $rc = 2 ] && grep -q 'keeps its file only with --keep' '$TMP/ckr.err'"

# --- the installed copy: `make install` puts the crates and runtime sources in
# PREFIX/share/cargo-profiler; init there points at them and the build works
PFX=$TMP/prefix
make --no-print-directory -C "$ROOT" install-cli PREFIX="$PFX" BUILD="$BUILD" >"$TMP/inst.log" 2>&1; rc=$?
check "make install-cli" [ $rc = 0 ]
mkdir -p "$TMP/instc/src"
printf '[package]\nname = "instc"\nversion = "0.0.0"\nedition = "2021"\n\n[workspace]\n' >"$TMP/instc/Cargo.toml"
printf '#[cprof::profile]\nfn hot() -> u32 { 7 }\nfn main() { println!("{}", hot()); }\n' >"$TMP/instc/src/main.rs"
(cd "$TMP/instc" && "$PFX/bin/cargo-profiler" init >/dev/null 2>&1 && "$PFX/bin/cargo-profiler" regions --target-dir "$TD" --format csv >"$TMP/instc.out" 2>"$TMP/instc.err"); rc=$?
check "installed: init adds [dependencies] with the installed crate" \
  [ "$(dep_path "$TMP/instc/Cargo.toml")" = "$PFX/share/cargo-profiler/proc-macro-shim/cprof" ]
check "installed: regions builds and shows" bash -c "[ $rc = 0 ] && grep -q '^instc::hot,src/main.rs,2,1,' '$TMP/instc.out'"

# with the ASan+UBSan build: any report fails
san=$(cat "$TMP"/*.err 2>/dev/null | grep -cE "ERROR: (Address|Leak)Sanitizer|runtime error:")
check "no sanitizer report in any run" [ "$san" = 0 ]

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
