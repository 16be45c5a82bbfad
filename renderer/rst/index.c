/* index.c — Sphinx's index entries (sphinx/domains/index.py and
 * process_index_entry in sphinx/util/nodes.py): the `index` directive,
 * the `:index:` role, and the `entries` every index node carries.
 *
 * An index node's entries are a list of five-item entries (type, value,
 * target id, main, key), which Sphinx's xml builder writes as Python's
 * list reprs, one per entry, in Docutils' serial form:
 *
 *   entries="['single',\ 'foo',\ 'index-0',\ '',\ None]"
 *
 * Sphinx's index domain checks each entry once the document is read
 * (split_index_msg): an entry without the parts its type needs is
 * warned about and its index node removed, its target kept (here: its
 * entries removed, see S_check_node).
 */
#include <stdlib.h>
#include <string.h>

#include "directives.h"

/* --- entries ---------------------------------------------------------------
 */

/* Docutils' serial_escape of one list item: "\" and " " escaped. */
static void S_serial(const char *s, size_t len, ss_buf *out) {
  for (size_t k = 0; k < len; k++) {
    if (s[k] == '\\' || s[k] == ' ')
      ss_buf_putc(out, '\\');
    ss_buf_putc(out, s[k]);
  }
}

ss_node *rst_index_new(int line) {
  ss_node *index = ss_node_new(SS_INDEX, line);
  ss_node_attr_set(index, "entries", "");
  return index;
}

void rst_index_add(ss_node *index, const char *type, const char *value,
                   const char *target, const char *main, const char *key) {
  const char *old = ss_node_attr_get(index, "entries");
  ss_buf all = SS_BUF_INIT, item = SS_BUF_INIT;
  if (old && *old) {
    ss_buf_puts(&all, old);
    ss_buf_putc(&all, ' ');
  }
  const char *parts[] = {type, value, target, main};
  ss_buf_putc(&item, '[');
  for (int k = 0; k < 4; k++) {
    rst_py_repr(parts[k], strlen(parts[k]), &item);
    ss_buf_puts(&item, ", ");
  }
  if (key)
    rst_py_repr(key, strlen(key), &item);
  else
    ss_buf_puts(&item, "None");
  ss_buf_putc(&item, ']');
  S_serial(item.data, item.len, &all);
  ss_node_attr_set(index, "entries", all.data);
  ss_buf_free(&item);
  ss_buf_free(&all);
}

void rst_index_id(rst_parser *p, ss_buf *out) {
  ss_buf_printf(out, "index-%d", rst_serialno(p, "index"));
}

/* Python's str.strip(), on a span. */
static void S_strip(const char **s, size_t *len) {
  int k;
  while (*len && (k = rst_space_len(*s, *len)))
    *s += k, *len -= (size_t)k;
  while (*len) {
    size_t last = *len - 1;
    while (last && ((unsigned char)(*s)[last] & 0xC0) == 0x80)
      last--;
    if ((size_t)rst_space_len(*s + last, *len - last) != *len - last)
      break;
    *len = last;
  }
}

/* split_index_msg: an entry's value has the parts (between ";") its
 * type needs, a single one at least one; else Sphinx's message. */
static void S_check(const char *type, const char *value, ss_buf *msg) {
  int need = !strcmp(type, "triple") ? 3
             : !strcmp(type, "pair") || !strcmp(type, "see") ||
                     !strcmp(type, "seealso")
                 ? 2
                 : 1;
  /* value.split(';', need - 1), the parts stripped, non-empty counted */
  int filled = 0, parts = 0;
  for (const char *s = value;; parts++) {
    const char *semi = parts < need - 1 ? strchr(s, ';') : NULL;
    const char *b = s;
    size_t len = semi ? (size_t)(semi - s) : strlen(s);
    S_strip(&b, &len);
    filled += len > 0;
    if (!semi)
      break;
    s = semi + 1;
  }
  if (filled >= need || msg->len)
    return;
  ss_buf_printf(msg, "invalid %s index entry ",
                !strcmp(type, "seealso") ? "see" : type);
  rst_py_repr(value, strlen(value), msg);
}

/* Adds one entry when valid; notes the first invalid one's message. */
static void S_add(ss_node *index, const char *type, const char *value,
                  const char *target, const char *main, ss_buf *msg) {
  S_check(type, value, msg);
  rst_index_add(index, type, value, target, main, NULL);
}

static bool S_starts(const char *s, size_t len, const char *prefix,
                     size_t *after) {
  size_t n = strlen(prefix);
  if (len <= n || memcmp(s, prefix, n) != 0 || s[n] != ':')
    return false;
  *after = n + 1;
  return true;
}

/* process_index_entry: "type: value" (the pair shorthands "module: x",
 * ...), else single entries separated by commas; "!" marks the main
 * one. */
