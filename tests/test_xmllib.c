/* Tests for libxml2 loaded on first use (util/xmllib.h). Criterion runs
 * each test in a process of its own, so every test starts with the
 * library not yet loaded by the table (though linked: the tests use
 * libxml2 directly, and the table must then reach that same copy). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "tree/tree.h"
#include "util/xmllib.h"

Test(xmllib, loads_with_every_symbol) {
  const ss_xmllib *x = ss_xmllib_load();
  cr_assert_not_null(x, "%s", ss_xmllib_error());
  cr_assert_str_empty(ss_xmllib_error());
  cr_assert_not_null(x->xmlNewTextWriter);
  cr_assert_not_null(x->xmlTextWriterWriteAttribute);
  cr_assert_not_null(x->htmlCtxtReadMemory);
  cr_assert_not_null(x->xmlEncodeSpecialChars);
  /* every member, functions and globals alike */
  void *slots[sizeof *x / sizeof(void *)];
  memcpy(slots, x, sizeof slots);
  for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
    cr_assert_not_null(slots[i], "member %zu", i);
}

Test(xmllib, is_the_library_the_tests_link) {
  const ss_xmllib *x = ss_xmllib_load();
  cr_assert_not_null(x);
  cr_assert_eq((void *)x->xmlNewTextWriter, (void *)xmlNewTextWriter);
  cr_assert_eq((void *)x->htmlTagLookup, (void *)htmlTagLookup);
  /* xmlFree as libxml2 sees it */
  xmlFreeFunc f = NULL;
  x->xmlMemGet(&f, NULL, NULL, NULL);
  cr_assert_eq((void *)f, (void *)xmlFree);
}

Test(xmllib, second_call_returns_the_same_table) {
  const ss_xmllib *a = ss_xmllib_load(), *b = ss_xmllib_load();
  cr_assert_not_null(a);
  cr_assert_eq(a, b);
}

Test(xmllib, calls_go_through) {
  const ss_xmllib *x = ss_xmllib_load();
  cr_assert_not_null(x);
  xmlChar *esc = x->xmlEncodeSpecialChars(NULL, BAD_CAST "a<b & \"c\"");
  cr_assert_str_eq((const char *)esc, "a&lt;b &amp; &quot;c&quot;");
  ss_xml_free(x, esc);
  cr_assert_not_null(x->htmlTagLookup(BAD_CAST "p"));
  cr_assert_null(x->htmlTagLookup(BAD_CAST "no-such-tag"));
}

static void S_handler(void *ctx, xmlErrorPtr e) {
  (void)ctx;
  (void)e;
}

/* The per-thread handler, set through the table, is the one libxml2's
 * own macros read, and the accessors give it back. */
Test(xmllib, structured_error_is_the_threads) {
  const ss_xmllib *x = ss_xmllib_load();
  cr_assert_not_null(x);
  int ctx;
  x->xmlSetStructuredErrorFunc(&ctx, (xmlStructuredErrorFunc)S_handler);
  cr_assert_eq((void *)*ss_xml_structured_error(x), (void *)S_handler);
  cr_assert_eq(*ss_xml_structured_error_context(x), &ctx);
  cr_assert_eq((void *)xmlStructuredError, (void *)S_handler);
  cr_assert_eq(xmlStructuredErrorContext, &ctx);
  x->xmlSetStructuredErrorFunc(NULL, NULL);
  cr_assert_null(*ss_xml_structured_error(x));
}

/* --- first use from several threads at once --------------------------- */

#define S_THREADS 8

typedef struct {
  pthread_barrier_t *start;
  const ss_xmllib *got;
  ss_buf xml;
} S_user;

static void *S_first_use(void *arg) {
  S_user *u = arg;
  pthread_barrier_wait(u->start);
  u->got = ss_xmllib_load();
  /* and a real use: the XML writer, whose first call loads the table */
  ss_node *doc = ss_node_new(SS_DOCUMENT, 1);
  ss_node *p = ss_node_append(doc, ss_node_new(SS_PARAGRAPH, 1));
  ss_node_append(p, ss_text_new("a < b", 5, 1));
  ss_tree_write_xml(doc, &u->xml);
  ss_node_free(doc);
  return NULL;
}

Test(xmllib, threads_racing_to_load_get_one_table) {
  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, S_THREADS);
  pthread_t tid[S_THREADS];
  S_user users[S_THREADS];
  for (int i = 0; i < S_THREADS; i++) {
    users[i] = (S_user){.start = &start, .xml = SS_BUF_INIT};
    cr_assert_eq(pthread_create(&tid[i], NULL, S_first_use, &users[i]), 0);
  }
  for (int i = 0; i < S_THREADS; i++)
    pthread_join(tid[i], NULL);
  pthread_barrier_destroy(&start);
  cr_assert_not_null(users[0].got);
  for (int i = 0; i < S_THREADS; i++) {
    cr_assert_eq(users[i].got, users[0].got, "thread %d", i);
    cr_assert_not_null(users[i].xml.data);
    cr_assert_not_null(
        strstr(users[i].xml.data, "<paragraph>a &lt; b</paragraph>"), "%s",
        users[i].xml.data);
    cr_assert_str_eq(users[i].xml.data, users[0].xml.data);
  }
  for (int i = 0; i < S_THREADS; i++)
    ss_buf_free(&users[i].xml);
  cr_assert_eq(ss_xmllib_load(), users[0].got);
}

/* --- a library that is not there ---------------------------------------- */

Test(xmllib, missing_library_is_an_error_not_a_crash) {
  ss_xmllib t;
  char err[256];
  cr_assert_not(
      ss_xmllib__open("libspecsite-no-such-xml.so.0", &t, err, sizeof err));
  cr_assert(
      strncmp(err, "cannot load libxml2 (libspecsite-no-such-xml.so.0",
              strlen("cannot load libxml2 (libspecsite-no-such-xml.so.0")) == 0,
      "%s", err);
  cr_assert_eq(err[strlen(err) - 1], ')');
  cr_assert_null(t.xmlNewTextWriter);
}

/* A library without one of the symbols: libc has none of them. */
Test(xmllib, missing_symbol_is_an_error) {
  ss_xmllib t;
  char err[256];
  cr_assert_not(ss_xmllib__open("libc.so.6", &t, err, sizeof err));
  cr_assert_not_null(strstr(err, "cannot load libxml2 ("), "%s", err);
  cr_assert_not_null(strstr(err, "xmlInitParser"), "%s", err);
  cr_assert_null(t.xmlInitParser);
}
