/* compile.c — one layout (HTML bytes) to a flat list of parts.
 *
 * libxml2's HTML parser builds the DOM, so the layout is read the way a
 * browser would forgive it; we then write it back ourselves, because
 * libxml2's HTML serializer would add a Content-Type <meta>, escape URLs
 * and write HTML 4 doctypes. Slot elements become SLOT/VALUE parts and
 * relative URLs get a ROOT part in front, so that filling a page is only
 * concatenation. libxml2 is loaded on first use (util/xmllib.h): a
 * site rebuild reads no layout when the theme is cached.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xmllib.h"
#include "internal.h"

typedef struct {
  const ss_xmllib *x;
  const char *path;
  ss_diag *diag;
  int errors;
  const ss_theme_file *assets;
  size_t nassets;
  ss_buf pool;
  ss_theme_part *parts;
  size_t nparts, cap;
  size_t sealed; /* parts before this one are never extended */
  ss_theme_layout *layout;
} S_compiler;

static const char *const S_slot_names[] = {
#define SS_THEME_SLOT_NAME(id, name) name,
    SS_THEME_SLOTS(SS_THEME_SLOT_NAME)
#undef SS_THEME_SLOT_NAME
};

const char *ss_theme_slot_name(ss_theme_slot slot) {
  return (unsigned)slot < SS_SLOT__COUNT ? S_slot_names[slot] : NULL;
}

static void S_error(S_compiler *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void S_error(S_compiler *c, int line, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  ss_diag_report(c->diag, c->path, line, SS_LEVEL_ERROR, msg);
  c->errors++;
}

/* ---- what libxml2 reports ------------------------------------------- */

/* libxml2's HTML parser knows HTML 4 only: it reports every HTML5
 * element as "Tag nav invalid". Unknown tags are checked after parsing
 * instead (S_check), against HTML 4 and this list. */
static const char *const S_html5_elements[] = {
    "article",  "aside",   "audio",    "bdi",        "canvas",   "data",
    "datalist", "details", "dialog",   "figcaption", "figure",   "footer",
    "header",   "hgroup",  "main",     "mark",       "math",     "menu",
    "meter",    "nav",     "output",   "picture",    "progress", "rp",
    "rt",       "ruby",    "search",   "section",    "slot",     "source",
    "summary",  "svg",     "template", "time",       "track",    "video",
    "wbr",
};

/* libxml2 2.12 made the error handler's argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError S_xml_error;
#else
typedef xmlError S_xml_error;
#endif

static void S_on_error(void *data, S_xml_error *e) {
  S_compiler *c = data;
  if (e->code == XML_HTML_UNKNOWN_TAG)
    return;
  /* "</p>" inside a script is fine in HTML5: only "</script" ends it */
  if (e->code == XML_ERR_TAG_NAME_MISMATCH && e->message &&
      strstr(e->message, "embeds close tag"))
    return;
  char msg[512];
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
  size_t n = strlen(msg);
  while (n > 0 && isspace((unsigned char)msg[n - 1]))
    msg[--n] = '\0';
  S_error(c, e->line, "%s", msg);
}

static bool S_known_element(S_compiler *c, const xmlChar *name) {
  if (c->x->htmlTagLookup(name))
    return true;
  /* custom elements: a hyphen is what makes them valid */
  if (strchr((const char *)name, '-'))
    return true;
  for (size_t i = 0; i < sizeof S_html5_elements / sizeof *S_html5_elements;
       i++)
    if (strcmp((const char *)name, S_html5_elements[i]) == 0)
      return true;
  return false;
}

static bool S_is(const xmlNode *n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE && n->name &&
         strcmp((const char *)n->name, name) == 0;
}

/* Inside <svg> or <math> any name goes (they are foreign content). */
static bool S_in_foreign(const xmlNode *n) {
  for (const xmlNode *p = n->parent; p; p = p->parent)
    if (S_is(p, "svg") || S_is(p, "math"))
      return true;
  return false;
}

static bool S_is_void(const xmlNode *n) {
  static const char *const voids[] = {
      "area",  "base", "br",   "col",   "embed",  "hr",    "img",
      "input", "link", "meta", "param", "source", "track", "wbr"};
  for (size_t i = 0; i < sizeof voids / sizeof *voids; i++)
    if (S_is(n, voids[i]))
      return true;
  return false;
}

static bool S_is_raw_text(const xmlNode *n) {
  return S_is(n, "script") || S_is(n, "style");
}

