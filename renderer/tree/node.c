/* node.c — building, editing, reading and walking the document tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"

static const char *const kind_names[] = {
#define SS_KIND_NAME(e, name) name,
    SS_NODE_KINDS(SS_KIND_NAME)
#undef SS_KIND_NAME
};

const char *ss_kind_name(ss_kind kind) {
  return (unsigned)kind < SS_KIND_COUNT ? kind_names[kind] : "unknown";
}

bool ss_kind_from_name(const char *name, ss_kind *kind) {
  for (int k = 0; k < SS_KIND_COUNT; k++) {
    if (strcmp(kind_names[k], name) == 0) {
      *kind = (ss_kind)k;
      return true;
    }
  }
  return false;
}

bool ss_kind_is_inline(ss_kind kind) {
  return (kind >= SS_EMPHASIS && kind <= SS_GENERATED) ||
         kind == SS_PENDING_XREF || kind == SS_LITERAL_STRONG ||
         kind == SS_LITERAL_EMPHASIS || kind == SS_DESC_INLINE ||
         kind == SS_DOWNLOAD_REFERENCE || kind == SS_MANPAGE || kind == SS_TEXT;
}

bool ss_kind_is_admonition(ss_kind kind) {
  return kind >= SS_ADMONITION && kind <= SS_TODO_NODE;
}

/* --- building ------------------------------------------------------ */

ss_node *ss_node_new(ss_kind kind, int line) {
  /* malloc and an initializer: cheaper than calloc for a small block. */
  ss_node *n = ss_xmalloc(sizeof *n);
  *n = (ss_node){.kind = kind, .line = line};
  return n;
}

/* A text node and its first text are one allocation: the text follows
 * the struct. Text replaced or extended later gets its own block; only
 * such a block is freed on its own. */
static char *S_inline_text(const ss_node *n) { return (char *)(n + 1); }

static void S_free_text(ss_node *n) {
  if (n->text != S_inline_text(n))
    free(n->text);
}

ss_node *ss_text_new(const char *s, size_t len, int line) {
  ss_node *n = ss_xmalloc(sizeof *n + len + 1);
  memset(n, 0, sizeof *n);
  n->kind = SS_TEXT;
  n->line = line;
  n->text = S_inline_text(n);
  if (len)
    memcpy(n->text, s, len);
  n->text[len] = '\0';
  n->text_len = len;
  return n;
}

void ss_text_set(ss_node *text, const char *s, size_t len) {
  char *copy = ss_xstrndup(s, len);
  S_free_text(text);
  text->text = copy;
  text->text_len = len;
}

static void S_free_attrs(ss_attr *a) {
  while (a) {
    ss_attr *next = a->next;
    free(a);
    a = next;
  }
}

/* Frees a subtree without recursion: children are spliced into a work
 * list threaded through the `next` pointers. */
void ss_node_free(ss_node *node) {
  if (!node)
    return;
  ss_node_unlink(node);
  ss_node *work = node;
  while (work) {
    ss_node *n = work;
    work = n->next;
    if (n->first) {
      n->last->next = work;
      work = n->first;
    }
    S_free_attrs(n->attrs);
    S_free_text(n);
    free(n);
  }
}

ss_node *ss_node_unlink(ss_node *node) {
  if (node->prev)
    node->prev->next = node->next;
  else if (node->parent)
    node->parent->first = node->next;
  if (node->next)
    node->next->prev = node->prev;
  else if (node->parent)
    node->parent->last = node->prev;
  node->parent = node->prev = node->next = NULL;
  return node;
}

ss_node *ss_node_append(ss_node *parent, ss_node *child) {
  child->parent = parent;
  child->prev = parent->last;
  child->next = NULL;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
  return child;
}

ss_node *ss_node_prepend(ss_node *parent, ss_node *child) {
  if (parent->first)
    return ss_node_insert_before(parent->first, child);
  return ss_node_append(parent, child);
}

ss_node *ss_node_insert_before(ss_node *sibling, ss_node *node) {
  node->parent = sibling->parent;
  node->next = sibling;
  node->prev = sibling->prev;
  if (sibling->prev)
    sibling->prev->next = node;
  else if (sibling->parent)
    sibling->parent->first = node;
  sibling->prev = node;
  return node;
}

