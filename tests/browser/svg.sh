#!/usr/bin/env bash
# The flame graphs (--format svg) in a real browser: real runs of the
# difffix fixture (its sde:::DIFF::WORK counter is exact), each written as
# json (or folded) and as svg by `report` on the same run folder, so the
# figures are the same; then headless chromium opens each svg from disk,
# offline, and tests/browser/flame_checks.js compares what it draws with
# what tests/browser/flame_expect.py reads from the json: one frame per
# node, exact figures, widths in proportion, hover, search, zoom, reset,
# --icicle; the diff's two shapes and colours; callgrind's call paths and
# cachegrind's functions; no console error, nothing fetched. Screenshots go
# to build/results/artifacts/.
# usage: tests/browser/svg.sh CARGO_PROFILER BUILD_DIR [ASAN_CARGO_PROFILER]
set -u
CP=$(realpath "$1")
BUILD=$(realpath "$2")
[ -n "${3:-}" ] && CP=$(realpath "$3")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/browser
. "$HERE/harness.sh"
TMP=$BROWSER_TMP/work
export NO_COLOR=1 CPROF_QUIET=1
unset CPROF_EVENTS CPROF_REGIONS CPROF_OUTPUT CPROF_DISABLE
EV=sde:::DIFF::WORK
FIX=$TMP/fixtures/difffix
mkdir -p "$TMP/fixtures" && cp -r "$ROOT/tests/e2e/fixtures/difffix" "$ROOT/tests/e2e/fixtures/sde.rs" "$TMP/fixtures/"
sed -i "s|path = \"../../../../proc-macro-shim/cprof\"|path = \"$ROOT/proc-macro-shim/cprof\"|" "$FIX/Cargo.toml"
TD=$FIX/target

cpr() { # cpr OUT ARGS... : cargo profiler in the fixture, stdout/stderr/status kept
  local out=$1; shift
  (cd "$FIX" && "$CP" "$@" </dev/null >"$out.out" 2>"$out.err"; echo $? >"$out.rc")
}
rc_is() { [ "$(cat "$1.rc")" = "$2" ] || { echo "     exit $(cat "$1.rc"), expected $2:"; head -3 "$1.err"; return 1; }; }
newest_run() { ls -td "$TD"/cargo-profiler/run-* | head -1; }
# expect OUT.js ARGS... : the expectations of one graph, appended
expect() { local out=$1; shift; python3 "$HERE/flame_expect.py" "$@" >>"$out" || echo "     flame_expect.py $* failed"; }
# page NAME SVG EXPECT.js [EXTRA.js]: one browser launch with every check of SVG
page() {
  { echo 'var EXPECTS = [];'; cat "$3"; [ -n "${4:-}" ] && cat "$4"; cat "$HERE/flame_checks.js"; } >"$TMP/$1.checks.js"
  browser_check "$1" "$2" "$TMP/$1.checks.js"
}

# --- the runs: A (with spin, which B lacks), B (Parser::parse's work doubled) ---
cpr "$TMP/ra" regions --events $EV -- spin=300
RA=$(newest_run)
cpr "$TMP/rb" regions --events $EV -- double
RB=$(newest_run)
check "the two runs" bash -c "[ \$(cat '$TMP/ra.rc') = 0 ] && [ \$(cat '$TMP/rb.rc') = 0 ] && [ '$RA' != '$RB' ]"

cpr "$TMP/a" report "$RA" --format json
cpr "$TMP/as" report "$RA" --format svg -o "$TMP/a.svg"
cpr "$TMP/es" report "$RA" --format svg --metric $EV -o "$TMP/e.svg"
cpr "$TMP/is" report "$RA" --format svg --metric $EV --icicle --minwidth 0 -o "$TMP/i.svg"
check "report --format svg -o: exit 0, said where" bash -c "[ \$(cat '$TMP/as.rc') = 0 ] && grep -q 'wrote .*a.svg' '$TMP/as.err'"
check "--metric, --icicle, --minwidth 0: exit 0" bash -c "[ \$(cat '$TMP/es.rc') = 0 ] && [ \$(cat '$TMP/is.rc') = 0 ]"

# --- the file itself ------------------------------------------------------------------
check "an XML prolog, then our mark within the first 512 bytes" bash -c \
  "head -1 '$TMP/a.svg' | grep -q '^<?xml version=\"1.0\"' && head -c 512 '$TMP/a.svg' | grep -q '<!-- cargo-profiler'"
check "well-formed XML (every name escaped)" python3 -c "import sys, xml.dom.minidom as x; [x.parse(f) for f in sys.argv[1:]]" \
  "$TMP/a.svg" "$TMP/e.svg" "$TMP/i.svg"
check "self-contained: no href, src or url() to load" bash -c "! grep -Eq 'href=|src=|url\\(|@import' '$TMP/a.svg'"
check "the script inline, once, never cut by ]]> (nor by </script> inline in HTML)" bash -c \
  "[ \$(grep -c '<script' '$TMP/a.svg') = 1 ] && [ \$(grep -o ']]>' '$TMP/a.svg' | wc -l) = 1 ] && ! grep -q ']]>\|</script' '$ROOT/cli/views/assets/flame.js'"
