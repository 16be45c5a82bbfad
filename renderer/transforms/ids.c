/* ids.c — ids and names, assigned the way Docutils' parser assigns them
 * while it reads (our reader leaves that to us): sections are implicit
 * targets named after their titles, explicit targets, footnotes and
 * citations are explicit ones, and footnote and citation references get
 * an id of their own. The order of the walk is the order the parser
 * would have called document.set_id in, so the automatic "idN" numbers
 * come out the same as Sphinx's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "internal.h"

/* --- make_id --------------------------------------------------------- */

typedef struct {
  int32_t start;
  int length;
  int step; /* 0: every code point gives `s`; 1: consecutive letters */
  const char *s;
} S_id_run;

static const S_id_run S_id_runs[] = {
#include "make_id_table.inc"
};

/* What make_id keeps of a non-ASCII code point: a string over [a-z0-9-]
 * ('-' being a separator), or "" when it is dropped. `one` holds a
 * single derived letter. */
static const char *S_fold(int32_t cp, char one[2]) {
  size_t lo = 0, hi = sizeof S_id_runs / sizeof S_id_runs[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const S_id_run *r = &S_id_runs[mid];
    if (cp < r->start)
      hi = mid;
    else if (cp >= r->start + r->length)
      lo = mid + 1;
    else if (r->step == 0)
      return r->s;
    else {
      one[0] = (char)(r->s[0] + (cp - r->start));
      one[1] = '\0';
      return one;
    }
  }
  return "";
}

typedef struct {
  ss_buf *out;
  bool started; /* a letter has been written */
  bool pending; /* a separator is due before the next character */
} S_id_state;

/* Leading digits and separators are dropped, separator runs become one
 * hyphen, and trailing ones vanish: a hyphen is written only when a
 * character follows it. */
static void S_id_char(S_id_state *st, char c) {
  bool id_char = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  if (!id_char) {
    st->pending = true;
    return;
  }
  if (!st->started) {
    if (c >= '0' && c <= '9')
      return;
    st->started = true;
  } else if (st->pending) {
    ss_buf_putc(st->out, '-');
  }
  st->pending = false;
  ss_buf_putc(st->out, c);
}

void ss_make_id(const char *name, ss_buf *out) {
  S_id_state st = {out, false, false};
  size_t len = strlen(name);
  for (size_t i = 0; i < len;) {
    int32_t cp;
    i += ss_utf8_decode(name + i, len - i, &cp);
    if (cp < 0x80) {
      char c = (char)cp;
      if (c >= 'A' && c <= 'Z')
        c = (char)(c - 'A' + 'a');
      S_id_char(&st, c);
      continue;
    }
    char one[2];
    for (const char *s = S_fold(cp, one); *s; s++)
      S_id_char(&st, *s);
  }
  if (!out->data)
    ss_buf_puts(out, ""); /* callers may read out->data */
}

/* --- names ----------------------------------------------------------- */

typedef struct {
  int32_t start;
  int length, delta, stride;
} S_case_run;

static const S_case_run S_case_runs[] = {
#include "lower_table.inc"
};

static int32_t S_lower(int32_t cp) {
  size_t lo = 0, hi = sizeof S_case_runs / sizeof S_case_runs[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const S_case_run *r = &S_case_runs[mid];
    int32_t end = r->start + (r->length - 1) * r->stride;
    if (cp < r->start)
      hi = mid;
    else if (cp > end)
      lo = mid + 1;
    else
      return (cp - r->start) % r->stride == 0 ? cp + r->delta : cp;
  }
  return cp;
}

/* The characters Python's str.split() splits on. */
static bool S_is_py_space(int32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) ||
         cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Docutils' normalize_name: whitespace runs collapsed to one space, ends
 * trimmed, lower-cased. */
void tx_normalize_name(const char *s, size_t len, ss_buf *out) {
  bool space = false, any = false;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) { /* ASCII: most names; no table search */
      i++;
      cp = b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    } else {
      i += ss_utf8_decode(s + i, len - i, &cp);
    }
    if (S_is_py_space(cp)) {
      space = any;
      continue;
    }
    if (space)
      ss_buf_putc(out, ' ');
    space = false;
    any = true;
    if (cp < 0x80) {
      ss_buf_putc(out, (char)cp);
    } else if (cp == 0x130) { /* İ lower-cases to i + combining dot */
      ss_buf_putc(out, 'i');
      ss_utf8_encode(0x307, out);
    } else {
      ss_utf8_encode(S_lower(cp), out);
    }
  }
}

/* --- document.set_id and the name map -------------------------------- */

ss_node *tx_node_by_id(const ss_tx *tx, const char *id) {
  tx_map_entry *e = tx_map_find(&tx->ids, id);
  return e ? e->value : NULL;
}

const char *tx_nameid(const ss_tx *tx, const char *name, bool *known) {
  tx_map_entry *e = tx_map_find(&tx->nameids, name);
  if (known)
    *known = e != NULL;
  return e ? e->value : NULL;
}