ss_node *ss_node_insert_after(ss_node *sibling, ss_node *node) {
  if (sibling->next)
    return ss_node_insert_before(sibling->next, node);
  if (sibling->parent)
    return ss_node_append(sibling->parent, node);
  sibling->next = node;
  node->prev = sibling;
  return node;
}

void ss_node_move_children(ss_node *from, ss_node *to) {
  while (from->first)
    ss_node_append(to, ss_node_unlink(from->first));
}

void ss_node_append_text(ss_node *parent, const char *s, size_t len, int line) {
  if (len == 0)
    return;
  ss_node *last = parent->last;
  if (last && last->kind == SS_TEXT) {
    if (last->text == S_inline_text(last)) {
      char *own = ss_xmalloc(last->text_len + len + 1);
      memcpy(own, last->text, last->text_len);
      last->text = own;
    } else {
      last->text = ss_xrealloc(last->text, last->text_len + len + 1);
    }
    memcpy(last->text + last->text_len, s, len);
    last->text_len += len;
    last->text[last->text_len] = '\0';
    return;
  }
  ss_node_append(parent, ss_text_new(s, len, line));
}

static ss_node *S_clone_one(const ss_node *n) {
  ss_node *c;
  if (n->kind == SS_TEXT && n->text) {
    c = ss_text_new(n->text, n->text_len, n->line);
  } else {
    c = ss_node_new(n->kind, n->line);
    if (n->text) {
      c->text = ss_xstrndup(n->text, n->text_len);
      c->text_len = n->text_len;
    }
  }
  for (const ss_attr *a = n->attrs; a; a = a->next)
    ss_node_attr_add(c, a->name, a->value);
  return c;
}

ss_node *ss_node_clone(const ss_node *node) {
  ss_node *copy = S_clone_one(node);
  ss_iter it;
  ss_iter_init(&it, (ss_node *)node);
  ss_node *cur = copy; /* copy of the node whose children we are adding */
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    if (it.node == node)
      continue;
    if (ev == SS_EVENT_ENTER)
      cur = ss_node_append(cur, S_clone_one(it.node));
    else
      cur = cur->parent;
  }
  return copy;
}