/* Next node in document order. */
static xmlNode *S_next(xmlNode *n) {
  if (n->children)
    return n->children;
  while (n && !n->next)
    n = n->parent;
  return n ? n->next : NULL;
}

/* Returns the slot named by n's data-slot (SS_SLOT__COUNT when there is
 * none); reports an unknown name. */
static ss_theme_slot S_slot_of(S_compiler *c, xmlNode *n, bool report) {
  xmlChar *v = c->x->xmlGetNoNsProp(n, BAD_CAST "data-slot");
  if (!v)
    return SS_SLOT__COUNT;
  ss_theme_slot slot = SS_SLOT__COUNT;
  for (int i = 0; i < SS_SLOT__COUNT; i++)
    if (strcmp((const char *)v, S_slot_names[i]) == 0)
      slot = (ss_theme_slot)i;
  if (slot == SS_SLOT__COUNT && report)
    S_error(c, (int)c->x->xmlGetLineNo(n), "unknown slot \"%s\" on <%s>", v,
            n->name);
  ss_xml_free(c->x, v);
  return slot;
}

/* Every element: a known name, a known slot on an element that can hold
 * content. Placeholder content inside a slot is checked too, so a typo
 * there is not silently kept for later. */
static void S_check(S_compiler *c, xmlDoc *doc) {
  for (xmlNode *n = doc->children; n; n = S_next(n)) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (!S_known_element(c, n->name) && !S_in_foreign(n))
      S_error(c, (int)c->x->xmlGetLineNo(n), "unknown element <%s>", n->name);
    if (c->x->xmlHasProp(n, BAD_CAST "data-slot") &&
        S_slot_of(c, n, true) != SS_SLOT__COUNT && S_is_void(n))
      S_error(c, (int)c->x->xmlGetLineNo(n),
              "data-slot on <%s>, an element that cannot hold content",
              n->name);
  }
}

/* ---- parts ------------------------------------------------------------ */

static size_t S_part(S_compiler *c, ss_part_kind kind) {
  if (c->nparts == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 64;
    c->parts = ss_xrealloc(c->parts, c->cap * sizeof *c->parts);
  }
  c->parts[c->nparts] = (ss_theme_part){.kind = kind};
  return c->nparts++;
}

/* Literal text; joins the previous TEXT part when they touch. */
static void S_text(S_compiler *c, const char *s, size_t len) {
  if (len == 0)
    return;
  ss_theme_part *last = c->nparts ? &c->parts[c->nparts - 1] : NULL;
  if (!last || c->nparts <= c->sealed || last->kind != SS_PART_TEXT ||
      last->off + last->len != c->pool.len) {
    size_t i = S_part(c, SS_PART_TEXT); /* may move c->parts */
    last = &c->parts[i];
    last->off = c->pool.len;
  }
  ss_buf_put(&c->pool, s, len);
  last->len += len;
}

static void S_texts(S_compiler *c, const char *s) { S_text(c, s, strlen(s)); }

/* Text escaped for HTML content or a double-quoted attribute value. */
static void S_escaped(S_compiler *c, xmlDoc *doc, const char *s, size_t len) {
  char *raw = ss_xstrndup(s, len);
  xmlChar *esc = c->x->xmlEncodeSpecialChars(doc, BAD_CAST raw);
  if (!esc)
    abort(); /* out of memory, as ss_xmalloc would */
  S_texts(c, (const char *)esc);
  ss_xml_free(c->x, esc);
  free(raw);
}

/* ---- URLs --------------------------------------------------------------- */

/* A URL to rewrite: no scheme, not absolute, not a fragment or query of
 * this page. */
static bool S_is_relative(const char *u, size_t len) {
  if (len == 0 || u[0] == '/' || u[0] == '#' || u[0] == '?')
    return false;
  if (!isalpha((unsigned char)u[0]))
    return true;
  size_t i = 1;
  while (i < len && (isalnum((unsigned char)u[i]) || u[i] == '+' ||
                     u[i] == '-' || u[i] == '.'))
    i++;
  return !(i < len && u[i] == ':');
}

static int S_cmp_name(const void *key, const void *file) {
  return strcmp(key, ((const ss_theme_file *)file)->name);
}