const char *tx_set_id(ss_tx *tx, ss_node *n) {
  const char *first = ss_node_attr_get(n, "ids");
  if (first) {
    for (const ss_attr *a = ss_node_attr_next(n, "ids", NULL); a;
         a = ss_node_attr_next(n, "ids", a)) {
      tx_map_entry *e = tx_map_put(&tx->ids, a->value);
      if (!e->value)
        e->value = n;
    }
    return first;
  }
  ss_buf id = SS_BUF_INIT;
  for (const ss_attr *a = ss_node_attr_next(n, "names", NULL); a;
       a = ss_node_attr_next(n, "names", a)) {
    ss_buf_clear(&id);
    ss_make_id(a->value, &id);
    if (id.len && !tx_map_find(&tx->ids, id.data))
      break;
    ss_buf_clear(&id);
  }
  while (id.len == 0 || tx_map_find(&tx->ids, id.data)) {
    ss_buf_clear(&id);
    ss_buf_puts(&id, "id");
    ss_buf_put_long(&id, ++tx->id_counter);
  }
  ss_node_attr_add(n, "ids", id.data);
  tx_map_put(&tx->ids, id.data)->value = n;
  ss_buf_free(&id);
  return ss_node_attr_get(n, "ids");
}

/* Where Docutils' parser would have put a message about this node's
 * names: after a section's title, inside a footnote after its label,
 * otherwise just before the node. Only warnings are kept in the tree. */
static void S_place_message(ss_node *n, ss_node *msg) {
  if (ss_node_attr_get(msg, "level")[0] - '0' < SS_LEVEL_WARNING) {
    ss_node_free(msg);
    return;
  }
  if (n->kind == SS_SECTION && n->first && n->first->kind == SS_TITLE)
    ss_node_insert_after(n->first, msg);
  else if (n->kind == SS_FOOTNOTE || n->kind == SS_CITATION) {
    if (n->first && n->first->kind == SS_LABEL)
      ss_node_insert_after(n->first, msg);
    else
      ss_node_prepend(n, msg);
  } else if (n->parent)
    ss_node_insert_before(n, msg);
  else
    ss_node_free(msg);
}

static void S_set_nameid(ss_tx *tx, const char *name, const char *id,
                         int explicit_) {
  tx_map_entry *e = tx_map_put(&tx->nameids, name);
  free(e->value);
  e->value = id ? ss_xstrdup(id) : NULL;
  e->flag = explicit_;
}

/* Docutils' set_duplicate_name_id: a second target of the same name. */
static void S_duplicate_name(ss_tx *tx, ss_node *n, const char *id,
                             const char *name, bool explicit_) {
  tx_map_entry *e = tx_map_find(&tx->nameids, name);
  const char *old_id = e->value;
  bool old_explicit = e->flag;
  ss_node *old = old_id ? tx_node_by_id(tx, old_id) : NULL;
  e->flag = old_explicit || explicit_;
  ss_node *msg = NULL;
  if (explicit_) {
    if (old_explicit) {
      ss_level level = SS_LEVEL_WARNING;
      if (old) {
        const char *uri = ss_node_attr_get(n, "refuri");
        const char *old_uri = ss_node_attr_get(old, "refuri");
        if (uri && old_uri && ss_node_attr_get(old, "names") &&
            strcmp(uri, old_uri) == 0)
          level = SS_LEVEL_INFO; /* the same target twice is harmless */
        if (level > SS_LEVEL_INFO) {
          tx_dupname(old, name);
          free(e->value);
          e->value = NULL;
        }
      }
      msg = tx_message(tx, level, tx_source_line(n), id,
                       "Duplicate explicit target name: \"%s\".", name);
      tx_dupname(n, name);
    } else {
      free(e->value);
      e->value = ss_xstrdup(id);
      if (old)
        tx_dupname(old, name);
    }
  } else {
    if (old && !old_explicit) {
      free(e->value);
      e->value = NULL;
      tx_dupname(old, name);
    }
    tx_dupname(n, name);
  }
  if (!explicit_ || (!old_explicit && old)) {
    if (msg)
      S_place_message(n, msg);
    /* An INFO message is never kept in the tree (S_place_message drops
     * it): report it without building a node, as this one comes for
     * every repeated section title. */
    ss_buf text = SS_BUF_INIT;
    ss_buf_puts(&text, "Duplicate implicit target name: \"");
    ss_buf_puts(&text, name);
    ss_buf_puts(&text, "\".");
    ss_diag_report(tx->opts->diag, tx->opts->path, tx_source_line(n),
                   SS_LEVEL_INFO, text.data);
    ss_buf_free(&text);
    return;
  }
  if (msg)
    S_place_message(n, msg);
}

