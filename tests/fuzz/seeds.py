#!/usr/bin/env python3
"""seeds.py — the seed corpora of the fuzz targets.

    python3 tests/fuzz/seeds.py OUT_DIR SOURCE_DIR

Writes OUT_DIR/<target>/<name> for each target of tests/fuzz/: small
documents per directive and per role (every name docs/coverage.rst
lists, so that table, role, HTTP-domain and Sphinx directive code is
reached from the first run), per construct that nests or repeats, the
repository's own .rst files (examples/, docs/), and, when ../shared is
there, the spec template and the corpora's specs; the default theme's
layouts; the configuration files; small repositories for `build`.
"""

import hashlib
import re
import sys
from pathlib import Path

TARGETS = ["render", "ast", "filter", "theme", "config", "build"]


def directive_seeds(names):
    out = []
    for name in names:
        out.append(".. %s:: argument text\n   :class: c\n   :name: n-%s\n"
                   "\n   Content *with* ``markup`` and a `link`_.\n\n"
                   "   * one\n   * two\n\n.. _link: https://example.org/\n"
                   % (name, name))
        out.append(".. %s::\n" % name)
        out.append("Title\n=====\n\n.. %s:: a b c\n   :option:\n\n"
                   "   ::\n\n      literal\n" % name)
    table = ("+-----+-----+\n| a   | b   |\n+=====+=====+\n| 1   | 2   |\n"
             "+-----+-----+\n")
    out += [
        ".. list-table:: T\n   :header-rows: 1\n   :widths: 1 2\n\n"
        "   * - a\n     - b\n   * - c\n     - d\n",
        ".. csv-table:: T\n   :header: \"a\", \"b\"\n   :widths: 5, 5\n\n"
        "   1, \"two, three\"\n   \"x\"\"y\", 4\n",
        ".. table:: T\n   :widths: auto\n\n" +
        "".join("   " + line + "\n" for line in table.splitlines()),
        table,
        "=====  =====\n  A      B\n=====  =====\n  1      2\n=====  =====\n",
        ".. http:get:: /v1/nodes/(uuid:node_id)\n\n   Text.\n\n"
        "   :param node_id: the node\n   :query limit: how many\n"
        "   :status 200: ok\n   :status 404: none\n   :reqheader X-Auth: t\n\n"
        "   **Example**::\n\n      GET /v1/nodes/1 HTTP/1.1\n",
        ".. code-block:: json\n   :linenos:\n   :emphasize-lines: 2\n\n"
        "   {\"a\": [1, 2, {\"b\": null}]}\n",
        ".. toctree::\n   :glob:\n   :maxdepth: 2\n\n   specs/*\n   Title <x>\n",
        ".. |sub| replace:: text |other|\n.. |other| image:: x.png\n\n|sub|\n",
        ".. py:class:: Foo(a, b=1)\n\n   .. py:method:: bar(x) -> int\n",
        ".. index::\n   single: a; b\n   pair: c; d\n\ntext\n",
        ".. sectnum::\n.. contents::\n\nA\n=\n\nB\n-\n\nC\n=\n",
    ]
    return out


def role_seeds(names):
    return ["Text :%s:`target` and :%s:`title <target>` and "
            ":%s:`!x`.\n" % (n, n, n) for n in names]


def file_seeds():
    """The files fuzz.c puts beside the document: code.py, inc.rst,
    data.csv, x.json, sub/deep.txt."""
    out = []
    for opts in ["", ":lines: 2-5", ":lines: 1,3-", ":pyobject: Foo.bar",
                 ":start-after: start here\n   :end-before: end here",
                 ":emphasize-lines: 1,3", ":linenos:\n   :lineno-start: 10",
                 ":dedent: 4", ":diff: inc.rst", ":caption: Code\n   :name: c",
                 ":language: python\n   :force:", ":tab-width: 8",
                 ":prepend: # first\n   :append: # last", ":encoding: latin-1"]:
        out.append(".. literalinclude:: code.py\n   %s\n" % opts)
    for opts in ["", ":literal:", ":code: python\n   :number-lines: 3",
                 ":start-line: 1\n   :end-line: 3", ":parser: rst",
                 ":start-after: Text\n   :end-before: link", ":tab-width: 4",
                 ":encoding: ascii"]:
        out.append(".. include:: inc.rst\n   %s\n" % opts)
    out += [".. include:: sub/deep.txt\n   :literal:\n",
            ".. include:: /inc.rst\n", ".. include:: missing.rst\n",
            ".. csv-table:: T\n   :file: data.csv\n   :header-rows: 1\n",
            ".. code-block:: json\n\n   {\"a\": [1, 2], \"b\": {\"c\": null}}\n",
            ".. literalinclude:: x.json\n   :language: json\n"]
    return out