static bool S_is_asset(S_compiler *c, const char *u, size_t len) {
  size_t n = strcspn(u, "?#");
  if (n > len)
    n = len;
  char *path = ss_xstrndup(u, n);
  bool found = bsearch(path, c->assets, c->nassets, sizeof *c->assets,
                       S_cmp_name) != NULL;
  free(path);
  return found;
}

static void S_url(S_compiler *c, xmlDoc *doc, const char *u, size_t len) {
  if (!S_is_relative(u, len)) {
    S_escaped(c, doc, u, len);
    return;
  }
  while (len >= 2 && u[0] == '.' && u[1] == '/') {
    u += 2;
    len -= 2;
  }
  S_part(c, SS_PART_ROOT);
  if (S_is_asset(c, u, len))
    S_texts(c, "_static/");
  S_escaped(c, doc, u, len);
}

/* A URL attribute's value; srcset holds "url [descriptor]" candidates
 * separated by commas. Surrounding whitespace stays as written. */
static void S_url_value(S_compiler *c, xmlDoc *doc, const char *v,
                        bool srcset) {
  const char *ws = " \t\n\r\f";
  while (*v) {
    size_t sp = strspn(v, ws);
    S_text(c, v, sp);
    v += sp;
    size_t n = srcset ? strcspn(v, ws) : strlen(v);
    while (!srcset && n > 0 && strchr(ws, v[n - 1]))
      n--;
    size_t commas = 0;
    while (srcset && n > commas && v[n - 1 - commas] == ',')
      commas++;
    S_url(c, doc, v, n - commas);
    v += n - commas;
    /* the rest of this candidate: trailing commas, descriptors */
    size_t rest = srcset ? (commas ? commas : strcspn(v, ",")) : strlen(v);
    if (srcset && !commas && v[rest] == ',')
      rest++;
    S_escaped(c, doc, v, rest);
    v += rest;
  }
}

static bool S_is_url_attr(const xmlChar *name) {
  static const char *const urls[] = {"href", "src", "srcset", "poster",
                                     "action"};
  for (size_t i = 0; i < sizeof urls / sizeof *urls; i++)
    if (strcmp((const char *)name, urls[i]) == 0)
      return true;
  return false;
}

/* ---- writing the DOM ---------------------------------------------------- */

static void S_open_tag(S_compiler *c, xmlNode *n) {
  S_texts(c, "<");
  S_texts(c, (const char *)n->name);
  for (xmlAttr *a = n->properties; a; a = a->next) {
    if (strcmp((const char *)a->name, "data-slot") == 0)
      continue;
    S_texts(c, " ");
    S_texts(c, (const char *)a->name);
    if (!a->children) /* a boolean attribute: <input required> */
      continue;
    xmlChar *v = c->x->xmlNodeGetContent((xmlNode *)a);
    S_texts(c, "=\"");
    if (S_is_url_attr(a->name))
      S_url_value(c, n->doc, (const char *)v,
                  strcmp((const char *)a->name, "srcset") == 0);
    else
      S_escaped(c, n->doc, (const char *)v, strlen((const char *)v));
    S_texts(c, "\"");
    ss_xml_free(c->x, v);
  }
  S_texts(c, ">");
}

static void S_close_tag(S_compiler *c, xmlNode *n) {
  if (S_is_void(n))
    return;
  S_texts(c, "</");
  S_texts(c, (const char *)n->name);
  S_texts(c, ">");
}

static void S_doctype(S_compiler *c, xmlDtd *dtd) {
  S_texts(c, "<!DOCTYPE ");
  S_texts(c, dtd->name ? (const char *)dtd->name : "html");
  if (dtd->ExternalID) {
    S_texts(c, " PUBLIC \"");
    S_texts(c, (const char *)dtd->ExternalID);
    S_texts(c, "\"");
  }
  if (dtd->SystemID) {
    S_texts(c, dtd->ExternalID ? " \"" : " SYSTEM \"");
    S_texts(c, (const char *)dtd->SystemID);
    S_texts(c, "\"");
  }
  S_texts(c, ">\n");
}

/* Writes a slot element whole: the element, its value, no placeholder. */
static void S_slot(S_compiler *c, xmlNode *n, ss_theme_slot slot) {
  size_t start = S_part(c, SS_PART_SLOT);
  c->parts[start].slot = slot;
  S_open_tag(c, n);
  size_t value = S_part(c, SS_PART_VALUE);
  c->parts[value].slot = slot;
  S_close_tag(c, n);
  /* the text after the element must not join its close tag: an empty
   * value skips to `end` */
  c->parts[start].end = c->sealed = c->nparts;
  c->layout->has[slot] = true;
}

