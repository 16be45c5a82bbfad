#!/usr/bin/env python3
"""pathological.py -- every construct that repeats or nests, at two sizes.

    python3 tests/pathological.py PATH/TO/specsite [NAME-PATTERN...]

In the spirit of cmark's test/pathological_tests.py: each case writes a
document in which one construct of reStructuredText (or one thing the
transforms resolve) repeats or nests, at a small and a large size, and
renders both (`specsite render`: the reader, the transforms and the HTML
writer, and the Lua bridge when the case brings a filter.lua). A case fails when specsite crashes, is stopped by a sanitizer,
exits with a status other than 0, or when the large input takes more than
5 times what a linear projection of the small one gives (in input bytes).

Time is the CPU time of the child (user + system), not the wall clock, so
that other work on the machine does not make a case fail; the start-up
cost (an empty document) is taken off both. A large run over the bound is
run again (the best of three counts) before the case fails. Sizes are
chosen so that a quadratic pass shows at the small size already and the
whole suite stays within a minute in the sanitizer build.
"""

import fnmatch
import os
import resource
import shutil
import subprocess
import sys
import tempfile

FACTOR = 5.0  # allowed excess over the linear projection
FLOOR = 0.004  # seconds: a small run is never counted as faster than this
TIMEOUT = 60  # seconds per run: beyond it the case fails


def rep(unit, n, sep=" ", width=20):
    """`unit` n times, `width` to a line: one long paragraph."""
    lines = []
    for start in range(0, n, width):
        lines.append(sep.join([unit] * min(width, n - start)))
    return "\n".join(lines) + "\n"


def nested(n, opener, indent):
    """n levels, each line opening one more inside the previous."""
    return "".join(" " * (indent * i) + opener + "%d\n\n" % i for i in range(n))


def sections(n):
    chars = "=-~^\"'`#*+<>:._"
    out = []
    for i in range(n):
        level = i % len(chars)  # down through every style, then back up
        title = "Title %d" % i
        out.append("%s\n%s\n\nText %d.\n\n" % (title, chars[level] * len(title), i))
    return "".join(out)


def grid_table(rows, cols):
    line = "+" + "+".join(["-----"] * cols) + "+\n"
    row = "|" + "|".join([" abc "] * cols) + "|\n"
    return line + (row + line) * rows


def simple_table(rows):
    edge = "=====  =====  =====\n"
    return edge + "a      b      c\n" + edge + "x      y      z\n" * rows + edge


def list_table(rows):
    out = [".. list-table::\n   :header-rows: 1\n\n"]
    for i in range(rows):
        out.append("   * - a%d\n     - b\n     - c\n" % i)
    return "".join(out)


def csv_table(rows):
    return ".. csv-table::\n   :header: A, B, C\n\n" + "   x, \"y\", z\n" * rows


def footnotes_each(n):
    refs = rep("[#]_", n)
    notes = "".join(".. [#] Note %d.\n" % i for i in range(n))
    return refs + "\n" + notes


def citations_each(n):
    refs = " ".join("[C%d]_" % i for i in range(n)) + "\n\n"
    return refs + "".join(".. [C%d] Citation %d.\n" % (i, i) for i in range(n))


def named_targets(n):
    refs = " ".join("t%d_" % i for i in range(n)) + "\n\n"
    return refs + "".join(".. _t%d: http://example.com/%d\n" % (i, i) for i in range(n))


def chain_referenced(n):
    """The section ends with n ids and names; each target is referenced by
    name, by :ref: and through the section's title."""
    return ("".join(".. _t%d:\n" % i for i in range(n)) + "\nSection\n=======\n\n"
            + " ".join("t%d_ :ref:`t%d` `Section`_" % (i, i) for i in range(n)) + "\n")


def indirect_chain(n):
    out = ["Start a0_.\n\n"]
    for i in range(n):
        out.append(".. _a%d: a%d_\n" % (i, i + 1))
    out.append(".. _a%d: http://example.com/\n" % n)
    return "".join(out)


def anonymous_pairs(n):
    return rep("`x`__", n) + "\n" + ".. __: http://example.com/\n" * n