def reference_seeds():
    return [
        "A `named`_ and `other <named_>`_ and `inline <http://x/>`_.\n\n"
        ".. _named: http://example.org/\n",
        "`a`__ `b`__ `c`__\n\n__ http://a/\n__ http://b/\n\n.. __: http://c/\n",
        ".. _one:\n.. _two: one_\n.. _three: two_\n\nTarget\n======\n\n"
        "one_ two_ three_ `Target`_\n",
        "Dup_ and dup_\n\n.. _dup: http://a/\n.. _Dup: http://b/\n",
        "`x`_\n\n.. _x: y_\n.. _y: x_\n",
        "Text [1]_ [#a]_ [#]_ [#a]_ [*]_ [*]_ [CIT2002]_\n\n.. [1] one\n"
        ".. [#a] auto a\n.. [#] auto\n.. [*] sym\n.. [*] sym2\n"
        ".. [CIT2002] cite\n",
        "`link <https://a/>`_ `link <https://b/>`_\n\n.. target-notes::\n",
        ":ref:`sec` :ref:`text <sec>` :doc:`other` :any:`sec`\n\n.. _sec:\n\n"
        "Sec\n===\n",
        "|a| |b| |c|\n\n.. |a| replace:: |b| text\n.. |b| replace:: *x*\n"
        ".. |c| unicode:: U+2014 .. dash\n.. |d| date::\n",
        "Section\n=======\n\n.. _Section:\n\nSection\n=======\n\n`Section`_\n",
    ]


def python_seeds():
    out = []
    for d in ["function:: f(a, b=1, *args, c: int = 2, **kw) -> None",
              "class:: pkg.Foo(Base)", "method:: Foo.bar(self)",
              "attribute:: Foo.x\n   :type: int\n   :value: 1",
              "exception:: Err", "data:: CONST", "decorator:: deco(x)",
              "module:: pkg.mod\n   :platform: Unix\n   :synopsis: s",
              "currentmodule:: pkg", "staticmethod:: Foo.s()",
              "classmethod:: Foo.c(cls)", "property:: Foo.p",
              "function:: g[T](x: list[T]) -> T"]:
        out.append(".. py:%s\n\n   Body.\n\n   :param a: the a\n"
                   "   :type a: int\n   :returns: x\n   :raises Err: when\n"
                   % d)
    out.append(":py:func:`f` :py:class:`~pkg.Foo` :py:meth:`.bar` "
               ":py:mod:`pkg` :py:obj:`!x` :py:attr:`Foo.x`\n")
    return out


