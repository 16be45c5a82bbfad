#!/usr/bin/env bash
# site.sh — `specsite build` on the bundled example and on a real corpus.
#
#   bash tests/site.sh PATH/TO/specsite SOURCE_DIR
#
# Part 1 builds examples/site (always: it needs nothing outside the
# repository) and crawls the site with tests/site_check.py: every spec
# reachable from index.html, section anchors and the section bar, no
# broken local links, literal blocks byte-exact, the redirect, the release
# pages, the impact index, the search index, the feed, the sitemap (only
# with base-url); then the build's promises: -W and a failed or
# interrupted build keep the last site, a rebuild re-renders only what
# changed and equals a full build, -j 1 equals -j 2, a foreign OUT is
# refused and nothing outside OUT is deleted.
#
# Part 2 builds ../shared/corpus/fuel-specs (a Sphinx layout) and compares
# it with Sphinx's trees (fuel-specs.oracle): URLs, anchors, the section
# bar, literal blocks, broken links no more than Sphinx's own 83. Without
# the corpus it says SKIPPED. The last line counts the assertions.
#
# SITE_PART=example (the default) or corpus runs one part, all both:
# ctest runs them as two tests
# (site.sh, and site_corpus.sh for the corpus), so that a machine without
# ../shared counts the example's assertions as passed, and only the corpus
# part as skipped.
set -u
specsite=${1:?usage: site.sh SPECSITE SOURCE_DIR}
srcdir=${2:?usage: site.sh SPECSITE SOURCE_DIR}
srcdir=$(cd "$srcdir" && pwd)
shared=${SPECSITE_SHARED:-$srcdir/../shared}
corpus=$shared/corpus/fuel-specs
oracle=$shared/corpus/fuel-specs.oracle
case $specsite in /*) ;; *) specsite=$PWD/$specsite ;; esac
# No __pycache__ in the source tree (the Sphinx comparison imports it).
export PYTHONDONTWRITEBYTECODE=1
check_py="python3 $srcdir/tests/site_check.py"
example=$srcdir/examples/site

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
passed=0 failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
# ok NAME COMMAND...: passes when COMMAND succeeds; shows its output if not.
ok() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then
    pass "$name"
    if [ -n "${SITE_FIGURES:-}" ]; then echo "  ${out%%$'\n'*}"; fi
  else
    fail "$name"
    printf '%s\n' "$out" | head -20 | sed 's/^/  | /'
  fi
}
# build OUT_LOG ARGS...: runs specsite build, status in $rc, stderr in
# OUT_LOG (the summary and the warnings go to stderr).
build() {
  local log=$1
  shift
  timeout 300 "$specsite" build "$@" >"$log.out" 2>"$log"
  rc=$?
}
# warnings LOG: the problems a build printed (a WARNING, ERROR or SEVERE
# line, or a sanitizer's report).
problems() { grep -E 'WARNING|ERROR|SEVERE|error:|Sanitizer' "$1"; }
# summary LOG FIELD: a figure of the summary line ("N rendered", ...).
summary() {
  sed -n "s/.* \([0-9][0-9]*\) $2[,.].*/\1/p" "$1" | head -1
}
# fingerprint DIR: every file's path, inode and digest (the state that
# must not change), without any site's .specsite (the cache, and the
# last site's trash, which a background process may be removing).
fingerprint() {
  (cd "$1" && find . -name .specsite -prune -o -type f -print0 |
    sort -z | xargs -0 stat -c '%n %i' && find . -name .specsite -prune \
    -o -type f -print0 | sort -z | xargs -0 md5sum)
}
same_site() { diff -r -x .specsite "$1" "$2" >/dev/null; }
# same_with_jobs LABEL SRC DIR: full builds with -j 1 and -j 2 into DIR/j1
# and DIR/j2 are the same bytes.
same_with_jobs() {
  build "$3/jlog" "$2" -o "$3/j2" -j 2 --full
  local rc2=$rc
  build "$3/jlog" "$2" -o "$3/j1" -j 1 --full
  [ "$rc" = 0 ] && [ "$rc2" = 0 ] && same_site "$3/j1" "$3/j2" &&
    pass "$1-j 1 and -j 2: byte-identical sites" ||
    fail "$1-j 1 and -j 2: byte-identical sites"
}
# asts SRC XMLDIR: specsite ast of every spec below SRC/specs/<release>/.
asts() {
  local f
  (cd "$1" && find specs -mindepth 2 -name '*.rst' | sort) | while read -r f; do
    mkdir -p "$2/$(dirname "$f")"
    "$specsite" ast "$1/$f" -o "$2/${f%.rst}.xml" 2>/dev/null ||
      echo "ast failed: $f"
  done
}
# spec_urls SRC: the URL of every spec, one a line.
spec_urls() {
  (cd "$1" && find specs -mindepth 2 -name '*.rst' | sort | sed 's/\.rst$/.html/')
}

