/* roles.c — interpreted-text roles: Docutils' standard roles and the
 * Sphinx roles design-spec repositories use, each producing the nodes
 * Sphinx's reader leaves in the doctree (cross-references stay
 * pending_xref nodes for the transforms to resolve). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "parser.h"

typedef enum {
  R_SIMPLE,   /* one node of `kind` around the unescaped text */
  R_CLASSED,  /* the same with a class (Sphinx's generic roles) */
  R_CODE,     /* literal, classes "code", language "" */
  R_MATH,     /* math, backslashes kept */
  R_ABBR,     /* abbreviation with an optional "(explanation)" */
  R_EMPH_LIT, /* file, samp: literal with {variable} parts emphasised */
  R_GUI,      /* guilabel, menuselection: "&" accelerators */
  R_XREF,     /* ref, doc, term, option: pending_xref */
  R_ENVVAR,   /* index + target + pending_xref */
  R_PEP,
  R_RFC,
  R_INDEX /* index + target + the title */
} R_how;

/* How Sphinx's XRefRole (sphinx/roles.py) and its subclasses read a
 * cross-reference role's text. */
enum {
  X_LOWER = 1,     /* lowercase=True (and whitespace collapsed) */
  X_PARENS = 2,    /* fix_parens=True: "()" off the target, onto the title */
  X_WARN = 4,      /* warn_dangling=True: refwarn */
  X_PY = 8,        /* PyXRefRole.process_link: "~", ".", the context */
  X_HTTP = 16,     /* HTTPXRefRole.process_link: "GET " before the title */
  X_NODE = 32,     /* result_nodes makes the node from the title (httpdomain's
                      statuscode, method, header) */
  X_DOWNLOAD = 64, /* nodeclass=download_reference */
  X_TOKEN = 128,   /* TokenXRefRole.process_link: "~" and "grammar:" */
  X_ANY = 256      /* AnyXRefRole.process_link: the context too */
};

typedef struct {
  const char *name;
  R_how how;
  ss_kind kind;       /* the node (of an xref: the node inside) */
  const char *cls;    /* class, or the xref type */
  const char *domain; /* an xref's refdomain */
  int flags;          /* an xref's X_... */
} R_role;

#define R_HTTP(method)                                                         \
  { "http:" method, R_XREF, SS_LITERAL, method, "http", X_HTTP }

#define R_STD(name, how, kind, flags)                                          \
  {name, how, kind, name, "std", flags}, {                                     \
    "std:" name, how, kind, name, "std", flags                                 \
  }

#define R_PY(name, type, flags)                                                \
  {name, R_XREF, SS_LITERAL, type, "py", flags}, {                             \
    "py:" name, R_XREF, SS_LITERAL, type, "py", flags                          \
  }

