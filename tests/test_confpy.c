/* test_confpy.c — conf.py read as data (renderer/config/confpy.h): each
 * construct the header lists, the names a statement may change, the
 * three conf.py files of ../shared's corpus as Python sees them, and
 * hostile input under the limits. Expected values were printed by
 * Python 3.11 from the same source. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/confpy.h"
#include "util/buffer.h"

/* repr() as Python writes it for ASCII (other bytes as they are), so that
 * expectations read as Python prints them. */
static void S_repr(const ss_py_value *v, ss_buf *b) {
  static const char *const open[] = {"[", "(", "{", "{"};
  static const char *const close[] = {"]", ")", "}", "}"};
  char num[40];
  switch (v->kind) {
  case SS_PY_NONE:
    ss_buf_puts(b, "None");
    return;
  case SS_PY_BOOL:
    ss_buf_puts(b, v->b ? "True" : "False");
    return;
  case SS_PY_INT:
    ss_buf_printf(b, "%" PRId64, v->i);
    return;
  case SS_PY_FLOAT: /* the shortest digits that read back, in fixed
                       notation from 1e-4 to 1e16 as Python has it */
    for (int prec = 1; prec <= 17; prec++) {
      double a = v->f < 0 ? -v->f : v->f;
      snprintf(num, sizeof num, "%.*g", prec, v->f);
      bool fixed = a == 0 || a < 1e-4 || a >= 1e16 || !strchr(num, 'e');
      if (strtod(num, NULL) == v->f && fixed)
        break;
    }
    ss_buf_puts(b, num);
    if (!strpbrk(num, ".eni"))
      ss_buf_puts(b, ".0");
    return;
  case SS_PY_STR: {
    bool dq = memchr(v->str, '\'', v->len) && !memchr(v->str, '"', v->len);
    char q = dq ? '"' : '\'';
    ss_buf_putc(b, q);
    for (size_t i = 0; i < v->len; i++) {
      unsigned char c = (unsigned char)v->str[i];
      if (c == q || c == '\\')
        ss_buf_printf(b, "\\%c", c);
      else if (c == '\n' || c == '\t' || c == '\r')
        ss_buf_puts(b, c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r");
      else if (c < 0x20 || c == 0x7f)
        ss_buf_printf(b, "\\x%02x", c);
      else
        ss_buf_putc(b, (char)c);
    }
    ss_buf_putc(b, q);
    return;
  }
  default:
    if (v->kind == SS_PY_SET && !v->n) {
      ss_buf_puts(b, "set()");
      return;
    }
    ss_buf_puts(b, open[v->kind - SS_PY_LIST]);
    for (size_t i = 0; i < v->n; i++) {
      if (i)
        ss_buf_puts(b, v->kind == SS_PY_DICT && i % 2 ? ": " : ", ");
      S_repr(&v->items[i], b);
    }
    if (v->kind == SS_PY_TUPLE && v->n == 1)
      ss_buf_putc(b, ',');
    ss_buf_puts(b, close[v->kind - SS_PY_LIST]);
  }
}

static ss_confpy *S_parse(const char *src) {
  return ss_confpy_parse(src, strlen(src));
}

/* name's value as Python's repr(), "unreadable@LINE", or "unset". */
static char *S_value(const ss_confpy *c, const char *name) {
  ss_buf b = SS_BUF_INIT;
  const ss_py_value *v = ss_confpy_get(c, name);
  int line = ss_confpy_unreadable(c, name);
  if (v)
    S_repr(v, &b);
  else if (line)
    ss_buf_printf(&b, "unreadable@%d", line);
  else
    ss_buf_puts(&b, "unset");
  cr_expect(!v || !line, "%s has a value and is unreadable", name);
  return ss_buf_detach(&b);
}

#define EXPECT(c, name, want)                                                  \
  do {                                                                         \
    char *got_ = S_value(c, name);                                             \
    cr_expect_str_eq(got_, want, "%s is %s, not %s", name, got_, want);        \
    free(got_);                                                                \
  } while (0)

/* One statement's value: "x = <expr>" read alone. */
static void S_expect_expr(const char *expr, const char *want) {
  ss_buf src = SS_BUF_INIT;
  ss_buf_printf(&src, "x = %s\n", expr);
  ss_confpy *c = S_parse(src.data);
  char *got = S_value(c, "x");
  cr_expect_str_eq(got, want, "x = %s is %s, not %s", expr, got, want);
  free(got);
  ss_confpy_free(c);
  ss_buf_free(&src);
}

/* ---- Strings ---------------------------------------------------------- */

Test(confpy_strings, quotes_prefixes_and_concatenation) {
  ss_confpy *c = S_parse("a = 'x'\n"
                         "b = \"y\"\n"
                         "c = '''tri\nple'''\n"
                         "d = \"\"\"d\"q\"\"\"\n"
                         "e = r'\\n\\''\n"
                         "f = u'uni' 'cat' \"enation\"\n"
                         "g = R\"raw\\\\\"\n"
                         "h = f'{{braces}}'\n"
                         "i = Rb'x'\n"
                         "j = ''\n"
                         "k = ('implicit '\n"
                         "     'across lines')\n"
                         "l = rf'{{\\d}}'\n");
  EXPECT(c, "a", "'x'");
  EXPECT(c, "b", "'y'");
  EXPECT(c, "c", "'tri\\nple'");
  EXPECT(c, "d", "'d\"q'");
  EXPECT(c, "e", "\"\\\\n\\\\'\"");
  EXPECT(c, "f", "'unicatenation'");
  EXPECT(c, "g", "'raw\\\\\\\\'");
  EXPECT(c, "h", "'{braces}'");
  EXPECT(c, "i", "unreadable@10"); /* bytes */
  EXPECT(c, "j", "''");
  EXPECT(c, "k", "'implicit across lines'");
  EXPECT(c, "l", "'{\\\\d}'");
  ss_confpy_free(c);
}

Test(confpy_strings, escapes) {
  S_expect_expr("'\\n\\t\\x41\\101\\u00e9\\U0001F600\\\\\\'\\\"'",
                "'\\n\\tAAé😀\\\\\\'\"'");
  S_expect_expr("'\\a\\b\\f\\v\\r'", "'\\x07\\x08\\x0c\\x0b\\r'");
  S_expect_expr("'\\0\\7\\77\\777'", "'\\x00\\x07?ǿ'");
  S_expect_expr("'\\q\\w'", "'\\\\q\\\\w'"); /* unknown: kept */
  S_expect_expr("'con\\\ntinued'", "'continued'");
  S_expect_expr("r'a\\\nb'", "'a\\\\\\nb'");
  S_expect_expr("'''a\r\nb\rc'''", "'a\\nb\\nc'"); /* universal newlines */
  S_expect_expr("'\\N{BULLET}'", "unreadable@1");
  S_expect_expr("'\\x4'", "unreadable@1");
  S_expect_expr("'\\ud800'", "unreadable@1"); /* not UTF-8 */
  S_expect_expr("'\\U00110000'", "unreadable@1");
  S_expect_expr("f'{x}'", "unreadable@1");
  S_expect_expr("f'a}b'", "unreadable@1");
  S_expect_expr("b'x' 'y'", "unreadable@1");
}

/* ---- Numbers and constants ---------------------------------------------- */

Test(confpy_numbers, ints_floats_constants) {
  S_expect_expr("42", "42");
  S_expect_expr("0x1F", "31");
  S_expect_expr("0o17", "15");
  S_expect_expr("0b101", "5");
  S_expect_expr("1_000_000", "1000000");
  S_expect_expr("00", "0");
  S_expect_expr("9223372036854775807", "9223372036854775807");
  S_expect_expr("1.5", "1.5");
  S_expect_expr(".5", "0.5");
  S_expect_expr("1e3", "1000.0");
  S_expect_expr("1_0.2_5", "10.25");
  S_expect_expr("1e999", "inf");
  S_expect_expr("True", "True");
  S_expect_expr("False", "False");
  S_expect_expr("None", "None");
  S_expect_expr("9223372036854775808", "unreadable@1"); /* past int64 */
  S_expect_expr("012", "unreadable@1");                 /* a SyntaxError */
  S_expect_expr("1j", "unreadable@1");
  S_expect_expr("0x", "unreadable@1");
  S_expect_expr("0o8", "unreadable@1");
}

/* ---- Containers ------------------------------------------------------- */

Test(confpy_containers, lists_tuples_dicts_sets) {
  S_expect_expr("[1, 'a', None,]", "[1, 'a', None]");
  S_expect_expr("[]", "[]");
  S_expect_expr("()", "()");
  S_expect_expr("(1,)", "(1,)");
  S_expect_expr("(1)", "1");
  S_expect_expr("1, 2", "(1, 2)");
  S_expect_expr("1,", "(1,)");
  S_expect_expr("{}", "{}");
  S_expect_expr("{'a': 1, 'b': [1, 2], 'a': 3}", "{'a': 3, 'b': [1, 2]}");
  S_expect_expr("{1: 'a', True: 'b', 1.0: 'c'}", "{1: 'c'}");
  S_expect_expr("{(1, 'x'): 1, (1, 'x'): 2}", "{(1, 'x'): 2}");
  S_expect_expr("{3, 1, 3, 2, 1.0}", "{3, 1, 2}");
  S_expect_expr("[[[]], {'k': {'n': ()}}]", "[[[]], {'k': {'n': ()}}]");
  S_expect_expr("[\n  'a',  # one\n\n  'b'\n]", "['a', 'b']");
  S_expect_expr("{[1]: 2}", "unreadable@1"); /* unhashable */
  S_expect_expr("{[1], 2}", "unreadable@1");
  S_expect_expr("{(1, [2]): 3}", "unreadable@1");
  S_expect_expr("[1 2]", "unreadable@1");
  S_expect_expr("[1, *a]", "unreadable@1");
  S_expect_expr("{**a}", "unreadable@1");
  S_expect_expr("{1: 2, 3}", "unreadable@1");
  S_expect_expr("[x for x in y]", "unreadable@1");
}

/* ---- Names ------------------------------------------------------------- */

Test(confpy_names, earlier_values_as_python_has_them) {
  ss_confpy *c = S_parse("x = [1]\n"
                         "y = x\n"
                         "x = 2\n"
                         "z = y + [x]\n"
                         "w = undefined\n"
                         "v = w\n"
                         "w = 'now'\n"
                         "u = w\n");
  EXPECT(c, "x", "2");
  EXPECT(c, "y", "[1]");
  EXPECT(c, "z", "[1, 2]");
  EXPECT(c, "w", "'now'");
  EXPECT(c, "v", "unreadable@6");
  EXPECT(c, "u", "'now'");
  EXPECT(c, "undefined", "unset");
  ss_confpy_free(c);
}

/* ---- Statements ---------------------------------------------------------- */

Test(confpy_statements, assignment_forms) {
  ss_confpy *c = S_parse("a = b = [1]\n"
                         "c, d = 1, 2\n"
                         "(e, [f, g]) = (3, [4, 5])\n"
                         "[h] = [6]\n"
                         "(i) = 7\n"
                         "j, = 'only',\n"
                         "k: int = 8\n"
                         "l: 'annotation only'\n"
                         "m = 9; n = 10;\n"
                         "o = 1 + \\\n"
                         "    2\n"
                         "p, q = 1, 2, 3\n"
                         "r, *s = 1, 2\n"
                         "t, u = 'tu'\n"
                         "v = w = undefined\n");
  EXPECT(c, "a", "[1]");
  EXPECT(c, "b", "[1]");
  EXPECT(c, "c", "1");
  EXPECT(c, "d", "2");
  EXPECT(c, "e", "3");
  EXPECT(c, "f", "4");
  EXPECT(c, "g", "5");
  EXPECT(c, "h", "6");
  EXPECT(c, "i", "7");
  EXPECT(c, "j", "'only'");
  EXPECT(c, "k", "8");
  EXPECT(c, "l", "unset");
  EXPECT(c, "m", "9");
  EXPECT(c, "n", "10");
  EXPECT(c, "o", "3");
  EXPECT(c, "p", "unreadable@12"); /* too many values */
  EXPECT(c, "q", "unreadable@12");
  EXPECT(c, "r", "unreadable@13"); /* starred: not read */
  EXPECT(c, "s", "unreadable@13");
  EXPECT(c, "t", "unreadable@14"); /* a str is not unpacked */
  EXPECT(c, "v", "unreadable@15");
  EXPECT(c, "w", "unreadable@15");
  ss_confpy_free(c);
}

Test(confpy_statements, augmented) {
  ss_confpy *c = S_parse("a = [1]\n"
                         "a += [2]\n"
                         "a += (3,)\n"
                         "b = 'ab'\n"
                         "b *= 2\n"
                         "c = 10\n"
                         "c %= 3\n"
                         "d = 5\n"
                         "d -= 7\n"
                         "e = 'n=%d'\n"
                         "e %= 4\n"
                         "f = 1\n"
                         "f /= 2\n"
                         "g += 1\n"
                         "h = (1,)\n"
                         "h += [2]\n"
                         "i = 1\n"
                         "(i) += 1\n"
                         "j = 1\n"
                         "j **= 2\n");
  EXPECT(c, "a", "[1, 2, 3]");
  EXPECT(c, "b", "'abab'");
  EXPECT(c, "c", "1");
  EXPECT(c, "d", "-2");
  EXPECT(c, "e", "'n=4'");
  EXPECT(c, "f", "unreadable@13"); /* / is not read */
  EXPECT(c, "g", "unreadable@14");
  EXPECT(c, "h", "unreadable@16"); /* tuple += list: TypeError */
  EXPECT(c, "i", "unreadable@18");
  EXPECT(c, "j", "unreadable@20");
  ss_confpy_free(c);
}

Test(confpy_statements, unreadable_is_one_assignment) {
  ss_confpy *c = S_parse("a = f(1)\n"
                         "b = x.y\n"
                         "c = [1][0]\n"
                         "d = 1 < 2\n"
                         "e = lambda: 1\n"
                         "f = 1 if a else 2\n"
                         "g = not a\n"
                         "h = 1 / 2\n"
                         "i = 2 ** 3\n"
                         "j = 1 2\n"
                         "k = [1,\n"
                         "     f(2)]\n"
                         "l = 'still read'\n"
                         "m = 'a' $ 'b'\n"
                         "n = ...\n"
                         "o = yield\n"
                         "p = 1\n"
                         "p = f()\n"
                         "q = 2\n");
  for (char name[2] = "a"; name[0] <= 'j'; name[0]++) {
    char want[20];
    snprintf(want, sizeof want, "unreadable@%d", name[0] - 'a' + 1);
    EXPECT(c, name, want);
  }
  EXPECT(c, "k", "unreadable@11");
  EXPECT(c, "l", "'still read'");
  EXPECT(c, "m", "unreadable@14");
  EXPECT(c, "n", "unreadable@15");
  EXPECT(c, "o", "unreadable@16");
  EXPECT(c, "p", "unreadable@18"); /* the last assignment counts */
  EXPECT(c, "q", "2");
  ss_confpy_free(c);
}

/* Names a statement may change are unreadable after it, not stale. */
Test(confpy_statements, names_other_statements_change) {
  ss_confpy *c = S_parse("a = b = c = d = e = g = h = k = m = n = 0\n"
                         "o = q = r = s = t = u = v = w = y = z = 0\n"
                         "if a:\n"
                         "    a = 1\n"
                         "elif b:\n"
                         "    pass\n"
                         "else:\n"
                         "    b = 2\n"
                         "for c in [1]:\n"
                         "    pass\n"
                         "c2 = 5\n"
                         "extensions = ['x']\n"
                         "extensions.append('y')\n"
                         "d[0] = 1\n"
                         "import os.path, sys as e\n"
                         "from m import (g, x as h)\n"
                         "with open(k) as m:\n"
                         "    pass\n"
                         "try:\n"
                         "    n = 1\n"
                         "except Exception as o:\n"
                         "    pass\n"
                         "finally:\n"
                         "    q = 1\n"
                         "del r, s.attr\n"
                         "(t := 1)\n"
                         "while False:\n"
                         "    u += 1\n"
                         "if True: v = 1; w = 2\n"
                         "async for y in z: pass\n"
                         "z.attr = 3\n");
  EXPECT(c, "a", "unreadable@4");
  EXPECT(c, "b", "unreadable@8");
  EXPECT(c, "c", "unreadable@9");
  EXPECT(c, "c2", "5");
  EXPECT(c, "extensions", "unreadable@13");
  EXPECT(c, "d", "unreadable@14");
  EXPECT(c, "os", "unreadable@15");
  EXPECT(c, "e", "unreadable@15");
  EXPECT(c, "sys", "unreadable@15"); /* more than Python binds: safe */
  EXPECT(c, "path", "unset");
  EXPECT(c, "g", "unreadable@16");
  EXPECT(c, "h", "unreadable@16");
  EXPECT(c, "m", "unreadable@17");
  EXPECT(c, "k", "0"); /* only read */
  EXPECT(c, "n", "unreadable@20");
  EXPECT(c, "o", "unreadable@21");
  EXPECT(c, "q", "unreadable@24");
  EXPECT(c, "r", "unreadable@25");
  EXPECT(c, "s", "unreadable@25");
  EXPECT(c, "t", "unreadable@26");
  EXPECT(c, "u", "unreadable@28");
  EXPECT(c, "v", "unreadable@29");
  EXPECT(c, "w", "unreadable@29");
  EXPECT(c, "y", "unreadable@30");
  EXPECT(c, "z", "unreadable@31");
  ss_confpy_free(c);
}

Test(confpy_statements, def_and_class_bodies_are_skipped) {
  ss_confpy *c = S_parse("a = 1\n"
                         "b = 2\n"
                         "@decorator\n"
                         "def setup(app):\n"
                         "    a = 2\n"
                         "    if app:\n"
                         "        b = 3\n"
                         "\n"
                         "    return a\n"
                         "class Config(object):\n"
                         "    a = 4\n"
                         "    def method(self): b = 5\n"
                         "if a:\n"
                         "    def helper():\n"
                         "        a = 6\n"
                         "    c = 7\n"
                         "async def later(): pass\n"
                         "d = [a, b]\n");
  EXPECT(c, "a", "1");
  EXPECT(c, "b", "2");
  EXPECT(c, "setup", "unreadable@4");
  EXPECT(c, "Config", "unreadable@10");
  EXPECT(c, "method", "unset");
  EXPECT(c, "helper", "unreadable@14");
  EXPECT(c, "c", "unreadable@16");
  EXPECT(c, "later", "unreadable@17");
  EXPECT(c, "d", "[1, 2]");
  ss_confpy_free(c);
}

Test(confpy_statements, tokens_lines_and_comments) {
  ss_confpy *c = S_parse("\xEF\xBB\xBF# coding: utf-8\n"
                         "a = 'x'  # a comment\r\n"
                         "\n"
                         "   \t\n"
                         "b = [  # c1\n"
                         "   1,  # c2\n"
                         "   2\n"
                         "]\n"
                         "c = '''one\n"
                         "two''' ; d = \\\n"
                         "  'four'\r"
                         "e = f(\n"
                         "  1)\n"
                         "g = 'no newline at the end'");
  EXPECT(c, "a", "'x'");
  EXPECT(c, "b", "[1, 2]");
  EXPECT(c, "c", "'one\\ntwo'");
  EXPECT(c, "d", "'four'");
  EXPECT(c, "e", "unreadable@12");
  EXPECT(c, "g", "'no newline at the end'");
  ss_confpy_free(c);
}

/* ---- The API ---------------------------------------------------------------
 */

Test(confpy_api, str_bool_strings) {
  ss_confpy *c = S_parse("s = 'text'\n"
                         "nul = 'a\\x00b'\n"
                         "l = ['a', 'b']\n"
                         "t = ('c',)\n"
                         "st = {'d', 'd', 'e'}\n"
                         "mixed = ['a', 1]\n"
                         "empty = []\n"
                         "withnul = ['a\\0']\n"
                         "n0 = 0\n"
                         "n1 = 2\n"
                         "f0 = 0.0\n"
                         "none = None\n"
                         "bad = f()\n"
                         "es = ''\n"
                         "ed = {}\n");
  cr_expect_str_eq(ss_confpy_str(c, "s"), "text");
  cr_expect_null(ss_confpy_str(c, "nul"));
  cr_expect_eq(ss_confpy_get(c, "nul")->len, 3);
  cr_expect_null(ss_confpy_str(c, "l"));
  cr_expect_null(ss_confpy_str(c, "missing"));
  const char *const *v;
  cr_expect_eq(ss_confpy_strings(c, "l", &v), 2);
  cr_expect_str_eq(v[0], "a");
  cr_expect_str_eq(v[1], "b");
  cr_expect_eq(ss_confpy_strings(c, "t", &v), 1);
  cr_expect_str_eq(v[0], "c");
  cr_expect_eq(ss_confpy_strings(c, "st", &v), 2);
  cr_expect_str_eq(v[1], "e");
  cr_expect_eq(ss_confpy_strings(c, "s", &v), 1);
  cr_expect_str_eq(v[0], "text");
  cr_expect_eq(ss_confpy_strings(c, "mixed", &v), 0);
  cr_expect_null(v);
  cr_expect_eq(ss_confpy_strings(c, "empty", &v), 0);
  cr_expect_null(v);
  cr_expect_not_null(ss_confpy_get(c, "empty"));
  cr_expect_eq(ss_confpy_strings(c, "withnul", &v), 0);
  cr_expect_eq(ss_confpy_strings(c, "bad", &v), 0);
  cr_expect_eq(ss_confpy_strings(c, "missing", &v), 0);
  cr_expect(ss_confpy_bool(c, "s", false));
  cr_expect(!ss_confpy_bool(c, "n0", true));
  cr_expect(ss_confpy_bool(c, "n1", false));
  cr_expect(!ss_confpy_bool(c, "f0", true));
  cr_expect(!ss_confpy_bool(c, "none", true));
  cr_expect(!ss_confpy_bool(c, "empty", true));
  cr_expect(!ss_confpy_bool(c, "es", true));
  cr_expect(!ss_confpy_bool(c, "ed", true));
  cr_expect(ss_confpy_bool(c, "l", false));
  cr_expect(ss_confpy_bool(c, "bad", true)); /* the fallback */
  cr_expect(!ss_confpy_bool(c, "missing", false));
  cr_expect_eq(ss_confpy_unreadable(c, "bad"), 13);
  cr_expect_eq(ss_confpy_unreadable(c, "s"), 0);
  cr_expect_eq(ss_confpy_unreadable(c, "missing"), 0);
  cr_expect_null(ss_confpy_get(c, "bad"));
  ss_confpy_free(c);

  c = ss_confpy_parse(NULL, 0);
  cr_expect_null(ss_confpy_get(c, "x"));
  ss_confpy_free(c);
  ss_confpy_free(NULL);
}

/* ---- The corpus: conf.py files as Python sees them
 * ---------------------------- */

static ss_confpy *S_corpus(const char *project) {
  char path[512];
  snprintf(path, sizeof path, "%s/corpus/%s-specs/doc/source/conf.py",
           SS_SHARED, project);
  size_t len;
  char *text = ss_read_file(path, &len);
  if (!text)
    cr_skip_test("%s not found: the corpus is in ../shared", path);
  ss_confpy *c = ss_confpy_parse(text, len);
  free(text);
  return c;
}

/* What every spec repository of the corpus shares. */
static void S_expect_common(const ss_confpy *c) {
  EXPECT(c, "master_doc", "'index'");
  EXPECT(c, "source_suffix", "'.rst'");
  EXPECT(c, "todo_include_todos", "True");
  EXPECT(c, "html_theme", "'nature'");
}

Test(confpy_corpus, fuel) {
  ss_confpy *c = S_corpus("fuel");
  S_expect_common(c);
  EXPECT(c, "project", "'Fuel Specs'");
  EXPECT(c, "copyright", "'2014, Fuel'");
  EXPECT(c, "exclude_patterns", "['_build']");
  EXPECT(c, "html_extra_path", "unset");
  EXPECT(c, "extensions",
         "['sphinx.ext.autodoc', 'sphinx.ext.intersphinx', "
         "'sphinx.ext.todo', 'sphinx.ext.viewcode', "
         "'sphinxcontrib.httpdomain']");
  /* What it computes by running code is not read. */
  EXPECT(c, "html_last_updated_fmt", "unreadable@129");
  EXPECT(c, "workdir", "unreadable@173");
  EXPECT(c, "header", "unreadable@178"); /* set inside a with block */
  ss_confpy_free(c);
}

Test(confpy_corpus, cinder) {
  ss_confpy *c = S_corpus("cinder");
  S_expect_common(c);
  EXPECT(c, "project", "'Cinder Specs'");
  EXPECT(c, "copyright", "unreadable@62"); /* datetime.date.today() */
  EXPECT(c, "exclude_patterns", "['_build', '**/template.rst']");
  EXPECT(c, "html_extra_path", "['_extra']");
  EXPECT(c, "extensions",
         "['sphinx.ext.autodoc', 'sphinx.ext.todo', 'sphinx.ext.viewcode']");
  ss_confpy_free(c);
}

Test(confpy_corpus, ironic) {
  ss_confpy *c = S_corpus("ironic");
  S_expect_common(c);
  EXPECT(c, "project", "'Ironic Specs'");
  EXPECT(c, "copyright", "unreadable@51");
  EXPECT(c, "exclude_patterns", "['_build', '**/template.rst']");
  EXPECT(c, "html_extra_path", "unset");
  EXPECT(c, "extensions",
         "['sphinx.ext.autodoc', 'sphinx.ext.todo', 'sphinx.ext.viewcode']");
  EXPECT(c, "openstackdocs_use_storyboard", "True");
  ss_confpy_free(c);
}

/* ---- Operators --------------------------------------------------------- */

Test(confpy_operators, numbers) {
  S_expect_expr("1 + 2 * 3", "7");
  S_expect_expr("-2 * 3", "-6");
  S_expect_expr("(1 + 2) * 3", "9");
  S_expect_expr("10 - 2 - 3", "5");
  S_expect_expr("- - 4", "4");
  S_expect_expr("+True", "1");
  S_expect_expr("7 % -3", "-2");
  S_expect_expr("-7 % 3", "2");
  S_expect_expr("-9223372036854775807 - 1", "-9223372036854775808");
  S_expect_expr("(-9223372036854775807 - 1) % -1", "0");
  S_expect_expr("True + True", "2");
  S_expect_expr("1.5 + 2", "3.5");
  S_expect_expr("2 * 1.25", "2.5");
  S_expect_expr("-7.5 % 2", "0.5");
  S_expect_expr("7.5 % -2", "-0.5");
  S_expect_expr("1e308 * 10", "inf");
  S_expect_expr("9223372036854775807 + 1", "unreadable@1");
  S_expect_expr("-(-9223372036854775807 - 1)", "unreadable@1");
  S_expect_expr("3037000500 * 3037000500", "unreadable@1");
  S_expect_expr("1 % 0", "unreadable@1");
  S_expect_expr("1.0 % 0", "unreadable@1");
  S_expect_expr("-'a'", "unreadable@1");
  S_expect_expr("1 - 'a'", "unreadable@1");
}

Test(confpy_operators, sequences) {
  S_expect_expr("'x' * 3 + '-' * 2", "'xxx--'");
  S_expect_expr("3 * 'ab'", "'ababab'");
  S_expect_expr("'a' * True", "'a'");
  S_expect_expr("'a' * -1", "''");
  S_expect_expr("('a', 'b') + ('c',)", "('a', 'b', 'c')");
  S_expect_expr("[1, 2] + [3] * 2", "[1, 2, 3, 3]");
  S_expect_expr("2 * (1, 'a')", "(1, 'a', 1, 'a')");
  S_expect_expr("[1] * -1", "[]");
  S_expect_expr("[] * 1000000000000", "[]");
  S_expect_expr("[[1]] * 2", "[[1], [1]]");
  S_expect_expr("'x' + 1", "unreadable@1");
  S_expect_expr("[1] + (2,)", "unreadable@1");
  S_expect_expr("'a' * 1.5", "unreadable@1");
  S_expect_expr("'a' - 'a'", "unreadable@1");
  S_expect_expr("{1: 2} + {3: 4}", "unreadable@1");
}

/* ---- str % args ---------------------------------------------------------- */

Test(confpy_percent, conversions) {
  S_expect_expr("'%s, %s' % ('x', 2)", "'x, 2'");
  S_expect_expr("'%s' % 'alone'", "'alone'");
  S_expect_expr("'%s, OpenStack Team' % 2014", "'2014, OpenStack Team'");
  S_expect_expr("'%5s|%-5s|%.2s' % ('\xc3\xa9', 'ab', 'xyz')",
                "'    \xc3\xa9|ab   |xy'"); /* widths count characters */
  S_expect_expr("'%05d|%+d|% d|%x|%X|%o|%#x|%#o' % (42, 3, 4, 255, 255, 8, "
                "255, 8)",
                "'00042|+3| 4|ff|FF|10|0xff|0o10'");
  S_expect_expr("'%x|%05x|%#x|%-4d|%.3d|%05.3d' % (-26, -255, 0, 7, 5, 5)",
                "'-1a|-00ff|0x0|7   |005|00005'");
  S_expect_expr("'%d %i %u' % (2.9, -2.9, True)", "'2 -2 1'");
  S_expect_expr("'%r %r %r' % ('a', [1, 'b'], {'k': (1,)})",
                "\"'a' [1, 'b'] {'k': (1,)}\"");
  S_expect_expr("'%(a)s-%(b)r-%(a)s' % {'a': 1, 'b': 'x'}", "\"1-'x'-1\"");
  S_expect_expr("'%(a(b))s' % {'a(b)': 1}", "'1'");
  S_expect_expr("'100%%' % ()", "'100%'");
  S_expect_expr("'%c%c%c' % (65, '\xc3\xa9', 0x1F600)",
                "'A\xc3\xa9\xf0\x9f\x98\x80'");
  S_expect_expr("'%.3f|%5.1f|%e|%g|%G|%f|%+.2e|%#g' % (1/1 if 0 else 2.5, "
                "2.25, 1234.5, 0.00001234, 1e20, 1, 12345.678, 1.0)",
                "unreadable@1"); /* the conditional: not read */
  S_expect_expr("'%.3f|%5.1f|%e|%g|%G|%f|%+.2e|%#g' % (2.5, 2.25, 1234.5, "
                "0.00001234, 1e20, 1, 12345.678, 1.0)",
                "'2.500|  2.2|1.234500e+03|1.234e-05|1E+20|1.000000|+1.23e+04|"
                "1.00000'");
  S_expect_expr("'%s %s %s %s %s' % (1.0, 1e16, 1e-5, 0.1 + 0.2, -0.0)",
                "'1.0 1e+16 1e-05 0.30000000000000004 -0.0'");
  S_expect_expr("'%s|%s|%s|%s' % ((1,), set(), None, True)", "unreadable@1");
  S_expect_expr("'%s|%s|%s' % ((1,), None, True)", "'(1,)|None|True'");
  S_expect_expr("'%s' % [{1}, {1: 2}, ()]", "'[{1}, {1: 2}, ()]'");
  S_expect_expr("'%r' % \"it's\"", "'\"it\\'s\"'");
  S_expect_expr("'%r' % 'a\"b\\'c'", "'\\'a\"b\\\\\\'c\\''");
  S_expect_expr("'%r' % '\\x00\\n\\x7f\\xa0\\u200b\\xe9'",
                "\"'\\\\x00\\\\n\\\\x7f\\\\xa0\\\\u200b\xc3\xa9'\"");
  S_expect_expr("'%s' % []", "'[]'");
  S_expect_expr("'abc' % []", "'abc'"); /* a list is a mapping to Python */
  S_expect_expr("'abc' % {}", "'abc'");
}

Test(confpy_percent, errors) {
  S_expect_expr("'%s' % (1, 2)", "unreadable@1");
  S_expect_expr("'%s %s' % ('x',)", "unreadable@1");
  S_expect_expr("'abc' % 5", "unreadable@1");
  S_expect_expr("'%(a)s' % ('x',)", "unreadable@1");
  S_expect_expr("'%(a)s' % {'b': 1}", "unreadable@1");
  S_expect_expr("'%(a' % {'a': 1}", "unreadable@1");
  S_expect_expr("'%d' % 'x'", "unreadable@1");
  S_expect_expr("'%x' % 1.5", "unreadable@1");
  S_expect_expr("'%f' % 'x'", "unreadable@1");
  S_expect_expr("'%c' % 'ab'", "unreadable@1");
  S_expect_expr("'%c' % -1", "unreadable@1");
  S_expect_expr("'%a' % 1", "unreadable@1");
  S_expect_expr("'%*d' % (3, 1)", "unreadable@1");
  S_expect_expr("'%y' % 1", "unreadable@1");
  S_expect_expr("'abc%' % ()", "unreadable@1");
  S_expect_expr("'%d' % 1e300", "unreadable@1");
  S_expect_expr("'%s' % f()", "unreadable@1");
}

/* ---- str.format and os.path.join ----------------------------------------- */

Test(confpy_format, fields) {
  S_expect_expr("'{} {}'.format(1, [2, 'x'])", "\"1 [2, 'x']\"");
  S_expect_expr("'{0}{1}{0}'.format('x', 'y')", "'xyx'");
  S_expect_expr("'{0}{x}{0!r}{x!s}'.format('a', x=2.0)", "\"a2.0'a'2.0\"");
  S_expect_expr("'{{}} {}'.format(1)", "'{} 1'");
  S_expect_expr("'{}'.format('unused', 'extra')", "'unused'");
  S_expect_expr("'a' 'b{}'.format(1)", "'ab1'");
  S_expect_expr("('{}' + '{}').format(1, 2)", "'12'");
  S_expect_expr("'{}'.format('{}').format(3)", "'3'");
  S_expect_expr("'{}{0}'.format(1)", "unreadable@1");
  S_expect_expr("'{0}{}'.format(1)", "unreadable@1");
  S_expect_expr("'{1}'.format(1)", "unreadable@1");
  S_expect_expr("'{x}'.format(1)", "unreadable@1");
  S_expect_expr("'{0:>5}'.format(1)", "unreadable@1");
  S_expect_expr("'{0.real}'.format(1)", "unreadable@1");
  S_expect_expr("'{0[0]}'.format([1])", "unreadable@1");
  S_expect_expr("'{!a}'.format(1)", "unreadable@1");
  S_expect_expr("'{'.format(1)", "unreadable@1");
  S_expect_expr("'}'.format(1)", "unreadable@1");
  S_expect_expr("'{x}'.format(x=1, x=2)", "unreadable@1");
  S_expect_expr("'{}'.format(x=1, 2)", "unreadable@1");
  S_expect_expr("'{}'.format(*a)", "unreadable@1");
  S_expect_expr("(1).format()", "unreadable@1");
  S_expect_expr("'x'.upper()", "unreadable@1");
}

Test(confpy_format, os_path_join) {
  ss_confpy *c = S_parse("import os\n"
                         "base = 'doc'\n"
                         "a = os.path.join(base, 'source')\n"
                         "b = os.path.join('a', '/b', 'c', '')\n"
                         "c = os.path.join('', 'x')\n"
                         "d = os.path.join('a', 1)\n"
                         "e = os.path.join()\n"
                         "f = os.path.join('a', sep='/')\n"
                         "g = os.path.abspath('.')\n"
                         "h = os.path.join(os.path.join('a', 'b'), 'c')\n");
  EXPECT(c, "a", "'doc/source'");
  EXPECT(c, "b", "'/b/c/'");
  EXPECT(c, "c", "'x'");
  EXPECT(c, "d", "unreadable@6");
  EXPECT(c, "e", "unreadable@7");
  EXPECT(c, "f", "unreadable@8");
  EXPECT(c, "g", "unreadable@9");
  EXPECT(c, "h", "'a/b/c'");
  EXPECT(c, "os", "unreadable@1");
  ss_confpy_free(c);
}

/* ---- Hostile input: no crash, no deep stack, no unbounded memory -------- */

/* head, open n times, mid, close n times, tail. */
static char *S_nest(const char *head, const char *open, size_t n,
                    const char *mid, const char *close, const char *tail) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_puts(&b, head);
  for (size_t i = 0; i < n; i++)
    ss_buf_puts(&b, open);
  ss_buf_puts(&b, mid);
  for (size_t i = 0; i < n; i++)
    ss_buf_puts(&b, close);
  ss_buf_puts(&b, tail);
  return ss_buf_detach(&b);
}