/* Writes n's start (and all of n when it has no children to visit);
 * returns whether to descend. */
static bool S_enter(S_compiler *c, xmlNode *n) {
  switch (n->type) {
  case XML_DTD_NODE:
    S_doctype(c, (xmlDtd *)n);
    return false;
  case XML_ELEMENT_NODE: {
    ss_theme_slot slot = S_slot_of(c, n, false);
    if (slot != SS_SLOT__COUNT && !S_is_void(n)) {
      S_slot(c, n, slot);
      return false;
    }
    S_open_tag(c, n);
    if (n->children)
      return true;
    S_close_tag(c, n);
    return false;
  }
  case XML_TEXT_NODE:
  case XML_CDATA_SECTION_NODE:
    if (!n->content)
      return false;
    if (S_is_raw_text(n->parent))
      S_texts(c, (const char *)n->content);
    else
      S_escaped(c, n->doc, (const char *)n->content,
                strlen((const char *)n->content));
    return false;
  case XML_COMMENT_NODE:
    S_texts(c, "<!--");
    S_texts(c, n->content ? (const char *)n->content : "");
    S_texts(c, "-->");
    if (n->parent && n->parent->type == XML_HTML_DOCUMENT_NODE)
      S_texts(c, "\n");
    return false;
  case XML_PI_NODE:
    S_texts(c, "<?");
    S_texts(c, (const char *)n->name);
    if (n->content && *n->content) {
      S_texts(c, " ");
      S_texts(c, (const char *)n->content);
    }
    S_texts(c, ">");
    return false;
  default:
    return false;
  }
}

/* Walks the document without recursion: enter a node, and on the way
 * back up close every element that was descended into. */
static void S_write(S_compiler *c, xmlDoc *doc) {
  xmlNode *top = (xmlNode *)doc;
  xmlNode *n = doc->children;
  while (n) {
    if (S_enter(c, n)) {
      n = n->children;
      continue;
    }
    while (!n->next && n->parent != top) {
      n = n->parent;
      S_close_tag(c, n);
    }
    n = n->next;
  }
  S_texts(c, "\n");
}

bool ss_theme__compile(const char *path, const unsigned char *data, size_t len,
                       const ss_theme_file *assets, size_t nassets,
                       ss_theme_layout *out, ss_diag *diag) {
  *out = (ss_theme_layout){0};
  S_compiler c = {.path = path,
                  .diag = diag,
                  .assets = assets,
                  .nassets = nassets,
                  .layout = out};
  if (len > (size_t)INT_MAX) {
    S_error(&c, 0, "layout too large");
    return false;
  }
  const ss_xmllib *x = c.x = ss_xmllib_load();
  if (!x) {
    S_error(&c, 0, "%s", ss_xmllib_error());
    return false;
  }
  htmlParserCtxtPtr ctxt = x->htmlNewParserCtxt();
  if (!ctxt)
    abort();
  /* The handler is per thread in libxml2; put back whatever was there. */
  xmlStructuredErrorFunc saved = *ss_xml_structured_error(x);
  void *saved_ctx = *ss_xml_structured_error_context(x);
  x->xmlSetStructuredErrorFunc(&c, S_on_error);
  xmlDoc *doc =
      x->htmlCtxtReadMemory(ctxt, (const char *)data, (int)len, path, "UTF-8",
                            HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                HTML_PARSE_NODEFDTD | HTML_PARSE_NOIMPLIED);
  x->xmlSetStructuredErrorFunc(saved_ctx, saved);
  x->htmlFreeParserCtxt(ctxt);
  if (!doc) {
    if (!c.errors)
      S_error(&c, 0, "cannot parse the layout");
    return false;
  }
  S_check(&c, doc);
  if (c.errors == 0)
    S_write(&c, doc);
  x->xmlFreeDoc(doc);
  if (c.errors) {
    ss_buf_free(&c.pool);
    free(c.parts);
    *out = (ss_theme_layout){0};
    return false;
  }
  out->pool_len = c.pool.len;
  out->pool = ss_buf_detach(&c.pool);
  out->parts = c.parts;
  out->nparts = c.nparts;
  return true;
}

void ss_theme__layout_free(ss_theme_layout *layout) {
  free(layout->pool);
  free(layout->parts);
  *layout = (ss_theme_layout){0};
}