/* Decimal digits of v (>= 0 in practice) into buf[16]. */
static void S_itoa(char *buf, int v) {
  char tmp[16];
  size_t i = sizeof tmp;
  unsigned u = v < 0 ? 0U - (unsigned)v : (unsigned)v;
  tmp[--i] = '\0';
  do {
    tmp[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    tmp[--i] = '-';
  memcpy(buf, tmp + i, sizeof tmp - i);
}

ss_node *ss_system_message_new(ss_level level, int line, const char *source,
                               const char *message, size_t len) {
  ss_node *sm = ss_node_new(SS_SYSTEM_MESSAGE, line);
  /* A new node has no attributes yet: add, not set (no search). */
  char num[16];
  S_itoa(num, (int)level);
  ss_node_attr_add(sm, "level", num);
  if (line > 0) {
    S_itoa(num, line);
    ss_node_attr_add(sm, "line", num);
  }
  if (source)
    ss_node_attr_add(sm, "source", source);
  ss_node_attr_add(sm, "type", ss_level_name(level));
  ss_node *para = ss_node_append(sm, ss_node_new(SS_PARAGRAPH, line));
  ss_node_append(para, ss_text_new(message, len, line));
  return sm;
}

/* --- attributes ---------------------------------------------------- */

bool ss_attr_is_list(const char *name) {
  return strcmp(name, "ids") == 0 || strcmp(name, "names") == 0 ||
         strcmp(name, "classes") == 0 || strcmp(name, "dupnames") == 0 ||
         strcmp(name, "backrefs") == 0;
}

/* The bit of attrs_seen a name stands for: its first four bytes mixed
 * ("refid" and "refuri" apart). */
static unsigned long long S_name_bit(const char *name) {
  unsigned h = 0;
  for (int i = 0; i < 4 && name[i]; i++)
    h = h * 31 + (unsigned char)name[i];
  return 1ULL << (h % 64);
}

const ss_attr *ss_node_attr_next(const ss_node *node, const char *name,
                                 const ss_attr *prev) {
  if (!prev && !(node->attrs_seen & S_name_bit(name)))
    return NULL;
  const ss_attr *a = prev ? prev->next : node->attrs;
  /* The first byte rules out most names without a call. */
  for (; a; a = a->next)
    if (a->name[0] == name[0] && strcmp(a->name, name) == 0)
      return a;
  return NULL;
}

const char *ss_node_attr_get(const ss_node *node, const char *name) {
  const ss_attr *a = ss_node_attr_next(node, name, NULL);
  return a ? a->value : NULL;
}

bool ss_node_attr_has(const ss_node *node, const char *name,
                      const char *value) {
  for (const ss_attr *a = ss_node_attr_next(node, name, NULL); a;
       a = ss_node_attr_next(node, name, a))
    if (strcmp(a->value, value) == 0)
      return true;
  return false;
}

void ss_node_attr_remove_item(ss_node *node, const char *name,
                              const char *value) {
  ss_attr *prev = NULL;
  for (ss_attr *a = node->attrs; a; prev = a, a = a->next) {
    if (strcmp(a->name, name) == 0 && strcmp(a->value, value) == 0) {
      *(prev ? &prev->next : &node->attrs) = a->next;
      if (node->attrs_last == a)
        node->attrs_last = prev;
      free(a);
      return;
    }
  }
}

void ss_node_attr_remove(ss_node *node, const char *name) {
  ss_attr *prev = NULL, *a = node->attrs;
  while (a) {
    ss_attr *next = a->next;
    if (strcmp(a->name, name) == 0) {
      *(prev ? &prev->next : &node->attrs) = next;
      free(a);
    } else {
      prev = a;
    }
    a = next;
  }
  node->attrs_last = prev;
}

/* One allocation per attribute: the struct, then its name and value. */
static ss_attr *S_attr_new(const char *name, const char *value) {
  size_t nlen = strlen(name), vlen = strlen(value);
  ss_attr *a = ss_xmalloc(sizeof *a + nlen + vlen + 2);
  char *data = (char *)(a + 1);
  memcpy(data, name, nlen + 1);
  memcpy(data + nlen + 1, value, vlen + 1);
  a->name = data;
  a->value = data + nlen + 1;
  a->next = NULL;
  return a;
}

static void S_attr_append(ss_node *node, ss_attr *a) {
  *(node->attrs_last ? &node->attrs_last->next : &node->attrs) = a;
  node->attrs_last = a;
  node->attrs_seen |= S_name_bit(a->name);
}

void ss_node_attr_add(ss_node *node, const char *name, const char *value) {
  S_attr_append(node, S_attr_new(name, value));
}

/* The copy is made before the old items go, so `value` may be one of
 * them. */
void ss_node_attr_set(ss_node *node, const char *name, const char *value) {
  ss_attr *a = S_attr_new(name, value);
  ss_node_attr_remove(node, name);
  S_attr_append(node, a);
}

/* --- reading ------------------------------------------------------- */

void ss_node_text_content(const ss_node *node, ss_buf *out) {
  for (const ss_node *n = node; n; n = ss_node_next_in(node, n))
    if (n->kind == SS_TEXT)
      ss_buf_put(out, n->text, n->text_len);
}

ss_node *ss_node_child(const ss_node *node, ss_kind kind) {
  for (ss_node *c = node->first; c; c = c->next)
    if (c->kind == kind)
      return c;
  return NULL;
}

int ss_node_depth(const ss_node *node) {
  int d = 0;
  while (node->parent) {
    node = node->parent;
    d++;
  }
  return d;
}

/* --- the iterator -------------------------------------------------- */

void ss_iter_init(ss_iter *it, ss_node *root) {
  *it = (ss_iter){0};
  it->root = root;
}

void ss_iter_skip_children(ss_iter *it) {
  if (it->event == SS_EVENT_ENTER)
    it->event = SS_EVENT_EXIT;
}

void ss_iter_skip_to_next(ss_iter *it) {
  ss_node *n = it->node;
  it->resuming = true;
  if (n == it->root) {
    it->resume_next = NULL;
    it->resume_parent = NULL;
    it->root = NULL;
    return;
  }
  it->resume_next = n->next;
  it->resume_parent = n->parent;
}

void ss_node_drop_messages(ss_node *root, int keep) {
  ss_iter it;
  ss_iter_init(&it, root);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER || n->kind != SS_SYSTEM_MESSAGE)
      continue;
    const char *level = ss_node_attr_get(n, "level");
    if (level && atoi(level) < keep) {
      ss_iter_skip_to_next(&it);
      ss_node_free(n);
    } else {
      ss_iter_skip_children(&it);
    }
  }
}