typedef struct {
  const char *src;
  size_t len;
  ss_confpy *c;
} S_job;

static void *S_parse_job(void *arg) {
  S_job *job = arg;
  job->c = ss_confpy_parse(job->src, job->len);
  return NULL;
}

/* Parses on a thread with a 1 MB stack: input nested 100,000 deep would
 * need far more if the reader recursed once per level. */
static ss_confpy *S_parse_small_stack(const char *src, size_t len) {
  pthread_attr_t attr;
  pthread_t t;
  S_job job = {src, len, NULL};
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 1 << 20);
  cr_assert_eq(pthread_create(&t, &attr, S_parse_job, &job), 0);
  pthread_join(t, NULL);
  pthread_attr_destroy(&attr);
  return job.c;
}

/* x, nested n deep, is "readable" or unreadable; the next line is read. */
static void S_expect_nested(const char *head, const char *open, size_t n,
                            const char *mid, const char *close,
                            const char *tail, const char *want) {
  char *src = S_nest(head, open, n, mid, close, tail);
  ss_buf all = SS_BUF_INIT;
  ss_buf_printf(&all, "%s\nafter = 'read'\n", src);
  ss_confpy *c = S_parse_small_stack(all.data, all.len);
  char *got = ss_confpy_get(c, "x") ? ss_xstrdup("readable") : S_value(c, "x");
  cr_expect_str_eq(got, want, "x = %s%s... (%zu deep) is %s, not %s", head,
                   open, n, got, want);
  EXPECT(c, "after", "'read'");
  free(got);
  ss_confpy_free(c);
  ss_buf_free(&all);
  free(src);
}

