/* xmllib.h — libxml2, loaded on first use.
 *
 * Why: linking libxml2 (Debian 12: libxml2.so.2, which pulls in ICU's
 * libicuuc and libicudata, and libstdc++) costs every run of specsite
 * about 4.5 ms of dynamic loading, measured on the build VM: 7.3 ms for
 * `specsite --version` against 2.9 ms without it, when a site rebuild
 * should take under 10 ms in all. Only `specsite ast` (the Docutils XML
 * writer) and compiling a theme's layouts (its HTML parser) call it;
 * the feed and sitemap a rebuild writes do not (site/feed.c). So the
 * program does not link libxml2: the first caller
 * dlopen()s it and looks up the functions below, once for the process
 * (pthread_once: the site's worker threads may be first), the way
 * systemd loads its optional libraries. The library is never unloaded.
 *
 * The types come from libxml2's own headers (the include flags are
 * still found by pkg-config), so a call through the table is checked
 * exactly as a direct call would be:
 *
 *   const ss_xmllib *x = ss_xmllib_load();
 *   if (!x) { report ss_xmllib_error(); fail }
 *   xmlDoc *doc = x->htmlCtxtReadMemory(ctxt, ...);
 *
 * To use another function: include its libxml2 header below and add one
 * line X(xmlFoo) to SS_XMLLIB_FUNCTIONS; the member `xmlFoo` then exists
 * and a missing symbol makes loading fail (the caller reports it).
 *
 * libxml2's "globals" are not functions: xmlFree is a variable holding
 * a function pointer (a macro over __xmlFree() with per-thread
 * allocators), and xmlStructuredError and xmlStructuredErrorContext are
 * macros over __xmlStructuredError() and __xmlStructuredErrorContext(),
 * the calling thread's values. Their address from dlsym() is not enough:
 * a program that also links libxml2 (the tests) has its own copy of a
 * variable (a copy relocation), the one libxml2's code then uses. So
 * the table reaches them only through libxml2's functions, which see
 * the right copy and thread: xmlMemGet() for xmlFree, the two accessors
 * (exported by every version since 2.9) for the error handler. Use them
 * through ss_xml_free and ss_xml_structured_error* below.
 */
#ifndef SS_UTIL_XMLLIB_H
#define SS_UTIL_XMLLIB_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlversion.h>
#include <libxml/xmlwriter.h>
/* (the __xml* accessors: globals.h, which parser.h includes, up to 2.11;
 * xmlerror.h since) */

/* The soname the headers belong to: libxml2 2.14 changed it. A build
 * may name another (-DSS_XMLLIB_SONAME=...), e.g. to try the error path. */
#ifndef SS_XMLLIB_SONAME
#if LIBXML_VERSION >= 21400
#define SS_XMLLIB_SONAME "libxml2.so.16"
#else
#define SS_XMLLIB_SONAME "libxml2.so.2"
#endif
#endif

/* Every function specsite calls, grouped by user. */
#define SS_XMLLIB_FUNCTIONS(X)                                                 \
  /* all */                                                                    \
  X(xmlInitParser)                                                             \
  /* tree/xml.c: Docutils XML through xmlwriter */                             \
  X(xmlOutputBufferCreateIO)                                                   \
  X(xmlNewTextWriter)                                                          \
  X(xmlFreeTextWriter)                                                         \
  X(xmlTextWriterStartDocument)                                                \
  X(xmlTextWriterEndDocument)                                                  \
  X(xmlTextWriterWriteDTD)                                                     \
  X(xmlTextWriterWriteComment)                                                 \
  X(xmlTextWriterWriteString)                                                  \
  X(xmlTextWriterStartElement)                                                 \
  X(xmlTextWriterEndElement)                                                   \
  X(xmlTextWriterWriteAttribute)                                               \
  /* theme/compile.c: layouts through the HTML parser */                       \
  X(htmlNewParserCtxt)                                                         \
  X(htmlFreeParserCtxt)                                                        \
  X(htmlCtxtReadMemory)                                                        \
  X(htmlTagLookup)                                                             \
  X(xmlSetStructuredErrorFunc)                                                 \
  X(xmlFreeDoc)                                                                \
  X(xmlGetNoNsProp)                                                            \
  X(xmlHasProp)                                                                \
  X(xmlGetLineNo)                                                              \
  X(xmlNodeGetContent)                                                         \
  X(xmlEncodeSpecialChars)                                                     \
  /* the globals (see above) */                                                \
  X(xmlMemGet)                                                                 \
  X(__xmlStructuredError)                                                      \
  X(__xmlStructuredErrorContext)

typedef struct ss_xmllib {
#define SS_XMLLIB_MEMBER(name) __typeof__(name) *name;
  SS_XMLLIB_FUNCTIONS(SS_XMLLIB_MEMBER)
#undef SS_XMLLIB_MEMBER
} ss_xmllib;

/* The table, loading libxml2 on the first call (thread-safe, and only
 * ever tried once); NULL when the library or one of its symbols cannot
 * be loaded. */
const ss_xmllib *ss_xmllib_load(void);

/* Why ss_xmllib_load() returns NULL, as one phrase for a report: "cannot
 * load libxml2 (libxml2.so.2: cannot open shared object file: ...)".
 * An empty string when it does not (it tries to load, if not yet). */
const char *ss_xmllib_error(void);

/* xmlFree(p): frees what libxml2 allocated, with the function libxml2
 * allocates with now. */
static inline void ss_xml_free(const ss_xmllib *x, void *p) {
  xmlFreeFunc free_func = NULL;
  x->xmlMemGet(&free_func, NULL, NULL, NULL);
  free_func(p);
}

/* &xmlStructuredError and &xmlStructuredErrorContext: the handler libxml2
 * calls with problems, and its argument (the calling thread's in a
 * libxml2 built with threads). */
static inline xmlStructuredErrorFunc *
ss_xml_structured_error(const ss_xmllib *x) {
  return x->__xmlStructuredError();
}

static inline void **ss_xml_structured_error_context(const ss_xmllib *x) {
  return x->__xmlStructuredErrorContext();
}

/* For the tests: loads `soname` into *out, outside the once (and never
 * unloads it); false with the reason in err (worded as ss_xmllib_error)
 * when the library or a symbol is missing. */
bool ss_xmllib__open(const char *soname, ss_xmllib *out, char *err,
                     size_t errlen);

#endif
