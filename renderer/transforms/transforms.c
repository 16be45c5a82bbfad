/* transforms.c — the driver: runs the passes in Docutils' (and Sphinx's)
 * priority order over one shared state, and the helpers every pass uses
 * to report problems the way Docutils does. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "internal.h"

/* --- the metadata pass ---------------------------------------------- */

/* Docutils' bibliographic fields (English) and how DocInfo reads each:
 * a topic, the authors, or one paragraph. */
typedef enum { S_BIB_TEXT, S_BIB_AUTHORS, S_BIB_TOPIC } S_bib_kind;

static int S_metadata_field(const char *normed, S_bib_kind *kind,
                            const char **label) {
  static const struct {
    const char *name, *label;
    S_bib_kind kind;
  } fields[] = {{"author", "Author", S_BIB_TEXT},
                {"authors", "Authors", S_BIB_AUTHORS},
                {"organization", "Organization", S_BIB_TEXT},
                {"address", "Address", S_BIB_TEXT},
                {"contact", "Contact", S_BIB_TEXT},
                {"version", "Version", S_BIB_TEXT},
                {"revision", "Revision", S_BIB_TEXT},
                {"status", "Status", S_BIB_TEXT},
                {"date", "Date", S_BIB_TEXT},
                {"copyright", "Copyright", S_BIB_TEXT},
                {"dedication", "Dedication", S_BIB_TOPIC},
                {"abstract", "Abstract", S_BIB_TOPIC}};
  for (int k = 0; k < (int)(sizeof fields / sizeof *fields); k++)
    if (!strcmp(fields[k].name, normed)) {
      *kind = fields[k].kind;
      *label = fields[k].label;
      return k;
    }
  return -1;
}

/* DocInfo.extract_authors: one paragraph of names separated by ";" or
 * ",", paragraphs of one name each, or a list of them. */
static bool S_metadata_authors(const ss_node *body) {
  const ss_node *only = body->first && !body->first->next ? body->first : NULL;
  if (only && only->kind == SS_BULLET_LIST) {
    for (const ss_node *item = only->first; item; item = item->next)
      if (!item->first || item->first->next ||
          item->first->kind != SS_PARAGRAPH)
        return false;
    return only->first != NULL;
  }
  if (!only) {
    for (const ss_node *c = body->first; c; c = c->next)
      if (c->kind != SS_PARAGRAPH)
        return false;
    return true;
  }
  if (only->kind != SS_PARAGRAPH)
    return false;
  ss_buf text = SS_BUF_INIT;
  ss_node_text_content(only, &text);
  bool named = false; /* some name is left between the separators */
  const char *sep = text.data && strchr(text.data, ';') ? ";" : ",";
  for (const char *s = text.data ? text.data : ""; *s && !named; s++)
    named = !strchr(sep, *s) && *s != ' ' && *s != '\n';
  ss_buf_free(&text);
  return named;
}

/* Docutils' DocInfo and Sphinx's MetadataCollector: a field list that
 * is the document's first element (but for comments, targets,
 * substitution definitions and the like) is its metadata (:orphan:,
 * :tocdepth:, :author: ...), which Sphinx takes out of the tree, all
 * but :dedication: and :abstract:, which DocInfo makes topics (a title
 * "Dedication" or "Abstract", the field's body) before the docinfo;
 * what DocInfo cannot extract is its warning, at the field. */