Test(confpy_hostile, nesting_is_bounded) {
  S_expect_nested("x = ", "[", 64, "", "]", "", "readable");
  S_expect_nested("x = ", "[", 65, "", "]", "", "unreadable@1");
  S_expect_nested("x = ", "[", 100000, "", "]", "", "unreadable@1");
  S_expect_nested("x = ", "(", 100000, "1", ")", "", "unreadable@1");
  S_expect_nested("x = ", "{1: ", 100000, "1", "}", "", "unreadable@1");
  S_expect_nested("x = ", "-", 64, "1", "", "", "readable");
  S_expect_nested("x = ", "-", 65, "1", "", "", "unreadable@1");
  S_expect_nested("x = ", "-", 1000000, "1", "", "", "unreadable@1");
  S_expect_nested("x = ", "'{}'.format(", 64, "1", ")", "", "readable");
  S_expect_nested("x = ", "'{}'.format(", 100000, "1", ")", "", "unreadable@1");
  S_expect_nested("x = ", "os.path.join('a', ", 100000, "'b'", ")", "",
                  "unreadable@1");
  S_expect_nested("", "(", 64, "x", ")", " = 1", "readable");
  S_expect_nested("", "(", 65, "x", ")", " = 1", "unreadable@1");
  S_expect_nested("", "[", 100000, "x", "]", " = [1]", "unreadable@1");
  S_expect_nested("", "*", 100000, "x", "", ", y = 1, 2", "unreadable@1");
}