def substitutions_each(n):
    refs = " ".join("|s%d|" % i for i in range(n)) + "\n\n"
    return refs + "".join(".. |s%d| replace:: value *%d*\n" % (i, i) for i in range(n))


def long_definition(n):
    return rep("|long|", n) + "\n.. |long| replace:: " + "word " * 1900 + "\n"


def substitution_bomb(n):
    """n definitions, each using the next twice: bounded, whatever n."""
    out = ["Bomb |d0|.\n\n"]
    for i in range(n - 1):
        out.append(".. |d%d| replace:: |d%d| |d%d|\n" % (i, i + 1, i + 1))
    out.append(".. |d%d| replace:: x\n" % (n - 1))
    return "".join(out)


def directives_nested(n):
    return "".join(" " * (3 * i) + ".. note::\n\n" for i in range(n)) + " " * (3 * n) + "Deep.\n"


def contents(n):
    return ".. contents::\n\n.. sectnum::\n\n" + sections(n)


def glossary(n):
    terms = "".join("   term%d\n      Definition %d.\n\n" % (i, i) for i in range(n))
    return ".. glossary::\n\n" + terms + rep(":term:`term0`", n)


def includes(n):
    """A document including one small file n times, beside it."""
    main = "".join(".. include:: part.rst\n\n" for _ in range(n))
    return {"doc.rst": main, "part.rst": "Included *text* with a ref_.\n\n.. _ref: http://x/\n"}


def filtered(n):
    """A Lua filter that reads and rebuilds every inline node."""
    lua = ("return { reference = function(r) r.attributes.classes = {'x'} return r end,\n"
           "  emphasis = function(e) return specsite.node('strong', nil, e.children) end,\n"
           "  text = function(t) if t.text:find('%s') then return t end end }\n")
    return {"doc.rst": rep("`a <http://x/>`_ *b* text", n), "filter.lua": lua}


def include_fanout(n):
    """Each file includes the next n times, eight files down: n^8."""
    files = {"doc.rst": ".. include:: f0.rst\n"}
    for d in range(8):
        files["f%d.rst" % d] = ".. include:: f%d.rst\n\n" % (d + 1) * n
    files["f8.rst"] = "Leaf.\n"
    return files


def include_chain(n):
    """Includes nested to the depth limit and beyond, n times over."""
    files = {"doc.rst": ".. include:: i0.rst\n\n" * n}
    for d in range(12):
        files["i%d.rst" % d] = "Level %d.\n\n.. include:: i%d.rst\n" % (d, d + 1)
    files["i12.rst"] = "Bottom.\n"
    return files