static void S_pass_metadata(ss_tx *tx) {
  ss_node *n = tx->document->first;
  while (n && (n->kind == SS_COMMENT || n->kind == SS_TARGET ||
               n->kind == SS_SUBSTITUTION_DEFINITION || n->kind == SS_PENDING ||
               n->kind == SS_SYSTEM_MESSAGE || n->kind == SS_RAW ||
               n->kind == SS_META || n->kind == SS_DECORATION ||
               n->kind == SS_TITLE || n->kind == SS_SUBTITLE))
    n = n->next;
  if (!n || n->kind != SS_FIELD_LIST)
    return;
  ss_buf text = SS_BUF_INIT, normed = SS_BUF_INIT, msg = SS_BUF_INIT;
  ss_node *topics[2] = {NULL, NULL}; /* dedication, abstract */
  for (ss_node *f = n->first; f; f = f->next) {
    ss_node *name = ss_node_child(f, SS_FIELD_NAME);
    ss_node *body = ss_node_child(f, SS_FIELD_BODY);
    ss_buf_clear(&text);
    if (name)
      ss_node_text_content(name, &text);
    const char *written = text.data ? text.data : "";
    ss_buf_clear(&normed);
    tx_normalize_name(written, text.len, &normed);
    S_bib_kind kind;
    const char *label;
    int bib =
        body ? S_metadata_field(normed.data ? normed.data : "", &kind, &label)
             : -1;
    ss_buf_clear(&msg);
    if (bib >= 0 && !body->first) {
      ss_buf_printf(&msg, "Cannot extract empty bibliographic field \"%s\".",
                    written);
    } else if (bib >= 0 && kind == S_BIB_TOPIC) {
      ss_node **slot = &topics[!strcmp(label, "Abstract")];
      if (*slot) {
        ss_buf_printf(&msg, "There can only be one \"%s\" field.", written);
      } else {
        /* Made by a transform: no line (its document's). */
        *slot = ss_node_new(SS_TOPIC, 0);
        ss_node_attr_add(*slot, "classes", normed.data);
        ss_node *title = ss_node_append(*slot, ss_node_new(SS_TITLE, 0));
        ss_node_append(title, ss_text_new(label, strlen(label), 0));
        ss_node_move_children(body, *slot);
        continue; /* no metadata: not in the docinfo */
      }
    } else if (bib >= 0 && kind == S_BIB_AUTHORS) {
      if (!S_metadata_authors(body))
        ss_buf_printf(&msg,
                      "Bibliographic field \"%s\" incompatible with "
                      "extraction: it must contain either a single paragraph "
                      "(with authors separated by one of \";,\"), multiple "
                      "paragraphs (one per author), or a bullet list with one "
                      "paragraph (one author) per item.",
                      written);
    } else if (bib >= 0 && body->first->next) {
      ss_buf_printf(&msg, "Cannot extract compound bibliographic field \"%s\".",
                    written);
    } else if (bib >= 0 && body->first->kind != SS_PARAGRAPH) {
      ss_buf_printf(&msg,
                    "Cannot extract bibliographic field \"%s\" containing "
                    "anything other than a single paragraph.",
                    written);
    }
    if (msg.len) /* in the docinfo, which Sphinx removes: the log only */
      ss_diag_report(tx->opts->diag, tx->opts->path, tx_source_line(f),
                     SS_LEVEL_WARNING, msg.data);
    if (!tx->opts->metadata)
      continue;
    ss_buf_put(tx->opts->metadata, written, text.len + 1);
    ss_buf_clear(&text);
    if (body)
      ss_node_text_content(body, &text);
    ss_buf_put(tx->opts->metadata, text.data ? text.data : "", text.len + 1);
  }
  /* Docutils' PropagateTargets runs while the field list is there: the
   * targets just before it point at it (and so at nothing once it is
   * gone), where here they would move on to what follows. */
  for (ss_node *t = n->prev;
       t && t->kind == SS_TARGET && !t->first &&
       !ss_node_attr_get(t, "refuri") && !ss_node_attr_get(t, "refid") &&
       !ss_node_attr_get(t, "refname");
       t = t->prev) {
    const char *tname = ss_node_attr_get(t, "names");
    const char *tid = ss_node_attr_get(t, "ids");
    ss_buf_clear(&text);
    if (tid)
      ss_buf_puts(&text, tid);
    else if (tname)
      ss_make_id(tname, &text);
    if (text.len)
      ss_node_attr_set(t, "refid", text.data);
  }
  /* The topics go where the docinfo goes, after the titles,
   * decoration and meta: dedication, then abstract. */
  ss_node *at = tx->document->first;
  while (at && (at == n || at->kind == SS_TITLE || at->kind == SS_SUBTITLE ||
                at->kind == SS_RUBRIC || at->kind == SS_DECORATION ||
                at->kind == SS_META))
    at = at->next;
  for (int k = 0; k < 2; k++) {
    if (!topics[k])
      continue;
    if (at)
      ss_node_insert_before(at, topics[k]);
    else
      ss_node_append(tx->document, topics[k]);
  }
  ss_buf_free(&text);
  ss_buf_free(&normed);
  ss_buf_free(&msg);
  ss_node_free(n);
}

