/* map.c — the small containers the passes keep Docutils' bookkeeping in:
 * hash maps keyed by string or pointer, and node lists. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void tx_map_init(tx_map *m, bool by_pointer) {
  memset(m, 0, sizeof *m);
  m->by_pointer = by_pointer;
}

void tx_map_free(tx_map *m) {
  for (size_t i = 0; i < m->cap; i++)
    free(m->slots[i].key);
  free(m->slots);
  m->slots = NULL;
  m->cap = m->count = 0;
}

static uint64_t S_hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static uint64_t S_hash_ptr(const void *p) {
  uint64_t h = (uint64_t)(uintptr_t)p;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

static bool S_same(const tx_map *m, const tx_map_entry *e, const char *key,
                   const void *ptr) {
  return m->by_pointer ? e->ptr == ptr : strcmp(e->key, key) == 0;
}

static tx_map_entry *S_slot(const tx_map *m, const char *key, const void *ptr) {
  if (!m->cap)
    return NULL;
  uint64_t h = m->by_pointer ? S_hash_ptr(ptr) : S_hash_str(key);
  size_t i = (size_t)h & (m->cap - 1);
  for (;;) {
    tx_map_entry *e = &m->slots[i];
    if (!e->used || S_same(m, e, key, ptr))
      return e;
    i = (i + 1) & (m->cap - 1);
  }
}

static void S_grow(tx_map *m) {
  tx_map old = *m;
  m->cap = old.cap ? old.cap * 2 : 16;
  m->slots = ss_xcalloc(m->cap, sizeof *m->slots);
  m->count = 0;
  for (size_t i = 0; i < old.cap; i++) {
    tx_map_entry *o = &old.slots[i];
    if (!o->used)
      continue;
    tx_map_entry *e = S_slot(m, o->key, o->ptr);
    *e = *o;
    m->count++;
  }
  free(old.slots);
}

static tx_map_entry *S_put(tx_map *m, const char *key, const void *ptr) {
  if ((m->count + 1) * 2 > m->cap)
    S_grow(m);
  tx_map_entry *e = S_slot(m, key, ptr);
  if (!e->used) {
    e->used = true;
    e->key = m->by_pointer ? NULL : ss_xstrdup(key);
    e->ptr = ptr;
    e->value = NULL;
    e->flag = 0;
    m->count++;
  }
  return e;
}

tx_map_entry *tx_map_find(const tx_map *m, const char *key) {
  tx_map_entry *e = S_slot(m, key, NULL);
  return e && e->used ? e : NULL;
}

tx_map_entry *tx_map_find_ptr(const tx_map *m, const void *key) {
  tx_map_entry *e = S_slot(m, NULL, key);
  return e && e->used ? e : NULL;
}

tx_map_entry *tx_map_put(tx_map *m, const char *key) {
  return S_put(m, key, NULL);
}

tx_map_entry *tx_map_put_ptr(tx_map *m, const void *key) {
  return S_put(m, NULL, key);
}

void tx_list_push(tx_list *l, ss_node *n) {
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->items = ss_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->len++] = n;
}

void tx_list_free(tx_list *l) {
  free(l->items);
  l->items = NULL;
  l->len = l->cap = 0;
}

void tx_multimap_push(tx_map *m, const char *key, ss_node *n) {
  tx_map_entry *e = tx_map_put(m, key);
  if (!e->value)
    e->value = ss_xcalloc(1, sizeof(tx_list));
  tx_list_push(e->value, n);
}

tx_list *tx_multimap_get(const tx_map *m, const char *key) {
  tx_map_entry *e = tx_map_find(m, key);
  return e ? e->value : NULL;
}

void tx_multimap_free(tx_map *m) {
  for (size_t i = 0; i < m->cap; i++) {
    if (m->slots[i].used && m->slots[i].value) {
      tx_list_free(m->slots[i].value);
      free(m->slots[i].value);
    }
  }
  tx_map_free(m);
}
