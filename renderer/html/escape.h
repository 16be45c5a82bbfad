/* escape.h — internal to the HTML writer: escaping text and attribute
 * values. (The URI check is public: ss_html_uri_is_safe in html.h.) */
#ifndef SS_HTML_ESCAPE_H
#define SS_HTML_ESCAPE_H

#include <stddef.h>

#include "../util/buffer.h"
#include "html.h"

/* Appends `len` bytes of s with &, <, > and " escaped: enough for HTML5
 * text and for double-quoted attribute values. NUL bytes (which the
 * reader should have removed) become U+FFFD so no output is cut short. */
void ss_html_escape(ss_buf *out, const char *s, size_t len);

#endif
