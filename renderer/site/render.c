/* render.c — the worker threads: each page read, transformed, filtered,
 * summarised and written as an HTML body.
 *
 * Workers take pages by an atomic counter and write only into their own
 * page's slot; each owns one Lua state (its filter set), made once and
 * reused for every page it takes. Each page's reports go to a buffer of
 * its own, printed later by the main thread in page order, so that the
 * output and the log never depend on scheduling.
 *
 * Pages that show other pages' titles (toctrees, :doc:, :ref:,
 * citations, glossary terms) or images keep their tree: those titles,
 * labels and image names are known only when every page is read
 * (ss_site_finish_pages, on the main thread). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../filter/filter.h"
#include "../html/html.h"
#include "../rst/rst.h"
#include "../transforms/transforms.h"
#include "internal.h"

#define S_MAX_JOBS 64

typedef struct {
  ss_site *site;
  atomic_size_t next; /* the next page to take */
  atomic_int done;    /* pages finished, for the progress line */
  atomic_bool failed; /* a filter failed: the build stops */
  int todo;
  pthread_mutex_t progress_lock;
} S_pool;

static bool S_has_kind(ss_node *doc, ss_kind kind) {
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE)
    if (ev == SS_EVENT_ENTER && it.node->kind == kind)
      return true;
  return false;
}

/* A link to another page's source ("cli.rst", "../9.0/foo.rst#work-items"),
 * as docs written for a code host have them, goes to that page. */
static void S_link_pages(const ss_site *site, const ss_page *p, ss_node *doc,
                         const char *url) {
  ss_buf target = SS_BUF_INIT, rel = SS_BUF_INIT, enc = SS_BUF_INIT;
  char *dir = ss_path_dir(p->docname);
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER || n->kind != SS_REFERENCE)
      continue;
    const char *uri = ss_node_attr_get(n, "refuri");
    const char *colon = uri ? strchr(uri, ':') : NULL;
    if (!uri || !*uri || uri[0] == '/' || uri[0] == '#' ||
        (colon && (size_t)(colon - uri) < strcspn(uri, "/#?")))
      continue; /* absolute, an anchor, or with a scheme */
    size_t path_len = strcspn(uri, "#?");
    if (path_len < 5 || memcmp(uri + path_len - 4, ".rst", 4) != 0)
      continue;
    ss_buf_clear(&target);
    ss_buf_put(&target, uri, path_len - 4);
    char *joined = ss_path_join(dir, target.data);
    char *name = ss_path_normalize(joined);
    free(joined);
    for (size_t i = 0; name && i < site->n_pages; i++) {
      const ss_page *t = &site->pages[i];
      if (strcmp(t->docname, name) != 0)
        continue;
      ss_buf_clear(&rel);
      ss_buf_clear(&enc);
      ss_path_relative(url, ss_site_page_url(site, t), &rel);
      ss_path_url(&enc, rel.data ? rel.data : "");
      ss_buf_puts(&enc, uri + path_len); /* the #anchor, as written */
      ss_node_attr_set(n, "refuri", enc.data);
      ss_node_attr_set(n, "internal", "True");
      break;
    }
    free(name);
  }
  free(dir);
  ss_buf_free(&target);
  ss_buf_free(&rel);
  ss_buf_free(&enc);
}

/* An image URI starting with '/' is relative to the source root, as in
 * Sphinx: made relative to the page, so that the site works below any
 * folder of a host and from file://. */
static void S_root_images(ss_node *doc, const char *url) {
  ss_buf rel = SS_BUF_INIT;
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE) {
    ss_node *n = it.node;
    if (ev != SS_EVENT_ENTER || n->kind != SS_IMAGE)
      continue;
    const char *uri = ss_node_attr_get(n, "uri");
    if (!uri || uri[0] != '/' || uri[1] == '/')
      continue; /* not root-relative ("//host/x" is another site) */
    /* Without alt text the writer shows the URI: the one written. */
    if (!ss_node_attr_get(n, "alt"))
      ss_node_attr_set(n, "alt", uri);
    ss_buf_clear(&rel);
    ss_path_root_of(url, &rel);
    ss_buf_puts(&rel, uri + 1);
    ss_node_attr_set(n, "uri", rel.data);
  }
  ss_buf_free(&rel);
}

/* The files the reader included (`list`: paths, each ended by a NUL),
 * each once, with their size and mtime now: the page depends on them. */