/* Sphinx's UnreferencedFootnotesDetector (200, before the footnotes are
 * numbered): a footnote with a number or label of its own that no
 * reference names, and an auto-numbered one in a document without any
 * auto-numbered reference, are warnings (no system message). */
static void S_pass_unreferenced_footnotes(ss_tx *tx) {
  tx_list notes = {NULL, 0, 0};
  tx_map refnames;
  tx_map_init(&refnames, false);
  bool auto_refs = false;
  for (ss_node *n = tx->document; n; n = ss_node_next_in(tx->document, n)) {
    const char *auto_ = ss_node_attr_get(n, "auto");
    if (n->kind == SS_FOOTNOTE_REFERENCE) {
      const char *refname = ss_node_attr_get(n, "refname");
      if (refname)
        tx_map_put(&refnames, refname);
      auto_refs |= auto_ && strcmp(auto_, "1") == 0;
    } else if (n->kind == SS_FOOTNOTE && !(auto_ && strcmp(auto_, "*") == 0)) {
      tx_list_push(&notes, n);
    }
  }
  for (size_t i = 0; i < notes.len; i++) {
    const ss_node *n = notes.items[i];
    const char *auto_ = ss_node_attr_get(n, "auto");
    const char *name = ss_node_attr_get(n, "names");
    if (auto_ && strcmp(auto_, "1") == 0) {
      if (!auto_refs)
        ss_diag_report(tx->opts->diag, tx->opts->path, tx_source_line(n),
                       SS_LEVEL_WARNING, "Footnote [#] is not referenced.");
      continue;
    }
    if (!name)
      continue; /* a number given twice: the parser said so */
    ss_buf first = SS_BUF_INIT;
    ss_buf_put(&first, name, strcspn(name, " "));
    if (!tx_map_find(&refnames, first.data)) {
      ss_buf msg = SS_BUF_INIT;
      ss_buf_printf(&msg, "Footnote [%s] is not referenced.", first.data);
      ss_diag_report(tx->opts->diag, tx->opts->path, tx_source_line(n),
                     SS_LEVEL_WARNING, msg.data);
      ss_buf_free(&msg);
    }
    ss_buf_free(&first);
  }
  tx_map_free(&refnames);
  tx_list_free(&notes);
}