/* A value built from names nests no deeper than one built in brackets. */
Test(confpy_hostile, values_nested_through_names) {
  char *src =
      S_nest("a = []\n", "a = [a]\n", 63, "b = a\n", "a = [a]\n", "c = 1\n");
  ss_confpy *c = S_parse_small_stack(src, strlen(src));
  cr_expect_not_null(ss_confpy_get(c, "b"));
  EXPECT(c, "a", "unreadable@128");
  EXPECT(c, "c", "1");
  ss_confpy_free(c);
  free(src);
  src = S_nest("a = []\n", "a = [a]\n", 64, "", "", "");
  c = S_parse(src);
  EXPECT(c, "a", "unreadable@65"); /* the 64th wrapping */
  ss_confpy_free(c);
  free(src);
}

Test(confpy_hostile, values_are_bounded) {
  size_t room = SS_CONFPY_MAX_VALUE - sizeof(ss_py_value) - 1;
  ss_buf src = SS_BUF_INIT;
  ss_buf_printf(&src,
                "a = 'a' * 10 ** 9\n"
                "b = 'a' * 1000000000\n"
                "c = ['a'] * 1000000000\n"
                "d = 'a' * 1000000\n"
                "e = [d, d]\n"
                "f = d + d\n"
                "g = [[1] * 1000] * 1000\n"
                "h = 'a' * %zu\n"
                "i = 'a' * %zu\n"
                "j = '%%1000000s' %% 'x'\n"
                "k = '%%999999999s' %% 'x'\n"
                "l = '%%.2000000f' %% 1.0\n"
                "m = ('{0}' * 300000).format('abcd')\n"
                "n = ('%%s' * 300000) %% (('abcd',) * 300000)\n"
                "o = [1] * 18000\n"
                "p = o + o\n"
                "after = 'read'\n",
                room, room + 1);
  ss_confpy *c = S_parse(src.data);
  for (const char *n = "abcefg"; *n; n++) {
    char name[2] = {*n, 0}, want[20];
    snprintf(want, sizeof want, "unreadable@%d", *n - 'a' + 1);
    EXPECT(c, name, want);
  }
  cr_expect_eq(ss_confpy_get(c, "d")->len, 1000000);
  cr_expect_eq(ss_confpy_get(c, "h")->len, room);
  EXPECT(c, "i", "unreadable@9");
  cr_expect_eq(ss_confpy_get(c, "j")->len, 1000000);
  EXPECT(c, "k", "unreadable@11");
  EXPECT(c, "l", "unreadable@12");
  EXPECT(c, "m", "unreadable@13");
  EXPECT(c, "n", "unreadable@14");
  cr_expect_eq(ss_confpy_get(c, "o")->n, 18000);
  EXPECT(c, "p", "unreadable@16");
  EXPECT(c, "after", "'read'");
  ss_confpy_free(c);
  ss_buf_free(&src);
}

