/* confpy.h — Sphinx's conf.py read as data, never executed.
 *
 * A spec repository's doc/source/conf.py says what Sphinx builds: the
 * project's name, master_doc, exclude_patterns, source_suffix, the
 * extensions. specsite reads those values without running Python: a
 * conf.py is code from the repository (fuel-specs' runs git and writes
 * index.rst), and a renderer of untrusted specs must not execute it.
 *
 * What is read: the top-level (column 0) statements `name = expr`,
 * `a = b = expr`, `a, b = expr` (unpacking a list or tuple of as many
 * items, nested targets too), `name: T = expr` and `name += expr`
 * (also -=, *= and %=: Python's name = name + expr, except that a list
 * += takes a tuple too), with Python 3's tokens: comments, brackets
 * spanning lines, backslash continuations, `;`, every string literal
 * form (quotes, triple quotes, prefixes r u b f, escapes, 'a' 'b'). An
 * expression may be a string, int, float, True/False/None, list,
 * tuple (with or without parentheses), dict, set, unary - and +,
 * + - * on numbers, + on str/list/tuple, * of str/list/tuple by an int,
 * % on ints and floats, str % args (%s %r %d %i %u %x %X %o %e %E %f
 * %F %g %G %c %%, flags, width, precision, %(key)s), '...'.format(...)
 * on any str value with {} {0} {name} and !r/!s, os.path.join(str,
 * ...), and a name assigned earlier at the top level (its value then,
 * as Python would have it). str() and repr() are Python's, except that
 * among non-ASCII characters repr() escapes only the Unicode spaces,
 * U+00AD, U+200B-U+200F, U+2028-U+202E, U+2060-U+2064, U+FEFF and
 * private use (Python escapes every character its tables call
 * unprintable).
 *
 * Anything else makes that one assignment unreadable and the rest of the
 * file is still read: a call (datetime.date.today().year), attribute
 * access, subscripts, comprehensions, comparisons, / // ** and the other
 * operators, an unassigned name, bytes values, \N{...} and surrogate escapes,
 * an f-string with fields, format specs in .format fields, %a, a width or
 * precision given as '*' or larger than a value may be, integers outside
 * int64 (so -2**63 written as a literal too), a starred target,
 * unpacking a str, dict or set, and anything past the limits below.
 * Other statements (imports, def and class with their bodies,
 * if/try/for/while/with, decorators, expression statements) are
 * skipped, but a name they may change is made unreadable rather than
 * left with a value Sphinx would not see: one assigned in the body of
 * an if/try/for/while/with, a for target, a name after `as`, an
 * imported name, a `del`eted one, a def or class name, `x := ...`, the
 * first name of another augmented target ((a) += 1), and `name.attr
 * ...` or `name[...]` at the start of a statement (extensions.append(...)).
 * Not caught: changes made through a second name for the same list,
 * `from m import *`, names bound by `case` patterns, and anything code
 * in a def does when called.
 *
 * Bounded: nesting at most SS_CONFPY_MAX_DEPTH (brackets, unary signs,
 * targets, and values built from names), one value at most
 * SS_CONFPY_MAX_VALUE bytes (sizeof (ss_py_value) for it and each item,
 * plus a str's bytes and its NUL), and all values made while reading
 * (copies, repetitions, formatting, the names kept) at most
 * SS_CONFPY_BUDGET bytes. Input past a limit makes its assignment
 * unreadable; once the budget is spent it stays spent, so every later
 * assignment is unreadable and a name first seen after that is not
 * kept. The parser never recurses deeper than the nesting limit, and
 * never fails.
 */
#ifndef SS_CONFPY_H
#define SS_CONFPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SS_CONFPY_MAX_DEPTH 64
#define SS_CONFPY_MAX_VALUE (1u << 20)
#define SS_CONFPY_BUDGET (64u << 20)

typedef enum {
  SS_PY_NONE,
  SS_PY_BOOL,
  SS_PY_INT,
  SS_PY_FLOAT,
  SS_PY_STR,
  SS_PY_LIST,
  SS_PY_TUPLE,
  SS_PY_DICT,
  SS_PY_SET
} ss_py_kind;

/* A Python value. Strings are UTF-8 (checked), NUL-terminated, and may
 * hold NULs of their own ("\x00"): `len` is their length. A dict's
 * `items` are key, value, key, value ... in insertion order, so `n` is
 * twice its length; a set keeps its first-seen order (Python's is
 * arbitrary), without duplicates. */
typedef struct ss_py_value {
  ss_py_kind kind;
  bool b;    /* SS_PY_BOOL */
  int64_t i; /* SS_PY_INT */
  double f;  /* SS_PY_FLOAT */
  char *str; /* SS_PY_STR */
  size_t len;
  struct ss_py_value *items; /* SS_PY_LIST, _TUPLE, _DICT, _SET */
  size_t n;
} ss_py_value;

typedef struct ss_confpy ss_confpy;

/* Reads `len` bytes of conf.py (any bytes; NULL with 0 is an empty
 * file). Never fails; the caller frees the result. */
ss_confpy *ss_confpy_parse(const char *text, size_t len);

/* The value of the last top-level assignment of `name`; NULL when the
 * file never assigns it or when it is unreadable. Owned by `c`. */
const ss_py_value *ss_confpy_get(const ss_confpy *c, const char *name);

/* The line of the statement that made `name` unreadable, 0 when it is
 * readable or never assigned; for a name not kept past the budget, the
 * line where the budget was spent. */
int ss_confpy_unreadable(const ss_confpy *c, const char *name);

/* The value of `name` when it is a str without NULs, else NULL. */
const char *ss_confpy_str(const ss_confpy *c, const char *name);

/* Python's truth value of `name` (False, None, 0, "" and empty
 * containers are false); `fallback` when unassigned or unreadable. */
bool ss_confpy_bool(const ss_confpy *c, const char *name, bool fallback);

/* The strings of `name` when it is a list, tuple or set of str (a lone
 * str counts as a list of one), none holding a NUL: sets *out to an
 * array owned by `c` and returns its length. Otherwise *out = NULL and
 * 0 (as for an empty list: ss_confpy_get tells them apart). */
size_t ss_confpy_strings(const ss_confpy *c, const char *name,
                         const char *const **out);

/* Frees everything ss_confpy_parse made. NULL is allowed. */
void ss_confpy_free(ss_confpy *c);

#endif