# name -> (generator of n, small n, large n). Large is 10 times small, or
# its nesting equivalent: nested input grows as the square of its depth.
CASES = {
    # block structure
    "bullet list, nested": (lambda n: nested(n, "* item ", 2), 100, 316),
    "enumerated list, nested": (lambda n: nested(n, "#. item ", 3), 100, 316),
    "block quote, nested": (lambda n: nested(n, "quote ", 2), 100, 316),
    "definition list, nested": (
        lambda n: "".join(" " * (2 * i) + "term%d\n" % i for i in range(n)) + " " * (2 * n) + "def\n",
        100, 316),
    "bullet list, long": (lambda n: "* item\n" * n, 4000, 40000),
    "definition list, long": (lambda n: "term\n   definition\n\n" * n, 2000, 20000),
    "field list, long": (lambda n: ":field: body\n" * n, 3000, 30000),
    "option list, long": (lambda n: "-a, --all  description\n" * n, 3000, 30000),
    "line block, long": (lambda n: "| line\n" * n, 4000, 40000),
    "literal blocks": (lambda n: "Para::\n\n   code\n   more\n\n" * n, 2000, 20000),
    "sections, many levels": (sections, 500, 5000),
    "transitions and comments": (lambda n: "Para.\n\n----------\n\n.. comment\n\n" * n, 1500, 15000),
    "one long line": (lambda n: "word " * n + "\n", 20000, 200000),
    "many blank lines": (lambda n: "\n" * n + "End.\n", 50000, 500000),
    # inline markup
    "inline markup, closed": (lambda n: rep("*a* **b** ``c`` `d` :sup:`e` f_", n), 800, 8000),
    "emphasis, unclosed": (lambda n: rep("*a", n), 3000, 30000),
    "strong, unclosed": (lambda n: rep("**a", n), 3000, 30000),
    "literal, unclosed": (lambda n: rep("``a", n), 3000, 30000),
    "interpreted, unclosed": (lambda n: rep("`a", n), 3000, 30000),
    "inline target, unclosed": (lambda n: rep("_`a", n), 3000, 30000),
    "substitution reference, unclosed": (lambda n: rep("|a", n), 3000, 30000),
    "roles, unclosed": (lambda n: rep(":code:`a", n), 3000, 30000),
    "backslashes": (lambda n: "\\" * n + "*x*\n", 30000, 300000),
    "standalone URIs": (lambda n: rep("http://example.com/a", n), 2000, 20000),
    "embedded URIs": (lambda n: rep("`a <http://example.com/>`_", n), 2000, 20000),
    # tables
    "grid table, rows": (lambda n: grid_table(n, 3), 400, 4000),
    "grid table, columns": (lambda n: grid_table(3, n), 300, 3000),
    "simple table, rows": (simple_table, 1000, 10000),
    "list-table, rows": (list_table, 400, 4000),
    "csv-table, rows": (csv_table, 1000, 10000),
    # substitutions
    "substitutions, each used once": (substitutions_each, 1000, 10000),
    "substitution, long definition used often": (long_definition, 1000, 10000),
    "substitution bomb": (substitution_bomb, 18, 24),
    "substitutions, undefined": (lambda n: rep("|nope|", n), 2000, 20000),
    # targets and references
    "targets chained before a section": (
        lambda n: "".join(".. _t%d:\n" % i for i in range(n)) + "\nSection\n=======\n\nText.\n",
        1000, 10000),
    "targets chained before a section, referenced": (chain_referenced, 3000, 30000),
    "named targets, each referenced": (named_targets, 1000, 10000),
    "indirect targets, chained": (indirect_chain, 500, 5000),
    "references to one target": (lambda n: rep("`t`_", n) + "\n.. _t: http://x/\n", 3000, 30000),
    "references, undefined": (lambda n: rep("nope_", n), 2000, 20000),
    "anonymous references, no targets": (lambda n: rep("a__", n), 3000, 30000),
    "anonymous references and targets": (anonymous_pairs, 1500, 15000),
    "anonymous targets chained before a paragraph": (
        lambda n: rep("a__", n) + "\n" + ".. __:\n" * n + "\nEnd.\n", 3000, 30000),
    "indirect targets, all to one": (
        lambda n: "".join(".. _a%d: end_\n" % i for i in range(n)) + ".. _end: http://x/\n\n"
        + rep("a5_", n), 5000, 50000),
    "duplicate explicit targets": (
        lambda n: "".join(".. _same:\n\nPara %d.\n\n" % i for i in range(n)), 1000, 10000),
    "footnotes with one label": (
        lambda n: rep("[x]_", n) + "\n" + ".. [x] note\n" * n, 1000, 10000),
    "target-notes": (
        lambda n: " ".join("t%d_" % i for i in range(n)) + "\n\n"
        + "".join(".. _t%d: http://example.com/%d\n" % (i, i) for i in range(n))
        + "\n.. target-notes::\n", 1000, 10000),
    # footnotes and citations
    "references to one footnote": (lambda n: rep("[1]_", n) + "\n.. [1] note\n", 3000, 30000),
    "auto-numbered references, no footnotes": (lambda n: rep("[#]_", n), 3000, 30000),
    "auto-symbol references, no footnotes": (lambda n: rep("[*]_", n), 3000, 30000),
    "auto-numbered footnotes, each referenced": (footnotes_each, 1500, 15000),
    "auto-symbol footnotes, each referenced": (
        lambda n: rep("[*]_", n) + "\n" + ".. [*] note\n" * n, 2000, 20000),
    "references to one citation": (lambda n: rep("[CIT]_", n) + "\n.. [CIT] c\n", 3000, 30000),
    "citations, each referenced": (citations_each, 1000, 10000),
    # directives
    "directives, many": (lambda n: ".. note::\n\n   Text.\n\n" * n, 1500, 15000),
    "directives, nested": (directives_nested, 100, 316),
    "code-blocks, many": (lambda n: ".. code-block:: python\n\n   x = 1\n\n" * n, 1500, 15000),
    "images, many": (lambda n: ".. image:: a.png\n   :alt: A\n\n" * n, 1500, 15000),
    "contents and sectnum": (contents, 300, 3000),
    "contents directives, as many as sections": (
        lambda n: ".. contents::\n\n" * n + "".join("S%d\n====\n\nText.\n\n" % i for i in range(n)),
        100, 1000),
    "index entries": (lambda n: ".. index:: single: word; other\n\n" * n, 1500, 15000),
    "glossary, referenced": (glossary, 3000, 30000),
    "dangling :ref: roles": (lambda n: rep(":ref:`nope`", n), 2000, 20000),
    # filters
    "Lua filter on every inline": (filtered, 2000, 20000),
    # includes
    "includes of one file": (includes, 90, 900),
    "includes, ten of the next file, eight files down": (include_fanout, 3, 10),
    "includes, nested past the limit": (include_chain, 20, 200),
}


