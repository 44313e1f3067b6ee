# harness.sh: what the browser tests share (sourced): open one of our pages
# (.svg or .html) from disk in headless chromium with the network made
# unreachable, run a check script inside it, count each of its results as
# one test (the ok/bad counters of tests/e2e/lib.sh), and take screenshots.
#
#   . tests/browser/harness.sh        (after setting BUILD; sources lib.sh)
#   browser_check NAME PAGE CHECKS.js   the checks run after the page's own
#                                       scripts, on "load"; they call
#                                       T.ok/T.eq/T.near and end with T.done()
#                                       (tests/browser/prelude.js)
#   browser_screenshot PAGE NAME        build/results/artifacts/NAME.png
#
# The page is copied into a temporary folder with prelude.js inserted first
# (so errors of the page's own scripts are caught) and the checks last. What
# fails: a check, a console error or uncaught exception (caught by the
# prelude, and chromium's own log of uncaught ones), any resource loaded
# (performance entries), checks that never finished.
# Each launch costs ~2.5 s of CPU: put every check of one page in one script.

BROWSER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
declare -F ok >/dev/null || . "$BROWSER_DIR/../e2e/lib.sh"
: "${BUILD:?harness.sh: set BUILD (the build folder) first}"
BROWSER_TMP=$(mktemp -d "$(realpath "$BUILD")/tmp/browser.XXXXXX")
BROWSER_ARTIFACTS=$(realpath -m "${BROWSER_ARTIFACTS:-$BUILD/results/artifacts}")
mkdir -p "$BROWSER_ARTIFACTS"
trap 'rm -rf "$BROWSER_TMP"' EXIT
BROWSER_BUDGET=${BROWSER_BUDGET:-5000}   # virtual ms: timers and load run instantly

# chromium PROFILE-DIR ARGS...: headless, offline, its own profile (other
# developers' chromiums run on this machine at the same time).
browser_run() {
  local prof=$1; shift
  chromium --headless --no-sandbox --disable-gpu --user-data-dir="$prof" \
    --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server='127.0.0.1:9' \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --disable-extensions --disable-default-apps --mute-audio --hide-scrollbars \
    --enable-logging=stderr --v=0 "$@"
}

# browser_inject PAGE OUT CHECKS.js: PAGE with the prelude after its root
# opening tag and the checks before its closing tag.
browser_inject() {
  python3 - "$1" "$2" "$BROWSER_DIR/prelude.js" "$3" <<'PY'
import re, sys
page, out, prelude, checks = sys.argv[1:5]
s = open(page, encoding="utf-8").read()
pre, chk = open(prelude).read(), open(checks).read()
svg = page.endswith(".svg")
def tag(js, first):
    if svg:
        return '<script type="text/javascript"><![CDATA[\n%s\n]]></script>' % js.replace("]]>", "]]]]><![CDATA[>")
    return "<script>\n%s\n</script>" % js
run = "window.addEventListener('load', function () { setTimeout(function () {\n%s\n}, 0); });" % chk
if svg:
    m = re.search(r"<svg\b[^>]*>", s)
    end = s.rindex("</svg>")
else:
    m = re.search(r"<head\b[^>]*>", s, re.I) or re.search(r"<html\b[^>]*>", s, re.I)
    end = s.lower().rindex("</body>") if "</body>" in s.lower() else s.lower().rindex("</html>")
if not m:
    sys.exit("harness: no root element in " + page)
s = s[:m.end()] + tag(pre, True) + s[m.end():end] + tag(run, False) + s[end:]
open(out, "w", encoding="utf-8").write(s)
PY
}

# browser_check NAME PAGE CHECKS.js: one launch; every result line counts.
browser_check() {
  local name=$1 page=$2 checks=$3 dir="$BROWSER_TMP/$1" ext=${2##*.}
  mkdir -p "$dir"
  if ! browser_inject "$page" "$dir/page.$ext" "$checks" 2>"$dir/inject.err"; then
    bad "$name: inject the checks into $page" "$(cat "$dir/inject.err")"; return
  fi
  browser_run "$dir/profile" --dump-dom --virtual-time-budget="$BROWSER_BUDGET" \
    "file://$dir/page.$ext" >"$dir/dom" 2>"$dir/log"
  sed -n '/@@cprof-results-begin@@/,/@@cprof-results-end@@/p' "$dir/dom" | sed '1d;$d' |
    sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g' >"$dir/results"
  if [ ! -s "$dir/results" ]; then
    bad "$name: the checks finished" "no results in the page's DOM; chromium said:" "$(grep -v 'dbus\|Fontconfig' "$dir/log" | tail -5)"
    return
  fi
  local line
  while IFS= read -r line; do
    case $line in
      "ok "*) ok "$name: ${line#ok }" ;;
      "not ok "*) bad "$name: ${line#not ok }" ;;
    esac
  done <"$dir/results"
  # an uncaught exception the prelude missed (a script that did not parse)
  if grep -q 'CONSOLE.*Uncaught' "$dir/log"; then
    bad "$name: chromium logged no uncaught exception" "$(grep 'CONSOLE.*Uncaught' "$dir/log" | head -3)"
  else
    ok "$name: chromium logged no uncaught exception"
  fi
}

# browser_screenshot PAGE NAME: the page as it first shows, 1400x900, kept
# as an artifact of the run (not a test: a failure to take it is said).
browser_screenshot() {
  local page=$1 name=$2 dir="$BROWSER_TMP/shot-$2"
  mkdir -p "$dir"
  cp "$page" "$dir/" && browser_run "$dir/profile" --screenshot="$BROWSER_ARTIFACTS/$name.png" \
    --window-size=1400,900 --virtual-time-budget="$BROWSER_BUDGET" "file://$dir/$(basename "$page")" \
    >/dev/null 2>"$dir/log"
  if [ -s "$BROWSER_ARTIFACTS/$name.png" ]; then
    echo "     screenshot: $BROWSER_ARTIFACTS/$name.png"
  else
    echo "     (no screenshot of $page: $(tail -1 "$dir/log"))"
  fi
}