void ss_transform_document(ss_node *document,
                           const ss_transform_options *opts) {
  if (!document || !opts)
    return;
  ss_tx tx;
  memset(&tx, 0, sizeof tx);
  tx.document = document;
  tx.opts = opts;
  tx_map_init(&tx.ids, false);
  tx_map_init(&tx.nameids, false);
  tx_map_init(&tx.resolved, true);

  tx_pass_source_workaround(&tx);
  S_pass_metadata(&tx);
  tx_pass_ids(&tx);
  tx_pass_class_attribute(&tx);
  S_pass_unreferenced_footnotes(&tx);
  tx_pass_autonumbering(&tx);
  tx_pass_substitutions(&tx);
  tx_pass_propagate_targets(&tx);
  tx_pass_sort_ids(&tx);
  tx_pass_anonymous(&tx);
  tx_pass_keep_refnames(&tx);
  tx_pass_indirect(&tx);
  tx_pass_target_notes(&tx);
  if (opts->keep_pending_xrefs)
    tx_pass_citation_xrefs(&tx);
  tx_pass_citations(&tx);
  tx_pass_footnotes(&tx);
  tx_pass_external(&tx);
  tx_pass_internal(&tx);
  tx_pass_sectnum(&tx);
  tx_pass_contents(&tx);
  tx_pass_smartquotes(&tx);
  tx_pass_transitions(&tx);
  tx_pass_dangling(&tx);
  tx_pass_xrefs(&tx);
  tx_pass_resolve_lines(&tx);

  for (size_t i = 0; i < tx.graveyard.len; i++)
    ss_node_free(tx.graveyard.items[i]);
  tx_list_free(&tx.graveyard);
  tx_list_free(&tx.targets);
  if (tx.have_parser_refnames)
    tx_multimap_free(&tx.parser_refnames);
  tx_list_free(&tx.target_notes);
  tx_list_free(&tx.target_note_refs);
  tx_map_free(&tx.ids);
  for (size_t i = 0; i < tx.nameids.cap; i++)
    if (tx.nameids.slots[i].used)
      free(tx.nameids.slots[i].value);
  tx_map_free(&tx.nameids);
  tx_map_free(&tx.resolved);
}

/* --- messages -------------------------------------------------------- */

ss_node *tx_message(ss_tx *tx, ss_level level, int line, const char *backref,
                    const char *fmt, ...) {
  ss_buf msg = SS_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  ss_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  const char *text = msg.data ? msg.data : "";
  ss_diag_report(tx->opts->diag, tx->opts->path, line, level, text);

  ss_node *sm =
      ss_system_message_new(level, line, tx->opts->path, text, msg.len);
  if (backref)
    ss_node_attr_add(sm, "backrefs", backref);
  ss_buf_free(&msg);
  return sm;
}

static int S_level(const ss_node *msg) {
  const char *l = ss_node_attr_get(msg, "level");
  return l ? l[0] - '0' : SS_LEVEL_ERROR;
}

/* Docutils collects messages made by transforms and, in a standalone
 * document, shows them in a closing section; Sphinx drops them all. We
 * keep the ones a reader would have kept, at the end of the document,
 * without a section around them (a section would be content). */
void tx_keep_message(ss_tx *tx, ss_node *msg) {
  if (S_level(msg) >= SS_LEVEL_WARNING)
    ss_node_append(tx->document, msg);
  else
    ss_node_free(msg);
}

void tx_make_problematic(ss_tx *tx, ss_node *ref, ss_node *msg) {
  const char *msgid = ss_node_attr_get(msg, "ids");
  if (!msgid)
    msgid = tx_set_id(tx, msg);
  ss_buf raw = SS_BUF_INIT;
  tx_rawsource(ref, &raw);
  ss_node *prb = ss_node_new(SS_PROBLEMATIC, 0);
  ss_node_attr_set(prb, "refid", msgid);
  ss_node_append(prb,
                 ss_text_new(raw.data ? raw.data : "", raw.len, ref->line));
  ss_buf_free(&raw);
  ss_node_insert_before(ref, prb);
  const char *prbid = tx_set_id(tx, prb);
  ss_node_attr_add(msg, "backrefs", prbid);
  /* Docutils' replace_self hands the replaced node's basic attributes on
   * to its replacement. */
  static const char *const basic[] = {"ids", "classes", "names", "dupnames"};
  for (size_t i = 0; i < sizeof basic / sizeof basic[0]; i++)
    for (const ss_attr *a = ss_node_attr_next(ref, basic[i], NULL); a;
         a = ss_node_attr_next(ref, basic[i], a)) {
      ss_node_attr_add(prb, basic[i], a->value);
      if (i == 0)
        tx_map_put(&tx->ids, a->value)->value = prb;
    }
  tx_list_push(&tx->graveyard, ss_node_unlink(ref));
  tx_set_resolved(tx, ref);
}