/* 64 MB of values, then nothing more: later assignments are unreadable,
 * new names are not kept (and unreadable from where the budget ran out). */
Test(confpy_hostile, budget_is_bounded) {
  ss_buf src = SS_BUF_INIT;
  ss_buf_puts(&src, "w = 1\nx = 'a' * 1000000\n");
  for (int i = 0; i < 100; i++)
    ss_buf_printf(&src, "y%d = x\n", i);
  ss_buf_puts(&src, "w = 2\nz = 3\n");
  ss_confpy *c = S_parse(src.data);
  int first = -1;
  for (int i = 0; i < 100; i++) {
    char name[8];
    snprintf(name, sizeof name, "y%d", i);
    if (first < 0 && !ss_confpy_get(c, name))
      first = i;
    if (first >= 0)
      cr_expect_null(ss_confpy_get(c, name), "%s after y%d", name, first);
  }
  /* 64 MiB hold x and some 63 copies of its 1 MB. */
  cr_expect(first >= 60 && first <= 66, "the budget ran out at y%d", first);
  cr_expect_eq(ss_confpy_get(c, "x")->len, 1000000);
  EXPECT(c, "w", "unreadable@103");
  int spent = first + 3; /* y<first>'s line */
  cr_expect_eq(ss_confpy_unreadable(c, "y99"), spent);
  cr_expect_eq(ss_confpy_unreadable(c, "z"), spent);
  cr_expect_eq(ss_confpy_unreadable(c, "never_assigned"), spent);
  ss_confpy_free(c);
  ss_buf_free(&src);

  /* Quadratic work is paid for too: 'ab' + 'ab' + ... spends it all. */
  char *chain = S_nest("x = 'ab'", " + 'ab'", 1000, "\n", "", "");
  c = S_parse(chain);
  cr_expect_eq(ss_confpy_get(c, "x")->len, 2002);
  ss_confpy_free(c);
  free(chain);
  chain = S_nest("x = 'ab'", " + 'ab'", 200000, "\ny = 1\n", "", "");
  c = S_parse(chain);
  EXPECT(c, "x", "unreadable@1");
  EXPECT(c, "y", "unreadable@1");
  ss_confpy_free(c);
  free(chain);
}