static void S_note_includes(ss_site_summary *sum, const ss_buf *list) {
  for (size_t at = 0; list->data && at < list->len;) {
    const char *path = list->data + at;
    at += strlen(path) + 1;
    bool seen = false;
    for (size_t i = 0; i < sum->n_deps && !seen; i++)
      seen = strcmp(sum->deps[i].path, path) == 0;
    if (seen)
      continue;
    sum->deps = ss_xrealloc(sum->deps, (sum->n_deps + 1) * sizeof *sum->deps);
    sum->deps[sum->n_deps] = (ss_site_dep){ss_xstrdup(path), 0, 0};
    ss_site_dep_stamp(&sum->deps[sum->n_deps++]);
  }
}

/* The labels the transforms listed (name, id, line, "t" or "a", title:
 * each ended by a NUL, sorted by name). */
static void S_note_labels(ss_site_summary *sum, const ss_buf *list) {
  for (size_t at = 0; list->data && at < list->len;) {
    const char *f[5];
    for (int k = 0; k < 5; k++) {
      f[k] = list->data + at;
      at += strlen(f[k]) + 1;
    }
    sum->labels =
        ss_xrealloc(sum->labels, (sum->n_labels + 1) * sizeof *sum->labels);
    sum->labels[sum->n_labels++] =
        (ss_site_label){ss_xstrdup(f[0]), ss_xstrdup(f[1]), ss_xstrdup(f[4]),
                        atoi(f[2]), f[3][0] == 't'};
  }
}

/* sphinx.ext.todo's HTML writer skips todo boxes unless conf.py sets
 * todo_include_todos (the xml builder keeps them). */
static void S_drop_todos(ss_node *doc) {
  ss_iter it;
  ss_iter_init(&it, doc);
  ss_event ev;
  while ((ev = ss_iter_next(&it)) != SS_EVENT_DONE)
    if (ev == SS_EVENT_ENTER && it.node->kind == SS_TODO_NODE) {
      ss_node *n = it.node;
      ss_iter_skip_to_next(&it);
      ss_node_free(n);
    }
}

/* A page's body: the HTML the theme pours into its layout, or with
 * -b xml the whole tree as Docutils XML (Sphinx's xml builder). */
static char *S_body(const ss_site *site, ss_node *doc, ss_diag *diag,
                    const ss_page *p) {
  ss_buf body = SS_BUF_INIT;
  if (site->opts->xml) {
    if (!ss_tree_write_xml(doc, &body))
      ss_diag_report(diag, p->source, 0, SS_LEVEL_SEVERE,
                     "cannot write the tree as XML (libxml2 cannot be "
                     "loaded)");
  } else {
    ss_html_options ho = {.fragment = true,
                          .raw_enabled = site->opts->raw_enabled};
    ss_html_render(doc, &ho, &body);
  }
  return body.data ? ss_buf_detach(&body) : ss_xstrdup("");
}

/* Sphinx's HTML writer highlights each literal block with a language
 * and warns where Pygments cannot lex it (a parsed literal, whose text
 * is not its source, it leaves alone). */
static void S_check_highlighting(ss_node *doc, ss_diag *diag,
                                 const char *source) {
  ss_buf text = SS_BUF_INIT, msg = SS_BUF_INIT;
  for (ss_node *n = doc; n; n = ss_node_next_in(doc, n)) {
    if (n->kind != SS_LITERAL_BLOCK)
      continue;
    const char *lang = ss_node_attr_get(n, "language");
    bool plain = true;
    for (const ss_node *c = n->first; c && plain; c = c->next)
      plain = c->kind == SS_TEXT;
    if (!lang || !plain)
      continue;
    ss_buf_clear(&text);
    ss_node_text_content(n, &text);
    if (ss_html_lexes(lang, text.data ? text.data : "", text.len))
      continue;
    ss_buf_clear(&msg);
    ss_buf_printf(&msg,
                  "Could not lex literal_block as \"%s\". Highlighting "
                  "skipped.",
                  lang);
    ss_diag_report(diag, source, n->line, SS_LEVEL_WARNING, msg.data);
  }
  ss_buf_free(&text);
  ss_buf_free(&msg);
}

/* `diag` is the thread's: its filter set reports there too, so it is
 * pointed at this page's log and its counts reset for every page. */