def option_seeds():
    """Directives with the options that change what they do."""
    return [
        ".. contents:: Table\n   :depth: 2\n   :local:\n   :backlinks: top\n"
        "   :class: c\n\nA\n=\n\nB\n-\n\nC\n~\n",
        ".. contents::\n   :backlinks: entry\n\nA\n=\n\nB\n=\n",
        ".. sectnum::\n   :depth: 2\n   :start: 3\n   :prefix: P.\n"
        "   :suffix: )\n\nA\n=\n\nB\n-\n",
        ".. topic:: T\n   :class: x\n\n   text\n\n.. sidebar:: S\n"
        "   :subtitle: sub\n\n   side\n\n.. rubric:: R\n\n.. epigraph::\n\n"
        "   quote\n\n   -- who\n\n.. highlights::\n\n   h\n\n"
        ".. pull-quote::\n\n   p\n\n.. compound::\n\n   a\n\n   b\n\n"
        ".. container:: a b\n\n   c\n",
        ".. parsed-literal::\n\n   *x* ``y`` `z <http://z/>`_\n\n"
        ".. line-block::\n\n   a\n     b\n\n.. math::\n   :label: e\n\n"
        "   a^2\n\n.. highlight:: python\n   :linenothreshold: 3\n\n::\n\n"
        "   x = 1\n",
        ".. role:: custom(emphasis)\n   :class: special\n\n:custom:`text`\n\n"
        ".. default-role:: literal\n\n`x`\n\n.. default-role::\n\n`y`\n",
        ".. only:: html\n\n   shown\n\n.. only:: latex and not html\n\n"
        "   hidden\n\n.. centered:: C\n\n.. hlist::\n   :columns: 3\n\n"
        "   * a\n   * b\n   * c\n   * d\n",
        ".. glossary::\n   :sorted:\n\n   term one\n   term 2\n      def\n\n"
        "   other\n      def\n\n:term:`term one` :term:`x <other>`\n",
        ".. productionlist:: g\n   a: b | c\n   b: \"x\"\n\n:token:`g:a`\n",
        ".. versionadded:: 1.0\n   Text.\n\n.. versionchanged:: 2.0\n\n"
        ".. deprecated:: 3.0\n   Gone.\n\n.. seealso:: other\n\n"
        ".. todo:: do\n\n.. tabularcolumns:: |l|r|\n",
        ".. toctree::\n   :maxdepth: 1\n   :caption: C\n   :name: tc\n"
        "   :numbered:\n   :titlesonly:\n   :reversed:\n   :hidden:\n\n"
        "   a\n   T <b>\n   self\n   http://x/\n",
        ".. meta::\n   :description: d\n   :keywords: a, b\n\n"
        ".. title:: T\n\n.. header:: H\n\n.. footer:: F\n",
        ".. |a| replace:: x\n   :ltrim:\n\n.. |b| unicode:: 0xA9\n   :trim:\n"
        "\n.. |c| date:: %Y\n\n.. |l| replace:: link\n.. _l: http://l/\n\n"
        "x |a| y |b| z |c| |l|_ |l|__\n\n__ http://anon/\n",
        "`one <http://1/>`_ `two`_ `Three`__ `inline <four_>`_\n\n"
        ".. _two: http://2/\n__ http://3/\n.. _four: http://4/\n\n"
        ".. target-notes::\n   :class: notes\n",
        ".. _internal:\n\nText `internal`_ and `external <http://e/>`_\n\n"
        ".. target-notes::\n",
        ".. code-block::\n\n   plain\n\n.. code:: python\n   :number-lines: 5\n"
        "\n   def f():\n       pass\n\n.. sourcecode:: diff\n\n   - a\n   + b\n",
        ".. figure:: a.png\n   :figclass: fc\n   :figwidth: 50%\n   :target: t_\n"
        "   :align: center\n\n   Caption.\n\n   Legend.\n\n.. _t: http://t/\n",
        ".. csv-table:: T\n   :delim: ;\n   :quote: '\n   :escape: \\\\\n"
        "   :keepspace:\n   :header-rows: 1\n   :stub-columns: 1\n\n"
        "   a;'b;c'\n   1;2\n",
        ".. list-table::\n   :widths: auto\n   :stub-columns: 1\n   :class: c\n"
        "   :width: 50%\n\n   * - a\n     - * nested\n       * list\n",
    ]


def signature_seeds():
    """Python signatures whose defaults and annotations take every
    branch of the expression reader, and the [optional] form."""
    sigs = [
        "f(a, b='s', c=-1, d=~x, e=(1, 2), f=[1, 'a'], g={'k': 1}, h=a.b.c, "
        "i=None, j=True, k=1.5e3, l=f(x), m=x[1], n=lambda y: y, "
        "o=1 + 2 * 3, p=not q, r=a if b else c, s=\"esc\\\"aped\", t=...)",
        "g(x: int | None = None, *, y: Callable[[int], str], **z: Any) -> "
        "Dict[str, List[Tuple[int, ...]]]",
        "h(a[, b[, c]])", "i(a, [b, c])", "j(a: Literal['x', 1], b: -1 = ~0)",
        "k(self, x: 'Forward') -> typing.Optional[int]",
        "l(a=0x1F, b=0o7, c=1j, d=b'bytes', e=f'{x}', f=(), g=[], h={})",
        "m(a=a[1:2], b={1, 2}, c={**d}, d=[*e], e=x @ y, f=a < b <= c)",
        "n(a = 1, b=\n2)", "o(a, /, b, *, c)", "p(*, a)", "q(**)", "r(a,)",
        "s(a: 'unterminated", "t([a])", "u(a[b]c)",
    ]
    return [".. py:function:: %s\n" % sig for sig in sigs] + \
        [".. py:method:: C.%s\n   :async:\n" % sig for sig in sigs[:4]]


