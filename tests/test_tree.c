/* Tests for the document tree: building, attributes, the iterator, the
 * XML writer. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tree/tree.h"

Test(tree, kinds_round_trip_through_names) {
  for (int k = 0; k < SS_KIND_COUNT; k++) {
    ss_kind back;
    cr_assert(ss_kind_from_name(ss_kind_name((ss_kind)k), &back));
    cr_assert_eq(back, (ss_kind)k);
  }
  ss_kind unused;
  cr_assert_not(ss_kind_from_name("no_such_kind", &unused));
}

Test(tree, append_insert_unlink_keep_links_consistent) {
  ss_node *p = ss_node_new(SS_PARAGRAPH, 1);
  ss_node *a = ss_node_append(p, ss_text_new("a", 1, 1));
  ss_node *c = ss_node_append(p, ss_text_new("c", 1, 1));
  ss_node *b = ss_node_insert_before(c, ss_text_new("b", 1, 1));
  ss_node *z = ss_node_prepend(p, ss_text_new("z", 1, 1));
  cr_assert_eq(p->first, z);
  cr_assert_eq(z->next, a);
  cr_assert_eq(a->next, b);
  cr_assert_eq(b->next, c);
  cr_assert_eq(p->last, c);
  ss_node_free(ss_node_unlink(b));
  cr_assert_eq(a->next, c);
  cr_assert_eq(c->prev, a);
  ss_buf text = SS_BUF_INIT;
  ss_node_text_content(p, &text);
  cr_assert_str_eq(text.data, "zac");
  ss_buf_free(&text);
  ss_node_free(p);
}

Test(tree, list_attributes_keep_items_in_order) {
  ss_node *s = ss_node_new(SS_SECTION, 3);
  ss_node_attr_add(s, "ids", "one");
  ss_node_attr_add(s, "names", "first name");
  ss_node_attr_add(s, "ids", "two");
  cr_assert_str_eq(ss_node_attr_get(s, "ids"), "one");
  const ss_attr *second =
      ss_node_attr_next(s, "ids", ss_node_attr_next(s, "ids", NULL));
  cr_assert_str_eq(second->value, "two");
  cr_assert(ss_node_attr_has(s, "ids", "two"));
  ss_node_attr_set(s, "ids", "only");
  cr_assert_str_eq(ss_node_attr_get(s, "ids"), "only");
  cr_assert_null(
      ss_node_attr_next(s, "ids", ss_node_attr_next(s, "ids", NULL)));
  ss_node_free(s);
}

/* Appends go to the remembered last item: it must follow removals. */
static void S_expect_attrs(const ss_node *n, const char *want) {
  ss_buf got = SS_BUF_INIT;
  for (const ss_attr *a = n->attrs; a; a = a->next)
    ss_buf_printf(&got, "%s=%s;", a->name, a->value);
  cr_expect_str_eq(got.data ? got.data : "", want);
  ss_buf_free(&got);
}

Test(tree, appends_after_removing_the_last_items) {
  ss_node *s = ss_node_new(SS_SECTION, 3);
  ss_node_attr_add(s, "ids", "a");
  ss_node_attr_add(s, "names", "n");
  ss_node_attr_add(s, "ids", "b");
  ss_node_attr_remove_item(s, "ids", "b");
  ss_node_attr_add(s, "ids", "c");
  S_expect_attrs(s, "ids=a;names=n;ids=c;");
  ss_node_attr_remove(s, "ids");
  ss_node_attr_add(s, "classes", "k");
  S_expect_attrs(s, "names=n;classes=k;");
  ss_node_attr_remove(s, "classes");
  ss_node_attr_remove(s, "names");
  ss_node_attr_add(s, "ids", "d");
  S_expect_attrs(s, "ids=d;");
  ss_node_attr_set(s, "ids", "e");
  ss_node_attr_add(s, "ids", "f");
  S_expect_attrs(s, "ids=e;ids=f;");
  ss_node *copy = ss_node_clone(s);
  ss_node_attr_add(copy, "ids", "g");
  S_expect_attrs(copy, "ids=e;ids=f;ids=g;");
  ss_node_free(copy);
  ss_node_free(s);
}

