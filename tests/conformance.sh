#!/usr/bin/env bash
# conformance.sh — specsite's trees against Sphinx's, on every real spec
# repository in ../shared/corpus (shared/CONFORMANCE.md), held by a ratchet.
#
#   bash tests/conformance.sh PATH/TO/specsite SOURCE_DIR
#
# For each corpus with Sphinx's trees beside it (X and X.oracle), on a
# copy with real symbolic links (tests/corpus_copy.py), it runs
# `specsite build -b xml` (every document's tree once the whole project
# is read, as `sphinx-build -b xml` writes them) and `specsite build`
# (the site), then checks, against tests/conformance_ratchet:
#   - the share of documents whose tree is identical to Sphinx's, and the
#     token similarity (shared/tools/doctree-diff --dirs);
#   - every literal block of Sphinx's trees appears byte for byte in a
#     <pre> of our page (ASCII diagrams must survive exactly);
#   - no build failed, and every tree is well-formed XML;
# and seed/template.rst against seed/template.xml.
# ../shared is not part of the repository: without it the test says
# SKIPPED loudly and compares nothing. SPECSITE_SHARED overrides where
# it is looked for.
set -u
specsite=${1:?usage: conformance.sh SPECSITE SOURCE_DIR}
srcdir=${2:?usage: conformance.sh SPECSITE SOURCE_DIR}
shared=${SPECSITE_SHARED:-$srcdir/../shared}
ratchet_file=$srcdir/tests/conformance_ratchet

if [ ! -d "$shared/corpus" ] || [ ! -f "$shared/tools/doctree-diff" ]; then
  echo "SKIPPED: conformance: no corpus at $shared/corpus (../shared lies"
  echo "beside the clone in CI and on developers' machines, not in the"
  echo "repository); NOTHING WAS COMPARED."
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "FAIL: conformance needs python3 (scripts/setup installs it)"
  exit 1