part=${SITE_PART:-example}
# === Part 1: the bundled example ===========================================
cd "$work" || exit 2
if [ "$part" != corpus ]; then
"$specsite" build --help >"$work/help" 2>&1
[ $? = 0 ] && grep -q 'Usage: specsite build' "$work/help" &&
  pass "build --help exits 0" || fail "build --help exits 0"

site=$work/site
build "$work/log" "$example" -o "$site"
if [ "$rc" = 0 ] && ! problems "$work/log" >/dev/null &&
  grep -q 'build succeeded, 0 warnings' "$work/log"; then
  pass "example: builds, exit 0, no warnings"
else
  fail "example: builds, exit 0, no warnings (exit $rc)"
  grep -v '^ *#[0-9]' "$work/log" | head -15 | sed 's/^/  | /'
fi
[ -e "$example/_site" ] && fail "example: -o given, yet _site was made" ||
  pass "example: nothing written into the sources"

"$specsite" check "$example" >"$work/check" 2>&1
if [ $? = 0 ] && ! grep -q ': \(error\|warning\)' "$work/check"; then
  pass "example: specsite check is clean"
else
  fail "example: specsite check is clean"
  head -5 "$work/check" | sed 's/^/  | /'
fi

n_specs=$(spec_urls "$example" | wc -l)
spec_urls "$example" >"$work/urls"
ok "example: every spec ($n_specs) reachable from index.html" \
  $check_py reach "$site" "$work/urls"
asts "$example" "$work/xml" >"$work/ast.log"
[ -s "$work/ast.log" ] && fail "example: specsite ast of every spec" &&
  cat "$work/ast.log"
ok "example: section anchors, section bar, literal blocks byte-exact" \
  $check_py pages "$site" "$work/xml" --all-ids
ok "example: no broken local links (files and anchors)" \
  $check_py links "$site" --max 0
[ -f "$site/_images/rebuild.png" ] &&
  cmp -s "$site/_images/rebuild.png" \
    "$example/images/incremental-builds/rebuild.png" &&
  grep -q 'src="../../../_images/rebuild.png"' \
    "$site/specs/1.1/implemented/incremental-builds.html" &&
  pass "example: the image copied to _images/, as Sphinx does" ||
  fail "example: the image copied to _images/, as Sphinx does"
cmp -s "$site/_sources/specs/1.0/search-index.rst.txt" \
  "$example/specs/1.0/search-index.rst" &&
  pass "example: the source in _sources/<docname>.rst.txt" ||
  fail "example: the source in _sources/<docname>.rst.txt"
ok "example: the redirect page points to the new page" \
  $check_py redirect "$site" specs/1.1/approved/parallel-render.html \
  specs/1.1/implemented/parallel-render.html
ok "example: release 1.0 lists its specs, blueprints, assignees" \
  $check_py release "$site" 1.0 "$example"
ok "example: release 1.1 (status folders) lists its specs" \
  $check_py release "$site" 1.1 "$example"
ok "example: sections.html lists a real security impact, not a None" \
  $check_py impact "$site" "Security impact" \
  specs/1.1/implemented/incremental-builds.html \
  specs/1.1/implemented/parallel-render.html
ok "example: searchindex.js is JSON; a spec's word maps to its section" \
  $check_py search "$site" quarantine specs/1.0/search-index.html
ok "example: atom.xml well-formed, one entry per spec" \
  $check_py atom "$site" "$n_specs"