/* The element at the end of a chain of targets carries an id and a name
 * per target; every reference to one of them asks it for attributes it
 * does not have (refuri), which must not walk the whole list. */
Test(tree, asking_for_a_missing_attribute_of_a_long_list, .timeout = 5) {
  ss_node *s = ss_node_new(SS_SECTION, 1);
  char item[32];
  for (int i = 0; i < 100000; i++) {
    snprintf(item, sizeof item, "i%d", i);
    ss_node_attr_add(s, "ids", item);
  }
  for (int i = 0; i < 100000; i++)
    cr_assert_null(ss_node_attr_get(s, "refuri"));
  ss_node_attr_add(s, "refuri", "u");
  cr_expect_str_eq(ss_node_attr_get(s, "refuri"), "u");
  cr_expect_null(ss_node_attr_get(s, "refid"));
  ss_node_attr_remove(s, "refuri");
  cr_expect_null(ss_node_attr_get(s, "refuri"));
  ss_node_attr_set(s, "refuri", "v");
  cr_expect_str_eq(ss_node_attr_get(s, "refuri"), "v");
  ss_node *copy = ss_node_clone(s);
  cr_expect_str_eq(ss_node_attr_get(copy, "refuri"), "v");
  cr_expect_str_eq(ss_node_attr_get(copy, "ids"), "i0");
  ss_node_free(copy);
  ss_node_free(s);
}

/* An element with an id per target of a long chain, then its names: the
 * XML writer takes each list once without walking back over the ids. */
Test(tree, xml_writer_joins_long_lists, .timeout = 5) {
  ss_node *doc = ss_node_new(SS_DOCUMENT, 0);
  ss_node *p = ss_node_append(doc, ss_node_new(SS_PARAGRAPH, 1));
  char item[32];
  for (int i = 0; i < 100000; i++) {
    snprintf(item, sizeof item, "i%d", i);
    ss_node_attr_add(p, "ids", item);
  }
  for (int i = 0; i < 100000; i++) {
    snprintf(item, sizeof item, "n%d", i);
    ss_node_attr_add(p, "names", item);
  }
  xmlDocPtr x = t_xml(doc);
  cr_assert_not_null(x);
  cr_expect_eq(t_doc_count(x, "//paragraph[starts-with(@names, 'n0 n1 ')]"), 1);
  xmlFreeDoc(x);
  ss_node_free(doc);
}

Test(tree, iterator_walks_enter_exit_in_document_order) {
  ss_node *doc = ss_node_new(SS_DOCUMENT, 0);
  ss_node *sec = ss_node_append(doc, ss_node_new(SS_SECTION, 1));
  ss_node *title = ss_node_append(sec, ss_node_new(SS_TITLE, 1));
  ss_node_append(title, ss_text_new("T", 1, 1));
  ss_node_append(sec, ss_node_new(SS_TRANSITION, 2));
  ss_buf trace = SS_BUF_INIT;
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE)
    ss_buf_printf(&trace, "%c%s ", ev == SS_EVENT_ENTER ? '+' : '-',
                  ss_kind_name(it.node->kind));
  cr_assert_str_eq(trace.data, "+document +section +title +#text -#text -title "
                               "+transition -transition -section -document ");
  ss_buf_free(&trace);
  ss_node_free(doc);
}

Test(tree, iterator_allows_removing_the_current_node) {
  ss_node *list = ss_node_new(SS_BULLET_LIST, 1);
  for (int i = 0; i < 5; i++)
    ss_node_append(list, ss_node_new(SS_LIST_ITEM, i + 1));
  ss_iter it;
  ss_iter_init(&it, list);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    if (ev == SS_EVENT_ENTER && it.node->kind == SS_LIST_ITEM &&
        it.node->line % 2 == 0) {
      ss_node *gone = it.node;
      ss_iter_skip_to_next(&it);
      ss_node_free(gone);
    }
  }
  int left = 0;
  for (ss_node *c = list->first; c; c = c->next, left++)
    cr_assert(c->line % 2 == 1);
  cr_assert_eq(left, 3);
  ss_node_free(list);
}