static void S_render_page(S_pool *pool, ss_filter_set *fs, ss_diag *diag,
                          ss_page *p) {
  ss_site *site = pool->site;
  char *log = NULL;
  size_t log_len = 0;
  FILE *logf = open_memstream(&log, &log_len);
  ss_diag_init(diag);
  diag->out = logf;

  size_t len = 0;
  char *text = ss_read_file(p->fspath, &len);
  if (!text) {
    ss_diag_report(diag, p->source, 0, SS_LEVEL_SEVERE,
                   "cannot read the source file.");
    text = ss_xstrdup("");
    len = 0;
  }
  ss_buf includes = SS_BUF_INIT;
  /* Includes may reach anywhere in the repository, as Sphinx reads
   * ../../README.rst from doc/source, but not out of it. */
  ss_rst_options ro = {.path = p->source,
                       .root = site->root,
                       .confine = site->src_real,
                       .raw_enabled = site->opts->raw_enabled,
                       .report_level = SS_LEVEL_WARNING,
                       .diag = diag,
                       .includes = &includes};
  ss_node *doc = ss_rst_parse(text, len, &ro);
  S_note_includes(&p->sum, &includes);
  p->content_key =
      ss_site_content_key(site, p, text, len, p->sum.deps, p->sum.n_deps);
  ss_buf_free(&includes);
  free(text);
  ss_buf labels = SS_BUF_INIT, metadata = SS_BUF_INIT, citations = SS_BUF_INIT;
  ss_transform_options to = {.path = p->source,
                             .diag = diag,
                             .keep_pending_xrefs = true,
                             .labels = &labels,
                             .metadata = &metadata,
                             .citations = &citations};
  ss_transform_document(doc, &to);
  /* Sphinx's FilterSystemMessages: problems stay out of the pages (the
   * log has them) unless conf.py sets keep_warnings, which keeps those
   * of WARNING and above. */
  ss_node_drop_messages(doc, site->keep_warnings ? SS_LEVEL_WARNING
                                                 : SS_LEVEL_SEVERE + 1);
  S_note_labels(&p->sum, &labels);
  ss_buf_free(&labels);
  /* Sphinx's :orphan: (a document no toctree needs to list). */
  for (size_t at = 0; metadata.data && at < metadata.len;) {
    const char *name = metadata.data + at;
    at += strlen(name) + 1;
    at += strlen(metadata.data + at) + 1;
    p->sum.orphan |= strcmp(name, "orphan") == 0;
  }
  ss_buf_free(&metadata);
  for (size_t at = 0; citations.data && at < citations.len;) {
    const char *f[3];
    for (int k = 0; k < 3; k++) {
      f[k] = citations.data + at;
      at += strlen(f[k]) + 1;
    }
    ss_site_summary *sum = &p->sum;
    sum->citations = ss_xrealloc(sum->citations, (sum->n_citations + 1) *
                                                     sizeof *sum->citations);
    sum->citations[sum->n_citations++] = (ss_site_label){
        ss_xstrdup(f[0]), ss_xstrdup(f[1]), ss_xstrdup(""), atoi(f[2]), true};
  }
  ss_buf_free(&citations);

  if (fs) {
    ss_buf title = SS_BUF_INIT;
    ss_filter_page_title(doc, &title);
    ss_filter_page page = {.source = p->source,
                           .url = p->url,
                           .release = p->release ? p->release : "",
                           .title = title.data ? title.data : ""};
    if (!ss_filter_set_run(fs, &doc, &page)) {
      fprintf(logf, "specsite: %s\n", ss_filter_error(fs));
      atomic_store(&pool->failed, true);
    }
    ss_buf_free(&title);
  }

  const char *url = ss_site_page_url(site, p);
  if (!site->opts->xml) {
    /* specsite's own: Sphinx's xml builder writes the tree as read. */
    S_link_pages(site, p, doc, url);
    S_root_images(doc, url);
    S_check_highlighting(doc, diag, p->source);
    if (!site->todo_include_todos)
      S_drop_todos(doc);
  }
  ss_site_summarize(site, p, doc, url);
  if (S_has_kind(doc, SS_TOCTREE) || S_has_kind(doc, SS_PENDING_XREF) ||
      ss_site_shows_images(&p->sum)) {
    p->sum.lists_pages = true;
    p->tree = doc;
  } else {
    p->sum.body = S_body(site, doc, diag, p);
    ss_node_free(doc);
  }
  fclose(logf);
  p->sum.messages = log;
  p->sum.warnings = diag->counts[SS_LEVEL_WARNING] +
                    diag->counts[SS_LEVEL_ERROR] +
                    diag->counts[SS_LEVEL_SEVERE];
  diag->out = NULL;
}

