/* directives.c — directive dispatch and the body directives.
 *
 * A directive's block is split into arguments, options and content by
 * the directive's specification, exactly as Docutils'
 * parse_directive_block does: whether the first lines are arguments
 * depends on whether the directive takes any. Each directive is then one
 * handler that appends nodes.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../util/utf8.h"
#include "directives.h"

typedef rst_dspec S_spec;

/* --- helpers ------------------------------------------------------- */

const char *rst_dir_option(const rst_directive *d, const char *name) {
  for (int i = 0; i < d->noptions; i++)
    if (strcmp(d->option_names[i], name) == 0)
      return d->option_values[i];
  return NULL;
}

void rst_dir_join(const rst_line *lines, int n, ss_buf *out) {
  for (int i = 0; i < n; i++) {
    if (i)
      ss_buf_putc(out, '\n');
    ss_buf_put(out, lines[i].text, (size_t)lines[i].len);
  }
}

void rst_dir_source(const rst_directive *d, ss_buf *out) {
  ss_buf_printf(out, ".. %s::", d->name);
  for (int i = 0; i < d->nblock; i++) {
    if (i == 0) {
      if (d->block[0].len)
        ss_buf_putc(out, ' ');
    } else {
      /* Blank lines stay empty, as in the source. */
      ss_buf_puts(out, d->block[i].len ? "\n   " : "\n");
    }
    ss_buf_put(out, d->block[i].text, (size_t)d->block[i].len);
  }
}

void rst_dir_error(rst_parser *p, const rst_directive *d, ss_node *parent,
                   const char *msg) {
  ss_buf src = SS_BUF_INIT;
  rst_dir_source(d, &src);
  ss_node_append(parent,
                 rst_report(p, SS_LEVEL_ERROR, d->lineno, src.data,
                            "Error in \"%s\" directive:\n%s", d->name, msg));
  ss_buf_free(&src);
}

void rst_dir_content(rst_parser *p, const rst_directive *d, ss_node *node) {
  if (d->ncontent)
    rst_parse_body(p, d->content, d->ncontent, node);
}

/* Other bytes are kept (Docutils would transliterate). */
void rst_dir_make_id(const char *s, size_t len, ss_buf *out) {
  bool hyphen = false;
  for (size_t k = 0; k < len; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c - 'A' + 'a');
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (!alnum) {
      hyphen = true;
      continue;
    }
    if (!out->len && !(c >= 'a' && c <= 'z') && c < 0x80)
      continue;
    if (hyphen && out->len)
      ss_buf_putc(out, '-');
    hyphen = false;
    ss_buf_putc(out, (char)c);
  }
}

void rst_dir_add_classes(ss_node *node, const char *value) {
  if (!value)
    return;
  const char *s = value;
  while (*s) {
    while (*s == ' ' || *s == '\n')
      s++;
    const char *e = s;
    while (*e && *e != ' ' && *e != '\n')
      e++;
    if (e > s) {
      ss_buf cls = SS_BUF_INIT;
      rst_dir_make_id(s, (size_t)(e - s), &cls);
      if (cls.len)
        ss_node_attr_add(node, "classes", cls.data);
      ss_buf_free(&cls);
    }
    s = e;
  }
}

bool rst_dir_need_content(rst_parser *p, const rst_directive *d,
                          ss_node *parent) {
  if (d->ncontent)
    return false;
  /* A directive's own complaint: Docutils prints it without the
   * "Error in ... directive" prefix that markup errors get. */
  ss_buf src = SS_BUF_INIT;
  rst_dir_source(d, &src);
  ss_node_append(parent, rst_report(p, SS_LEVEL_ERROR, d->lineno, src.data,
                                    "Content block expected for the \"%s\" "
                                    "directive; none found.",
                                    d->name));
  ss_buf_free(&src);
  return true;
}

void rst_dir_inline(rst_parser *p, const char *text, int lineno, ss_node *node,
                    ss_node *messages) {
  rst_parse_inline(p, text, strlen(text), lineno, node, messages);
}

void rst_dir_add_name(ss_node *node, const rst_directive *d) {
  const char *name = rst_dir_option(d, "name");
  if (name && *name) {
    ss_buf norm = SS_BUF_INIT;
    rst_normalize_name(name, strlen(name), &norm);
    ss_node_attr_add(node, "names", norm.data);
    ss_buf_free(&norm);
  }
}

/* --- admonitions and other body containers -------------------------- */

/* A directive's node that Docutils gives no line of its own takes the
 * state machine's when it is appended (RST_ATTACH_LINE); what is built
 * inside it before has none. */
static void S_run_container(rst_parser *p, const S_spec *spec,
                            const rst_directive *d, ss_node *parent) {
  if (rst_dir_need_content(p, d, parent))
    return;
  ss_node *node =
      ss_node_append(parent, ss_node_new(spec->kind, RST_ATTACH_LINE));
  if (spec->klass)
    ss_node_attr_add(node, "classes", spec->klass);
  rst_dir_add_classes(node, rst_dir_option(d, "class"));
  rst_dir_add_name(node, d);
  rst_dir_content(p, d, node);
}

/* The generic admonition's title has the directive's line; a topic's or
 * sidebar's none (Sphinx then gives it the topic's). */
static void S_run_titled(rst_parser *p, const S_spec *spec,
                         const rst_directive *d, ss_node *parent) {
  ss_node *node =
      ss_node_append(parent, ss_node_new(spec->kind, RST_ATTACH_LINE));
  if (spec->klass)
    ss_node_attr_add(node, "classes", spec->klass);
  rst_dir_add_classes(node, rst_dir_option(d, "class"));
  rst_dir_add_name(node, d);
  ss_node *messages = ss_node_new(SS_DOCUMENT, d->lineno);
  if (d->args && *d->args) {
    ss_node *title = ss_node_append(
        node,
        ss_node_new(SS_TITLE, spec->kind == SS_ADMONITION ? d->lineno : 0));
    rst_parse_inline(p, d->args, strlen(d->args), d->lineno, title, messages);
  }
  const char *subtitle = rst_dir_option(d, "subtitle");
  if (subtitle) {
    ss_node *st = ss_node_append(node, ss_node_new(SS_SUBTITLE, 0));
    rst_parse_inline(p, subtitle, strlen(subtitle), d->lineno, st, messages);
  }
  ss_node_move_children(messages, node);
  ss_node_free(messages);
  rst_dir_content(p, d, node);
}

static void S_run_rubric(rst_parser *p, const S_spec *spec,
                         const rst_directive *d, ss_node *parent) {
  (void)spec;
  ss_node *node =
      ss_node_append(parent, ss_node_new(SS_RUBRIC, RST_ATTACH_LINE));
  rst_dir_add_classes(node, rst_dir_option(d, "class"));
  rst_dir_add_name(node, d);
  rst_parse_inline(p, d->args, strlen(d->args), d->lineno, node, parent);
}

static void S_run_block_quote(rst_parser *p, const S_spec *spec,
                              const rst_directive *d, ss_node *parent) {
  /* Docutils' block_quote: at the content's first line. */
  ss_node *bq =
      ss_node_append(parent, ss_node_new(SS_BLOCK_QUOTE, d->content_lineno));
  ss_node_attr_add(bq, "classes", spec->klass);
  rst_dir_content(p, d, bq);
  /* An attribution inside the content belongs to this quote. */
  if (bq->first && bq->first->kind == SS_BLOCK_QUOTE && !bq->first->next) {
    ss_node *inner = bq->first;
    ss_node_move_children(inner, bq);
    ss_node_free(inner);
  }
}

static void S_run_parsed_literal(rst_parser *p, const S_spec *spec,
                                 const rst_directive *d, ss_node *parent) {
  (void)spec;
  ss_buf text = SS_BUF_INIT;
  rst_dir_join(d->content, d->ncontent, &text);
  ss_node *lit =
      ss_node_append(parent, ss_node_new(SS_LITERAL_BLOCK, d->content_lineno));
  rst_dir_add_classes(lit, rst_dir_option(d, "class"));
  rst_dir_add_name(lit, d);
  /* The block is at its first line, its markup read at the directive's. */
  rst_parse_inline(p, text.data ? text.data : "", text.len, d->lineno, lit,
                   parent);
  ss_buf_free(&text);
}