[ ! -e "$site/sitemap.xml" ] && pass "example: no sitemap without base-url" ||
  fail "example: no sitemap without base-url"
# Releases newest first on the index.
grep -o 'href="specs/1\.[01]/index.html"' "$site/index.html" | head -2 |
  tr '\n' ' ' | grep -q '1.1.*1.0' && pass "example: index newest release first" ||
  fail "example: index newest release first"

# --- base-url: a sitemap ---------------------------------------------------
printf '[site]\nproject = specsite design specs\nbase-url = https://specs.example.org/specsite\n' \
  >"$work/base.conf"
build "$work/log" "$example" -o "$work/site-base" --config "$work/base.conf"
if [ "$rc" = 0 ]; then
  ok "base-url: sitemap.xml lists the pages below it" \
    $check_py sitemap "$work/site-base" https://specs.example.org/specsite/ \
    "$(sed -n 's/.* \([0-9][0-9]*\) pages (.*/\1/p' "$work/log")"
else
  fail "base-url: build exit $rc"
fi

# --- a copy to change ------------------------------------------------------
src=$work/src
cp -r "$example" "$src" && chmod -R u+w "$src"
rm -rf "$src/_site"
spec=$src/specs/1.0/search-index.rst

# --- -W: a warning fails the build, the last site stays ---------------------
out=$work/out
build "$work/log" "$src" -o "$out"
[ "$rc" = 0 ] || fail "copy: first build exit $rc"
before=$(fingerprint "$out")
printf '\nA late section\n=====\n\nIts underline is too short.\n' >>"$spec"
build "$work/log" "$src" -o "$out" -W
after=$(fingerprint "$out")
if [ "$rc" = 1 ] && [ "$before" = "$after" ]; then
  pass "-W: a warning exits 1, the last site untouched (content, inodes)"
else
  fail "-W: a warning exits 1, the last site untouched (exit $rc)"
  diff <(echo "$before") <(echo "$after") | head -5 | sed 's/^/  | /'
fi
ls -A "$work" | grep -q 'specsite-new' &&
  fail "-W: the staging folder is left behind" ||
  pass "-W: no staging folder left behind"
build "$work/log" "$src" -o "$out"
[ "$rc" = 0 ] && grep -q 'build succeeded, [1-9]' "$work/log" &&
  pass "without -W: the same sources build, warnings counted" ||
  fail "without -W: the same sources build, warnings counted (exit $rc)"
cp "$example/specs/1.0/search-index.rst" "$spec"

# --- a failed build (a filter error) keeps the last site --------------------
build "$work/log" "$src" -o "$out"
before=$(fingerprint "$out")
printf 'return { section = function(n) error("boom") end }\n' >"$work/boom.lua"
echo "A changed paragraph." >>"$spec"
build "$work/log" "$src" -o "$out" --filter "$work/boom.lua"
after=$(fingerprint "$out")
[ "$rc" != 0 ] && [ "$before" = "$after" ] &&
  ! ls -A "$work" | grep -q 'specsite-new' &&
  pass "failed build (filter error): exit $rc, last site untouched" ||
  fail "failed build (filter error): exit $rc, last site untouched"

# --- an interrupted build keeps the last site ------------------------------
# A slow filter gives the build time to be interrupted once its staging
# folder exists.
printf 'return { document = function(n) local x = 0\n  for i = 1, 20000000 do x = x + i end end }\n' \
  >"$work/slow.lua"