static void S_progress(S_pool *pool, const ss_page *p) {
  int done = atomic_fetch_add(&pool->done, 1) + 1;
  if (!pool->site->opts->progress)
    return;
  pthread_mutex_lock(&pool->progress_lock);
  fprintf(stderr, "\r\033[Kreading sources... [%3d%%] %s",
          pool->todo ? done * 100 / pool->todo : 100, p->docname);
  fflush(stderr);
  pthread_mutex_unlock(&pool->progress_lock);
}

static void *S_worker(void *arg) {
  S_pool *pool = arg;
  ss_site *site = pool->site;
  ss_filter_set *fs = NULL;
  ss_diag diag; /* this thread's; S_render_page points it at each page */
  ss_diag_init(&diag);
  for (;;) {
    size_t i = atomic_fetch_add(&pool->next, 1);
    if (i >= site->n_pages || atomic_load(&pool->failed))
      break;
    ss_page *p = &site->pages[i];
    if (p->cached || p->sum.body || p->tree)
      continue; /* from the cache, or read in an earlier pass */
    if (site->n_filters > 0 && !fs) {
      /* Made on the first page that needs it, then kept: one Lua state
       * per thread for the whole build. */
      static const ss_filter_options none;
      ss_filter_options fo = none;
      fo.unsafe = site->opts->unsafe_filters;
      fo.diag = &diag;
      fs = ss_filter_set_new(&fo);
      for (size_t k = 0; fs && k < site->n_filters; k++)
        if (!ss_filter_set_load(fs, site->filters[k])) {
          pthread_mutex_lock(&pool->progress_lock);
          fprintf(stderr, "specsite: %s\n", ss_filter_error(fs));
          pthread_mutex_unlock(&pool->progress_lock);
          atomic_store(&pool->failed, true);
          break;
        }
      if (!fs || atomic_load(&pool->failed))
        break;
    }
    S_render_page(pool, fs, &diag, p);
    S_progress(pool, p);
  }
  if (fs)
    ss_filter_set_free(fs);
  return NULL;
}

int ss_site_threads(const ss_site *site) {
  int jobs = site->opts->jobs;
  if (jobs <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = n > 0 ? (int)n : 1;
  }
  return jobs > S_MAX_JOBS ? S_MAX_JOBS : jobs;
}

bool ss_site_render_pages(ss_site *site) {
  S_pool pool = {.site = site};
  atomic_init(&pool.next, 0);
  atomic_init(&pool.done, 0);
  atomic_init(&pool.failed, false);
  pthread_mutex_init(&pool.progress_lock, NULL);
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    pool.todo += !(p->cached || p->sum.body || p->tree);
  }
  int jobs = ss_site_threads(site);
  if (jobs > pool.todo)
    jobs = pool.todo > 0 ? pool.todo : 1;
  pthread_t threads[S_MAX_JOBS];
  int started = 0;
  /* The main thread is a worker too. */
  for (int t = 1; t < jobs; t++)
    if (pthread_create(&threads[started], NULL, S_worker, &pool) == 0)
      started++;
  S_worker(&pool);
  for (int t = 0; t < started; t++)
    pthread_join(threads[t], NULL);
  if (site->opts->progress && pool.todo > 0)
    fprintf(stderr, "\r\033[K");
  pthread_mutex_destroy(&pool.progress_lock);
  return !atomic_load(&pool.failed);
}

void ss_site_finish_pages(ss_site *site) {
  ss_site_labels(site);
  ss_site_name_images(site);
  ss_site_check_toctrees(site);
  for (size_t i = 0; i < site->n_pages; i++) {
    ss_page *p = &site->pages[i];
    if (!p->tree)
      continue;
    char *log = NULL;
    size_t log_len = 0;
    FILE *logf = open_memstream(&log, &log_len);
    ss_diag diag;
    ss_diag_init(&diag);
    diag.out = logf;
    ss_site_resolve_toctrees(site, p, &diag);
    ss_site_resolve_refs(site, p, &diag);
    if (!site->opts->xml)
      ss_site_link_images(site, p);
    p->sum.body = S_body(site, p->tree, &diag, p);
    ss_node_free(p->tree);
    p->tree = NULL;
    fclose(logf);
    if (log_len) {
      ss_buf m = SS_BUF_INIT;
      ss_buf_puts(&m, p->sum.messages ? p->sum.messages : "");
      ss_buf_put(&m, log, log_len);
      free(p->sum.messages);
      p->sum.messages = ss_buf_detach(&m);
      p->sum.warnings += diag.counts[SS_LEVEL_WARNING] +
                         diag.counts[SS_LEVEL_ERROR] +
                         diag.counts[SS_LEVEL_SEVERE];
    }
    free(log);
  }
}
