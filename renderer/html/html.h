/* html.h — the HTML writer: a finished document tree to one HTML5 page.
 *
 * Every text and attribute is escaped; link targets with the schemes
 * javascript:, vbscript: and data: (except data:image/ on images) are
 * neutralised; literal blocks go into <pre> byte for byte; raw nodes are
 * written only for format "html" and only when the caller allows them
 * (opts->raw_enabled: --enable-raw), however they came into the tree.
 */
#ifndef SS_HTML_H
#define SS_HTML_H

#include <stdbool.h>

#include "../tree/tree.h"
#include "../util/buffer.h"

typedef struct ss_html_options {
  const char *title;      /* page title; NULL = the document's title */
  const char *stylesheet; /* href of a stylesheet; NULL = inline default */
  bool fragment;          /* body content only, no <html> wrapper */
  bool raw_enabled;       /* raw nodes of format "html" are written; off,
                             none is, whoever put it in the tree (a
                             filter may make one) */
} ss_html_options;

/* Appends the page for `document` to out. */
void ss_html_render(const ss_node *document, const ss_html_options *opts,
                    ss_buf *out);

/* True when a URI may be used as a link target (see above); `image` allows
 * data:image/ URIs. */
bool ss_html_uri_is_safe(const char *uri, bool image);

/* False when Sphinx's highlighting, with Pygments' lexer for `language`,
 * would meet an error token in the block `text` and warn "Could not lex
 * literal_block as ..." (highlight.c); true for the languages it has no
 * model of. */
bool ss_html_lexes(const char *language, const char *text, size_t len);

/* The default stylesheet (themes/default/specsite.css), as embedded in
 * pages rendered without opts->stylesheet. */
extern const char ss_html_default_css[];

#endif