/* Docutils' simple reference names: alphanumerics joined by single
 * hyphens, underscores, periods, colons or plus signs. */
static bool S_is_simple_name(const char *s, size_t len) {
  bool prev_sep = true;
  if (len == 0)
    return false;
  for (size_t i = 0; i < len;) {
    int32_t cp;
    size_t n = ss_utf8_decode(s + i, len - i, &cp);
    bool sep = cp == '-' || cp == '_' || cp == '.' || cp == ':' || cp == '+';
    if (sep) {
      if (prev_sep)
        return false;
    } else if (!ss_uc_is_alnum(cp)) {
      return false;
    }
    prev_sep = sep;
    i += n;
  }
  return !prev_sep;
}

/* The tree does not keep the source text of a reference; rebuild what
 * Docutils shows in a problematic node from the node's shape. */
void tx_rawsource(const ss_node *ref, ss_buf *out) {
  ss_buf text = SS_BUF_INIT;
  ss_node_text_content(ref, &text);
  const char *t = text.data ? text.data : "";
  const char *refname = ss_node_attr_get(ref, "refname");
  const char *autonum = ss_node_attr_get(ref, "auto");
  switch (ref->kind) {
  case SS_FOOTNOTE_REFERENCE:
    if (autonum && strcmp(autonum, "*") == 0)
      ss_buf_puts(out, "[*]_");
    else if (autonum)
      ss_buf_printf(out, "[#%s]_", refname ? refname : "");
    else
      ss_buf_printf(out, "[%s]_", t);
    break;
  case SS_CITATION_REFERENCE:
    ss_buf_printf(out, "[%s]_", t);
    break;
  case SS_SUBSTITUTION_REFERENCE:
    ss_buf_printf(out, "|%s|", t);
    break;
  case SS_REFERENCE: {
    const char *name = ss_node_attr_get(ref, "name");
    /* An image's :target: makes a named reference around the image,
     * with no source text of its own (Docutils' rawsource is empty). */
    if (name && ref->first && ref->first->kind == SS_IMAGE && !ref->first->next)
      break;
    const char *shown = name ? name : t;
    const char *tail = ss_node_attr_get(ref, "anonymous") ? "__" : "_";
    if (S_is_simple_name(shown, strlen(shown)))
      ss_buf_printf(out, "%s%s", shown, tail);
    else
      ss_buf_printf(out, "`%s`%s", shown, tail);
    break;
  }
  default:
    ss_buf_puts(out, t);
  }
  ss_buf_free(&text);
}

bool tx_is_resolved(const ss_tx *tx, const ss_node *n) {
  return tx_map_find_ptr(&tx->resolved, n) != NULL;
}

void tx_set_resolved(ss_tx *tx, const ss_node *n) {
  tx_map_put_ptr(&tx->resolved, n);
}

/* --- list attributes ------------------------------------------------- */

size_t tx_attr_count(const ss_node *n, const char *name) {
  size_t count = 0;
  for (const ss_attr *a = ss_node_attr_next(n, name, NULL); a;
       a = ss_node_attr_next(n, name, a))
    count++;
  return count;
}

void tx_dupname(ss_node *n, const char *name) {
  char *copy = ss_xstrdup(name); /* `name` may be the item we remove */
  ss_node_attr_add(n, "dupnames", copy);
  ss_node_attr_remove_item(n, "names", copy);
  free(copy);
}

void tx_collect_refnames(ss_tx *tx, tx_map *out, ss_kind kind) {
  tx_map_init(out, false);
  ss_node *root = tx->document;
  for (ss_node *n = root; n; n = ss_node_next_in(root, n)) {
    if (!n->attrs || (kind != SS_KIND_COUNT && n->kind != kind))
      continue;
    const char *refname = ss_node_attr_get(n, "refname");
    if (refname)
      tx_multimap_push(out, refname, n);
  }
}