Test(confpy_hostile, unterminated) {
  ss_confpy *c = S_parse("x = 'abc\n"
                         "y = 2\n"
                         "z = r'\\'\n"
                         "a = 1\n"
                         "b = '''never\n"
                         "closed\n");
  EXPECT(c, "x", "unreadable@1");
  EXPECT(c, "y", "2");
  EXPECT(c, "z", "unreadable@3");
  EXPECT(c, "a", "1");
  EXPECT(c, "b", "unreadable@5");
  ss_confpy_free(c);
  c = S_parse("x = [1,\ny = 2\n");
  EXPECT(c, "x", "unreadable@1");
  EXPECT(c, "y", "unset"); /* inside the bracket */
  ss_confpy_free(c);
  c = S_parse("x = 1\nx = \\");
  EXPECT(c, "x", "unreadable@2");
  ss_confpy_free(c);
  char *src = S_nest("x = 1\nx = ", "(", 1000000, "", "", "");
  c = S_parse_small_stack(src, strlen(src));
  EXPECT(c, "x", "unreadable@2");
  ss_confpy_free(c);
  free(src);
}

Test(confpy_hostile, nul_bytes_and_invalid_utf8) {
  static const char src[] = "x = 'a\0b'\n"
                            "y = 'a\\x00b'\n"
                            "\0\n"
                            "w = 2\n"
                            "v \0 = 3\n"
                            "u = '\xff\xfe'\n"
                            "# \xff in a comment\n"
                            "t = '\xc3\xa9'\n"
                            "s = '\xed\xa0\x80'\n"
                            "r = '\xc0\xaf'\n"
                            "q = '\xf4\x90\x80\x80'\n"
                            "p = '\xe2\x82'\n";
  ss_confpy *c = ss_confpy_parse(src, sizeof src - 1);
  EXPECT(c, "x", "unreadable@1");
  cr_expect_eq(ss_confpy_get(c, "y")->len, 3);
  EXPECT(c, "w", "2");
  EXPECT(c, "v", "unreadable@5");
  EXPECT(c, "u", "unreadable@6");
  EXPECT(c, "t", "'\xc3\xa9'");
  EXPECT(c, "s", "unreadable@9");  /* a surrogate */
  EXPECT(c, "r", "unreadable@10"); /* overlong */
  EXPECT(c, "q", "unreadable@11"); /* past U+10FFFF */
  EXPECT(c, "p", "unreadable@12"); /* truncated */
  ss_confpy_free(c);
}