Test(tree, deep_trees_walk_clone_and_free_without_recursion) {
  ss_node *root = ss_node_new(SS_BLOCK_QUOTE, 1);
  ss_node *cur = root;
  for (int i = 0; i < 200000; i++)
    cur = ss_node_append(cur, ss_node_new(SS_BLOCK_QUOTE, i));
  ss_node *copy = ss_node_clone(root);
  int n = 0;
  ss_iter it;
  ss_iter_init(&it, copy);
  while (ss_iter_next(&it) != SS_EVENT_DONE)
    n++;
  cr_assert_eq(n, 2 * 200001);
  ss_node_free(copy);
  ss_node_free(root);
}

Test(tree, xml_writer_escapes_and_joins_list_attributes) {
  ss_node *doc = ss_node_new(SS_DOCUMENT, 0);
  ss_node *sec = ss_node_append(doc, ss_node_new(SS_SECTION, 1));
  ss_node_attr_add(sec, "ids", "a-b");
  ss_node_attr_add(sec, "names", "a b");
  ss_node *title = ss_node_append(sec, ss_node_new(SS_TITLE, 1));
  ss_node_append(title, ss_text_new("x < y & \"z\"", 11, 1));
  ss_node *lit = ss_node_append(sec, ss_node_new(SS_LITERAL_BLOCK, 2));
  ss_node_append(lit, ss_text_new("  +--+\n  |<>|\\", 14, 2));
  xmlDocPtr x = t_xml(doc);
  cr_assert_not_null(x);
  char *names = t_doc_string(x, "string(//section/@names)");
  cr_assert_str_eq(names, "a\\ b");
  char *t = t_doc_string(x, "string(//title)");
  cr_assert_str_eq(t, "x < y & \"z\"");
  char *l = t_doc_string(x, "string(//literal_block)");
  cr_assert_str_eq(l, "  +--+\n  |<>|\\");
  free(names), free(t), free(l);
  xmlFreeDoc(x);
  ss_node_free(doc);
}

Test(tree, xml_writer_drops_characters_xml_cannot_carry) {
  ss_node *doc = ss_node_new(SS_DOCUMENT, 0);
  ss_node *p = ss_node_append(doc, ss_node_new(SS_PARAGRAPH, 1));
  ss_node_attr_set(p, "classes", "a\x01z");
  ss_node_append(p, ss_text_new("x\x02y\xef\xbf\xbez", 7, 1));
  xmlDocPtr x = t_xml(doc);
  cr_assert_not_null(x, "the XML must parse");
  char *text = t_doc_string(x, "string(//paragraph)");
  cr_assert_str_eq(text, "xyz");
  char *cls = t_doc_string(x, "string(//paragraph/@classes)");
  cr_assert_str_eq(cls, "az");
  free(text), free(cls);
  xmlFreeDoc(x);
  ss_node_free(doc);
}

Test(tree, next_in_visits_what_the_iterator_enters_and_stays_inside) {
  ss_node *doc = ss_node_new(SS_DOCUMENT, 0);
  ss_node *sec = ss_node_append(doc, ss_node_new(SS_SECTION, 1));
  ss_node *title = ss_node_append(sec, ss_node_new(SS_TITLE, 1));
  ss_node_append(title, ss_text_new("T", 1, 1));
  ss_node *para = ss_node_append(sec, ss_node_new(SS_PARAGRAPH, 2));
  ss_node_append(para, ss_text_new("p", 1, 2));
  ss_node_append(doc, ss_node_new(SS_TRANSITION, 3));
  ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE)
    if (ev == SS_EVENT_ENTER)
      ss_buf_printf(&a, "%s ", ss_kind_name(it.node->kind));
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n))
    ss_buf_printf(&b, "%s ", ss_kind_name(n->kind));
  cr_assert_str_eq(b.data, a.data);
  /* A subtree walk ends at its root, not at the root's next sibling. */
  ss_buf_clear(&b);
  for (ss_node *n = sec; n; n = ss_node_next_in(sec, n))
    ss_buf_printf(&b, "%s ", ss_kind_name(n->kind));
  cr_assert_str_eq(b.data, "section title #text paragraph #text ");
  cr_assert_null(ss_node_next_in(para->first, para->first));
  ss_buf_free(&a);
  ss_buf_free(&b);
  ss_node_free(doc);
}

