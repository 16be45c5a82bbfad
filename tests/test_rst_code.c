/* test_rst_code.c — Sphinx's code directives (code-block, literalinclude),
 * checked against the trees and warnings Sphinx 5.3 gives for the same
 * sources with `sphinx-build -b xml`; each expectation below was taken
 * from such a build. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "rst/rst.h"
#include "transforms/transforms.h"

/* A folder of its own with the files of `files` (name, text, ...,
 * NULL); returns it (freed by the caller). */
static char *S_folder(const char *const *files) {
  char tmpl[] = "/tmp/specsite-code-XXXXXX";
  char *dir = mkdtemp(tmpl);
  cr_assert(dir);
  for (; files[0]; files += 2) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, files[0]);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(files[1], f);
    fclose(f);
  }
  return strdup(dir);
}

static void S_remove(const char *dir, const char *const *files) {
  char path[512];
  for (; files[0]; files += 2) {
    snprintf(path, sizeof path, "%s/%s", dir, files[0]);
    remove(path);
  }
  rmdir(dir);
}

/* `rst` read as DIR/doc.rst and transformed; its XML and what was
 * reported. */
static t_result S_build(const char *dir, const char *rst) {
  char path[512];
  snprintf(path, sizeof path, "%s/doc.rst", dir);
  return t_build_at(rst, path, false);
}

/* The log holds `line` as one whole line, its %s the document's
 * folder (with %1$s, %2$s: the folder's real path, then the folder). */
static void S_logged(t_result *r, const char *real, const char *dir,
                     const char *line) {
  char want[1024];
  if (strstr(line, "%1$s"))
    snprintf(want, sizeof want, line, real, dir);
  else
    snprintf(want, sizeof want, line, dir);
  bool found = false;
  for (const char *s = r->log; s && *s && !found;) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    found = len == strlen(want) && !memcmp(s, want, len);
    s = nl ? nl + 1 : s + len;
  }
  cr_expect(found, "not reported: [%s]\n--- log:\n%s", want, r->log);
}

static const char *const S_files[] = {
    "sample.py",
    "import os\n\n\nclass A:\n\tdef f(self):\n\t\treturn 1  # end\n\n"
    "# marker\nx = 1\ny = 2\nlast\n",
    "old.py",
    "import os\n\nclass A:\n\tdef f(self):\n\t\treturn 2  # end\n\n"
    "# marker\nx = 1\ny = 3\nlast\nmore\n",
    NULL};

/* The whole file, at the absolute path Sphinx's relfn2path gives it;
 * no language of its own: the current highlight language (Sphinx's
 * transform), linenostart always in highlight_args. */
Test(literalinclude, whole_file) {
  char *dir = S_folder(S_files);
  t_result r = S_build(dir, ".. literalinclude:: sample.py\n\n"
                            ".. highlight:: c\n\n"
                            ".. literalinclude:: ./sample.py\n");
  char *real = realpath(dir, NULL);
  char want[512];
  snprintf(want, sizeof want, "%s/sample.py", real);
  t_expect_string(&r, "string(//literal_block[1]/@source)", want);
  t_expect_string(&r, "string(//literal_block[2]/@source)", want);
  t_expect_string(&r, "string(//literal_block[1])", S_files[1]);
  t_expect_string(&r, "string(//literal_block[1]/@language)", "default");
  t_expect_string(&r, "string(//literal_block[2]/@language)", "c");
  t_expect_string(&r, "string(//literal_block[1]/@highlight_args)",
                  "{'linenostart': 1}");
  t_expect_string(&r, "string(//literal_block[1]/@linenos)", "False");
  t_expect_string(&r, "string(//literal_block[1]/@force)", "False");
  cr_expect_eq(r.log_len, 0, "%s", r.log);
  t_result_free(&r);
  free(real);
  S_remove(dir, S_files);
  free(dir);
}

/* Sphinx's filters, in its order: start, end, lines, dedent, prepend,
 * append. :start-after: drops the whole line it matches, :end-before:
 * never matches the first line; :lineno-match: numbers from the file. */