Test(confpy_hostile, big_containers_stay_linear) {
  ss_buf src = SS_BUF_INIT;
  ss_buf_puts(&src, "a = {");
  for (int i = 0; i < 200000; i++)
    ss_buf_printf(&src, "%d: %d, ", i % 50, i);
  ss_buf_puts(&src, "}\nb = {");
  for (int i = 0; i < 200000; i++)
    ss_buf_printf(&src, "'k%d', ", i % 50);
  ss_buf_puts(&src, "}\nc = {");
  for (int i = 0; i < 200000; i++)
    ss_buf_printf(&src, "%d: 1, ", i);
  ss_buf_puts(&src, "}\nd = ");
  for (int i = 0; i < 200000; i++)
    ss_buf_puts(&src, "d = ");
  ss_buf_puts(&src, "'x'\ne = ");
  for (int i = 0; i < 200000; i++)
    ss_buf_puts(&src, "e, ");
  ss_buf_puts(&src, "= 1\n");
  ss_confpy *c = S_parse(src.data);
  cr_expect_eq(ss_confpy_get(c, "a")->n, 100);
  cr_expect_eq(ss_confpy_get(c, "a")->items[99].i, 199999);
  cr_expect_eq(ss_confpy_get(c, "b")->n, 50);
  EXPECT(c, "c", "unreadable@3"); /* past one value's bytes */
  EXPECT(c, "d", "'x'");
  EXPECT(c, "e", "unreadable@5");
  ss_confpy_free(c);
  ss_buf_free(&src);
}