static const R_role R_roles[] = {
    {"emphasis", R_SIMPLE, SS_EMPHASIS, NULL, NULL, 0},
    {"strong", R_SIMPLE, SS_STRONG, NULL, NULL, 0},
    {"literal", R_SIMPLE, SS_LITERAL, NULL, NULL, 0},
    {"code", R_CODE, SS_LITERAL, NULL, NULL, 0},
    {"sup", R_SIMPLE, SS_SUPERSCRIPT, NULL, NULL, 0},
    {"superscript", R_SIMPLE, SS_SUPERSCRIPT, NULL, NULL, 0},
    {"sub", R_SIMPLE, SS_SUBSCRIPT, NULL, NULL, 0},
    {"subscript", R_SIMPLE, SS_SUBSCRIPT, NULL, NULL, 0},
    {"title-reference", R_SIMPLE, SS_TITLE_REFERENCE, NULL, NULL, 0},
    {"title", R_SIMPLE, SS_TITLE_REFERENCE, NULL, NULL, 0},
    {"t", R_SIMPLE, SS_TITLE_REFERENCE, NULL, NULL, 0},
    {"abbreviation", R_SIMPLE, SS_ABBREVIATION, NULL, NULL, 0},
    {"ab", R_SIMPLE, SS_ABBREVIATION, NULL, NULL, 0},
    {"abbr", R_ABBR, SS_ABBREVIATION, NULL, NULL, 0},
    {"acronym", R_SIMPLE, SS_ACRONYM, NULL, NULL, 0},
    {"ac", R_SIMPLE, SS_ACRONYM, NULL, NULL, 0},
    {"math", R_MATH, SS_MATH, NULL, NULL, 0},
    {"pep", R_PEP, SS_REFERENCE, "pep", NULL, 0},
    {"pep-reference", R_PEP, SS_REFERENCE, "pep", NULL, 0},
    {"rfc", R_RFC, SS_REFERENCE, "rfc", NULL, 0},
    {"rfc-reference", R_RFC, SS_REFERENCE, "rfc", NULL, 0},
    {"command", R_CLASSED, SS_LITERAL_STRONG, "command", NULL, 0},
    {"program", R_CLASSED, SS_LITERAL_STRONG, "program", NULL, 0},
    {"makevar", R_CLASSED, SS_LITERAL_STRONG, "makevar", NULL, 0},
    {"dfn", R_CLASSED, SS_EMPHASIS, "dfn", NULL, 0},
    {"mailheader", R_CLASSED, SS_LITERAL_EMPHASIS, "mailheader", NULL, 0},
    {"mimetype", R_CLASSED, SS_LITERAL_EMPHASIS, "mimetype", NULL, 0},
    {"newsgroup", R_CLASSED, SS_LITERAL_EMPHASIS, "newsgroup", NULL, 0},
    {"regexp", R_CLASSED, SS_LITERAL, "regexp", NULL, 0},
    {"kbd", R_CLASSED, SS_LITERAL, "kbd", NULL, 0},
    {"file", R_EMPH_LIT, SS_LITERAL, "file", NULL, 0},
    {"samp", R_EMPH_LIT, SS_LITERAL, "samp", NULL, 0},
    {"guilabel", R_GUI, SS_INLINE, "guilabel", NULL, 0},
    {"menuselection", R_GUI, SS_INLINE, "menuselection", NULL, 0},
    {"manpage", R_CLASSED, SS_MANPAGE, "manpage", NULL, 0},
    /* The standard domain: "ref" is also "std:ref". */
    R_STD("ref", R_XREF, SS_INLINE, X_LOWER | X_WARN),
    R_STD("doc", R_XREF, SS_INLINE, X_WARN),
    R_STD("term", R_XREF, SS_INLINE, X_LOWER | X_WARN),
    R_STD("numref", R_XREF, SS_LITERAL, X_LOWER | X_WARN),
    R_STD("option", R_XREF, SS_LITERAL, X_WARN),
    R_STD("envvar", R_ENVVAR, SS_LITERAL, 0),
    R_STD("keyword", R_XREF, SS_LITERAL, X_WARN),
    R_STD("token", R_XREF, SS_LITERAL, X_TOKEN),
    /* The Python domain, Sphinx's default: "func" is "py:func". */
    R_PY("func", "func", X_PY | X_PARENS),
    R_PY("meth", "meth", X_PY | X_PARENS),
    R_PY("class", "class", X_PY),
    R_PY("attr", "attr", X_PY),
    R_PY("data", "data", X_PY),
    R_PY("const", "const", X_PY),
    R_PY("exc", "exc", X_PY),
    R_PY("obj", "obj", X_PY),
    R_PY("mod", "mod", X_PY),
    {"index", R_INDEX, SS_INDEX, NULL, NULL, 0},
    /* sphinxcontrib.httpdomain */
    R_HTTP("options"),
    R_HTTP("head"),
    R_HTTP("post"),
    R_HTTP("get"),
    R_HTTP("put"),
    R_HTTP("patch"),
    R_HTTP("delete"),
    R_HTTP("trace"),
    R_HTTP("connect"),
    R_HTTP("copy"),
    R_HTTP("any"),
    {"http:statuscode", R_XREF, SS_LITERAL, "statuscode", "http", X_NODE},
    {"http:method", R_XREF, SS_LITERAL, "method", "http", X_NODE},
    {"http:header", R_XREF, SS_LITERAL, "header", "http", X_NODE},
    /* Sphinx's own roles, of no domain */
    {"download", R_XREF, SS_LITERAL, "download", "", X_DOWNLOAD},
    {"any", R_XREF, SS_LITERAL, "any", "", X_ANY | X_WARN},
};