def cpu_of(exe, workdir, name):
    """CPU seconds of one render (with the case's filter.lua, if it has
    one); RuntimeError on a failure."""
    args = [exe, "render", "-q", "--halt", "none", name, "-o", "/dev/null"]
    if os.path.exists(os.path.join(workdir, "filter.lua")):
        args[2:2] = ["--filter", "filter.lua"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(
        args,
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RuntimeError("no result after %d s" % TIMEOUT)
    # communicate() reaped the child: its usage is in RUSAGE_CHILDREN.
    if proc.returncode != 0 or b"Sanitizer" in err or b"runtime error" in err:
        raise RuntimeError("exit status %d: %s" % (proc.returncode, err.decode(errors="replace")[-2000:]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def write_case(root, text):
    files = text if isinstance(text, dict) else {"doc.rst": text}
    os.makedirs(root, exist_ok=True)
    size = 0
    for fname, body in files.items():
        with open(os.path.join(root, fname), "w") as f:
            f.write(body)
        size += len(body.encode())
    return size


def best(exe, workdir, tries):
    return min(cpu_of(exe, workdir, "doc.rst") for _ in range(tries))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: pathological.py SPECSITE [NAME-PATTERN...]")
    exe = os.path.abspath(sys.argv[1])
    patterns = sys.argv[2:] or ["*"]
    work = tempfile.mkdtemp(prefix="specsite-pathological-")
    failed = passed = 0
    try:
        write_case(os.path.join(work, "empty"), "")
        base = best(exe, os.path.join(work, "empty"), 5)
        for name, (gen, small, large) in CASES.items():
            if not any(fnmatch.fnmatch(name, p) for p in patterns):
                continue
            slug = "".join(c if c.isalnum() else "-" for c in name)
            try:
                dirs, sizes = [], []
                for tag, n in (("small", small), ("large", large)):
                    d = os.path.join(work, slug, tag)
                    sizes.append(write_case(d, gen(n)))
                    dirs.append(d)
                t_small = max(best(exe, dirs[0], 3) - base, FLOOR)
                allowed = FACTOR * t_small * sizes[1] / sizes[0]
                t_large = best(exe, dirs[1], 1) - base
                if t_large > allowed:  # once more before failing
                    t_large = min(t_large, best(exe, dirs[1], 2) - base)
                verdict = "PASS" if t_large <= allowed else "FAIL"
                print("%s: %s: %d bytes %.3f s, %d bytes %.3f s (allowed %.3f s)"
                      % (verdict, name, sizes[0], t_small, sizes[1], t_large, allowed))
            except RuntimeError as e:
                verdict = "FAIL"
                print("FAIL: %s: %s" % (name, e))
            sys.stdout.flush()
            if verdict == "PASS":
                passed += 1
            else:
                failed += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("pathological: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