fi
# An absolute path without "..": doctree-diff --dirs skips every folder
# whose path contains "/." (meant for hidden folders, it also catches "/..").
shared=$(cd "$shared" && pwd -P)
specsite=$(cd "$(dirname "$specsite")" && pwd -P)/$(basename "$specsite")
diff_tool=$shared/tools/doctree-diff

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
ratchet() { awk -v c="$1" -v k="$2" '$1 == c && $2 == k { print $3 }' \
  "$ratchet_file"; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
hold() { # hold CORPUS KEY VALUE: VALUE >= the ratchet's
  local want got=$3
  want=$(ratchet "$1" "$2")
  if [ -z "$want" ]; then
    fail "$1 $2: not in tests/conformance_ratchet"
  elif [ -n "$got" ] && at_least "$got" "$want"; then
    pass "$1: $2 $got% >= ratchet $want%"
    at_least "$want" "$got" ||
      echo "  (better than the ratchet: raise '$1 $2' in tests/conformance_ratchet to $got)"
  else
    fail "$1: $2 ${got:-?}% fell below the ratchet $want%"
  fi
}

for oracle in "$shared"/corpus/*.oracle; do
  c=$(basename "$oracle" .oracle)
  [ -d "$shared/corpus/$c" ] || continue
  echo "=== $c"
  repo=$work/$c
  python3 "$srcdir/tests/corpus_copy.py" "$shared/corpus/$c" "$repo"
  (cd "$repo" && timeout 600 "$specsite" build -q -b xml -o "$work/$c-xml")
  rc_xml=$?
  (cd "$repo" && timeout 600 "$specsite" build -q -o "$work/$c-html")
  rc_html=$?
  if [ "$rc_xml" -le 1 ] && [ "$rc_html" -le 1 ]; then
    pass "$c: specsite build -b xml and build ran (exit $rc_xml, $rc_html)"
  else
    fail "$c: specsite build -b xml exit $rc_xml, build exit $rc_html"
  fi

  # --- trees: doctree-diff ----------------------------------------------
  python3 "$diff_tool" --dirs "$oracle" "$work/$c-xml" >"$work/$c-diff.txt"
  figure=$(tail -n 1 "$work/$c-diff.txt")
  echo "$figure"
  echo "least similar documents:"
  grep -P '^differs\t' "$work/$c-diff.txt" | sort -t $'\t' -k 3 -n |
    head -n 8 | sed 's/^/  /'
  for what in unparsable missing; do
    n=$(grep -c "^$what" "$work/$c-diff.txt")
    if [ "$n" = 0 ]; then pass "$c: no $what trees"; else
      grep "^$what" "$work/$c-diff.txt" | head -n 5 | sed 's/^/  /'
      fail "$c: $n $what trees"
    fi
  done
  hold "$c" identical "$(sed -n 's/.*identical (\([0-9.]*\)%).*/\1/p' <<<"$figure")"
  hold "$c" similarity "$(sed -n 's/.*token similarity \([0-9.]*\)%.*/\1/p' <<<"$figure")"

  # --- literal blocks, byte for byte ------------------------------------
  python3 - "$oracle" "$work/$c-html" >"$work/$c-literal.txt" <<'PY'
"""Every literal_block of the oracle must equal the text of a <pre> in our
page for the same document (HTML drops one newline right after <pre>)."""
import collections, html.parser, os, sys
import xml.etree.ElementTree as ET

class Pre(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.texts = [], []
    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.stack.append([])
    def handle_data(self, data):
        if self.stack:
            self.stack[-1].append(data)
    def handle_endtag(self, tag):
        if tag == "pre" and self.stack:
            text = "".join(self.stack.pop())
            self.texts.append(text[1:] if text.startswith("\n") else text)

odir, hdir = sys.argv[1:3]
total = exact = 0
misses = []
for dirpath, _, files in sorted(os.walk(odir)):
    for f in sorted(files):
        if not f.endswith(".xml"):
            continue
        rel = os.path.relpath(os.path.join(dirpath, f), odir)
        blocks = ["".join(el.itertext()) for el in
                  ET.parse(os.path.join(dirpath, f)).iter("literal_block")]
        if not blocks:
            continue
        pres = collections.Counter()
        page = os.path.join(hdir, rel[:-4] + ".html")
        if os.path.exists(page):
            p = Pre()
            with open(page, "rb") as fh:
                p.feed(fh.read().decode("utf-8", "replace"))
            p.close()
            pres.update(p.texts)
        for b in blocks:
            total += 1
            if pres[b] > 0:
                pres[b] -= 1
                exact += 1
            else:
                misses.append("%s: %r" % (rel, b.split("\n", 1)[0][:60]))
pct = 100.0 * exact / total if total else 100.0
for m in misses[:5]:
    print("  missing " + m)
print("literal blocks: %d/%d byte-exact (%.1f%%)" % (exact, total, pct))
PY
  cat "$work/$c-literal.txt"
  hold "$c" literal-blocks "$(sed -n 's/^literal blocks: .*(\([0-9.]*\)%)$/\1/p' "$work/$c-literal.txt")"
done

# --- the seed template ------------------------------------------------
"$specsite" ast -q "$shared/seed/template.rst" -o "$work/template.xml"
python3 "$diff_tool" "$shared/seed/template.xml" "$work/template.xml" \
  >"$work/template.txt"
echo "seed/template.rst: $(head -n 1 "$work/template.txt")"
sed -n '2,$p' "$work/template.txt"
if grep -q '^identical' "$work/template.txt"; then
  pass "seed/template.rst: identical to Sphinx's tree"
  [ "$(ratchet seed template)" = identical ] ||
    echo "  (raise: set 'seed template identical' in tests/conformance_ratchet)"
elif [ "$(ratchet seed template)" = identical ]; then
  fail "seed/template.rst: no longer identical to Sphinx's tree"
else
  pass "seed/template.rst: not identical yet (the ratchet allows it)"
fi

echo "conformance checks: $passed passed, $failed failed"
[ "$failed" = 0 ]