build "$work/log" "$src" -o "$out"
before=$(fingerprint "$out")
echo "Another changed paragraph." >>"$spec"
interrupted=no
for attempt in 1 2 3; do
  # A non-interactive shell starts background jobs with SIGINT ignored;
  # env gives the build the default action back, as a terminal's ^C has.
  env --default-signal=INT "$specsite" build "$src" -o "$out" -j 1 \
    --filter "$work/slow.lua" >/dev/null 2>"$work/log" &
  pid=$!
  for _ in $(seq 1 500); do
    [ -d "$work/.out.specsite-new" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  sleep 0.2
  if kill -INT "$pid" 2>/dev/null; then
    wait "$pid"
    irc=$?
    [ "$irc" != 0 ] && interrupted=yes && break
  else
    wait "$pid"
  fi
  # It finished first: start again from the old site.
  cp "$example/specs/1.0/search-index.rst" "$spec"
  build "$work/log" "$src" -o "$out"
  before=$(fingerprint "$out")
  echo "Another changed paragraph." >>"$spec"
done
after=$(fingerprint "$out")
if [ $interrupted = yes ] && [ "$before" = "$after" ]; then
  pass "interrupted build (SIGINT, exit $irc): last site untouched"
else
  fail "interrupted build: interrupted=$interrupted, last site untouched"
fi
build "$work/log" "$src" -o "$out"
[ "$rc" = 0 ] && ! ls -A "$work" | grep -q 'specsite-new' &&
  pass "after an interruption: the next build succeeds, staging removed" ||
  fail "after an interruption: the next build succeeds, staging removed"
cp "$example/specs/1.0/search-index.rst" "$spec"

# --- incremental: one spec changed, one page rendered ----------------------
build "$work/log" "$src" -o "$out"
build "$work/log" "$src" -o "$out"
r0=$(summary "$work/log" rendered)
[ "$rc" = 0 ] && [ "$r0" = 0 ] &&
  pass "rebuild with no change: 0 rendered" ||
  fail "rebuild with no change: '$r0' rendered, exit $rc"
sleep 0.01
printf '\nThe index is rebuilt when a spec changes.\n' >>"$spec"
build "$work/log" "$src" -o "$out"
r1=$(summary "$work/log" rendered)
c1=$(summary "$work/log" "from the cache")
[ "$rc" = 0 ] && [ "$r1" = 1 ] &&
  pass "rebuild after one spec changed: 1 rendered, $c1 from the cache" ||
  fail "rebuild after one spec changed: '$r1' rendered, exit $rc"
grep -q 'The index is rebuilt when a spec changes.' \
  "$out/specs/1.0/search-index.html" &&
  pass "rebuild: the changed spec's page shows the change" ||
  fail "rebuild: the changed spec's page shows the change"
build "$work/log" "$src" -o "$work/full" --full
rf=$(summary "$work/log" rendered)
if [ "$rc" = 0 ] && same_site "$out" "$work/full"; then
  pass "rebuild byte-identical to a --full build ($rf rendered)"
else
  fail "rebuild byte-identical to a --full build"
  diff -r -q -x .specsite "$out" "$work/full" | head -5 | sed 's/^/  | /'
fi
touch "$src/specs/1.1/approved/theme-slots.rst"
build "$work/log" "$src" -o "$out"
rt=$(summary "$work/log" rendered)
# (The page's date, in atom.xml, may follow the new mtime.)
[ "$rc" = 0 ] && [ -n "$rt" ] && [ "$rt" -le 1 ] &&
  pass "touch (same bytes): $rt rendered" ||
  fail "touch (same bytes): '$rt' rendered (at most 1), exit $rc"

# --- -j 1 and -j 2: the same bytes ------------------------------------------
same_with_jobs "" "$src" "$work"

# --- OUT that specsite did not make ----------------------------------------
mkdir -p "$work/foreign/sub" "$work/nest"
echo keep >"$work/foreign/notes.txt"
echo keep >"$work/foreign/sub/more.txt"
echo keep >"$work/nest/beside.txt"
before=$(fingerprint "$work/foreign")
build "$work/log" "$src" -o "$work/foreign"
after=$(fingerprint "$work/foreign")
[ "$rc" = 2 ] && [ "$before" = "$after" ] &&
  pass "a non-empty folder specsite did not make: exit 2, untouched" ||
  fail "a non-empty folder specsite did not make: exit $rc, untouched?"
build "$work/log" "$src" -o "$src/specs"
[ "$rc" = 2 ] && pass "OUT inside the sources: refused" ||
  fail "OUT inside the sources: exit $rc"
# Nothing outside OUT is deleted: build, fail, rebuild next to other files.
before=$(fingerprint "$work/nest")
build "$work/log" "$src" -o "$work/nest/site"
printf '\nA late section\n=====\n\nToo short.\n' >>"$spec"
build "$work/log2" "$src" -o "$work/nest/site" -W
cp "$example/specs/1.0/search-index.rst" "$spec"
build "$work/log3" "$src" -o "$work/nest/site" --full
after=$(fingerprint "$work/nest" | grep -v '^\./site/\|  \./site/')
[ "$before" = "$after" ] && [ "$rc" = 0 ] &&
  [ -f "$work/foreign/notes.txt" ] && [ -f "$src/specs/template.rst" ] &&
  pass "nothing outside OUT deleted (siblings, sources)" ||
  { fail "nothing outside OUT deleted (siblings, sources): exit $rc"
    diff <(echo "$before") <(echo "$after") | head -5 | sed 's/^/  | /'; }
mkdir -p "$work/empty"
build "$work/log" "$src" -o "$work/empty"
[ "$rc" = 0 ] && [ -f "$work/empty/index.html" ] &&
  pass "an empty folder is used as OUT" || fail "an empty folder as OUT: exit $rc"
# The default OUT of a repository without doc/source: SRC/_site.
(cd "$src" && timeout 60 "$specsite" build -q >/dev/null 2>&1)
[ -f "$src/_site/index.html" ] && pass "default OUT: SRC/_site" ||
  fail "default OUT: SRC/_site"

# --- redirects may not replace what the build writes ----------------------
rm -rf "$src" && cp -r "$example" "$src" && chmod -R u+w "$src"
printf '%s\n' 'index.rst ../1.0/search-index.rst' \
  '../../index.rst specs/1.0/search-index.rst' \
  '../../_static/search.js specs/1.0/search-index.rst' \
  >>"$src/specs/1.1/redirects"
build "$work/log" "$src" -o "$work/redir"
nw=$(grep -c 'redirects' "$work/log")
grep -q 'class="index"' "$work/redir/index.html" &&
  grep -q 'spec-table' "$work/redir/specs/1.1/index.html" &&
  ! grep -q 'Moved' "$work/redir/_static/search.js" && [ "$nw" -ge 3 ] &&
  pass "redirects cannot replace generated files (index, release page, assets); each line warned" ||
  fail "redirects cannot replace generated files (index, release page, assets); each line warned ($nw warnings)"
rm -rf "$src" && cp -r "$example" "$src" && chmod -R u+w "$src"
printf 'approved/gone.rst ../implemented/nowhere.rst\n' >>"$src/specs/1.1/redirects"
build "$work/log" "$src" -o "$work/redir"
grep -q 'redirects.*WARNING\|WARNING.*nowhere' "$work/log" &&
  pass "a redirect to a page that does not exist is warned about" ||
  fail "a redirect to a page that does not exist is warned about"
rm -rf "$src" && cp -r "$example" "$src" && chmod -R u+w "$src"

# --- OUT spelled with a trailing slash -------------------------------------
build "$work/log" "$src" -o "$work/slash/"
[ "$rc" = 0 ] && [ -f "$work/slash/index.html" ] &&
  ! ls -A "$work/slash" | grep -q 'specsite-new' &&
  pass "-o OUT/ (trailing slash) builds into OUT" ||
  fail "-o OUT/ (trailing slash): exit $rc; $(grep -v '^ *#' "$work/log" | head -1)"

# --- a file replaced or removed in OUT after the build is made again -------
# (as an editor saves: a new file renamed over the old one). A file
# edited in place is not noticed: docs/site.rst says so, and --full.
# Built twice first, a moment apart: the rebuild stamps the folders it
# checked, and the next one must still see what changed in them.
build "$work/log" "$src" -o "$work/hand"
sleep 0.05
build "$work/log" "$src" -o "$work/hand"
for f in specs/1.0/search-index.html atom.xml; do
  { cat "$work/hand/$f"; echo '<!-- edited by hand -->'; } >"$work/hand/$f.new"
  mv "$work/hand/$f.new" "$work/hand/$f"
done
rm -f "$work/hand/specs/1.0/preview-page-cache.html"
build "$work/log" "$src" -o "$work/hand"
build "$work/log2" "$src" -o "$work/hand-full" --full
[ "$rc" = 0 ] && same_site "$work/hand" "$work/hand-full" &&
  pass "a rebuild repairs output files replaced or removed since the last build" ||
  { fail "a rebuild repairs output files replaced or removed since the last build"
    diff -r -q -x .specsite "$work/hand" "$work/hand-full" | head -3 | sed 's/^/  | /'; }

# --- file names that need escaping in URLs ---------------------------------
cp "$src/specs/1.0/preview-page-cache.rst" "$src/specs/1.0/c# and space?.rst"
build "$work/log" "$src" -o "$work/names"
ok "a spec named 'c# and space?.rst': its links are escaped, none broken" \
  $check_py links "$work/names" --max 0
rm -f "$src/specs/1.0/c# and space?.rst"

# --- files outside the repository are not published ------------------------
# A symlink in the sources that leads out of the repository (a change
# under review can add one) must not copy its target into the site.
echo 'NOT FOR PUBLICATION' >"$work/secret.png"
ln -s "$work/secret.png" "$src/images/leak.png"
ln -s "$work" "$src/images/outside"
printf '\n.. image:: ../../images/leak.png\n\n.. image:: ../../images/outside/secret.png\n\n.. image:: ../../../secret.png\n' \
  >>"$src/specs/1.0/search-index.rst"
build "$work/log" "$src" -o "$work/leak"
if grep -rlq 'NOT FOR PUBLICATION' "$work/leak"; then
  fail "files outside the repository (through symlinks) are not copied into the site"
  grep -rl 'NOT FOR PUBLICATION' "$work/leak" | sed "s|$work/||; s/^/  | /"
else
  pass "files outside the repository (through symlinks) are not copied into the site"
fi
rm -rf "$src" && cp -r "$example" "$src" && chmod -R u+w "$src"

# --- OUT is a symlink to a folder -------------------------------------------
mkdir -p "$work/real"
ln -s real "$work/outlink"
build "$work/log" "$src" -o "$work/outlink"
build "$work/log2" "$src" -o "$work/outlink"
rc2=$rc
if [ -L "$work/outlink" ] && [ ! -e "$work/.outlink.specsite-new" ] &&
  [ ! -L "$work/.outlink.specsite-new" ] &&
  { [ "$rc2" = 2 ] || [ -f "$work/real/index.html" ]; }; then
  pass "OUT a symlink: built through it (or refused), the link kept, no leftovers"
else
  fail "OUT a symlink: built through it (or refused), the link kept, no leftovers (exit $rc2)"
  grep -v '^ *#\|^$' "$work/log2" | head -2 | sed 's/^/  | /'
fi

# --- the same repository as a Sphinx layout (link files, index.rst) ---------
sx=$work/sx
mkdir -p "$sx/doc/source"
cp -r "$example/specs" "$example/images" "$example/specsite.conf" "$sx/"
printf "project = u'specsite design specs'\nexclude_patterns = ['**/template.rst']\n" \
  >"$sx/doc/source/conf.py"
# A checkout without symlinks keeps each as a file naming its target.
printf '../../specs' >"$sx/doc/source/specs"
printf '../../images' >"$sx/doc/source/images"
cat >"$sx/doc/source/index.rst" <<'RST'
=====================
specsite design specs
=====================

Release 1.1
===========

.. toctree::
   :glob:
   :maxdepth: 1

   specs/1.1/approved/*
   specs/1.1/implemented/*

Release 1.0
===========

.. toctree::
   :glob:
   :maxdepth: 1

   specs/1.0/*
RST
build "$work/log" "$sx"
sxsite=$sx/doc/build/html
[ "$rc" = 0 ] && [ -f "$sxsite/index.html" ] && ! problems "$work/log" &&
  pass "Sphinx layout (link files): builds into doc/build/html, no warnings" ||
  fail "Sphinx layout (link files): exit $rc"
ok "Sphinx layout: every spec reachable from index.rst's toctrees" \
  $check_py reach "$sxsite" "$work/urls"
ok "Sphinx layout: anchors, section bar, literal blocks" \
  $check_py pages "$sxsite" "$work/xml" --all-ids
ok "Sphinx layout: no broken local links" $check_py links "$sxsite" --max 0
grep -q 'toctree-l1' "$sxsite/index.html" &&
  ! grep 'toctree-l1' "$sxsite/index.html" | grep -q 'reference external' &&
  pass "Sphinx layout: toctree entries are internal references, as Sphinx's" ||
  fail "Sphinx layout: toctree entries are internal references, as Sphinx's (class=\"reference external internal\")"
if command -v sphinx-build >/dev/null 2>&1; then
  # Sphinx itself on the same sources (symlinks, as its checkout has).
  sxs=$work/sxs
  mkdir -p "$sxs" && cp -r "$sx/doc" "$sxs/" && rm -rf "$sxs/doc/build" &&
    ln -sfn "$sx/specs" "$sxs/doc/source/specs" &&
    ln -sfn "$sx/images" "$sxs/doc/source/images"
  if timeout 600 sphinx-build -q -b html "$sxs/doc/source" "$sxs/html" \
    >/dev/null 2>&1; then
    python3 - "$sxs/html" "$sxsite" "$srcdir/tests" <<'PY' &&
import sys
sys.path.insert(0, sys.argv[3])
import site_check as sc
sphinx, ours = sys.argv[1], sys.argv[2]
bad = []
for url in sc.html_files(sphinx):
    if url in ("genindex.html", "search.html"):
        continue
    a, b = sc.load(sphinx, url), sc.load(ours, url)
    if b is None:
        bad.append("no page " + url)
    elif a.ids - b.ids:
        bad.append("%s: no id %s" % (url, sorted(a.ids - b.ids)[:3]))
print("%d problems" % len(bad))
for b in bad[:5]:
    print("  " + b)
sys.exit(1 if bad else 0)
PY
      pass "Sphinx layout: every page and id sphinx-build makes is there" ||
      fail "Sphinx layout: every page and id sphinx-build makes is there"
  else
    fail "sphinx-build failed on the Sphinx layout example"
  fi
else
  echo "note: no sphinx-build; the example was not compared with Sphinx"
fi

# --- specsite's own docs/, a plain folder of documents -----------------------
build "$work/dlog" "$srcdir/docs" -o "$work/docs" -W
ndocs=$(find "$srcdir/docs" -name '*.rst' | wc -l)
nhtml=$(find "$work/docs" -maxdepth 1 -name '*.html' ! -name search.html \
  ! -name sections.html ! -name 404.html | wc -l)
[ "$rc" = 0 ] && [ "$nhtml" = "$ndocs" ] &&
  ! grep -q 'href="[^":]*\.rst["#]' "$work/docs"/*.html &&
  pass "docs/ builds with -W: $ndocs pages, links to .rst files go to pages" ||
  fail "docs/ builds with -W (exit $rc, $nhtml of $ndocs pages)"

fi # part 1
if [ "$part" = example ]; then
  echo "site: $passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit
fi

# === Part 2: the corpus ====================================================
if [ ! -d "$corpus/specs" ] || [ ! -d "$oracle/specs" ]; then
  # ctest counts a test that says SKIPPED as skipped whatever its status:
  # say it only when what did run passed.
  [ "$failed" = 0 ] && s="SKIPPED: site:" || s="(not run) site:"
  echo "$s no corpus at $corpus (../shared lies beside the clone, not in"
  echo "the repository); the corpus part was not run."
  echo "site: $passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit
fi
fs=$work/fs
cp -r "$corpus" "$fs" && chmod -R u+w "$fs"
SITE_FIGURES=yes # print what the crawls counted
build "$work/clog" "$fs"
csite=$fs/doc/build/html
cw=$(grep -c 'WARNING' "$work/clog")
echo "corpus: exit $rc, $cw warnings; $(grep 'build succeeded' "$work/clog")"
[ "$rc" = 0 ] && [ -f "$csite/index.html" ] &&
  pass "corpus: builds into doc/build/html" ||
  fail "corpus: builds into doc/build/html (exit $rc)"
spec_urls "$fs" >"$work/curls"
n=$(wc -l <"$work/curls")
ok "corpus: every spec ($n) reachable from index.html" \
  $check_py reach "$csite" "$work/curls"
# The oracle's specs only (its other documents are not specs).
mkdir -p "$work/oracle" && cp -r "$oracle/specs" "$work/oracle/" &&
  rm -f "$work/oracle/specs/"*.xml
ok "corpus: Sphinx's URLs, every section id, section bar, literal blocks" \
  $check_py pages "$csite" "$work/oracle" --all-ids
ok "corpus: broken local links (missing files) at most Sphinx's 83" \
  $check_py links "$csite" --max 83 --files-only
# Releases newest first, compared as versions (11.0 before 9.0).
order=$(grep -o 'href="specs/[^/"]*/index.html"' "$csite/index.html" |
  sed 's|href="specs/||; s|/index.html"||' | awk '!seen[$0]++' | tr '\n' ' ')