/* Docutils' LineBlock (the line-block directive): one line per line of
 * content, its text read at the directive's line plus the line's
 * offset in the content, nested by indentation as a line block is. The
 * block takes the state machine's line; what it holds none. */
static void S_run_line_block(rst_parser *p, const S_spec *spec,
                             const rst_directive *d, ss_node *parent) {
  (void)spec;
  if (rst_dir_need_content(p, d, parent))
    return;
  ss_node *block = ss_node_new(SS_LINE_BLOCK, RST_ATTACH_LINE);
  rst_dir_add_classes(block, rst_dir_option(d, "class"));
  rst_dir_add_name(block, d);
  ss_node *messages = ss_node_new(SS_DOCUMENT, d->lineno);
  rst_lbline *items = ss_xmalloc(sizeof *items * (size_t)d->ncontent);
  /* Docutils reads a line at lineno + content_offset (its 0-based line
   * in the document), counting from there. */
  int offset = d->content_lineno - 1;
  for (int i = 0; i < d->ncontent; i++) {
    const rst_line *l = &d->content[i];
    int b = 0;
    while (b < l->len && l->text[b] == ' ')
      b++;
    ss_node *line = ss_node_new(SS_LINE, 0);
    if (b < l->len)
      rst_parse_inline(p, l->text + b, (size_t)(l->len - b),
                       d->lineno + offset + i, line, messages);
    items[i].node = line;
    /* An empty line keeps the indentation of the one before. */
    items[i].indent = b < l->len ? b : i ? items[i - 1].indent : 0;
  }
  rst_nest_line_block(block, items, d->ncontent, 0);
  free(items);
  ss_node_append(parent, block);
  ss_node_move_children(messages, parent);
  ss_node_free(messages);
}

/* Docutils' Title: the document's title (Sphinx puts it in the page's
 * <title>), and nothing in the body. */
static void S_run_title(rst_parser *p, const S_spec *spec,
                        const rst_directive *d, ss_node *parent) {
  (void)spec, (void)parent;
  ss_node_attr_set(p->document, "title", d->args_raw ? d->args_raw : d->args);
}

static void S_run_highlight(rst_parser *p, const S_spec *spec,
                            const rst_directive *d, ss_node *parent) {
  (void)spec, (void)parent;
  free((char *)p->highlight_language);
  p->highlight_language = ss_xstrdup(d->args);
}

static void S_run_default_role(rst_parser *p, const S_spec *spec,
                               const rst_directive *d, ss_node *parent) {
  (void)spec, (void)parent;
  free((char *)p->default_role);
  p->default_role = *d->args ? ss_xstrdup(d->args) : NULL;
}

/* --- images -------------------------------------------------------- */

/* Characters Python's str.isprintable() refuses besides the controls
 * (separators, format characters, surrogates, private use, the
 * non-characters): repr() escapes them. */