/* Text nodes share their first text's allocation; replacing, extending
 * and copying it must leave every copy owned once (ASan checks). */
Test(tree, text_replaced_extended_and_cloned) {
  ss_node *para = ss_node_new(SS_PARAGRAPH, 1);
  ss_node_append_text(para, "ab", 2, 1);
  ss_node_append_text(para, "cd", 2, 1); /* merges: own block now */
  ss_node_append_text(para, "ef", 2, 1); /* grows that block */
  cr_assert_eq(para->first, para->last);
  cr_assert_str_eq(para->first->text, "abcdef");
  cr_assert_eq(para->first->text_len, 6);
  ss_node *t = ss_node_append(para, ss_text_new("x", 1, 2));
  ss_text_set(t, "longer text", 11);
  ss_text_set(t, "y", 1);
  cr_assert_str_eq(t->text, "y");
  ss_node *copy = ss_node_clone(para);
  cr_assert_str_eq(copy->first->text, "abcdef");
  cr_assert_str_eq(copy->last->text, "y");
  ss_node *empty = ss_text_new("", 0, 3);
  cr_assert_str_eq(empty->text, "");
  ss_node_free(empty);
  ss_node_free(copy);
  ss_node_free(para);
}

Test(tree, buffer_numbers_and_fixed_formats) {
  ss_buf b = SS_BUF_INIT;
  ss_buf_put_long(&b, 0);
  ss_buf_putc(&b, ' ');
  ss_buf_put_long(&b, -42);
  ss_buf_putc(&b, ' ');
  ss_buf_put_long(&b, 1234567890L);
  cr_assert_str_eq(b.data, "0 -42 1234567890");
  ss_buf_clear(&b);
  ss_buf_put_long(&b, LONG_MIN);
  char expect[32];
  snprintf(expect, sizeof expect, "%ld", LONG_MIN);
  cr_assert_str_eq(b.data, expect);
  ss_buf_clear(&b);
  /* Longer than the room printf first tries, and a format without '%'. */
  ss_buf_printf(&b, "%s|%d",
                "a long string that does not fit in sixty-four "
                "bytes of spare room at all",
                7);
  cr_assert_str_eq(b.data, "a long string that does not fit in sixty-four "
                           "bytes of spare room at all|7");
  ss_buf_clear(&b);
  ss_buf_printf(&b, "fixed");
  cr_assert_str_eq(b.data, "fixed");
  ss_buf_free(&b);
}

Test(tree, read_file_sized_once_and_empty) {
  char path[] = "/tmp/specsite_read_XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  FILE *f = fdopen(fd, "wb");
  for (int i = 0; i < 10000; i++)
    fputs("0123456789", f);
  fclose(f);
  size_t len = 0;
  char *text = ss_read_file(path, &len);
  cr_assert_not_null(text);
  cr_assert_eq(len, 100000);
  cr_assert_eq(text[len], '\0');
  cr_assert(memcmp(text + 99990, "0123456789", 10) == 0);
  free(text);
  f = fopen(path, "wb");
  fclose(f);
  text = ss_read_file(path, &len);
  cr_assert_not_null(text);
  cr_assert_eq(len, 0);
  cr_assert_str_eq(text, "");
  free(text);
  remove(path);
  cr_assert_null(ss_read_file(path, &len));
}