cpr "$TMP/again" report "$RA" --format svg -o "$TMP/a.svg"
check "a second -o replaces our own svg" rc_is "$TMP/again" 0
echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$TMP/theirs.svg"
cpr "$TMP/theirs" report "$RA" --format svg -o "$TMP/theirs.svg"
check "-o never replaces an svg we did not write" bash -c \
  "[ \$(cat '$TMP/theirs.rc') != 0 ] && [ \"\$(cat '$TMP/theirs.svg')\" = '<svg xmlns=\"http://www.w3.org/2000/svg\"/>' ]"
cpr "$TMP/u1" report "$RA" --icicle
check "--icicle without svg: usage error" rc_is "$TMP/u1" 2
cpr "$TMP/u2" report "$RA" --format svg --metric nosuch -o "$TMP/u2.svg"
check "--metric of no metric: usage error, no file" bash -c "[ \$(cat '$TMP/u2.rc') = 2 ] && [ ! -e '$TMP/u2.svg' ]"
cpr "$TMP/u3" report "$RA" --format svg --minwidth -1
check "--minwidth -1: usage error" rc_is "$TMP/u3" 2
cpr "$TMP/so" report "$RA" --format svg
check "svg to stdout (not a terminal): the same graph" bash -c \
  "[ \$(cat '$TMP/so.rc') = 0 ] && cmp -s '$TMP/so.out' '$TMP/a.svg'"

# --- in the browser: a region profile ------------------------------------------------------
expect "$TMP/a.js" report "$TMP/a.out" time 0.1 hover=difffix::parser::Parser::parse search=Parser zoom=difffix::run what="time"
page time "$TMP/a.svg" "$TMP/a.js"
expect "$TMP/e.js" report "$TMP/a.out" $EV 0.1 hover=difffix::parser::Parser::parse search=leaf zoom=difffix::parser::Parser::parse what="$EV (exact)"
cat >"$TMP/e-extra.js" <<'EOF'
T.run('exact figures', function () {
    var svg = document.querySelector('svg.cprof-flame'), names = JSON.parse(svg.querySelector('metadata.cprof-names').textContent);
    var got = Array.prototype.map.call(svg.querySelectorAll('g.frames > g'), function (g) {
        var v = g.getAttribute('data-f').split(' ').map(Number);
        return (v[2] > 0 ? names[v[2]][0] : 'all') + ' ' + v[1];
    });
    T.eq('sde: the work each frame stands for, exactly (difffix.rs)', got.sort(),
         ['all 152', 'difffix::leaf 1', 'difffix::leaf 1', 'difffix::parser::Parser::parse 101', 'difffix::render 51', 'difffix::run 152']);
});
EOF
page exact "$TMP/e.svg" "$TMP/e.js" "$TMP/e-extra.js"
expect "$TMP/i.js" report "$TMP/a.out" $EV 0 icicle=1 what="$EV --icicle --minwidth 0"
page icicle "$TMP/i.svg" "$TMP/i.js"
browser_screenshot "$TMP/a.svg" flame-regions

# --- a diff: B's shape and A's -----------------------------------------------------------
cpr "$TMP/d" diff "$RA" "$RB" --format json --metric $EV
cpr "$TMP/ds" diff "$RA" "$RB" --format svg --metric $EV -o "$TMP/d.svg"
cpr "$TMP/t" diff "$RA" "$RB" --format json
cpr "$TMP/ts" diff "$RA" "$RB" --format svg -o "$TMP/t.svg"
check "diff --format svg: exit 0, well-formed, marked" bash -c \
  "[ \$(cat '$TMP/ds.rc') = 0 ] && [ \$(cat '$TMP/ts.rc') = 0 ] && head -c 512 '$TMP/d.svg' | grep -q '<!-- cargo-profiler' &&
   python3 -c 'import sys, xml.dom.minidom as x; x.parse(sys.argv[1]); x.parse(sys.argv[2])' '$TMP/d.svg' '$TMP/t.svg'"
for s in b a; do
  expect "$TMP/d.js" diff "$TMP/d.out" $EV 0.1 $s hover=difffix::parser::Parser::parse search=Parser zoom=difffix::parser::Parser::parse what="diff $EV, $s's shape"
  expect "$TMP/t.js" diff "$TMP/t.out" time 0.1 $s what="diff time, $s's shape"