static void S_process(ss_node *index, const char *entry, size_t len,
                      const char *target, ss_buf *msg) {
  static const char *const pairs[][2] = {{"module", "module"},
                                         {"keyword", "keyword"},
                                         {"operator", "operator"},
                                         {"object", "object"},
                                         {"exception", "exception"},
                                         {"statement", "statement"},
                                         {"builtin", "built-in function"}};
  static const char *const types[] = {"single", "pair", "double",
                                      "triple", "see",  "seealso"};
  const char *e = entry;
  S_strip(&e, &len);
  const char *whole = e;
  size_t whole_len = len;
  const char *main = "";
  if (len && e[0] == '!') {
    main = "main";
    e++, len--;
    size_t cut = 0;
    int k;
    while (cut < len && (k = rst_space_len(e + cut, len - cut)))
      cut += (size_t)k;
    e += cut, len -= cut;
  }
  ss_buf value = SS_BUF_INIT;
  size_t after;
  for (size_t t = 0; t < sizeof pairs / sizeof *pairs; t++)
    if (S_starts(e, len, pairs[t][0], &after)) {
      const char *v = e + after;
      size_t vlen = len - after;
      S_strip(&v, &vlen);
      ss_buf_printf(&value, "%s; %.*s", pairs[t][1], (int)vlen, v);
      S_add(index, "pair", value.data, target, main, msg);
      ss_buf_free(&value);
      return;
    }
  for (size_t t = 0; t < sizeof types / sizeof *types; t++)
    if (S_starts(e, len, types[t], &after)) {
      const char *v = e + after;
      size_t vlen = len - after;
      S_strip(&v, &vlen);
      ss_buf_put(&value, v, vlen);
      const char *type = !strcmp(types[t], "double") ? "pair" : types[t];
      S_add(index, type, value.data ? value.data : "", target, main, msg);
      ss_buf_free(&value);
      return;
    }
  for (const char *s = whole;;) {
    const char *comma = memchr(s, ',', (size_t)(whole + whole_len - s));
    const char *v = s;
    size_t vlen = comma ? (size_t)(comma - s) : (size_t)(whole + whole_len - s);
    S_strip(&v, &vlen);
    main = "";
    if (vlen && v[0] == '!') {
      main = "main";
      v++, vlen--;
      S_strip(&v, &vlen);
    }
    if (vlen) {
      ss_buf_clear(&value);
      ss_buf_put(&value, v, vlen);
      S_add(index, "single", value.data, target, main, msg);
    }
    if (!comma)
      break;
    s = comma + 1;
  }
  ss_buf_free(&value);
}

/* IndexDomain.process_doc: the warning, at the index node, which
 * Sphinx then removes, once the transforms have run. Until then it is
 * there (a target before it stays where it is, as before any index):
 * it is kept, without entries. */
static void S_check_node(rst_parser *p, ss_node *index, const ss_buf *msg) {
  if (!msg->len)
    return;
  ss_diag_report(p->opts->diag, p->opts->path, index->line, SS_LEVEL_WARNING,
                 msg->data);
  ss_node_attr_set(index, "entries", "");
}

/* --- the index directive and the :index: role ------------------------------
 */

/* IndexDirective: the entries of each line of the argument, then the
 * target ("index-N", or the :name: given, as Docutils names it). The
 * index has the directive's line; the target the state machine's. */
static void S_run_index(rst_parser *p, const rst_dspec *spec,
                        const rst_directive *d, ss_node *parent) {
  (void)spec;
  const char *name = rst_dir_option(d, "name");
  ss_buf id = SS_BUF_INIT, msg = SS_BUF_INIT;
  ss_node *target = ss_node_new(SS_TARGET, RST_ATTACH_LINE);
  if (name) {
    /* note_explicit_target gives it make_id(name): the transforms do, as
     * for every named target; the entries name it already. */
    ss_node_attr_add(target, "names", name);
    rst_dir_make_id(name, strlen(name), &id);
  } else {
    rst_index_id(p, &id);
    ss_node_attr_add(target, "ids", id.data);
  }
  ss_node *index = rst_index_new(d->lineno);
  ss_node_attr_set(index, "inline", "False");
  const char *args = d->args_raw ? d->args_raw : d->args;
  for (const char *s = args;;) {
    const char *nl = strchr(s, '\n');
    S_process(index, s, nl ? (size_t)(nl - s) : strlen(s),
              id.data ? id.data : "", &msg);
    if (!nl)
      break;
    s = nl + 1;
  }
  S_check_node(p, index, &msg);
  ss_node_append(parent, index);
  ss_node_append(parent, target);
  ss_buf_free(&id);
  ss_buf_free(&msg);
}

void rst_index_role(rst_parser *p, const char *raw, size_t rawlen, int lineno,
                    ss_node *parent) {
  ss_buf id = SS_BUF_INIT, title = SS_BUF_INIT, target = SS_BUF_INIT,
         msg = SS_BUF_INIT;
  rst_index_id(p, &id);
  ss_node *index = rst_index_new(lineno);
  if (rst_role_split_title(raw, rawlen, &title, &target)) {
    /* An explicit target is a full entry. */
    S_process(index, target.data, target.len, id.data, &msg);
  } else if (target.len && target.data[0] == '!') {
    rst_index_add(index, "single", target.data + 1, id.data, "main", NULL);
    memmove(title.data, title.data + 1, title.len--);
  } else {
    rst_index_add(index, "single", target.data ? target.data : "", id.data, "",
                  NULL);
  }
  S_check_node(p, index, &msg);
  ss_node_append(parent, index);
  ss_node *t = ss_node_append(parent, ss_node_new(SS_TARGET, 0));
  ss_node_attr_add(t, "ids", id.data);
  if (title.len)
    ss_node_append_text(parent, title.data, title.len, lineno);
  ss_buf_free(&id);
  ss_buf_free(&title);
  ss_buf_free(&target);
  ss_buf_free(&msg);
}

const rst_dspec rst_index_dspecs[] = {
    {"index", 1, 0, true, true, false, S_run_index, SS_INDEX, NULL},
    {NULL, 0, 0, false, false, false, NULL, SS_TEXT, NULL},
};