def docinfo_seeds():
    """Bibliographic fields, which the DocInfo transform reads when a
    field list opens the document."""
    return [
        ":Author: Me\n:Authors: A; B, C\n:Organization: O\n:Address: 1 St\n"
        "   Town\n:Contact: m@example.org\n:Version: 1.0\n:Revision: 3\n"
        ":Status: draft\n:Date: 2026-12-08\n:Copyright: C\n"
        ":Dedication: to you\n:Abstract: What this is.\n:Custom: field\n\n"
        "Title\n=====\n",
        ":Authors:\n   * A\n   * B\n:Date:\n:Abstract: one\n:Abstract: two\n",
        ".. _before:\n\n:Author: After a target\n\ntext\n",
        "Title\n=====\n\n:Authors: A\n\n   B\n:orphan:\n:tocdepth: 2\n"
        ":nocomments:\n",
        ":Author: *emphasis* and `link <http://x/>`_\n:Version: |sub|\n\n"
        ".. |sub| replace:: 2\n",
    ]


def role_forms():
    """Roles with the text shapes that take their own paths."""
    return [
        ":manpage:`ls(1)` :manpage:`ls.1` :manpage:`git-log(1x)` "
        ":manpage:`plain` :manpage:`x(`\n",
        ":guilabel:`&Cancel` :guilabel:`A && B` :guilabel:`end&` "
        ":menuselection:`Start --> &Programs --> x`\n",
        ":samp:`print {x} and \\{y\\}` :samp:`{unclosed` :file:`/etc/{name}.conf`"
        " :file:`plain`\n",
        ":kbd:`Control-x Control-f` :kbd:`M-x  ^` :kbd:`Caps Lock`\n",
        ":abbr:`LIFO (last-in, first-out)` :abbr:`plain` "
        ":abbr:`x (y (z))`\n",
        ":rfc:`2324` :rfc:`2324#section-2` :pep:`8` :pep:`8#x` "
        ":rfc:`text <1>` :pep:`bad`\n",
        ":math:`a^2` :sub:`2` :sup:`2` :title-reference:`T` :emphasis:`e` "
        ":literal:`l` :code:`c` :strong:`s` :t:`t`\n",
        ":keyword:`if` :option:`-v` :option:`prog --opt` :envvar:`HOME` "
        ":command:`ls` :program:`p` :dfn:`d` :mimetype:`text/plain` "
        ":newsgroup:`comp` :regexp:`a+` :makevar:`CC` :mailheader:`To`\n",
        ":download:`x <code.py>` :download:`code.py` :numref:`fig-1` "
        ":numref:`Fig %s <fig-1>` :doc:`/x` :doc:`../y` :ref:`!x` "
        ":any:`x` :term:`t` :token:`t`\n",
        ":http:get:`/v1/x` :http:statuscode:`404` :http:header:`Accept` "
        ":http:method:`GET` :http:post:`/y`\n",
        ":unknown-role:`x` :py:nosuch:`y` :raw-html:`<b>`\n",
    ]


def more_python_seeds():
    return [
        ".. py:module:: pkg\n   :noindex:\n   :deprecated:\n\n"
        ".. py:class:: A\n   :canonical: pkg.a.A\n   :final:\n\n"
        "   .. py:method:: m(self, /, x, *, y=None) -> A\n      :async:\n"
        "      :abstractmethod:\n\n   .. py:attribute:: n\n      :type: int\n"
        "\n   .. py:property:: p\n      :type: str\n\n"
        ".. py:function:: pkg.f(a: dict[str, list[int]] = {}, *a, **k)\n"
        "   :noindex:\n\n.. py:data:: X\n   :value: 3\n\n"
        ":py:class:`A` :py:meth:`A.m` :py:func:`~pkg.f` :py:data:`X` "
        ":py:attr:`A.n` :py:exc:`E` :py:obj:`pkg` :py:const:`X`\n",
        ".. py:currentmodule:: None\n\n.. py:class:: B(A, metaclass=M)\n\n"
        ".. py:exception:: E(Exception)\n\n.. py:decorator:: d\n\n"
        ".. py:decoratormethod:: B.dm\n\n.. py:classmethod:: B.c(cls)\n"
        "\n.. py:staticmethod:: B.s()\n\n.. function:: plain(x)\n\n"
        ".. class:: Plain\n",
    ]