void tx_note_target(ss_tx *tx, ss_node *n, bool explicit_) {
  const char *first = tx_set_id(tx, n);
  char *id = ss_xstrdup(first);
  /* Copy the names first: a duplicate is moved to dupnames as we go. */
  size_t count = tx_attr_count(n, "names"), i = 0;
  char **names = ss_xcalloc(count ? count : 1, sizeof *names);
  for (const ss_attr *a = ss_node_attr_next(n, "names", NULL); a;
       a = ss_node_attr_next(n, "names", a))
    names[i++] = ss_xstrdup(a->value);
  for (i = 0; i < count; i++) {
    if (tx_map_find(&tx->nameids, names[i]))
      S_duplicate_name(tx, n, id, names[i], explicit_);
    else
      S_set_nameid(tx, names[i], id, explicit_);
    free(names[i]);
  }
  free(names);
  free(id);
}

/* --- the walk -------------------------------------------------------- */

/* A section is an implicit target named after its title, noted once the
 * title has been read (so ids inside the title come first). */
static void S_section(ss_tx *tx, ss_node *section) {
  if (ss_node_attr_get(section, "ids"))
    return;
  if (!ss_node_attr_get(section, "names")) {
    ss_buf text = SS_BUF_INIT, name = SS_BUF_INIT;
    ss_node_text_content(section->first, &text);
    tx_normalize_name(text.data ? text.data : "", text.len, &name);
    ss_node_attr_add(section, "names", name.data ? name.data : "");
    ss_buf_free(&text);
    ss_buf_free(&name);
  }
  tx_note_target(tx, section, false);
}

static void S_enter(ss_tx *tx, ss_node *n) {
  switch (n->kind) {
  case SS_DOCUMENT:
  case SS_SECTION:
  case SS_SYSTEM_MESSAGE:
  case SS_PROBLEMATIC:
  case SS_SUBSTITUTION_DEFINITION: /* its names are not target names */
  case SS_TODO_NODE:               /* on EXIT, see tx_pass_ids */
    return;
  case SS_TARGET:
    if (ss_node_attr_get(n, "anonymous") || !ss_node_attr_get(n, "names")) {
      if (ss_node_attr_get(n, "anonymous") || ss_node_attr_get(n, "ids"))
        tx_set_id(tx, n);
      return;
    }
    tx_note_target(tx, n, true);
    return;
  case SS_FOOTNOTE_REFERENCE:
  case SS_CITATION_REFERENCE:
    tx_set_id(tx, n);
    return;
  case SS_FOOTNOTE:
  case SS_CITATION:
    if (ss_node_attr_get(n, "names"))
      tx_note_target(tx, n, true);
    else
      tx_set_id(tx, n);
    return;
  default:
    /* Directives' :name: option makes any element an explicit target. */
    if (ss_node_attr_get(n, "names"))
      tx_note_target(tx, n, true);
    else if (ss_node_attr_get(n, "ids"))
      tx_set_id(tx, n);
  }
}

void tx_pass_ids(ss_tx *tx) {
  ss_iter it;
  ss_iter_init(&it, tx->document);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (n->kind == SS_TEXT)
      continue;
    if (ev == SS_EVENT_ENTER)
      S_enter(tx, n);
    else if (n->kind == SS_TITLE && n->parent &&
             n->parent->kind == SS_SECTION && n->parent->first == n)
      S_section(tx, n->parent);
    else if (n->kind == SS_TODO_NODE)
      /* Sphinx's todo directive notes its node as an explicit target
       * once the content is parsed, so it takes an id ("id2") after
       * the ids in its content, before those of what follows. */
      tx_note_target(tx, n, true);
  }
}

/* Sphinx's SortIds: a section whose first id is an automatic one ("id3")
 * and that also got a target's id shows the target's first. */
void tx_pass_sort_ids(ss_tx *tx) {
  ss_node *root = tx->document;
  for (ss_node *n = root; n; n = ss_node_next_in(root, n)) {
    if (n->kind != SS_SECTION || tx_attr_count(n, "ids") < 2)
      continue;
    const char *first = ss_node_attr_get(n, "ids");
    if (strncmp(first, "id", 2) != 0)
      continue;
    char *moved = ss_xstrdup(first);
    ss_node_attr_remove_item(n, "ids", moved);
    ss_node_attr_add(n, "ids", moved);
    free(moved);
  }
}

/* Sphinx's AutoNumbering: figures, tables and code-block wrappers that
 * have a caption or title can be numbered, so they get an id even
 * without a name. */
void tx_pass_autonumbering(ss_tx *tx) {
  /* Only attributes change, and messages are placed before the node or
   * inside it: the light walk sees what ss_iter would. */
  ss_node *root = tx->document;
  for (ss_node *n = root; n; n = ss_node_next_in(root, n)) {
    if ((n->kind != SS_FIGURE && n->kind != SS_TABLE &&
         n->kind != SS_CONTAINER) ||
        ss_node_attr_get(n, "ids"))
      continue;
    for (ss_node *c = n->first; c; c = c->next) {
      if (c->kind == SS_CAPTION || c->kind == SS_TITLE) {
        tx_note_target(tx, n, false);
        break;
      }
    }
  }
}