static bool S_unprintable(int32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD ||
         (cp >= 0x600 && cp <= 0x605) || cp == 0x61C || cp == 0x6DD ||
         cp == 0x70F || cp == 0x1680 || cp == 0x180E ||
         (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
         (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 ||
         (cp >= 0xD800 && cp <= 0xF8FF) || cp == 0xFEFF ||
         (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFE || cp == 0xFFFF ||
         cp >= 0xF0000;
}

void rst_py_repr(const char *v, size_t len, ss_buf *out) {
  char quote = memchr(v, '\'', len) && !memchr(v, '"', len) ? '"' : '\'';
  ss_buf_putc(out, quote);
  for (size_t k = 0; k < len;) {
    int32_t cp;
    size_t n = ss_utf8_decode(v + k, len - k, &cp);
    if (cp == quote || cp == '\\')
      ss_buf_printf(out, "\\%c", (char)cp);
    else if (cp == '\t')
      ss_buf_puts(out, "\\t");
    else if (cp == '\n')
      ss_buf_puts(out, "\\n");
    else if (cp == '\r')
      ss_buf_puts(out, "\\r");
    else if (!S_unprintable(cp))
      ss_buf_put(out, v + k, n);
    else if (cp < 0x100)
      ss_buf_printf(out, "\\x%02x", (unsigned)cp);
    else if (cp < 0x10000)
      ss_buf_printf(out, "\\u%04x", (unsigned)cp);
    else
      ss_buf_printf(out, "\\U%08x", (unsigned)cp);
    k += n;
  }
  ss_buf_putc(out, quote);
}

static void S_py_repr(const char *v, ss_buf *out) {
  rst_py_repr(v, strlen(v), out);
}

bool rst_py_int(const char *s, size_t len, long long *v) {
  size_t k = 0, n;
  while (k < len && (n = (size_t)rst_space_len(s + k, len - k)))
    k += n;
  while (len > k) { /* the last character, whole, while it is a space */
    size_t last = len - 1;
    while (last > k && ((unsigned char)s[last] & 0xC0) == 0x80)
      last--;
    if ((size_t)rst_space_len(s + last, len - last) != len - last)
      break;
    len = last;
  }
  bool neg = false;
  if (k < len && (s[k] == '+' || s[k] == '-'))
    neg = s[k++] == '-';
  if (k >= len)
    return false;
  long long value = 0;
  bool digit = false;
  for (; k < len; k++) {
    if (s[k] == '_' && digit && k + 1 < len && s[k + 1] >= '0' &&
        s[k + 1] <= '9')
      continue;
    if (s[k] < '0' || s[k] > '9')
      return false;
    digit = true;
    value =
        value > (LLONG_MAX - 9) / 10 ? LLONG_MAX : value * 10 + (s[k] - '0');
  }
  *v = neg ? -value : value;
  return true;
}

bool rst_dir_int_option(rst_parser *p, const rst_directive *d, ss_node *parent,
                        const char *name, long *v, bool *bad) {
  const char *s = rst_dir_option(d, name);
  if (!s)
    return false;
  long long value;
  if (!rst_py_int(s, strlen(s), &value)) {
    ss_buf msg = SS_BUF_INIT;
    ss_buf_printf(&msg, "invalid option value: (option: \"%s\"; value: ", name);
    rst_py_repr(s, strlen(s), &msg);
    ss_buf_puts(&msg, ")\ninvalid literal for int() with base 10: ");
    rst_py_repr(s, strlen(s), &msg);
    ss_buf_putc(&msg, '.');
    rst_dir_error(p, d, parent, msg.data);
    ss_buf_free(&msg);
    *bad = true;
    return false;
  }
  *v = value > LONG_MAX ? LONG_MAX : value < LONG_MIN ? LONG_MIN : (long)value;
  return true;
}

static const char *const S_length_units[] = {"em", "ex", "px", "in", "cm",
                                             "mm", "pt", "pc", NULL};

/* Docutils' get_measure: "<number> *<unit>$", the number made of digits
 * and points that float() reads, the unit one of the length units
 * (when `lengths`), "%" (when `percent`) or none (when `unitless`).
 * Appends "<number><unit>". */
static bool S_get_measure(const char *v, bool lengths, bool percent,
                          bool unitless, ss_buf *out) {
  size_t n = 0, digits = 0, points = 0;
  while (v[n] == '.' || (v[n] >= '0' && v[n] <= '9')) {
    digits += v[n] != '.';
    points += v[n] == '.';
    n++;
  }
  if (!digits || points > 1)
    return false;
  const char *unit = v + n;
  while (*unit == ' ')
    unit++;
  bool ok = (unitless && !*unit) || (percent && !strcmp(unit, "%"));
  for (int k = 0; lengths && !ok && S_length_units[k]; k++)
    ok = !strcmp(unit, S_length_units[k]);
  if (ok) {
    ss_buf_put(out, v, n);
    ss_buf_puts(out, unit);
  }
  return ok;
}

/* The message get_measure's ValueError carries. */
static void S_measure_error(bool percent, bool unitless, ss_buf *msg) {
  ss_buf_puts(msg, "not a positive measure of one of the following units:\n");
  for (int k = 0; S_length_units[k]; k++)
    ss_buf_printf(msg, "\"%s\" ", S_length_units[k]);
  ss_buf_puts(msg, percent ? "\"%\"" : "");
  ss_buf_puts(msg, unitless ? "\"\"" : "");
}

/* Docutils' converters of the image and figure options whose values are
 * measures: height (length_or_unitless), width
 * (length_or_percentage_or_unitless), figwidth ("image", or the same
 * with "px" for a bare number) and scale (percentage: an integer, "%"
 * allowed). Appends the normalised value; on a bad one returns false
 * with Docutils' message in *msg. Other options are copied. */
static bool S_convert_measure(const char *name, const char *v, ss_buf *out,
                              ss_buf *msg) {
  bool ok = true;
  ss_buf reason = SS_BUF_INIT;
  if (!strcmp(name, "height")) {
    if (!(ok = S_get_measure(v, true, false, true, out)))
      S_measure_error(false, true, &reason);
  } else if (!strcmp(name, "width") || !strcmp(name, "figwidth")) {
    bool fig = name[0] == 'f';
    if (fig && !strcasecmp(v, "image")) {
      ss_buf_puts(out, "image");
    } else if (S_get_measure(v, true, true, false, out)) {
    } else if (S_get_measure(v, false, false, true, out)) {
      if (fig)
        ss_buf_puts(out, "px");
    } else {
      ok = false;
      S_measure_error(true, false, &reason);
    }
  } else if (!strcmp(name, "scale")) {
    /* int() of the value without its trailing spaces and "%". */
    size_t len = strlen(v);
    while (len && (v[len - 1] == ' ' || v[len - 1] == '%'))
      len--;
    char *num = ss_xstrndup(v, len), *end;
    errno = 0;
    long value = strtol(num, &end, 10);
    while (*end == ' ' || *end == '\n')
      end++;
    if (end == num || *end || errno) {
      ok = false;
      ss_buf_puts(&reason, "invalid literal for int() with base 10: ");
      S_py_repr(num, &reason);
    } else if (value < 0) {
      ok = false;
      ss_buf_puts(&reason, "negative value; must be positive or zero");
    } else {
      ss_buf_printf(out, "%ld", value);
    }
    free(num);
  } else {
    ss_buf_puts(out, v);
  }
  if (!ok) {
    ss_buf_printf(msg, "invalid option value: (option: \"%s\"; value: ", name);
    S_py_repr(v, msg);
    ss_buf_printf(msg, ")\n%s.", reason.data);
  }
  ss_buf_free(&reason);
  return ok;
}

/* Docutils' Image.align_values (the vertical ones first) and
 * Figure.align_h_values: directives.choice() of the lower-cased value. */
static const char *const S_align_values[] = {"top",  "middle", "bottom",
                                             "left", "center", "right"};

static bool S_align_valid(const char *v, bool figure, ss_buf *msg) {
  size_t first = figure ? 3 : 0, n = 6;
  ss_buf low = SS_BUF_INIT;
  for (const char *c = v; *c; c++)
    ss_buf_putc(&low, (char)tolower((unsigned char)*c));
  bool ok = false;
  for (size_t i = first; i < n && !ok; i++)
    ok = low.data && strcmp(low.data, S_align_values[i]) == 0;
  ss_buf_free(&low);
  if (ok)
    return true;
  ss_buf_puts(msg, "invalid option value: (option: \"align\"; value: ");
  S_py_repr(v, msg);
  ss_buf_printf(msg, ")\n\"%s\" unknown; choose from ", v);
  for (size_t i = first; i < n; i++)
    ss_buf_printf(msg, "%s\"%s\"",
                  i == first   ? ""
                  : i + 1 == n ? ", or "
                               : ", ",
                  S_align_values[i]);
  ss_buf_puts(msg, ".");
  return false;
}

/* align, as choice() returns it: lower-cased. */
static void S_set_align(ss_node *n, const char *align) {
  if (!align)
    return;
  char *low = ss_xstrdup(align);
  for (char *c = low; *c; c++)
    *c = (char)tolower((unsigned char)*c);
  ss_node_attr_set(n, "align", low);
  free(low);
}

/* Docutils converts every option before the directive runs: the first
 * bad measure or align (in the source's order) replaces the directive by
 * an error. */
static bool S_measures_valid(rst_parser *p, const rst_directive *d,
                             ss_node *parent) {
  for (int k = 0; k < d->noptions; k++) {
    ss_buf out = SS_BUF_INIT, msg = SS_BUF_INIT;
    bool ok = strcmp(d->option_names[k], "align") == 0
                  ? S_align_valid(d->option_values[k],
                                  strcmp(d->name, "figure") == 0, &msg)
                  : S_convert_measure(d->option_names[k], d->option_values[k],
                                      &out, &msg);
    if (!ok)
      rst_dir_error(p, d, parent, msg.data);
    ss_buf_free(&out);
    ss_buf_free(&msg);
    if (!ok)
      return false;
  }
  return true;
}

/* The converted value of option `name`, or NULL when not given. */
static char *S_measure_option(const rst_directive *d, const char *name) {
  const char *v = rst_dir_option(d, name);
  if (!v)
    return NULL;
  ss_buf out = SS_BUF_INIT, msg = SS_BUF_INIT;
  S_convert_measure(name, v, &out, &msg);
  ss_buf_free(&msg);
  return out.data ? ss_buf_detach(&out) : ss_xstrdup("");
}

/* The image (or the reference around it, for :target:) is appended to
 * parent with line `line`; what is inside has none. */
static ss_node *S_image(rst_parser *p, const rst_directive *d, ss_node *parent,
                        int line) {
  /* The URI is the argument with whitespace removed. */
  ss_buf uri = SS_BUF_INIT;
  for (const char *s = d->args; *s; s++)
    if (*s != ' ' && *s != '\n')
      ss_buf_putc(&uri, *s);
  ss_node *img = ss_node_new(SS_IMAGE, line);
  rst_dir_add_classes(img, rst_dir_option(d, "class"));
  rst_dir_add_name(img, d);
  const char *alt = rst_dir_option(d, "alt");
  if (alt)
    ss_node_attr_set(img, "alt", alt);
  S_set_align(img, rst_dir_option(d, "align"));
  static const char *const measures[] = {"height", "width", "scale"};
  for (size_t k = 0; k < sizeof measures / sizeof *measures; k++) {
    char *v = S_measure_option(d, measures[k]);
    if (v)
      ss_node_attr_set(img, measures[k], v);
    free(v);
  }
  ss_node_attr_set(img, "uri", uri.data ? uri.data : "");
  ss_buf_free(&uri);
  const char *target = rst_dir_option(d, "target");
  (void)p;
  if (target) {
    /* Docutils reads the value as a target's block: a reference name
     * makes a reference by name, resolved like any other. */
    ss_node *ref = ss_node_new(SS_REFERENCE, line);
    img->line = 0;
    ss_buf name = SS_BUF_INIT, refuri = SS_BUF_INIT;
    if (rst_parse_target(target, strlen(target), &name, &refuri)) {
      ss_buf norm = SS_BUF_INIT, shown = SS_BUF_INIT;
      rst_normalize_name(name.data, name.len, &norm);
      rst_ws_normalize_name(name.data, name.len, &shown);
      ss_node_attr_set(ref, "name", shown.data ? shown.data : "");
      ss_node_attr_set(ref, "refname", norm.data ? norm.data : "");
      ss_buf_free(&norm);
      ss_buf_free(&shown);
    } else {
      ss_node_attr_set(ref, "refuri", refuri.data ? refuri.data : "");
    }
    ss_buf_free(&name);
    ss_buf_free(&refuri);
    ss_node_append(ref, img);
    ss_node_append(parent, ref);
  } else {
    ss_node_append(parent, img);
  }
  return img;
}

static void S_run_image(rst_parser *p, const S_spec *spec,
                        const rst_directive *d, ss_node *parent) {
  (void)spec;
  if (!S_measures_valid(p, d, parent))
    return;
  /* Image.run: an image in the text aligns left, center or right; one in
   * a substitution definition, top, middle or bottom. */
  const char *align = rst_dir_option(d, "align");
  if (align) {
    bool vertical = false, horizontal = false;
    for (size_t i = 0; i < 6; i++)
      if (strcasecmp(align, S_align_values[i]) == 0)
        *(i < 3 ? &vertical : &horizontal) = true;
    if (d->substitution ? !vertical : !horizontal) {
      ss_buf msg = SS_BUF_INIT;
      ss_buf_printf(
          &msg,
          "Error in \"%s\" directive: \"%s\" is not a valid value for the "
          "\"align\" option%s.  Valid values for \"align\" are: %s.",
          d->name, align,
          d->substitution ? " within a substitution definition" : "",
          d->substitution ? "\"top\", \"middle\", \"bottom\""
                          : "\"left\", \"center\", \"right\"");
      ss_buf src = SS_BUF_INIT;
      rst_dir_source(d, &src);
      ss_node_append(parent, rst_report(p, SS_LEVEL_ERROR, d->lineno, src.data,
                                        "%s", msg.data));
      ss_buf_free(&src);
      ss_buf_free(&msg);
      return;
    }
  }
  S_image(p, d, parent, RST_ATTACH_LINE);
}

static void S_run_figure(rst_parser *p, const S_spec *spec,
                         const rst_directive *d, ss_node *parent) {
  (void)spec;
  if (!S_measures_valid(p, d, parent))
    return;
  bool attached = p->directive_attached; /* the content changes it */
  ss_node *fig =
      ss_node_append(parent, ss_node_new(SS_FIGURE, RST_ATTACH_LINE));
  rst_dir_add_classes(fig, rst_dir_option(d, "figclass"));
  const char *align = rst_dir_option(d, "align");
  S_set_align(fig, align);
  /* "image" asks for the image's own width, which Docutils reads with
   * PIL when it is installed; Sphinx 5.3 on Debian 12 has no PIL, so the
   * figure gets no width, as here. */
  char *figwidth = S_measure_option(d, "figwidth");
  if (figwidth && strcmp(figwidth, "image") != 0)
    ss_node_attr_set(fig, "width", figwidth);
  free(figwidth);
  /* The image itself takes no align when the figure does. */
  rst_directive inner = *d;
  ss_node *img = S_image(p, &inner, fig, 0);
  if (align)
    ss_node_attr_remove(img, "align");
  if (!d->ncontent)
    return;
  ss_node *body = ss_node_new(SS_DOCUMENT, d->content_lineno);
  rst_parse_body(p, d->content, d->ncontent, body);
  ss_node *first = body->first;
  if (first && first->kind == SS_PARAGRAPH) {
    ss_node *cap = ss_node_append(fig, ss_node_new(SS_CAPTION, first->line));
    ss_node_move_children(first, cap);
    ss_node_free(first);
  } else if (first && first->kind != SS_COMMENT) {
    ss_node_append(fig, rst_report(p, SS_LEVEL_ERROR, d->content_lineno, NULL,
                                   "Figure caption must be a paragraph or "
                                   "empty comment."));
  } else if (first) {
    ss_node_free(first);
  }
  if (body->first) {
    ss_node *legend = ss_node_append(fig, ss_node_new(SS_LEGEND, 0));
    ss_node_move_children(body, legend);
  }
  ss_node_free(body);
  /* Sphinx's Figure: a figure of an image and a caption takes the
   * caption's line. Not its source, which only appending it to a node
   * in the document gives: without one, Sphinx's source workaround
   * gives the image a source and no line, not the figure's. */
  if (fig->first && fig->first->next && !fig->first->next->next &&
      fig->first->next->kind == SS_CAPTION) {
    fig->line = fig->first->next->line;
    if (!attached && img->line == 0)
      img->line = RST_NO_LINE;
  }
}

/* --- contents ------------------------------------------------------ */

/* The table of contents is built by a transform once ids exist; the
 * reader leaves a topic with a `pending` child saying what to build. */
static void S_run_contents(rst_parser *p, const S_spec *spec,
                           const rst_directive *d, ss_node *parent) {
  (void)spec;
  /* Docutils' Contents: the line before the one its state machine stands
   * at, the last of the block (get_source_and_line() - 1). */
  ss_node *topic = ss_node_append(
      parent, ss_node_new(SS_TOPIC, d->block[d->nblock - 1].lineno - 1));
  ss_node_attr_add(topic, "classes", "contents");
  rst_dir_add_classes(topic, rst_dir_option(d, "class"));
  if (rst_dir_option(d, "local"))
    ss_node_attr_add(topic, "classes", "local");
  const char *title = *d->args ? d->args : NULL;
  if (title || !rst_dir_option(d, "local")) {
    ss_node *t = ss_node_append(topic, ss_node_new(SS_TITLE, 0));
    if (title)
      rst_parse_inline(p, title, strlen(title), d->lineno, t, parent);
    else
      ss_node_append(t, ss_text_new("Contents", 8, d->lineno));
  }
  ss_buf name = SS_BUF_INIT;
  ss_node_text_content(topic, &name);
  ss_buf norm = SS_BUF_INIT;
  rst_normalize_name(name.data ? name.data : "contents",
                     name.len ? name.len : 8, &norm);
  ss_node_attr_add(topic, "names", norm.data);
  ss_buf_free(&name);
  ss_buf_free(&norm);
  ss_node *pending = ss_node_append(topic, ss_node_new(SS_PENDING, 0));
  ss_node_attr_set(pending, "transform", "contents");
  const char *depth = rst_dir_option(d, "depth");
  if (depth)
    ss_node_attr_set(pending, "depth", depth);
  if (rst_dir_option(d, "local"))
    ss_node_attr_set(pending, "local", "1");
  const char *backlinks = rst_dir_option(d, "backlinks");
  if (backlinks)
    ss_node_attr_set(pending, "backlinks", backlinks);
}

/* --- raw ---------------------------------------------------------- */

static void S_run_raw(rst_parser *p, const S_spec *spec, const rst_directive *d,
                      ss_node *parent) {
  (void)spec;
  if (!p->opts->raw_enabled) {
    ss_buf src = SS_BUF_INIT;
    rst_dir_source(d, &src);
    ss_node_append(parent, rst_report(p, SS_LEVEL_WARNING, d->lineno, src.data,
                                      "\"raw\" directive disabled."));
    ss_buf_free(&src);
    return;
  }
  /* Docutils' Raw.run, with file insertion on (Sphinx's default) for
   * files inside the tree, as include reads them; no URL is fetched. */
  const char *file = rst_dir_option(d, "file");
  const char *url = rst_dir_option(d, "url");
  const char *complaint = NULL;
  if (d->ncontent && (file || url))
    complaint = "\"raw\" directive may not both specify an external file "
                "and have content.";
  else if (file && url)
    complaint = "The \"file\" and \"url\" options may not be "
                "simultaneously specified for the \"raw\" directive.";
  ss_level level = SS_LEVEL_ERROR;
  ss_buf text = SS_BUF_INIT, msg = SS_BUF_INIT;
  if (!complaint && !d->ncontent && url) {
    level = SS_LEVEL_WARNING;
    complaint = "\"raw\" directive disabled: specsite fetches no URL (its "
                ":url: option).";
  } else if (!complaint && !d->ncontent && file) {
    ss_buf path = SS_BUF_INIT;
    size_t len = 0;
    rst_file_status status;
    char *data = rst_read_included(p, file, &path, &len, &status);
    if (data) {
      ss_buf_put(&text, data, len);
      free(data);
    } else {
      level = SS_LEVEL_SEVERE;
      ss_buf_printf(&msg, "Problems with \"raw\" directive path:\n%s.",
                    status == RST_FILE_FAILED
                        ? strerror(errno)
                        : "the file is missing or outside the source tree");
      complaint = msg.data;
    }
    ss_buf_free(&path);
  } else if (!complaint && rst_dir_need_content(p, d, parent)) {
    return;
  }
  if (complaint) {
    ss_buf src = SS_BUF_INIT;
    rst_dir_source(d, &src);
    ss_node_append(parent,
                   rst_report(p, level, d->lineno, src.data, "%s", complaint));
    ss_buf_free(&src);
    ss_buf_free(&msg);
    ss_buf_free(&text);
    return;
  }
  if (d->ncontent)
    rst_dir_join(d->content, d->ncontent, &text);
  ss_node *raw = ss_node_append(parent, ss_node_new(SS_RAW, d->lineno));
  /* ' '.join(argument.lower().split()) */
  ss_buf format = SS_BUF_INIT;
  for (const char *c = d->args; *c;) {
    while (*c == ' ' || *c == '\n' || *c == '\t')
      c++;
    if (!*c)
      break;
    if (format.len)
      ss_buf_putc(&format, ' ');
    while (*c && *c != ' ' && *c != '\n' && *c != '\t')
      ss_buf_putc(&format, (char)tolower((unsigned char)*c++));
  }
  ss_node_attr_set(raw, "format", format.data ? format.data : "");
  ss_buf_free(&format);
  ss_node_append(raw,
                 ss_text_new(text.data ? text.data : "", text.len, d->lineno));
  ss_buf_free(&text);
}

/* --- substitution directives --------------------------------------- */

static void S_run_replace(rst_parser *p, const S_spec *spec,
                          const rst_directive *d, ss_node *parent) {
  (void)spec;
  ss_buf text = SS_BUF_INIT;
  rst_dir_join(d->content, d->ncontent, &text);
  ss_node *para = ss_node_append(parent, ss_node_new(SS_PARAGRAPH, d->lineno));
  rst_parse_inline(p, text.data ? text.data : "", text.len, d->content_lineno,
                   para, parent);
  ss_buf_free(&text);
}

static void S_run_unicode(rst_parser *p, const S_spec *spec,
                          const rst_directive *d, ss_node *parent) {
  (void)p, (void)spec;
  /* Codes (0x.., U+.., &#x..;, decimal) and text, separated by spaces;
   * ".." starts a comment. */
  ss_buf out = SS_BUF_INIT;
  const char *s = d->args;
  while (*s) {
    while (*s == ' ')
      s++;
    const char *e = s;
    while (*e && *e != ' ')
      e++;
    if (e - s == 2 && s[0] == '.' && s[1] == '.')
      break;
    char *tok = ss_xstrndup(s, (size_t)(e - s));
    char *num = tok;
    int base = 10;
    if (!strncmp(num, "0x", 2) || !strncmp(num, "U+", 2) ||
        !strncmp(num, "u+", 2) || !strncmp(num, "\\x", 2) ||
        !strncmp(num, "\\u", 2))
      num += 2, base = 16;
    else if (!strncmp(num, "&#x", 3))
      num += 3, base = 16;
    else if (num[0] == 'x')
      num += 1, base = 16;
    char *endp;
    long cp = strtol(num, &endp, base);
    if (endp != num && (*endp == 0 || *endp == ';') && cp > 0 &&
        cp <= 0x10FFFF) {
      ss_utf8_encode((int32_t)cp, &out);
    } else {
      ss_buf_puts(&out, tok);
    }
    free(tok);
    s = e;
  }
  ss_node_append_text(parent, out.data ? out.data : "", out.len, d->lineno);
  ss_buf_free(&out);
  /* Unicode.run: :trim:, :ltrim: and :rtrim: mark the definition (the
   * reader copies them from the node the directive ran in); the
   * substitution transform takes the whitespace around each reference
   * away. */
  if (d->substitution) {
    bool trim = rst_dir_option(d, "trim") != NULL;
    if (trim || rst_dir_option(d, "ltrim"))
      ss_node_attr_set(parent, "ltrim", "1");
    if (trim || rst_dir_option(d, "rtrim"))
      ss_node_attr_set(parent, "rtrim", "1");
  }
}

/* --- rst-class ----------------------------------------------------- */

/* Docutils' class directive, which Sphinx names rst-class (and
 * cssclass), "class" being its Python domain's: the classes go on each
 * element of the content, or without content on the next element, which
 * a transform finds once the document is read. */
static void S_run_class(rst_parser *p, const S_spec *spec,
                        const rst_directive *d, ss_node *parent) {
  (void)spec;
  ss_node *holder = ss_node_new(SS_DOCUMENT, d->lineno);
  rst_dir_add_classes(holder, d->args);
  if (!ss_node_attr_get(holder, "classes")) {
    ss_buf msg = SS_BUF_INIT;
    ss_buf_printf(&msg,
                  "Invalid class attribute value for \"%s\" directive: "
                  "\"%s\".",
                  d->name, d->args);
    rst_dir_error(p, d, parent, msg.data);
    ss_buf_free(&msg);
    ss_node_free(holder);
    return;
  }
  if (d->ncontent) {
    ss_node *body = ss_node_new(SS_DOCUMENT, d->content_lineno);
    rst_parse_body(p, d->content, d->ncontent, body);
    while (body->first) {
      ss_node *n = ss_node_append(parent, ss_node_unlink(body->first));
      /* Parsed into a node outside the document, then appended: what had
       * no line takes the state machine's. */
      if (n->line == 0)
        n->line = RST_ATTACH_LINE;
      for (const ss_attr *a = ss_node_attr_next(holder, "classes", NULL); a;
           a = ss_node_attr_next(holder, "classes", a))
        ss_node_attr_add(n, "classes", a->value);
    }
    ss_node_free(body);
  } else {
    ss_node *pending =
        ss_node_append(parent, ss_node_new(SS_PENDING, RST_ATTACH_LINE));
    ss_node_attr_set(pending, "transform", "class");
    ss_node_attr_set(pending, "directive", d->name);
    for (const ss_attr *a = ss_node_attr_next(holder, "classes", NULL); a;
         a = ss_node_attr_next(holder, "classes", a))
      ss_node_attr_add(pending, "classes", a->value);
    ss_buf src = SS_BUF_INIT;
    rst_dir_source(d, &src);
    ss_node_attr_set(pending, "source_text", src.data);
    ss_buf_free(&src);
  }
  ss_node_free(holder);
}

/* --- sectnum ------------------------------------------------------- */

/* Docutils' Sectnum: the numbers are added by a transform once every
 * section is read; the reader leaves what to number pending. */
static void S_run_sectnum(rst_parser *p, const S_spec *spec,
                          const rst_directive *d, ss_node *parent) {
  (void)spec;
  static const char *const ints[] = {"depth", "start"};
  for (size_t k = 0; k < sizeof ints / sizeof *ints; k++) {
    const char *v = rst_dir_option(d, ints[k]);
    char *end;
    if (!v)
      continue;
    strtol(v, &end, 10);
    while (*end == ' ')
      end++;
    if (end == v || *end) {
      ss_buf msg = SS_BUF_INIT;
      ss_buf_printf(&msg,
                    "invalid option value: (option: \"%s\"; value: ", ints[k]);
      S_py_repr(v, &msg);
      ss_buf_puts(&msg, ")\ninvalid literal for int() with base 10: ");
      S_py_repr(v, &msg);
      ss_buf_putc(&msg, '.');
      rst_dir_error(p, d, parent, msg.data);
      ss_buf_free(&msg);
      return;
    }
  }
  ss_node *pending =
      ss_node_append(parent, ss_node_new(SS_PENDING, RST_ATTACH_LINE));
  ss_node_attr_set(pending, "transform", "sectnum");
  static const char *const keep[] = {"depth", "start", "prefix", "suffix"};
  for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
    const char *v = rst_dir_option(d, keep[k]);
    if (v)
      ss_node_attr_set(pending, keep[k], v);
  }
}

/* --- header, footer, meta ------------------------------------------- */

/* Where Docutils puts the document's decoration and meta elements:
 * before the first child that is not a title, subtitle, rubric or meta
 * element. */
static ss_node *S_after_titles(rst_parser *p) {
  ss_node *c = p->document->first;
  while (c && (c->kind == SS_TITLE || c->kind == SS_SUBTITLE ||
               c->kind == SS_RUBRIC || c->kind == SS_META))
    c = c->next;
  return c;
}

/* Docutils' document.get_decoration(): made once, where it belongs. */
static ss_node *S_decoration(rst_parser *p) {
  for (ss_node *c = p->document->first; c; c = c->next)
    if (c->kind == SS_DECORATION)
      return c;
  ss_node *dec = ss_node_new(SS_DECORATION, 0);
  ss_node *before = S_after_titles(p);
  return before ? ss_node_insert_before(before, dec)
                : ss_node_append(p->document, dec);
}

/* header and footer: the content goes into the decoration's header
 * (its first child) or footer (its last), made when missing. */
static void S_run_decoration(rst_parser *p, const S_spec *spec,
                             const rst_directive *d, ss_node *parent) {
  if (rst_dir_need_content(p, d, parent))
    return;
  ss_node *dec = S_decoration(p);
  ss_node *part;
  if (spec->kind == SS_HEADER) {
    part = dec->first && dec->first->kind == SS_HEADER
               ? dec->first
               : ss_node_prepend(dec, ss_node_new(SS_HEADER, d->lineno));
  } else {
    part = dec->last && dec->last->kind == SS_FOOTER
               ? dec->last
               : ss_node_append(dec, ss_node_new(SS_FOOTER, d->lineno));
  }
  rst_dir_content(p, d, part);
}

/* One meta tag's "name" token (or name=value tokens) as attributes;
 * false with Docutils' complaint (extract_name_value's) when a token
 * after the first is no name=value pair. */
static bool S_meta_attrs(ss_node *meta, const char *name, ss_buf *err) {
  bool first = true, ok = true;
  for (const char *s = name; *s && ok;) {
    while (*s == ' ' || *s == '\n')
      s++;
    if (!*s)
      break;
    const char *e = s;
    while (*e && *e != ' ' && *e != '\n')
      e++;
    char *tok = ss_xstrndup(s, (size_t)(e - s));
    char *eq = strchr(tok, '=');
    if (eq && eq > tok && eq[1]) {
      *eq = '\0';
      char *value = eq + 1;
      size_t vl = strlen(value);
      if ((value[0] == '"' || value[0] == '\'') && vl >= 2 &&
          value[vl - 1] == value[0]) {
        value[vl - 1] = '\0';
        value++;
      }
      for (char *z = tok; *z; z++)
        if (*z >= 'A' && *z <= 'Z')
          *z = (char)(*z - 'A' + 'a');
      ss_node_attr_set(meta, tok, value);
    } else if (first) {
      ss_node_attr_set(meta, "name", tok);
    } else {
      ss_buf_printf(err, "Error parsing meta tag attribute \"%s\": ", tok);
      if (!eq)
        ss_buf_puts(err, "missing \"=\".");
      else if (eq == tok)
        ss_buf_puts(err, "missing attribute name before \"=\".");
      else
        ss_buf_printf(err, "missing value after \"%.*s=\".", (int)(eq - tok),
                      tok);
      ok = false;
    }
    first = false;
    free(tok);
    s = e;
  }
  return ok;
}

/* Docutils' Meta: a field list whose fields become meta elements
 * (":name: content", the name possibly "attr=value" pairs), put at the
 * start of the document. */
static void S_run_meta(rst_parser *p, const S_spec *spec,
                       const rst_directive *d, ss_node *parent) {
  (void)spec;
  if (rst_dir_need_content(p, d, parent))
    return;
  ss_node *holder = ss_node_new(SS_DOCUMENT, d->lineno);
  for (int i = 0; i < d->ncontent;) {
    const rst_line *l = &d->content[i];
    if (!l->len) {
      i++;
      continue;
    }
    /* The field name ends at the last ":" followed by a space. */
    int close = -1;
    if (l->len >= 3 && l->text[0] == ':' && l->text[1] != ' ' &&
        l->text[1] != ':')
      for (int k = 2; k < l->len; k++)
        if (l->text[k] == ':' && l->text[k - 1] != ' ' &&
            l->text[k - 1] != '\\' &&
            (k + 1 == l->len || l->text[k + 1] == ' ')) {
          close = k;
          break;
        }
    if (close < 0) {
      ss_buf src = SS_BUF_INIT;
      rst_dir_source(d, &src);
      ss_node_append(holder, rst_report(p, SS_LEVEL_ERROR, d->lineno, src.data,
                                        "Invalid meta directive."));
      ss_buf_free(&src);
      break;
    }
    ss_buf name = SS_BUF_INIT, content = SS_BUF_INIT;
    rst_unescape(l->text + 1, (size_t)(close - 1), &name);
    int col = close + 1;
    while (col < l->len && l->text[col] == ' ')
      col++;
    /* The field body: the rest of the line and the indented lines. */
    ss_buf_put(&content, l->text + col, (size_t)(l->len - col));
    int j = i + 1;
    while (j < d->ncontent &&
           (!d->content[j].len || d->content[j].text[0] == ' '))
      j++;
    int last = j;
    while (last > i + 1 && !d->content[last - 1].len)
      last--;
    for (int k = i + 1; k < last; k++) {
      const rst_line *x = &d->content[k];
      int a = 0;
      while (a < x->len && x->text[a] == ' ')
        a++;
      if (content.len && x->len)
        ss_buf_putc(&content, ' ');
      ss_buf_put(&content, x->text + a, (size_t)(x->len - a));
    }
    ss_buf text = SS_BUF_INIT;
    rst_unescape(content.data ? content.data : "", content.len, &text);
    if (!content.len) {
      ss_node_append(holder,
                     rst_report(p, SS_LEVEL_INFO, l->lineno, NULL,
                                "No content for meta tag \"%s\".", name.data));
    } else {
      ss_node *meta = ss_node_new(SS_META, l->lineno);
      ss_node_attr_set(meta, "content", text.data);
      ss_buf err = SS_BUF_INIT;
      if (S_meta_attrs(meta, name.data, &err)) {
        ss_node_append(holder, meta);
      } else {
        ss_node_free(meta);
        ss_buf line = SS_BUF_INIT;
        ss_buf_put(&line, l->text, (size_t)l->len);
        ss_node_append(holder, rst_report(p, SS_LEVEL_ERROR, l->lineno,
                                          line.data, "%s", err.data));
        ss_buf_free(&line);
      }
      ss_buf_free(&err);
    }
    ss_buf_free(&text);
    ss_buf_free(&name);
    ss_buf_free(&content);
    i = j;
  }
  /* Docutils: that place "or 0", the start, when there is none. */
  ss_node *before = S_after_titles(p);
  if (!before)
    before = p->document->first;
  while (holder->first) {
    ss_node *m = ss_node_unlink(holder->first);
    if (before)
      ss_node_insert_before(before, m);
    else
      ss_node_append(p->document, m);
  }
  ss_node_free(holder);
}

/* --- role ---------------------------------------------------------- */

static bool S_parse_options(const rst_line *lines, int n, rst_directive *d,
                            const char **error);
static bool S_is_field_marker(const rst_line *l);

/* Docutils' simplename at s: its length, 0 when none. */
static size_t S_simplename(const char *s) {
  size_t k = 0, end = 0;
  bool word = false;
  while (s[k]) {
    int32_t cp;
    size_t w = ss_utf8_decode(s + k, strlen(s + k), &cp);
    if (ss_uc_is_alnum(cp)) {
      word = true;
      end = k += w;
    } else if (word && strchr("-._+:", (char)cp) && cp < 0x80) {
      word = false;
      k += w;
    } else {
      break;
    }
  }
  return end;
}

/* Docutils' Role: "name" or "name(base)" on the directive's first line,
 * then the base role's options; the new role runs the base (the
 * generic custom role, an inline, without one) with the classes given,
 * by default the new role's name. */
static void S_run_role(rst_parser *p, const S_spec *spec,
                       const rst_directive *d, ss_node *parent) {
  (void)spec;
  ss_buf msg = SS_BUF_INIT;
  char *name = NULL, *base = NULL;
  if (!d->ncontent || d->content_lineno > d->lineno) {
    ss_buf_printf(&msg,
                  "\"%s\" directive requires arguments on the first line.",
                  d->name);
    goto error;
  }
  /* (simplename)\s*(\(\s*(simplename)\s*\)\s*)?$ */
  char *first = ss_xstrndup(d->content[0].text, (size_t)d->content[0].len);
  const char *s = first;
  size_t n = S_simplename(s);
  bool ok = n > 0;
  if (ok) {
    name = ss_xstrndup(s, n);
    s += n;
    while (*s == ' ')
      s++;
    if (*s == '(') {
      s++;
      while (*s == ' ')
        s++;
      size_t b = S_simplename(s);
      ok = b > 0;
      base = ss_xstrndup(s, b);
      s += b;
      while (*s == ' ')
        s++;
      ok = ok && *s == ')';
      if (ok)
        s++;
      while (*s == ' ')
        s++;
    }
    ok = ok && !*s;
  }
  if (!ok) {
    ss_buf_printf(&msg,
                  "\"%s\" directive arguments not valid role names: \"%s\".",
                  d->name, first);
    free(first);
    goto error;
  }
  free(first);
  int accepts = rst_role_options(p, base);
  if (accepts == RST_ROLE_UNKNOWN) {
    ss_buf src = SS_BUF_INIT;
    rst_dir_source(d, &src);
    ss_node_append(parent, rst_report(p, SS_LEVEL_ERROR, d->lineno, src.data,
                                      "Unknown interpreted text role "
                                      "\"%s\".",
                                      base));
    ss_buf_free(&src);
    goto done;
  }
  /* The rest is the base role's directive block: options (when it takes
   * any) up to a blank line; anything else is content, which no role
   * takes. */
  const rst_line *rest = d->content + 1;
  int nrest = d->ncontent - 1;
  while (nrest && !rest[0].len)
    rest++, nrest--;
  rst_directive opts = {0};
  int nopt = 0;
  const char *error = NULL;
  if (accepts && nrest && S_is_field_marker(&rest[0])) {
    while (nopt < nrest && rest[nopt].len)
      nopt++;
    if (S_parse_options(rest, nopt, &opts, &error))
      for (int k = 0; k < opts.noptions && !error; k++)
        if (!((accepts & RST_ROLE_CLASS) &&
              !strcmp(opts.option_names[k], "class")) &&
            !((accepts & RST_ROLE_LANGUAGE) &&
              !strcmp(opts.option_names[k], "language"))) {
          ss_buf_printf(&msg,
                        "Error in \"%s\" directive:\nunknown option: "
                        "\"%s\".",
                        d->name, opts.option_names[k]);
          error = "";
        }
  } else if (nrest && S_is_field_marker(&rest[0])) {
    nopt = 0; /* option lines are content here */
  }
  if (!error) {
    rest += nopt;
    nrest -= nopt;
    while (nrest && !rest[0].len)
      rest++, nrest--;
    if (nrest)
      error = "no content permitted.";
  }
  if (!error) {
    ss_node *holder = ss_node_new(SS_DOCUMENT, d->lineno);
    const char *cls = rst_dir_option(&opts, "class");
    rst_dir_add_classes(holder, cls ? cls : name);
    ss_buf classes = SS_BUF_INIT;
    for (const ss_attr *a = ss_node_attr_next(holder, "classes", NULL); a;
         a = ss_node_attr_next(holder, "classes", a))
      ss_buf_printf(&classes, "%s%s", classes.len ? " " : "", a->value);
    rst_define_role(p, name, base, classes.data ? classes.data : "",
                    rst_dir_option(&opts, "language"));
    ss_buf_free(&classes);
    ss_node_free(holder);
  } else if (!msg.len) {
    rst_dir_error(p, d, parent, error);
  }
  for (int k = 0; k < opts.noptions; k++) {
    free(opts.option_names[k]);
    free(opts.option_values[k]);
  }
  free(opts.option_names);
  free(opts.option_values);
  if (error && msg.len) {
    ss_buf src = SS_BUF_INIT;
    rst_dir_source(d, &src);
    ss_node_append(parent, rst_report(p, SS_LEVEL_ERROR, d->lineno, src.data,
                                      "%s", msg.data));
    ss_buf_free(&src);
  }
  goto done;
error:
  ss_node_append(
      parent, rst_report(p, SS_LEVEL_ERROR, d->lineno, NULL, "%s", msg.data));
done:
  ss_buf_free(&msg);
  free(name);
  free(base);
}

/* --- the table of directives --------------------------------------- */

#define ADMONITION(name, kind)                                                 \
  { name, 0, 0, false, true, true, S_run_container, kind, NULL }

static const S_spec S_specs[] = {
    ADMONITION("attention", SS_ATTENTION),
    ADMONITION("caution", SS_CAUTION),
    ADMONITION("danger", SS_DANGER),
    ADMONITION("error", SS_ERROR),
    ADMONITION("hint", SS_HINT),
    ADMONITION("important", SS_IMPORTANT),
    ADMONITION("note", SS_NOTE),
    ADMONITION("tip", SS_TIP),
    ADMONITION("warning", SS_WARNING),
    ADMONITION("seealso", SS_SEEALSO),
    {"admonition", 1, 0, true, true, true, S_run_titled, SS_ADMONITION, NULL},
    {"topic", 1, 0, true, true, true, S_run_titled, SS_TOPIC, NULL},
    {"sidebar", 0, 1, true, true, true, S_run_titled, SS_SIDEBAR, NULL},
    {"container", 0, 1, true, true, true, S_run_container, SS_CONTAINER, NULL},
    {"compound", 0, 0, false, true, true, S_run_container, SS_COMPOUND, NULL},
    {"rubric", 1, 0, true, true, false, S_run_rubric, SS_RUBRIC, NULL},
    {"epigraph", 0, 0, false, false, true, S_run_block_quote, SS_BLOCK_QUOTE,
     "epigraph"},
    {"highlights", 0, 0, false, false, true, S_run_block_quote, SS_BLOCK_QUOTE,
     "highlights"},
    {"pull-quote", 0, 0, false, false, true, S_run_block_quote, SS_BLOCK_QUOTE,
     "pull-quote"},
    {"line-block", 0, 0, false, true, true, S_run_line_block, SS_LINE_BLOCK,
     NULL},
    {"title", 1, 0, true, false, false, S_run_title, SS_TEXT, NULL},
    {"parsed-literal", 0, 0, false, true, true, S_run_parsed_literal,
     SS_LITERAL_BLOCK, NULL},
    {"highlight", 1, 0, false, true, false, S_run_highlight, SS_TEXT, NULL},
    {"default-role", 0, 1, false, false, false, S_run_default_role, SS_TEXT,
     NULL},
    {"image", 1, 0, true, true, false, S_run_image, SS_IMAGE, NULL},
    {"figure", 1, 0, true, true, true, S_run_figure, SS_FIGURE, NULL},
    {"contents", 0, 1, true, true, false, S_run_contents, SS_TOPIC, NULL},
    {"raw", 1, 0, true, true, true, S_run_raw, SS_RAW, NULL},
    {"replace", 0, 0, false, false, true, S_run_replace, SS_TEXT, NULL},
    {"unicode", 1, 0, true, true, false, S_run_unicode, SS_TEXT, NULL},
    {"role", 0, 0, false, false, true, S_run_role, SS_TEXT, NULL},
    {"rst-class", 1, 0, true, false, true, S_run_class, SS_PENDING, NULL},
    {"cssclass", 1, 0, true, false, true, S_run_class, SS_PENDING, NULL},
    {"sectnum", 0, 0, false, true, false, S_run_sectnum, SS_PENDING, NULL},
    {"section-numbering", 0, 0, false, true, false, S_run_sectnum, SS_PENDING,
     NULL},
    {"header", 0, 0, false, false, true, S_run_decoration, SS_HEADER, NULL},
    {"footer", 0, 0, false, false, true, S_run_decoration, SS_FOOTER, NULL},
    {"meta", 0, 0, false, false, true, S_run_meta, SS_META, NULL},
};

static const S_spec *S_lookup(const char *name) {
  for (size_t k = 0; k < sizeof S_specs / sizeof *S_specs; k++)
    if (strcmp(S_specs[k].name, name) == 0)
      return &S_specs[k];
  /* Then the other files' tables (Sphinx, tables, the HTTP domain). */
  const rst_dspec *const tables[] = {
      rst_include_dspecs, rst_code_dspecs, rst_index_dspecs, rst_sphinx_dspecs,
      rst_table_dspecs,   rst_http_dspecs, rst_py_dspecs};
  for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
    for (const rst_dspec *s = tables[t]; s->name; s++)
      if (strcmp(s->name, name) == 0)
        return s;
  return NULL;
}

/* --- splitting the block ------------------------------------------- */

static bool S_blank(const rst_line *l) { return l->len == 0; }

/* Options are a field list: ":name: value" lines, values continued on
 * indented lines. Returns false (with *error set) on a malformed line. */
static bool S_parse_options(const rst_line *lines, int n, rst_directive *d,
                            const char **error) {
  for (int i = 0; i < n;) {
    const rst_line *l = &lines[i];
    if (l->len < 2 || l->text[0] != ':') {
      *error = "invalid option block";
      return false;
    }
    int e = 1;
    while (e < l->len &&
           !(l->text[e] == ':' && (e + 1 == l->len || l->text[e + 1] == ' ')))
      e++;
    if (e >= l->len) {
      *error = "invalid option block";
      return false;
    }
    char *name = ss_xstrndup(l->text + 1, (size_t)(e - 1));
    for (char *z = name; *z; z++)
      if (*z >= 'A' && *z <= 'Z')
        *z = (char)(*z - 'A' + 'a');
    ss_buf value = SS_BUF_INIT;
    int v = e + 1;
    while (v < l->len && l->text[v] == ' ')
      v++;
    ss_buf_put(&value, l->text + v, (size_t)(l->len - v));
    i++;
    while (i < n && lines[i].len && lines[i].text[0] == ' ') {
      int k = 0;
      while (k < lines[i].len && lines[i].text[k] == ' ')
        k++;
      if (value.len)
        ss_buf_putc(&value, '\n');
      ss_buf_put(&value, lines[i].text + k, (size_t)(lines[i].len - k));
      i++;
    }
    d->option_names = ss_xrealloc(d->option_names,
                                  sizeof(char *) * (size_t)(d->noptions + 1));
    d->option_values = ss_xrealloc(d->option_values,
                                   sizeof(char *) * (size_t)(d->noptions + 1));
    d->option_names[d->noptions] = name;
    d->option_values[d->noptions] = ss_buf_detach(&value);
    d->noptions++;
  }
  return true;
}

static bool S_is_field_marker(const rst_line *l) {
  if (l->len < 3 || l->text[0] != ':' || l->text[1] == ' ' || l->text[1] == ':')
    return false;
  for (int e = 2; e < l->len; e++)
    if (l->text[e] == ':' && (e + 1 == l->len || l->text[e + 1] == ' '))
      return l->text[e - 1] != ' ';
  return false;
}

/* The line Docutils' state machine stands at when a directive's
 * results are appended to the tree: the last line of its block (blank
 * lines included, as get_first_known_indented took them), unless a
 * nested parse ran meanwhile (of the options, a field list parsed by
 * a nested state machine, or of content), which leaves it past the end
 * of that input: no line. Inside a substitution definition the results
 * go into the definition, which is not in the tree yet, and in a body
 * whose container is not either (p->directive_attached): none at all. */
static int S_attach_line(const rst_parser *p, const rst_directive *d, int n,
                         bool attached, int parses) {
  if (!attached)
    return 0;
  if (p->body_parses != parses)
    return p->parse_end;
  if (d->noptions)
    return RST_NO_LINE;
  return n ? d->block[n - 1].lineno : d->lineno;
}

/* Gives the results the directive left to take the attach line (those
 * after `before` in parent) that line. */
static void S_attach_lines(ss_node *parent, ss_node *before, int line) {
  for (ss_node *x = before ? before->next : parent->first; x; x = x->next)
    if (x->line == RST_ATTACH_LINE)
      x->line = line;
}

void rst_directive_block(rst_parser *p, const char *name, const rst_line *lines,
                         int n, int first_col, int lineno, ss_node *parent,
                         bool substitution) {
  rst_directive d = {0};
  d.name = name;
  d.lineno = lineno;
  d.substitution = substitution;
  /* Read now: directives in the content change it. */
  bool attached = !substitution && p->directive_attached;
  rst_line *block = ss_xmalloc(sizeof(rst_line) * (size_t)(n ? n : 1));
  memcpy(block, lines, sizeof(rst_line) * (size_t)n);
  if (n) {
    int cut = first_col < block[0].len ? first_col : block[0].len;
    block[0].text += cut;
    block[0].len -= cut;
    while (block[0].len && block[0].text[0] == ' ')
      block[0].text++, block[0].len--;
  }
  d.block = block;
  d.nblock = n;
  const S_spec *spec = S_lookup(name);
  if (!spec) {
    ss_buf src = SS_BUF_INIT;
    rst_dir_source(&d, &src);
    ss_node_append(parent, rst_report(p, SS_LEVEL_ERROR, lineno, src.data,
                                      "Unknown directive type \"%s\".", name));
    ss_buf_free(&src);
    free(block);
    return;
  }
  /* Split into arguments, options and content (Docutils'
   * parse_directive_block). */
  const rst_line *ind = block;
  int nind = n, offset = lineno;
  if (nind && S_blank(&ind[0]))
    ind++, nind--, offset++;
  while (nind && S_blank(&ind[nind - 1]))
    nind--;
  const rst_line *arg_block = NULL, *content = ind;
  int narg = 0, ncontent = nind, content_lineno = offset;
  bool takes_args = spec->required_args || spec->optional_args;
  int i = 0;
  if (nind && (takes_args || spec->options)) {
    while (i < nind && !S_blank(&ind[i]))
      i++;
    arg_block = ind;
    narg = i;
    content = ind + (i < nind ? i + 1 : nind);
    ncontent = nind - (i < nind ? i + 1 : nind);
    content_lineno = offset + i + 1;
  }
  const char *error = NULL;
  if (spec->options && narg) {
    for (int k = 0; k < narg; k++) {
      if (S_is_field_marker(&arg_block[k])) {
        if (!S_parse_options(arg_block + k, narg - k, &d, &error))
          break;
        narg = k;
        break;
      }
    }
  }
  /* A directive without arguments: the lines before its options are
   * content, followed by what comes after the option block (Docutils'
   * `arg_block + indented[i:]`), so ".. note:: text\n   :class: x\n\n
   * more" has the content "text", "", "more". */
  rst_line *joined = NULL;
  if (!error && narg && !takes_args) {
    ncontent = narg + (nind - i);
    joined = ss_xmalloc(sizeof(rst_line) * (size_t)ncontent);
    memcpy(joined, arg_block, sizeof(rst_line) * (size_t)narg);
    memcpy(joined + narg, ind + i, sizeof(rst_line) * (size_t)(nind - i));
    content = joined;
    content_lineno = offset;
    narg = 0;
  }
  while (ncontent && S_blank(&content[0]))
    content++, ncontent--, content_lineno++;
  /* Arguments: whitespace-separated; the last takes the rest when
   * final_whitespace. */
  ss_buf args = SS_BUF_INIT;
  for (int k = 0; k < narg; k++) {
    if (k)
      ss_buf_putc(&args, spec->final_whitespace ? '\n' : ' ');
    int s = 0;
    while (s < arg_block[k].len && arg_block[k].text[s] == ' ')
      s++;
    ss_buf_put(&args, arg_block[k].text + s, (size_t)(arg_block[k].len - s));
  }
  char *args_raw = ss_xstrdup(args.data ? args.data : "");
  if (spec->final_whitespace) {
    /* Joined lines of a single argument: newlines become spaces. */
    for (size_t k = 0; k < args.len; k++)
      if (args.data[k] == '\n')
        args.data[k] = ' ';
  }
  int nargs = 0;
  {
    bool in = false;
    for (size_t k = 0; k < args.len; k++) {
      bool sp = args.data[k] == ' ';
      if (!sp && !in)
        nargs++;
      in = !sp;
    }
  }
  int maxargs = spec->required_args + spec->optional_args;
  char msg[160];
  if (!error && nargs < spec->required_args) {
    snprintf(msg, sizeof msg, "%d argument(s) required, %d supplied.",
             spec->required_args, nargs);
    error = msg;
  } else if (!error && nargs > maxargs && !spec->final_whitespace) {
    snprintf(msg, sizeof msg, "maximum %d argument(s) allowed, %d supplied.",
             maxargs, nargs);
    error = msg;
  } else if (!error && ncontent && !spec->content) {
    snprintf(msg, sizeof msg, "no content permitted.");
    error = msg;
  }
  if (error) {
    rst_dir_error(p, &d, parent, error);
  } else {
    d.args = args.data ? args.data : "";
    d.args_raw = args_raw;
    d.content = content;
    d.ncontent = ncontent;
    d.content_lineno = content_lineno;
    ss_node *before = parent->last;
    int parses = p->body_parses;
    spec->run(p, spec, &d, parent);
    S_attach_lines(parent, before, S_attach_line(p, &d, n, attached, parses));
  }
  for (int k = 0; k < d.noptions; k++) {
    free(d.option_names[k]);
    free(d.option_values[k]);
  }
  free(d.option_names);
  free(d.option_values);
  ss_buf_free(&args);
  free(args_raw);
  free(joined);
  free(block);
}