static const R_role *R_find(const char *name) {
  char low[64];
  size_t len = strlen(name);
  if (len >= sizeof low)
    return NULL;
  for (size_t i = 0; i <= len; i++)
    low[i] =
        (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
  for (size_t i = 0; i < sizeof R_roles / sizeof *R_roles; i++)
    if (strcmp(R_roles[i].name, low) == 0)
      return &R_roles[i];
  return NULL;
}

/* --- roles the document defines (the role directive) ---------------- */

static void R_lower(const char *name, ss_buf *out) {
  for (const char *s = name; *s; s++)
    ss_buf_putc(out, (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s));
}

static const rst_custom_role *R_find_custom(const rst_parser *p,
                                            const char *name) {
  ss_buf low = SS_BUF_INIT;
  R_lower(name, &low);
  const rst_custom_role *found = NULL;
  for (int i = p->nroles; i-- > 0 && !found;)
    if (strcmp(p->roles[i].name, low.data ? low.data : "") == 0)
      found = &p->roles[i];
  ss_buf_free(&low);
  return found;
}

int rst_role_options(const rst_parser *p, const char *base) {
  if (!base)
    return RST_ROLE_CLASS; /* generic_custom_role.options */
  const rst_custom_role *c = R_find_custom(p, base);
  if (c)
    return rst_role_options(p, c->base);
  const R_role *r = R_find(base);
  if (!r)
    return RST_ROLE_UNKNOWN;
  switch (r->how) {
  case R_SIMPLE:
  case R_CLASSED:
  case R_MATH:
    return RST_ROLE_CLASS; /* Docutils' GenericRole: implicit options */
  case R_CODE:
    return RST_ROLE_CLASS | RST_ROLE_LANGUAGE; /* Sphinx's code_role */
  default:
    return 0; /* Sphinx's role classes take no options */
  }
}

void rst_define_role(rst_parser *p, const char *name, const char *base,
                     const char *classes, const char *language) {
  const rst_custom_role *on = base ? R_find_custom(p, base) : NULL;
  ss_buf low = SS_BUF_INIT, blow = SS_BUF_INIT;
  R_lower(name, &low);
  if (base && !on)
    R_lower(base, &blow);
  rst_custom_role def = {.name = ss_buf_detach(&low),
                         .base = on ? (on->base ? ss_xstrdup(on->base) : NULL)
                                    : (base ? ss_buf_detach(&blow) : NULL),
                         .classes = ss_xstrdup(classes ? classes : ""),
                         .language = language ? ss_xstrdup(language)
                                     : on && on->language
                                         ? ss_xstrdup(on->language)
                                         : NULL};
  ss_buf_free(&blow);
  p->roles = ss_xrealloc(p->roles, sizeof *p->roles * (size_t)(p->nroles + 1));
  p->roles[p->nroles++] = def;
}

void rst_free_roles(rst_parser *p) {
  for (int i = 0; i < p->nroles; i++) {
    free(p->roles[i].name);
    free(p->roles[i].base);
    free(p->roles[i].classes);
    free(p->roles[i].language);
  }
  free(p->roles);
  p->roles = NULL;
  p->nroles = 0;
}

/* Python's \w: letters, digits, "_". */
static bool R_word(int32_t cp) { return cp == '_' || ss_uc_is_alnum(cp); }

/* Whether s[0..len) is "[1-9]\w*" then an optional ")", or nothing but
 * that ")": what follows a man page's name and its "(" or ".". Sets
 * *section (NULL: none). */
static bool R_manpage_rest(const char *s, size_t len, size_t *section) {
  size_t k = 0;
  *section = 0;
  if (k < len && s[k] >= '1' && s[k] <= '9') {
    k++;
    while (k < len) {
      int32_t cp;
      size_t n = ss_utf8_decode(s + k, len - k, &cp);
      if (!R_word(cp))
        break;
      k += n;
    }
    *section = k;
  }
  if (k < len && s[k] == ')')
    k++;
  return k == len;
}

/* Sphinx's ManpageLink transform, which reads only the node's text:
 * "ls(1)" is page "ls", section "1" (the last "(" or "." that leaves a
 * section, then a ")", the page before it); anything else is all
 * page. A section the pattern leaves out is None, which Sphinx's xml
 * builder writes "True". */
static void R_manpage(ss_node *n) {
  ss_buf text = SS_BUF_INIT, page = SS_BUF_INIT, section = SS_BUF_INIT;
  for (ss_node *c = n->first; c; c = c->next)
    if (c->kind == SS_TEXT) {
      if (text.len)
        ss_buf_putc(&text, ' ');
      ss_buf_put(&text, c->text, c->text_len);
    }
  const char *t = text.data ? text.data : "";
  bool found = false;
  for (size_t k = text.len; k-- > 1 && !found;) {
    size_t sec;
    if ((t[k] == '(' || t[k] == '.') &&
        R_manpage_rest(t + k + 1, text.len - k - 1, &sec)) {
      found = true;
      ss_buf_put(&page, t, k);
      if (sec)
        ss_buf_put(&section, t + k + 1, sec);
      else
        ss_buf_puts(&section, "True");
    }
  }
  ss_node_attr_set(n, "page", found ? page.data : t);
  ss_node_attr_set(n, "path", t);
  ss_node_attr_set(n, "section", found ? section.data : "");
  ss_buf_free(&text);
  ss_buf_free(&page);
  ss_buf_free(&section);
}

/* Space-separated class names added to `n`. */
static void R_add_classes(ss_node *n, const char *classes) {
  for (const char *s = classes; *s;) {
    while (*s == ' ')
      s++;
    const char *e = s;
    while (*e && *e != ' ')
      e++;
    if (e > s) {
      char *one = ss_xstrndup(s, (size_t)(e - s));
      ss_node_attr_add(n, "classes", one);
      free(one);
    }
    s = e;
  }
}

/* Roles' nodes have no line (a problem there is reported at the text
 * block's), but for the pending_xref of Sphinx's XRefRole, which takes
 * the line the role was given (set_source_info). */
static ss_node *R_text_node(ss_kind kind, const char *s, size_t len, int line) {
  ss_node *n = ss_node_new(kind, 0);
  if (len)
    ss_node_append_text(n, s, len, line);
  return n;
}

static void R_strip(const char **s, size_t *len) {
  while (*len && ((*s)[0] == ' ' || (*s)[0] == '\n'))
    (*s)++, (*len)--;
  while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\n'))
    (*len)--;
}

bool rst_role_split_title(const char *raw, size_t rawlen, ss_buf *title,
                          ss_buf *target) {
  /* Positions in the raw text are the ones in Docutils' escaped text
   * (a backslash there is a \x00 mark), so the pattern reads here. */
  size_t lt = 0;
  bool found = false;
  if (rawlen >= 3 && raw[rawlen - 1] == '>')
    for (size_t k = 0; k + 1 < rawlen && !found; k++) {
      if (raw[k] == '\\')
        k++;
      else if (raw[k] == '<' && k > 0)
        found = true, lt = k;
    }
  if (!found) {
    rst_unescape(raw, rawlen, title);
    rst_unescape(raw, rawlen, target);
    return false;
  }
  size_t end = lt; /* the title, less the whitespace before "<" */
  while (end > 1) {
    size_t last = end - 1;
    while (last > 0 && ((unsigned char)raw[last] & 0xC0) == 0x80)
      last--;
    if (last == 0 ||
        (size_t)rst_space_len(raw + last, end - last) != end - last)
      break;
    end = last;
  }
  rst_unescape(raw, end, title);
  rst_unescape(raw + lt + 1, rawlen - lt - 2, target);
  return true;
}

/* {variable} parts of :file: and :samp: become emphasis; "\{" and "\}"
 * stay literal braces. */
static void R_emph_literal(const char *s, size_t len, ss_node *lit, int line) {
  ss_buf part = SS_BUF_INIT;
  bool in_var = false;
  for (size_t i = 0; i < len; i++) {
    char ch = s[i];
    if (ch == '\\' && i + 1 < len &&
        (s[i + 1] == '{' || s[i + 1] == '}' || s[i + 1] == '\\')) {
      ss_buf_putc(&part, s[++i]);
    } else if (ch == '{' && !in_var) {
      if (part.len)
        ss_node_append_text(lit, part.data, part.len, line);
      ss_buf_clear(&part);
      in_var = true;
    } else if (ch == '}' && in_var) {
      if (part.len)
        ss_node_append(lit,
                       R_text_node(SS_EMPHASIS, part.data, part.len, line));
      else
        ss_node_append_text(lit, "{}", 2, line);
      ss_buf_clear(&part);
      in_var = false;
    } else {
      ss_buf_putc(&part, ch);
    }
  }
  if (in_var) /* an unclosed brace is kept as written */
    ss_node_append_text(lit, "{", 1, line);
  if (part.len)
    ss_node_append_text(lit, part.data, part.len, line);
  ss_buf_free(&part);
}

/* guilabel and menuselection: "&x" marks an accelerator ("&&" is a
 * literal ampersand); menuselection also shows "-->" as a triangle. */
static void R_gui(const R_role *r, const char *role, const char *raw,
                  size_t rawlen, const char *text, size_t len, ss_node *n,
                  int line) {
  ss_node_attr_add(n, "classes", r->cls);
  ss_buf rawtext = SS_BUF_INIT, t = SS_BUF_INIT;
  ss_buf_printf(&rawtext, ":%s:`", role);
  ss_buf_put(&rawtext, raw, rawlen);
  ss_buf_putc(&rawtext, '`');
  ss_node_attr_set(n, "rawtext", rawtext.data);
  if (strcmp(r->cls, "menuselection") == 0) {
    for (size_t i = 0; i < len; i++) {
      if (i + 2 < len && memcmp(text + i, "-->", 3) == 0) {
        ss_buf_puts(&t, "\xE2\x80\xA3"); /* U+2023 */
        i += 2;
      } else {
        ss_buf_putc(&t, text[i]);
      }
    }
  } else {
    ss_buf_put(&t, text, len);
  }
  const char *s = t.data ? t.data : "";
  size_t start = 0;
  for (size_t i = 0; i < t.len; i++) {
    if (s[i] != '&')
      continue;
    if (i + 1 < t.len && s[i + 1] == '&') {
      i++;
      continue;
    }
    if (i + 1 >= t.len || s[i + 1] == ' ')
      continue;
    if (i > start)
      ss_node_append_text(n, s + start, i - start, line);
    size_t k = i + 1, cl = 1;
    int32_t cp;
    cl = ss_utf8_decode(s + k, t.len - k, &cp);
    ss_node *acc = R_text_node(SS_INLINE, s + k, cl, line);
    ss_node_attr_add(acc, "classes", "accelerator");
    ss_node_append(n, acc);
    start = k + cl;
    i = start - 1;
  }
  if (start < t.len)
    ss_node_append_text(n, s + start, t.len - start, line);
  ss_buf_free(&rawtext);
  ss_buf_free(&t);
}

/* An index node with single entries for `values`, and its target. */
static void R_index_target(rst_parser *p, ss_node *parent,
                           const char *const *values, int nvalues) {
  ss_buf id = SS_BUF_INIT;
  rst_index_id(p, &id);
  ss_node *index = ss_node_append(parent, rst_index_new(0));
  for (int i = 0; i < nvalues; i++)
    rst_index_add(index, "single", values[i], id.data, "", NULL);
  ss_node *target = ss_node_append(parent, ss_node_new(SS_TARGET, 0));
  ss_node_attr_add(target, "ids", id.data);
  ss_buf_free(&id);
}

/* The docname Sphinx gives the document: its path below the source
 * root, without the suffix (refdoc). */
static void R_docname(const rst_parser *p, ss_buf *out) {
  const char *path = p->opts->path ? p->opts->path : "";
  const char *root = p->opts->root;
  size_t rl = root ? strlen(root) : 0;
  if (root && !strncmp(path, root, rl) && path[rl] == '/')
    path += rl + 1;
  else if (!root && strrchr(path, '/'))
    path = strrchr(path, '/') + 1;
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  ss_buf_put(out, path,
             dot && (!slash || dot > slash) ? (size_t)(dot - path)
                                            : strlen(path));
  if (!out->data)
    ss_buf_puts(out, "");
}

/* XRefRole.update_title_and_target: a title written without one gets
 * "()" (add_function_parentheses), the target loses it. */
static void R_fix_parens(ss_buf *title, bool explicit_title, ss_buf *target) {
  if (!explicit_title) {
    if (title->len >= 2 && !memcmp(title->data + title->len - 2, "()", 2))
      title->len -= 2;
    ss_buf_puts(title, "()");
  }
  if (target->len >= 2 && !memcmp(target->data + target->len - 2, "()", 2))
    target->data[target->len -= 2] = '\0';
}

/* Drops n bytes at the start of a buffer. */
static void R_cut(ss_buf *b, size_t n) {
  memmove(b->data, b->data + n, b->len - n + 1);
  b->len -= n;
}

/* XRefRole.process_link, whitespace runs of the target one space (case
 * kept; lowercase=True has done both already). */
static void R_collapse(ss_buf *target) {
  ss_buf out = SS_BUF_INIT;
  bool sp = false;
  for (size_t i = 0; i < target->len; i++) {
    char ch = target->data[i];
    if (ch == ' ' || ch == '\n' || ch == '\t') {
      sp = true;
      continue;
    }
    if (sp && out.len)
      ss_buf_putc(&out, ' ');
    sp = false;
    ss_buf_putc(&out, ch);
  }
  ss_buf_clear(target);
  ss_buf_put(target, out.data ? out.data : "", out.len);
  ss_buf_free(&out);
}

/* The Python domain's part of Sphinx's ref_context, which its roles
 * (and any) record. */
static void R_context(const rst_parser *p, ss_node *x) {
  if (p->py_module)
    ss_node_attr_set(x, "py:module", p->py_module);
  if (p->py_class)
    ss_node_attr_set(x, "py:class", p->py_class);
}

/* TokenXRefRole.process_link: "~" off the target; a title written
 * without one loses "~" and, with a "grammar:" before the token, that
 * too. */
static void R_token_link(bool explicit_title, ss_buf *title, ss_buf *target) {
  size_t tildes = 0;
  while (tildes < target->len && target->data[tildes] == '~')
    tildes++;
  R_cut(target, tildes);
  if (!explicit_title && title->len && title->data[0] == '~') {
    const char *colon = strchr(title->data, ':');
    R_cut(title, colon ? (size_t)(colon + 1 - title->data) : 1);
  }
}

/* PyXRefRole.process_link: the context the role is read in; a title
 * written without one loses leading dots, and with "~" all but its
 * last part; the target loses "~", and a leading dot makes it
 * refspecific. */
static void R_py_link(const rst_parser *p, ss_node *x, bool explicit_title,
                      ss_buf *title, ss_buf *target) {
  R_context(p, x);
  if (!explicit_title) {
    size_t dots = 0;
    while (dots < title->len && title->data[dots] == '.')
      dots++;
    R_cut(title, dots);
    size_t tildes = 0;
    while (tildes < target->len && target->data[tildes] == '~')
      tildes++;
    R_cut(target, tildes);
    if (title->len && title->data[0] == '~') {
      R_cut(title, 1);
      const char *dot = strrchr(title->data, '.');
      if (dot)
        R_cut(title, (size_t)(dot + 1 - title->data));
    }
  }
  if (target->len && target->data[0] == '.') {
    R_cut(target, 1);
    ss_node_attr_set(x, "refspecific", "True");
  }
}

/* HTTPXRefRole.process_link: the method before a title written
 * without one; the target as it is. */
static void R_http_link(const R_role *r, bool explicit_title, ss_buf *title) {
  if (explicit_title)
    return;
  ss_buf shown = SS_BUF_INIT;
  for (const char *c = r->cls; *c; c++)
    ss_buf_putc(&shown, (char)(*c - 'a' + 'A'));
  ss_buf_putc(&shown, ' ');
  ss_buf_put(&shown, title->data ? title->data : "", title->len);
  ss_buf_clear(title);
  ss_buf_put(title, shown.data, shown.len);
  ss_buf_free(&shown);
}

/* Sphinx's XRefRole: a pending_xref holding the title in the role's
 * inner node, or with "!" the inner node alone. Messages (of
 * httpdomain's roles) go to `messages`. */
static void R_xref(rst_parser *p, const R_role *r, const char *raw,
                   size_t rawlen, ss_node *parent, int line,
                   ss_node *messages) {
  /* Classes: "xref", then the domain and "domain-type", or the type. */
  ss_buf cls = SS_BUF_INIT, title = SS_BUF_INIT, target = SS_BUF_INIT;
  if (*r->domain)
    ss_buf_printf(&cls, "%s-%s", r->domain, r->cls);
  bool explicit_title = false;
  ss_node *x = NULL;
  if (rawlen && raw[0] == '!') { /* "!" suppresses the link */
    rst_unescape(raw + 1, rawlen - 1, &title);
    if (r->flags & X_PARENS)
      R_fix_parens(&title, false, &target);
  } else {
    explicit_title = rst_role_split_title(raw, rawlen, &title, &target);
    if (r->flags & X_LOWER) {
      ss_buf low = SS_BUF_INIT;
      rst_normalize_name(target.data ? target.data : "", target.len, &low);
      ss_buf_clear(&target);
      ss_buf_put(&target, low.data ? low.data : "", low.len);
      ss_buf_free(&low);
    }
    if (r->flags & X_PARENS)
      R_fix_parens(&title, explicit_title, &target);
    x = ss_node_new(
        r->flags & X_DOWNLOAD ? SS_DOWNLOAD_REFERENCE : SS_PENDING_XREF, line);
    if (r->flags & X_PY)
      R_py_link(p, x, explicit_title, &title, &target);
    else if (r->flags & X_HTTP)
      R_http_link(r, explicit_title, &title);
    else if (r->flags & X_TOKEN)
      R_token_link(explicit_title, &title, &target);
    else if (!(r->flags & X_LOWER))
      R_collapse(&target);
    if (r->flags & X_ANY) /* the whole ref_context the reader keeps */
      R_context(p, x);
    ss_buf docname = SS_BUF_INIT;
    R_docname(p, &docname);
    ss_node_attr_set(x, "refdoc", docname.data);
    ss_buf_free(&docname);
    ss_node_attr_set(x, "refdomain", r->domain);
    ss_node_attr_set(x, "refexplicit", explicit_title ? "True" : "False");
    ss_node_attr_set(x, "reftarget", target.data ? target.data : "");
    /* Sphinx's DownloadFileCollector links a URL as it is; a file is the
     * site's to find and copy. */
    if ((r->flags & X_DOWNLOAD) && target.data && strstr(target.data, "://"))
      ss_node_attr_set(x, "refuri", target.data);
    ss_node_attr_set(x, "reftype", r->cls);
    ss_node_attr_set(x, "refwarn", r->flags & X_WARN ? "True" : "False");
  }
  if (r->flags & X_NODE) {
    /* httpdomain's result_nodes reads node[0][0]: the title, or of the
     * literal alone ("!") its first character. */
    int32_t cp;
    if (!x && title.len)
      title.len = ss_utf8_decode(title.data, title.len, &cp);
    if (title.len)
      title.data[title.len] = '\0';
    ss_node_free(x);
    ss_node_append(parent,
                   rst_http_role(p, r->cls, title.data ? title.data : "", line,
                                 messages ? messages : p->document));
    ss_buf_free(&cls);
    ss_buf_free(&title);
    ss_buf_free(&target);
    return;
  }
  ss_node *inner =
      R_text_node(r->kind, title.data ? title.data : "", title.len, line);
  ss_node_attr_add(inner, "classes", "xref");
  ss_node_attr_add(inner, "classes", *r->domain ? r->domain : r->cls);
  if (cls.len)
    ss_node_attr_add(inner, "classes", cls.data);
  if (x)
    ss_node_append(x, inner);
  ss_node_append(parent, x ? x : inner);
  ss_buf_free(&cls);
  ss_buf_free(&title);
  ss_buf_free(&target);
}

/* Sphinx's :pep: and :rfc: — index entry, target, and an external
 * reference with the number in bold. The target id is handed out
 * before the number is read, as Sphinx does. */
static bool R_pep_rfc(rst_parser *p, const R_role *r, const char *raw,
                      size_t rawlen, int line, ss_node *parent,
                      ss_node *messages) {
  bool pep = r->how == R_PEP;
  ss_buf target = SS_BUF_INIT, given_title = SS_BUF_INIT, id = SS_BUF_INIT;
  bool explicit_title =
      rst_role_split_title(raw, rawlen, &given_title, &target);
  const char *t = target.data ? target.data : "";
  const char *hash = strchr(t, '#');
  size_t numlen = hash ? (size_t)(hash - t) : target.len;
  bool ok = numlen > 0 && numlen < 10;
  for (size_t i = 0; i < numlen && ok; i++)
    ok = t[i] >= '0' && t[i] <= '9';
  rst_index_id(p, &id);
  if (!ok) {
    ss_node *m =
        rst_report(p, SS_LEVEL_ERROR, line, NULL,
                   pep ? "invalid PEP number %s" : "invalid RFC number %s", t);
    ss_node *prb = ss_node_new(SS_PROBLEMATIC, 0);
    ss_buf rawtext = SS_BUF_INIT;
    ss_buf_printf(&rawtext, ":%s:`", pep ? "pep" : "rfc");
    ss_buf_put(&rawtext, raw, rawlen);
    ss_buf_putc(&rawtext, '`');
    ss_node_append_text(prb, rawtext.data, rawtext.len, line);
    ss_buf_free(&rawtext);
    ss_node_append(parent, prb);
    ss_node_append(messages ? messages : p->document, m);
    ss_buf_free(&target);
    ss_buf_free(&given_title);
    ss_buf_free(&id);
    return true;
  }
  long num = strtol(t, NULL, 10);
  ss_buf entry = SS_BUF_INIT, uri = SS_BUF_INIT, title = SS_BUF_INIT;
  if (pep) {
    ss_buf_printf(&entry, "Python Enhancement Proposals; PEP %s", t);
    ss_buf_printf(&uri, "https://peps.python.org/pep-%04ld/", num);
    ss_buf_printf(&title, "PEP %s", t);
  } else {
    ss_buf_printf(&entry, "RFC; RFC %s", t);
    ss_buf_printf(&uri, "https://datatracker.ietf.org/doc/html/rfc%ld.html",
                  num);
    ss_buf_printf(&title, "RFC %s", t);
  }
  if (hash)
    ss_buf_puts(&uri, hash);
  ss_node *index = ss_node_append(parent, rst_index_new(0));
  rst_index_add(index, "single", entry.data, id.data, "", NULL);
  ss_node *tg = ss_node_append(parent, ss_node_new(SS_TARGET, 0));
  ss_node_attr_add(tg, "ids", id.data);
  ss_node *ref = ss_node_new(SS_REFERENCE, 0);
  ss_node_attr_add(ref, "classes", r->cls);
  ss_node_attr_set(ref, "internal", "False");
  ss_node_attr_set(ref, "refuri", uri.data);
  const ss_buf *shown = explicit_title ? &given_title : &title;
  ss_node_append(ref, R_text_node(SS_STRONG, shown->data, shown->len, line));
  ss_node_append(parent, ref);
  ss_buf_free(&entry);
  ss_buf_free(&uri);
  ss_buf_free(&title);
  ss_buf_free(&target);
  ss_buf_free(&given_title);
  ss_buf_free(&id);
  return true;
}

bool rst_run_role(rst_parser *p, const char *role, const char *raw,
                  size_t rawlen, int lineno, ss_node *parent,
                  ss_node *messages) {
  if (!role)
    role = p->default_role ? p->default_role : "title-reference";
  /* A role the document defined runs its base with its classes (which
   * replace the base's own, as Docutils' CustomRole options do). */
  const rst_custom_role *custom = R_find_custom(p, role);
  const R_role *r = R_find(custom ? (custom->base ? custom->base : "") : role);
  if (!r && !custom)
    return false;
  ss_buf un = SS_BUF_INIT;
  rst_unescape(raw, rawlen, &un);
  const char *text = un.data ? un.data : "";
  size_t len = un.len;
  ss_node *n = NULL;
  if (!r) { /* Docutils' generic_custom_role */
    n = R_text_node(SS_INLINE, text, len, lineno);
    R_add_classes(n, custom->classes);
    ss_node_append(parent, n);
    ss_buf_free(&un);
    return true;
  }
  switch (r->how) {
  case R_SIMPLE:
    n = R_text_node(r->kind, text, len, lineno);
    break;
  case R_CLASSED:
    n = R_text_node(r->kind, text, len, lineno);
    if (!custom)
      ss_node_attr_add(n, "classes", r->cls);
    break;
  case R_CODE: {
    /* Sphinx's code_role: "code", "highlight" with a language, the
     * classes asked for, then the language. */
    const char *lang = custom && custom->language ? custom->language : "";
    n = R_text_node(SS_LITERAL, text, len, lineno);
    ss_node_attr_add(n, "classes", "code");
    if (*lang)
      ss_node_attr_add(n, "classes", "highlight");
    if (custom)
      R_add_classes(n, custom->classes);
    if (*lang && !ss_node_attr_has(n, "classes", lang))
      ss_node_attr_add(n, "classes", lang);
    ss_node_attr_set(n, "language", lang);
    custom = NULL; /* classes placed */
    break;
  }
  case R_MATH:
    n = R_text_node(SS_MATH, raw, rawlen, lineno);
    break;
  case R_ABBR: {
    /* "LIFO (last-in, first-out)": the explanation is the last (...) */
    const char *open = NULL;
    if (len && text[len - 1] == ')')
      open = memchr(text, '(', len);
    if (open) {
      const char *a = text;
      size_t alen = (size_t)(open - text);
      R_strip(&a, &alen);
      n = R_text_node(SS_ABBREVIATION, a, alen, lineno);
      ss_buf ex = SS_BUF_INIT;
      ss_buf_put(&ex, open + 1, (size_t)(text + len - 1 - (open + 1)));
      ss_node_attr_set(n, "explanation", ex.data ? ex.data : "");
      ss_buf_free(&ex);
    } else {
      n = R_text_node(SS_ABBREVIATION, text, len, lineno);
    }
    break;
  }
  case R_EMPH_LIT: {
    /* Sphinx names the node after the role as it was called. */
    ss_buf called = SS_BUF_INIT;
    R_lower(custom ? role : r->cls, &called);
    n = ss_node_new(SS_LITERAL, 0);
    ss_node_attr_add(n, "classes", called.data);
    ss_node_attr_set(n, "role", called.data);
    R_emph_literal(raw, rawlen, n, lineno);
    ss_buf_free(&called);
    custom = NULL; /* Sphinx's role takes no classes */
    break;
  }
  case R_GUI:
    n = ss_node_new(SS_INLINE, 0);
    R_gui(r, role, raw, rawlen, text, len, n, lineno);
    if (custom) { /* classed after the role as it was called */
      ss_buf called = SS_BUF_INIT;
      R_lower(role, &called);
      ss_node_attr_remove(n, "classes");
      ss_node_attr_add(n, "classes", called.data);
      ss_buf_free(&called);
    }
    custom = NULL;
    break;
  case R_XREF:
    R_xref(p, r, raw, rawlen, parent, lineno, messages);
    break;
  case R_ENVVAR: {
    ss_buf e2 = SS_BUF_INIT;
    ss_buf_puts(&e2, "environment variable; ");
    ss_buf_put(&e2, text, len);
    const char *entries[2] = {text, e2.data};
    R_index_target(p, parent, entries, 2);
    R_xref(p, r, raw, rawlen, parent, lineno, messages);
    ss_buf_free(&e2);
    break;
  }
  case R_INDEX:
    rst_index_role(p, raw, rawlen, lineno, parent);
    break;
  case R_PEP:
  case R_RFC:
    R_pep_rfc(p, r, raw, rawlen, lineno, parent, messages);
    break;
  }
  if (n && custom && rst_role_options(p, custom->base) & RST_ROLE_CLASS)
    R_add_classes(n, custom->classes);
  if (n && n->kind == SS_MANPAGE)
    R_manpage(n);
  if (n)
    ss_node_append(parent, n);
  ss_buf_free(&un);
  return true;
}