want=$(cd "$fs/specs" && for d in */; do echo "${d%/}"; done | sort -rV | tr '\n' ' ')
[ "$order" = "$want" ] && pass "corpus: releases newest first ($order)" ||
  fail "corpus: releases newest first: '$order', not '$want'"
# The feed holds the newest specs, at most 100 (feed.c's S_FEED_ENTRIES).
nfeed=$((n < 100 ? n : 100))
ok "corpus: atom.xml well-formed, newest first, $nfeed entries" \
  $check_py atom "$csite" "$nfeed"
nsrc=0
while read -r u; do
  cmp -s "$fs/${u%.html}.rst" "$csite/_sources/${u%.html}.rst.txt" ||
    { echo "  _sources/${u%.html}.rst.txt differs or is missing"; nsrc=$((nsrc + 1)); }
done <"$work/curls"
[ "$nsrc" = 0 ] && pass "corpus: every spec's source in _sources/<docname>.rst.txt" ||
  fail "corpus: $nsrc specs without their source in _sources"
mkdir -p "$work/c" && same_with_jobs "corpus: " "$fs" "$work/c"

# Rebuilds: after edits that change what the generated pages list (a
# title, an impact section), then after a spec is removed and one added,
# the site is the one a full build makes.
edit=$(find "$fs/specs" -mindepth 2 -name '*.rst' | sort | sed -n 5p)
gone=$(find "$fs/specs" -mindepth 2 -name '*.rst' | sort | sed -n 9p)
touched=$(find "$fs/specs" -mindepth 2 -name '*.rst' | sort | sed -n 20p)
same_as_full() { # $1: what changed
  build "$work/clog" "$fs" -o "$work/c/j1" -j 2
  local rci=$rc
  build "$work/clog" "$fs" -o "$work/cfull" --full
  if [ "$rci" = 0 ] && [ "$rc" = 0 ] && same_site "$work/c/j1" "$work/cfull"; then
    pass "corpus: rebuild after $1 = full build"
  else
    fail "corpus: rebuild after $1 = full build"
    diff -r -q -x .specsite "$work/c/j1" "$work/cfull" | head -5 | sed 's/^/  | /'
  fi
}
sed -i '0,/^===*$/{n;s/^\(.*\)$/\1 (retitled)/}' "$edit"
printf '\nSecurity impact\n===============\n\nNow a word on security.\n' >>"$edit"
same_as_full "a new title and impact section"
grep -q 'retitled' "$work/c/j1/index.html" ||
  fail "corpus: the new title is in the index"
rm "$gone"
cp "$touched" "$(dirname "$touched")/zz-added-spec.rst"
touch "$touched"
same_as_full "a spec removed, one added, one touched"

# Issue 5: the bundled filters build a site from the corpus, each page's
# filters in the worker threads; the filters' marks reach the pages.
filter_args=()
for f in "$srcdir"/filters/*.lua; do filter_args+=(--filter "$f"); done
build "$work/flog" "$fs" -o "$work/cfilt" --full "${filter_args[@]}"
[ "$rc" = 0 ] && [ -f "$work/cfilt/index.html" ] &&
  ! grep -q 'specsite: ' "$work/flog" &&
  pass "corpus: the bundled filters (${#filter_args[@]} args) build the site" ||
  fail "corpus: the bundled filters build the site (exit $rc)"

echo "site: $passed passed, $failed failed"
[ "$failed" = 0 ]