def nesting_seeds():
    return [
        "* a\n\n  * b\n\n    * c\n\n      1. d\n\n         - e\n",
        "  quote\n\n    deeper\n\n      deepest\n\n  -- attribution\n",
        "A\n=\n\nB\n-\n\nC\n~\n\nD\n^\n\nE\n=\n",
        "*a **b** `c`_ ``d`` [1]_ [#]_ [*]_ |s| `e <f>`__ :ref:`g`*\n\n"
        ".. [1] one\n.. [#] two\n.. [*] three\n.. _c: x\n",
        ".. _a:\n.. _b:\n.. _c:\n\nSection\n=======\n\n`a`_ `b`_ `c`_ __ __\n",
        "term\n  definition\n\n  term 2 : classifier\n    nested\n",
        ":field: value\n:other: * list\n        * items\n",
        "-a  option\n--long=VALUE  text\n/V  dos\n",
        "| line\n|   indented\n| again\n",
        ">>> 1 + 1\n2\n",
        ".. [CIT] citation\n\n[CIT]_ [CIT]_\n",
        "Para::\n\n    literal\n\n  ::\n\n      more\n",
        "A\n=\n\n----------\n\ntext\n\n----------\n",
        ".. comment\n   more\n\n..\n\n   empty comment\n",
    ]


def write(out, target, text, name=None):
    data = text.encode() if isinstance(text, str) else text
    name = name or hashlib.sha1(data).hexdigest()[:16]
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def main():
    out, src = Path(sys.argv[1]), Path(sys.argv[2])
    shared = src.parent / "shared"
    coverage = (src / "docs" / "coverage.rst").read_text()
    split = coverage.find("\nRoles\n")
    names = lambda text: sorted(set(re.findall(r"``([a-z][a-z0-9:_-]*)``",
                                               text)))
    docs = directive_seeds(names(coverage[:split])) + \
        role_seeds(names(coverage[split:])) + nesting_seeds() + \
        file_seeds() + reference_seeds() + python_seeds() + \
        option_seeds() + more_python_seeds() + role_forms() + \
        signature_seeds() + docinfo_seeds()
    files = sorted(src.glob("examples/**/*.rst")) + \
        sorted(src.glob("docs/*.rst"))
    if shared.is_dir():
        files.append(shared / "seed" / "template.rst")
        for corpus in sorted((shared / "corpus").glob("*-specs")):
            files += sorted(corpus.glob("specs/**/*.rst"))[:150]
    texts = docs + [f.read_bytes() for f in files if f.is_file()]
    for t in texts:
        for target in ("render", "ast"):
            write(out, target, t)
    for t in docs + [f.read_bytes() for f in files[:60] if f.is_file()]:
        write(out, "filter", t)
    for layout in sorted((src / "themes").glob("*/*.html")):
        write(out, "theme", layout.read_bytes())
    write(out, "theme", "<html><body><main data-slot=\"body\">x</main>"
          "<nav data-slot=\"outline\"></nav></body></html>")
    confs = [src / "docs" / "specsite.conf"] + \
        sorted(src.glob("examples/**/specsite.conf"))
    if shared.is_dir():
        confs += sorted((shared / "corpus").glob("*/doc/source/conf.py"))
    for c in confs:
        if c.is_file():
            write(out, "config", c.read_bytes())
    write(out, "config", "[site]\nproject = P\nfilter = a.lua\n[check]\n"
          "optional = Alternatives\n[check 9.0-10.0]\nline-length = off\n")
    specs = sorted(src.glob("examples/site/specs/**/*.rst"))
    template = src / "examples" / "site" / "specs" / "template.rst"
    for i in range(min(len(specs), 6)):
        parts = [specs[i], specs[(i + 1) % len(specs)],
                 specs[(i + 2) % len(specs)]]
        text = b"\n%%\n".join(p.read_bytes() for p in parts)
        text += b"\n%%\n" + (template.read_bytes() if template.is_file()
                            else b"")
        text += b"\n%%\n[site]\nproject = Fuzz\n%%\nIncluded *text*.\n"
        write(out, "build", text)
    write(out, "build", ".. include:: inc.txt\n\n.. toctree::\n   :glob:\n\n"
          "   *\n%%\n:doc:`a` :ref:`x`\n%%\n.. _x:\n\nX\n=\n%%\n%%\n"
          "[site]\nrelease-order = 2.0 1.0\n%%\ninc\n")
    for target in TARGETS:
        n = len(list((out / target).iterdir()))
        print("seeds: %s: %d" % (target, n))


if __name__ == "__main__":
    main()