/* A pseudo-random sequence, the same on every run. */
static uint64_t S_rand(uint64_t *s) {
  *s = *s * 6364136223846793005u + 1442695040888963407u;
  return *s >> 33;
}

Test(confpy_hostile, ten_megabytes, .timeout = 120) {
  size_t len = 10u << 20;
  char *text = ss_xmalloc(len);
  uint64_t seed = 1;
  for (size_t i = 0; i < len; i++) /* random bytes */
    text[i] = (char)S_rand(&seed);
  ss_confpy_free(ss_confpy_parse(text, len));

  static const char *const soup[] = {
      "x = [", "(",          ")",           "]",    "'a'",      "\"\"\"",
      "1",     " + ",        " * ",         "%",    "\n",       ",",
      "{",     "}",          ":",           "if ",  "    ",     "\\\n",
      "#",     "y",          "=",           "'%s'", ".format(", "",
      "\xff",  "def f():\n", "import os\n", "-",    ";"};
  size_t n = 0;
  while (n < len - 16) { /* conf.py's tokens in any order; "" is a NUL */
    const char *t = soup[S_rand(&seed) % (sizeof soup / sizeof *soup)];
    size_t tl = *t ? strlen(t) : 1;
    memcpy(text + n, t, tl);
    n += tl;
  }
  ss_confpy_free(S_parse_small_stack(text, n));

  ss_buf b = SS_BUF_INIT; /* one string literal of 10 MB */
  ss_buf_puts(&b, "x = '");
  while (b.len < len)
    ss_buf_puts(&b, "abcdefghijklmnopqrstuvwxyz");
  ss_buf_puts(&b, "'\nafter = 'read'\n");
  ss_confpy *c = ss_confpy_parse(b.data, b.len);
  EXPECT(c, "x", "unreadable@1");
  EXPECT(c, "after", "'read'");
  ss_confpy_free(c);

  ss_buf_clear(&b); /* 10 MB of conf.py statements */
  int copies = 0;
  while (b.len < len) {
    ss_buf_printf(&b,
                  "# A comment to make the file long without making values, "
                  "so that the budget holds 10 MB of these blocks.\n"
                  "project = 'Specs %d'\n"
                  "extensions = ['sphinx.ext.autodoc', 'sphinx.ext.todo']\n"
                  "exclude_patterns = ['_build', '**/template.rst']\n"
                  "copyright = '%%s, Team' %% datetime.date.today().year\n"
                  "latex_documents = [('index', 'specs.tex', 'Specs',\n"
                  "                    'Team', 'manual')]\n"
                  "if project:\n"
                  "    html_theme = 'nature'\n"
                  "def setup(app):\n"
                  "    pass\n",
                  copies++);
  }
  c = ss_confpy_parse(b.data, b.len);
  char want[40];
  snprintf(want, sizeof want, "'Specs %d'", copies - 1);
  EXPECT(c, "project", want);
  EXPECT(c, "extensions", "['sphinx.ext.autodoc', 'sphinx.ext.todo']");
  cr_expect_eq(ss_confpy_unreadable(c, "copyright"), 11 * copies - 6);
  cr_expect_eq(ss_confpy_unreadable(c, "html_theme"), 11 * copies - 2);
  ss_confpy_free(c);
  ss_buf_free(&b);
  free(text);
}