Test(literalinclude, filters) {
  char *dir = S_folder(S_files);
  t_result r =
      S_build(dir, ".. literalinclude:: sample.py\n"
                   "   :language: python\n   :linenos:\n"
                   "   :lines: 1,3-4,9-\n   :emphasize-lines: 1,2,9\n\n"
                   ".. literalinclude:: sample.py\n"
                   "   :start-after: marker\n   :end-before: last\n"
                   "   :lineno-match:\n\n"
                   ".. literalinclude:: sample.py\n"
                   "   :start-at: class\n   :end-at: return\n"
                   "   :tab-width: 4\n   :dedent: 4\n"
                   "   :prepend: # pre\n   :append: # post\n\n"
                   ".. literalinclude:: sample.py\n"
                   "   :tab-width: 2\n   :dedent:\n   :lines: 5-6\n");
  t_expect_string(&r, "string(//literal_block[1])",
                  "import os\n\nclass A:\nx = 1\ny = 2\nlast\n");
  t_expect_string(&r, "string(//literal_block[1]/@highlight_args)",
                  "{'hl_lines': [1, 2], 'linenostart': 1}");
  t_expect_string(&r, "string(//literal_block[1]/@language)", "python");
  t_expect_string(&r, "string(//literal_block[1]/@linenos)", "True");
  t_expect_string(&r, "string(//literal_block[2])", "x = 1\ny = 2\n");
  t_expect_string(&r, "string(//literal_block[2]/@highlight_args)",
                  "{'linenostart': 9}");
  t_expect_string(&r, "string(//literal_block[2]/@linenos)", "True");
  t_expect_string(&r, "string(//literal_block[3])",
                  "# pre\ns A:\ndef f(self):\n    return 1  # end\n# post\n");
  t_expect_string(&r, "string(//literal_block[4])",
                  "def f(self):\n  return 1  # end\n");
  S_logged(&r, NULL, dir,
           "%s/doc.rst.rst:1: WARNING: line number spec is out of "
           "range(1-6): '1,2,9'");
  S_logged(&r, NULL, dir,
           "%s/doc.rst.rst:12: WARNING: non-whitespace stripped by dedent");
  t_result_free(&r);
  S_remove(dir, S_files);
  free(dir);
}

/* :caption: wraps the block in Sphinx's container (an empty caption is
 * the file's name), which takes :name:. */
Test(literalinclude, caption_and_name) {
  char *dir = S_folder(S_files);
  t_result r = S_build(dir, ".. literalinclude:: sample.py\n"
                            "   :caption:\n   :name: the-code\n\n"
                            ".. literalinclude:: sample.py\n"
                            "   :caption: My *caption*\n   :class: foo\n");
  t_expect_count(&r, "/document/container[@classes='literal-block-wrapper']",
                 2);
  t_expect_string(&r, "string(//container[1]/caption)", "sample.py");
  t_expect_string(&r, "string(//container[1]/@ids)", "the-code");
  t_expect_count(&r, "//container[2]/caption/emphasis", 1);
  t_expect_count(&r, "//container[2]/literal_block[@classes='foo']", 1);
  t_result_free(&r);
  S_remove(dir, S_files);
  free(dir);
}

/* :diff: is difflib's unified diff against the other file, both named
 * by their absolute paths, language udiff. */
Test(literalinclude, diff) {
  char *dir = S_folder(S_files);
  t_result r = S_build(dir, ".. literalinclude:: sample.py\n"
                            "   :diff: old.py\n");
  char *real = realpath(dir, NULL);
  char want[2048];
  snprintf(want, sizeof want,
           "--- %s/old.py\n+++ %s/sample.py\n@@ -1,11 +1,11 @@\n"
           " import os\n+\n \n class A:\n \tdef f(self):\n"
           "-\t\treturn 2  # end\n+\t\treturn 1  # end\n \n # marker\n"
           " x = 1\n-y = 3\n+y = 2\n last\n-more\n",
           real, real);
  t_expect_string(&r, "string(//literal_block)", want);
  t_expect_string(&r, "string(//literal_block/@language)", "udiff");
  t_result_free(&r);
  free(real);
  S_remove(dir, S_files);
  free(dir);
}