done
cat >"$TMP/d-extra.js" <<'EOF'
T.run('diff', function () {
    var b = document.querySelector('svg.cprof-flame[data-shape="b"]'), a = document.querySelector('svg.cprof-flame[data-shape="a"]');
    T.ok("diff: B's shape drawn above A's", b && a && b.getBoundingClientRect().top < a.getBoundingClientRect().top);
    var fill = function (svg, name) {
        var names = JSON.parse(svg.querySelector('metadata.cprof-names').textContent);
        var g = Array.prototype.find.call(svg.querySelectorAll('g.frames > g'), function (g) {
            var n = +g.getAttribute('data-f').split(' ')[2];
            return n > 0 && names[n][0] === name;
        });
        return g ? g.querySelector('rect').getAttribute('fill') : null;
    };
    var p = fill(b, 'difffix::parser::Parser::parse');
    T.ok('diff: Parser::parse (101 -> 201) is deep red', p && /^#ff[0-4][0-9a-f][0-4][0-9a-f]$/.test(p), p);
    T.eq('diff: render (51 -> 51) is grey', fill(b, 'difffix::render'), '#e0e0e0');
    T.ok('diff: a legend says what red and blue mean', /B spends more/.test(document.querySelector('g.legend').textContent) &&
         /B spends less/.test(document.querySelector('g.legend').textContent));
});
EOF
cat >"$TMP/t-extra.js" <<'EOF'
T.run('gone', function () {
    var b = document.querySelector('svg.cprof-flame[data-shape="b"]'), a = document.querySelector('svg.cprof-flame[data-shape="a"]');
    var find = function (svg, name) {
        var names = JSON.parse(svg.querySelector('metadata.cprof-names').textContent);
        return Array.prototype.find.call(svg.querySelectorAll('g.frames > g'), function (g) {
            var n = +g.getAttribute('data-f').split(' ')[2];
            return n > 0 && names[n][0] === name;
        });
    };
    var sa = find(a, 'difffix::spin');
    T.ok("diff: spin, gone in B, is drawn in A's shape, blue", sa && /^#[0-4][0-9a-f][0-4][0-9a-f]ff$/.test(sa.querySelector('rect').getAttribute('fill')),
         sa ? sa.querySelector('rect').getAttribute('fill') : 'absent');
    T.ok("diff: ... and not in B's shape", !find(b, 'difffix::spin'));
    sa.querySelector('rect').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    T.ok('diff: hover on a gone frame says gone', / -> - \(gone\)/.test(a.querySelector('text.details').textContent),
         a.querySelector('text.details').textContent);
});
EOF
page diff "$TMP/d.svg" "$TMP/d.js" "$TMP/d-extra.js"
page diff-time "$TMP/t.svg" "$TMP/t.js" "$TMP/t-extra.js"
# the html report's way: the two flame elements inline in an HTML page, one copy of the script
python3 - "$TMP/d.svg" "$TMP/embed.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
graphs = re.findall(r'<svg class="cprof-flame".*?</svg>', s, re.S)
js = s[s.index("<![CDATA[") + 9:s.rindex("]]></script>")]
open(sys.argv[2], "w", encoding="utf-8").write(
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>two graphs inline</title></head><body>\n<h1>B</h1>\n%s\n'
    '<h1>A</h1>\n%s\n<script>%s</script>\n</body></html>\n' % (graphs[0], graphs[1], js))
PY
page inline-html "$TMP/embed.html" "$TMP/d.js"
browser_screenshot "$TMP/d.svg" flame-diff

# --- valgrind: callgrind's call paths, cachegrind's functions ------------------------------
CG=$ROOT/tests/valgrind/fixtures/compress.cg
cpr "$TMP/cgf" report "$CG" --format folded
cpr "$TMP/cgs" report "$CG" --format svg -o "$TMP/cg.svg"
check "callgrind: svg written" rc_is "$TMP/cgs" 0
first=$(awk '{print $NF, $0}' "$TMP/cgf.out" | sort -rn | head -1 | cut -d' ' -f2- | sed 's/ [0-9]*$//' | awk -F';' '{print $NF}')
expect "$TMP/cg.js" folded "$TMP/cgf.out" Ir 0.1 search="$first" what="callgrind Ir"
page callgrind "$TMP/cg.svg" "$TMP/cg.js"
cpr "$TMP/cgd" diff "$CG" "$CG" --format svg -o "$TMP/cgd.svg"
check "callgrind diff svg: both shapes drawn from call paths, all grey (the same file twice)" bash -c \
  "[ \$(cat '$TMP/cgd.rc') = 0 ] && [ \$(grep -c 'class=\"cprof-flame\"' '$TMP/cgd.svg') = 2 ] && grep -q '<g data-f=\"3 ' '$TMP/cgd.svg' &&
   ! grep '<g data-f=\"[1-9]' '$TMP/cgd.svg' | grep -v '#e0e0e0' | grep -q ."
CA=$ROOT/tests/valgrind/fixtures/small.cachegrind
cpr "$TMP/caf" report "$CA" --format folded
cpr "$TMP/cas" report "$CA" --format svg -o "$TMP/ca.svg"
check "cachegrind: svg written (one frame per function)" rc_is "$TMP/cas" 0
expect "$TMP/ca.js" folded "$TMP/caf.out" "$(sed -n 's/.*data-metric="\([^"]*\)".*/\1/p' "$TMP/ca.svg" | head -1)" 0.1 what="cachegrind"
page cachegrind "$TMP/ca.svg" "$TMP/ca.js"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