/* What Sphinx cannot include is a warning at the directive's line, in
 * its words, and no block; a file outside the repository is not read. */
Test(literalinclude, warnings) {
  char *dir = S_folder(S_files);
  t_result r = S_build(dir, ".. literalinclude:: nope.py\n\n"
                            ".. literalinclude:: sample.py\n"
                            "   :lines: 20-30\n\n"
                            ".. literalinclude:: sample.py\n"
                            "   :lines: x\n\n"
                            ".. literalinclude:: sample.py\n"
                            "   :start-after: nowhere\n\n"
                            ".. literalinclude:: sample.py\n"
                            "   :lineno-match:\n   :lines: 1,3\n\n"
                            ".. literalinclude:: sample.py\n"
                            "   :diff: old.py\n   :lines: 1\n\n"
                            ".. literalinclude:: sample.py\n"
                            "   :pyobject: A\n\n"
                            ".. literalinclude:: ../../../../../etc/passwd\n");
  char *real = realpath(dir, NULL);
  t_expect_count(&r, "//literal_block[not(ancestor::system_message)]", 0);
  t_expect_count(&r, "//system_message[@type='WARNING']", 8);
  S_logged(&r, real, dir,
           "%2$s/doc.rst:1: WARNING: Include file '%1$s/nope.py' not found "
           "or reading it failed");
  S_logged(&r, NULL, dir,
           "%s/doc.rst.rst:3: WARNING: line number spec is out of "
           "range(1-11): '20-30'");
  S_logged(&r, real, dir,
           "%2$s/doc.rst:3: WARNING: Line spec '20-30': no lines pulled "
           "from include file '%1$s/sample.py'");
  S_logged(&r, NULL, dir,
           "%s/doc.rst:6: WARNING: invalid line number spec: 'x'");
  S_logged(&r, NULL, dir,
           "%s/doc.rst:9: WARNING: start-after pattern not found: nowhere");
  S_logged(&r, NULL, dir,
           "%s/doc.rst:12: WARNING: Cannot use \"lineno-match\" with a "
           "disjoint set of \"lines\"");
  S_logged(&r, NULL, dir,
           "%s/doc.rst:16: WARNING: Cannot use both \"diff\" and \"lines\" "
           "options");
  S_logged(&r, real, dir,
           "%2$s/doc.rst:20: WARNING: Option \"pyobject\" is not supported: "
           "specsite does not parse Python (object 'A' in include file "
           "'%1$s/sample.py')");
  S_logged(&r, NULL, dir,
           "%s/doc.rst:23: WARNING: Include file '/etc/passwd' is outside "
           "the source tree (specsite reads files inside the repository "
           "only)");
  t_result_free(&r);
  free(real);
  S_remove(dir, S_files);
  free(dir);
}

/* code-block reads :emphasize-lines: and :dedent: as literalinclude
 * does: a bad spec is Sphinx's warning, not an error. */
Test(code_block, line_specs_and_dedent) {
  const char *const none[] = {NULL};
  char *dir = S_folder(none);
  t_result r = S_build(dir, ".. code-block:: python\n"
                            "   :dedent: 2\n   :emphasize-lines: 1,3-\n"
                            "   :lineno-start: 5\n\n"
                            "     a\n       b\n     c\n\n"
                            ".. code-block::\n   :dedent:\n\n"
                            "     x\n       y\n\n"
                            ".. code-block::\n   :emphasize-lines: 1-,x\n\n"
                            "   a\n");
  t_expect_string(&r, "string(//literal_block[1])", "a\n  b\nc");
  t_expect_string(&r, "string(//literal_block[1]/@highlight_args)",
                  "{'hl_lines': [1, 3], 'linenostart': 5}");
  t_expect_string(&r, "string(//literal_block[2])", "x\n  y");
  t_expect_count(&r, "//literal_block", 2); /* the third: only the warning */
  S_logged(&r, NULL, dir,
           "%s/doc.rst:16: WARNING: invalid line number spec: '1-,x'");
  t_result_free(&r);
  S_remove(dir, none);
  free(dir);
}
