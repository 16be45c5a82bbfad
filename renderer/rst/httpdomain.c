/* httpdomain.c — the HTTP domain of sphinxcontrib.httpdomain:
 * `.. http:get:: /path/(int:id)` and its sister methods.
 *
 * The tree is the one Sphinx's xml builder writes: an `index` node, then
 * `desc` > `desc_signature` (method and path as desc_name, each
 * "(type:name)" as a desc_parameterlist) and `desc_content`, whose field
 * lists are rewritten the way Sphinx's DocFieldTransformer rewrites them
 * for httpdomain's doc field types: fields of one type grouped into one
 * field with a bullet list, headers and status codes turned into links
 * to the RFCs, unknown fields capitalised and kept in place.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "directives.h"

/* --- signature ------------------------------------------------------ */

static bool S_word_byte(unsigned char c) {
  /* Python's \w, with every non-ASCII byte taken as a letter. */
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* httpdomain's parameter pattern "(type:name)" or "(name)" at s[i]
 * (which is '('). Sets the type and name spans and returns the index
 * after ')', or 0 when there is no match here. */
static size_t S_param_at(const char *s, size_t len, size_t i, size_t *ts,
                         size_t *te, size_t *ns, size_t *ne) {
  size_t j = i + 1;
  while (j < len && s[j] != ':' && s[j] != ')')
    j++;
  if (j > i + 1 && j < len && s[j] == ':') {
    size_t k = j + 1;
    while (k < len && S_word_byte((unsigned char)s[k]))
      k++;
    if (k > j + 1 && k < len && s[k] == ')') {
      *ts = i + 1, *te = j, *ns = j + 1, *ne = k;
      return k + 1;
    }
  }
  size_t k = i + 1;
  while (k < len && S_word_byte((unsigned char)s[k]))
    k++;
  if (k > i + 1 && k < len && s[k] == ')') {
    *ts = *te = 0, *ns = i + 1, *ne = k;
    return k + 1;
  }
  return 0;
}

static ss_node *S_leaf(ss_kind kind, const char *s, size_t len, int line) {
  ss_node *n = ss_node_new(kind, line);
  ss_node_append(n, ss_text_new(s, len, line));
  return n;
}

static ss_node *S_desc_name(const char *s, size_t len, int line) {
  ss_node *n = S_leaf(SS_DESC_NAME, s, len, line);
  static const char *const cls[] = {"sig-name", "descname", "sig-name",
                                    "descname"};
  for (size_t k = 0; k < 4; k++)
    ss_node_attr_add(n, "classes", cls[k]);
  return n;
}

/* httpdomain's anchor: method, '-', the path with <>:/ as '-' and {}
 * removed. */
static void S_anchor(const char *method, const char *sig, ss_buf *out) {
  ss_buf_printf(out, "%s-", method);
  for (const char *s = sig; *s; s++) {
    if (*s == '<' || *s == '>' || *s == ':' || *s == '/')
      ss_buf_putc(out, '-');
    else if (*s != '{' && *s != '}')
      ss_buf_putc(out, *s);
  }
}

static void S_signature(const char *method, const char *sig, size_t len,
                        bool noindex, int line, ss_node *desc) {
  ss_node *signode = ss_node_append(desc, ss_node_new(SS_DESC_SIGNATURE, line));
  ss_buf upper = SS_BUF_INIT;
  for (const char *m = method; *m; m++)
    ss_buf_putc(&upper, (char)(*m - 'a' + 'A'));
  ss_buf_putc(&upper, ' ');
  ss_node_append(signode, S_desc_name(upper.data, upper.len, line));
  /* The last path piece is what Sphinx calls the full name. */
  size_t offset = 0, last_s = 0, last_e = 0;
  for (size_t i = 0; i < len; i++) {
    size_t ts, te, ns, ne, end;
    if (sig[i] != '(' || !(end = S_param_at(sig, len, i, &ts, &te, &ns, &ne)))
      continue;
    ss_node_append(signode, S_desc_name(sig + offset, i - offset, line));
    last_s = offset, last_e = i;
    ss_node *params =
        ss_node_append(signode, ss_node_new(SS_DESC_PARAMETERLIST, line));
    if (te > ts) {
      ss_buf typ = SS_BUF_INIT;
      ss_buf_put(&typ, sig + ts, te - ts);
      ss_buf_puts(&typ, ": ");
      ss_node_append(params,
                     S_leaf(SS_DESC_ANNOTATION, typ.data, typ.len, line));
      ss_buf_free(&typ);
    }
    ss_node_append(params, S_leaf(SS_DESC_PARAMETER, sig + ns, ne - ns, line));
    offset = end;
    i = end - 1;
  }
  if (offset < len) {
    ss_node_append(signode, S_desc_name(sig + offset, len - offset, line));
    last_s = offset, last_e = len;
  }
  /* Attributes in the order Sphinx's writer sorts them. */
  ss_node_attr_set(signode, "_toc_name", "");
  ss_node_attr_set(signode, "_toc_parts", "");
  static const char *const cls[] = {"sig", "sig-object", "http", "sig",
                                    "sig-object"};
  for (size_t k = 0; k < 5; k++)
    ss_node_attr_add(signode, "classes", cls[k]);
  ss_buf_put(&upper, sig + last_s, last_e - last_s);
  ss_node_attr_set(signode, "fullname", upper.data);
  char *path = ss_xstrndup(sig, len);
  if (!noindex) {
    ss_buf id = SS_BUF_INIT;
    S_anchor(method, path, &id);
    ss_node_attr_add(signode, "ids", id.data);
    ss_buf_free(&id);
  }
  ss_node_attr_set(signode, "method", method);
  ss_node_attr_set(signode, "path", path);
  free(path);
  ss_buf_free(&upper);
}

/* --- doc fields ---------------------------------------------------- */

enum { S_PLAIN, S_HEADER, S_STATUS }; /* how a field's argument shows */

typedef struct {
  const char *label;
  bool typed;           /* TypedField: ":param int x:", ":type x:" */
  int role;             /* S_PLAIN, S_HEADER or S_STATUS */
  const char *names[5]; /* field names, NULL-terminated */
  const char *types[4]; /* type field names */
} S_fieldtype;

static const S_fieldtype S_fields[] = {
    {"Parameters",
     true,
     S_PLAIN,
     {"param", "parameter", "arg", "argument", NULL},
     {"paramtype", "type", NULL}},
    {"JSON Parameters",
     true,
     S_PLAIN,
     {"jsonparameter", "jsonparam", "json", NULL},
     {"jsonparamtype", "jsontype", NULL}},
    {"Request JSON Object",
     true,
     S_PLAIN,
     {"reqjsonobj", "reqjson", "<jsonobj", "<json", NULL},
     {"reqjsonobj", "<jsonobj", NULL}},
    {"Request JSON Array of Objects",
     true,
     S_PLAIN,
     {"reqjsonarr", "<jsonarr", NULL},
     {"reqjsonarrtype", "<jsonarrtype", NULL}},
    {"Response JSON Object",
     true,
     S_PLAIN,
     {"resjsonobj", "resjson", ">jsonobj", ">json", NULL},
     {"resjsonobj", ">jsonobj", NULL}},
    {"Response JSON Array of Objects",
     true,
     S_PLAIN,
     {"resjsonarr", ">jsonarr", NULL},
     {"resjsonarrtype", ">jsonarrtype", NULL}},
    {"Query Parameters",
     true,
     S_PLAIN,
     {"queryparameter", "queryparam", "qparam", "query", NULL},
     {"queryparamtype", "querytype", "qtype", NULL}},
    {"Form Parameters",
     false,
     S_PLAIN,
     {"formparameter", "formparam", "fparam", "form", NULL},
     {NULL}},
    {"Request Headers",
     false,
     S_HEADER,
     {"<header", "reqheader", "requestheader", NULL},
     {NULL}},
    {"Response Headers",
     false,
     S_HEADER,
     {">header", "resheader", "responseheader", NULL},
     {NULL}},
    {"Status Codes",
     false,
     S_STATUS,
     {"statuscode", "status", "code", NULL},
     {NULL}},
};
#define S_NFIELDS ((int)(sizeof S_fields / sizeof *S_fields))

/* Which field type a field name belongs to; *is_type for the type
 * fields. A name that is both (reqjsonobj) is a type field, as the type
 * names are registered last. Returns -1 when unknown. */
static int S_fieldtype_of(const char *name, bool *is_type) {
  for (int t = 0; t < S_NFIELDS; t++)
    for (int k = 0; S_fields[t].types[k]; k++)
      if (strcmp(S_fields[t].types[k], name) == 0)
        return *is_type = true, t;
  for (int t = 0; t < S_NFIELDS; t++)
    for (int k = 0; S_fields[t].names[k]; k++)
      if (strcmp(S_fields[t].names[k], name) == 0)
        return *is_type = false, t;
  return -1;
}

typedef struct {
  const char *code;
  const char *reason;
} S_status;

static const S_status S_statuses[] = {
    {"100", "Continue"},
    {"101", "Switching Protocols"},
    {"102", "Processing"},
    {"200", "OK"},
    {"201", "Created"},
    {"202", "Accepted"},
    {"203", "Non Authoritative Information"},
    {"204", "No Content"},
    {"205", "Reset Content"},
    {"206", "Partial Content"},
    {"207", "Multi Status"},
    {"226", "IM Used"},
    {"300", "Multiple Choices"},
    {"301", "Moved Permanently"},
    {"302", "Found"},
    {"303", "See Other"},
    {"304", "Not Modified"},
    {"305", "Use Proxy"},
    {"307", "Temporary Redirect"},
    {"400", "Bad Request"},
    {"401", "Unauthorized"},
    {"402", "Payment Required"},
    {"403", "Forbidden"},
    {"404", "Not Found"},
    {"405", "Method Not Allowed"},
    {"406", "Not Acceptable"},
    {"407", "Proxy Authentication Required"},
    {"408", "Request Timeout"},
    {"409", "Conflict"},
    {"410", "Gone"},
    {"411", "Length Required"},
    {"412", "Precondition Failed"},
    {"413", "Request Entity Too Large"},
    {"414", "Request URI Too Long"},
    {"415", "Unsupported Media Type"},
    {"416", "Requested Range Not Satisfiable"},
    {"417", "Expectation Failed"},
    {"418", "I'm a teapot"},
    {"422", "Unprocessable Entity"},
    {"423", "Locked"},
    {"424", "Failed Dependency"},
    {"426", "Upgrade Required"},
    {"429", "Too Many Requests"},
    {"449", "Retry With"},
    {"451", "Unavailable For Legal Reasons"},
    {"500", "Internal Server Error"},
    {"501", "Not Implemented"},
    {"502", "Bad Gateway"},
    {"503", "Service Unavailable"},
    {"504", "Gateway Timeout"},
    {"505", "HTTP Version Not Supported"},
    {"507", "Insufficient Storage"},
    {"510", "Not Extended"},
};

/* Where httpdomain links a known status code. */
static void S_status_url(int code, ss_buf *out) {
  static const int webdav[] = {207, 422, 423, 424, 507};
  switch (code) {
  case 226:
    ss_buf_puts(out, "https://www.ietf.org/rfc/rfc3229.txt");
    return;
  case 418:
    ss_buf_puts(out, "https://www.ietf.org/rfc/rfc2324.txt");
    return;
  case 429:
    ss_buf_puts(out, "https://tools.ietf.org/html/rfc6585#section-4");
    return;
  case 449:
    ss_buf_puts(out, "https://docs.microsoft.com/en-us/openspecs/"
                     "windows_protocols/ms-wdv/"
                     "83ecf19f-e0f8-4706-aae5-ba618f52f100");
    return;
  case 451:
    ss_buf_puts(out, "https://www.ietf.org/rfc/rfc7725.txt");
    return;
  default:
    break;
  }
  for (int k = 0; k < 5; k++)
    if (webdav[k] == code) {
      ss_buf_printf(out, "https://tools.ietf.org/html/rfc4918#section-11.%d",
                    k + 1);
      return;
    }
  ss_buf_printf(out,
                "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html"
                "#sec10.%d.%d",
                code / 100, 1 + code % 100);
}

typedef struct {
  const char *name;
  const char *url;
} S_header;

static const S_header S_headers[] = {
    {"Accept", "https://tools.ietf.org/html/rfc7231#section-5.3.2"},
    {"Accept-Charset", "https://tools.ietf.org/html/rfc7231#section-5.3.3"},
    {"Accept-Encoding", "https://tools.ietf.org/html/rfc7231#section-5.3.4"},
    {"Accept-Language", "https://tools.ietf.org/html/rfc7231#section-5.3.5"},
    {"Accept-Ranges", "https://tools.ietf.org/html/rfc7233#section-2.3"},
    {"Age", "https://tools.ietf.org/html/rfc7234#section-5.1"},
    {"Allow", "https://tools.ietf.org/html/rfc7231#section-7.4.1"},
    {"Authorization", "https://tools.ietf.org/html/rfc7235#section-4.2"},
    {"Cache-Control", "https://tools.ietf.org/html/rfc7234#section-5.2"},
    {"Connection", "https://tools.ietf.org/html/rfc7230#section-6.1"},
    {"Content-Encoding", "https://tools.ietf.org/html/rfc7231#section-3.1.2.2"},
    {"Content-Language", "https://tools.ietf.org/html/rfc7231#section-3.1.3.2"},
    {"Content-Length", "https://tools.ietf.org/html/rfc7230#section-3.3.2"},
    {"Content-Location", "https://tools.ietf.org/html/rfc7231#section-3.1.4.2"},
    {"Content-MD5", "https://www.w3.org/Protocols/rfc2616/rfc2616-sec14.html"
                    "#sec14.15"},
    {"Content-Range", "https://tools.ietf.org/html/rfc7233#section-4.2"},
    {"Content-Type", "https://tools.ietf.org/html/rfc7231#section-3.1.1.5"},
    {"Cookie", "https://tools.ietf.org/html/rfc2109#section-4.3.4"},
    {"Date", "https://tools.ietf.org/html/rfc7231#section-7.1.1.2"},
    {"Destination", "https://tools.ietf.org/html/rfc2518#section-9.3"},
    {"ETag", "https://tools.ietf.org/html/rfc7232#section-2.3"},
    {"Expect", "https://tools.ietf.org/html/rfc7231#section-5.1.1"},
    {"Expires", "https://tools.ietf.org/html/rfc7234#section-5.3"},
    {"From", "https://tools.ietf.org/html/rfc7231#section-5.5.2"},
    {"Host", "https://tools.ietf.org/html/rfc7230#section-5.4"},
    {"If-Match", "https://tools.ietf.org/html/rfc7232#section-3.1"},
    {"If-Modified-Since", "https://tools.ietf.org/html/rfc7232#section-3.3"},
    {"If-None-Match", "https://tools.ietf.org/html/rfc7232#section-3.2"},
    {"If-Range", "https://tools.ietf.org/html/rfc7233#section-3.2"},
    {"If-Unmodified-Since", "https://tools.ietf.org/html/rfc7232#section-3.4"},
    {"Last-Event-ID", "https://www.w3.org/TR/eventsource/#last-event-id"},
    {"Last-Modified", "https://tools.ietf.org/html/rfc7232#section-2.2"},
    {"Link", "https://tools.ietf.org/html/rfc5988#section-5"},
    {"Location", "https://tools.ietf.org/html/rfc7231#section-7.1.2"},
    {"Max-Forwards", "https://tools.ietf.org/html/rfc7231#section-5.1.2"},
    {"Pragma", "https://tools.ietf.org/html/rfc7234#section-5.4"},
    {"Proxy-Authenticate", "https://tools.ietf.org/html/rfc7235#section-4.3"},
    {"Proxy-Authorization", "https://tools.ietf.org/html/rfc7235#section-4.4"},
    {"Range", "https://tools.ietf.org/html/rfc7233#section-3.1"},
    {"Referer", "https://tools.ietf.org/html/rfc7231#section-5.5.2"},
    {"Retry-After", "https://tools.ietf.org/html/rfc7231#section-7.1.3"},
    {"Server", "https://tools.ietf.org/html/rfc7231#section-7.4.2"},
    {"Set-Cookie", "https://tools.ietf.org/html/rfc2109#section-4.2.2"},
    {"TE", "https://tools.ietf.org/html/rfc7230#section-4.3"},
    {"Trailer", "https://tools.ietf.org/html/rfc7230#section-4.4"},
    {"Transfer-Encoding", "https://tools.ietf.org/html/rfc7230#section-3.3.1"},
    {"Upgrade", "https://tools.ietf.org/html/rfc7230#section-6.7"},
    {"User-Agent", "https://tools.ietf.org/html/rfc7231#section-5.5.3"},
    {"Vary", "https://tools.ietf.org/html/rfc7231#section-7.1.4"},
    {"Via", "https://tools.ietf.org/html/rfc7230#section-5.7.1"},
    {"Warning", "https://tools.ietf.org/html/rfc7234#section-5.5"},
    {"WWW-Authenticate", "https://tools.ietf.org/html/rfc7235#section-4.1"},
    {"Access-Control-Allow-Origin",
     "https://www.w3.org/TR/cors/#access-control-allow-origin-response-header"},
    {"Access-Control-Allow-Credentials",
     "https://www.w3.org/TR/cors/"
     "#access-control-allow-credentials-response-header"},
    {"Access-Control-Expose-Headers",
     "https://www.w3.org/TR/cors/"
     "#access-control-expose-headers-response-header"},
    {"Access-Control-Max-Age",
     "https://www.w3.org/TR/cors/#access-control-max-age-response-header"},
    {"Access-Control-Allow-Methods",
     "https://www.w3.org/TR/cors/"
     "#access-control-allow-methods-response-header"},
    {"Access-Control-Allow-Headers",
     "https://www.w3.org/TR/cors/"
     "#access-control-allow-headers-response-header"},
    {"Origin", "https://www.w3.org/TR/cors/#origin-request-header"},
    {"Access-Control-Request-Method",
     "https://www.w3.org/TR/cors/"
     "#access-control-request-method-response-header"},
    {"Access-Control-Request-Headers",
     "https://www.w3.org/TR/cors/"
     "#access-control-request-headers-response-header"},
};

static ss_node *S_reference(const char *url, const char *text, size_t len,
                            int line) {
  ss_node *ref = S_leaf(SS_REFERENCE, text, len, line);
  ss_node_attr_set(ref, "refuri", url);
  return ref;
}

/* The :header: role: a link for the headers httpdomain knows by their
 * exact spelling, else emphasis. (A header known only in another case
 * makes httpdomain itself fail; emphasis is the sane answer.) */
static ss_node *S_header_role(const char *arg, int line) {
  for (size_t k = 0; k < sizeof S_headers / sizeof *S_headers; k++)
    if (strcmp(S_headers[k].name, arg) == 0)
      return S_reference(S_headers[k].url, arg, strlen(arg), line);
  return S_leaf(SS_EMPHASIS, arg, strlen(arg), line);
}

static bool S_digits(const char *s, size_t len) {
  if (!len)
    return false;
  for (size_t k = 0; k < len; k++)
    if (s[k] < '0' || s[k] > '9')
      return false;
  return true;
}

/* Docutils' repr of a Text node, which httpdomain's messages show:
 * "<#text: 'abc'>", cut to 64 characters and " ..." past 68. */
static void S_text_repr(const char *s, ss_buf *out) {
  size_t len = strlen(s), chars = 0, cut = len;
  for (size_t k = 0; k < len; k++)
    if (((unsigned char)s[k] & 0xC0) != 0x80 && chars++ == 64)
      cut = k;
  ss_buf data = SS_BUF_INIT;
  ss_buf_put(&data, s, chars > 68 ? cut : len);
  if (chars > 68)
    ss_buf_puts(&data, " ...");
  ss_buf_puts(out, "<#text: ");
  rst_py_repr(data.data ? data.data : "", data.len, out);
  ss_buf_putc(out, '>');
  ss_buf_free(&data);
}

/* An error httpdomain reports (with http_strict_mode): into `messages`
 * when given (a role's), else dropped from the tree (a doc field's,
 * which Sphinx's make_xref discards); reported either way. */
static void S_http_error(rst_parser *p, int line, ss_node *messages,
                         const char *msg) {
  ss_node *m = rst_report(p, SS_LEVEL_ERROR, line, NULL, "%s", msg);
  if (messages)
    ss_node_append(messages, m);
  else
    ss_node_free(m);
}

/* The :statuscode: role: "404" or "404 Not Found" (any case) become a
 * link to the RFC; anything else is an error, shown as problematic. */
static ss_node *S_status_role(rst_parser *p, const char *arg, int line,
                              ss_node *messages) {
  size_t len = strlen(arg), cut = 0;
  while (cut < len && arg[cut] != ' ' && arg[cut] != '\t' && arg[cut] != '\n')
    cut++;
  const S_status *known = NULL;
  bool numeric = S_digits(arg, cut) && cut <= 9;
  int code = numeric ? atoi(arg) : 0;
  if (numeric)
    for (size_t k = 0; k < sizeof S_statuses / sizeof *S_statuses; k++)
      if (atoi(S_statuses[k].code) == code)
        known = &S_statuses[k];
  const char *reason = known ? known->reason : NULL;
  if (known && cut < len) {
    /* The reason given must be the known one, case aside. */
    const char *given = arg + cut + 1;
    if (strlen(given) != strlen(reason) ||
        strncasecmp(given, reason, strlen(reason)) != 0)
      reason = NULL;
    else
      reason = given;
  }
  if (!reason) {
    ss_buf msg = SS_BUF_INIT;
    if (numeric) {
      ss_buf_printf(&msg, "%d is unknown HTTP status code", code);
    } else {
      ss_buf_puts(&msg, "HTTP status code must be an integer (e.g. `200`) or "
                        "start with an integer (e.g. `200 OK`); ");
      S_text_repr(arg, &msg);
      ss_buf_puts(&msg, " is invalid");
    }
    S_http_error(p, line, messages, msg.data);
    ss_buf_free(&msg);
    return S_leaf(SS_PROBLEMATIC, arg, len, 0);
  }
  ss_buf url = SS_BUF_INIT, text = SS_BUF_INIT;
  S_status_url(code, &url);
  ss_buf_printf(&text, "%d %s", code, reason);
  ss_node *ref = S_reference(url.data, text.data, text.len, 0);
  ss_buf_free(&url);
  ss_buf_free(&text);
  return ref;
}

/* The :method: role: a link to the method's section of its RFC ("any":
 * emphasis); another method is an error, shown as problematic. */
static ss_node *S_method_role(rst_parser *p, const char *arg, int line,
                              ss_node *messages) {
  static const char *const refs[][2] = {{"patch", "rfc5789#section-2"},
                                        {"options", "rfc7231#section-4.3.7"},
                                        {"get", "rfc7231#section-4.3.1"},
                                        {"head", "rfc7231#section-4.3.2"},
                                        {"post", "rfc7231#section-4.3.3"},
                                        {"put", "rfc7231#section-4.3.4"},
                                        {"delete", "rfc7231#section-4.3.5"},
                                        {"trace", "rfc7231#section-4.3.8"},
                                        {"connect", "rfc7231#section-4.3.6"},
                                        {"copy", "rfc2518#section-8.8"},
                                        {"any", ""}};
  ss_buf method = SS_BUF_INIT, upper = SS_BUF_INIT;
  for (const char *c = arg; *c; c++) {
    ss_buf_putc(&method, (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c));
    ss_buf_putc(&upper, (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c));
  }
  const char *m = method.data ? method.data : "";
  ss_node *n = NULL;
  for (size_t k = 0; k < sizeof refs / sizeof *refs && !n; k++) {
    if (strcmp(refs[k][0], m) != 0)
      continue;
    if (!*refs[k][1]) {
      n = S_leaf(SS_EMPHASIS, m, method.len, 0);
    } else {
      ss_buf url = SS_BUF_INIT;
      ss_buf_printf(&url, "https://tools.ietf.org/html/%s", refs[k][1]);
      n = S_reference(url.data, upper.data, upper.len, 0);
      ss_buf_free(&url);
    }
  }
  if (!n) {
    ss_buf msg = SS_BUF_INIT;
    ss_buf_printf(&msg, "%s is not valid HTTP method", m);
    S_http_error(p, line, messages, msg.data);
    ss_buf_free(&msg);
    n = S_leaf(SS_PROBLEMATIC, m, method.len, 0);
  }
  ss_buf_free(&method);
  ss_buf_free(&upper);
  return n;
}

ss_node *rst_http_role(rst_parser *p, const char *type, const char *text,
                       int line, ss_node *messages) {
  if (!strcmp(type, "statuscode"))
    return S_status_role(p, text, line, messages);
  if (!strcmp(type, "method"))
    return S_method_role(p, text, line, messages);
  return S_header_role(text, 0);
}

/* One field item (an argument and its content) of a group. */
typedef struct {
  char *arg;
  ss_node *content; /* holder: its children are the item's content */
  int line;
} S_item;

/* One field of the new field list: a kept field, or a group. */
typedef struct {
  ss_node *field; /* kept as it is; NULL for a group */
  int type;       /* the group's field type */
  S_item *items;
  int nitems;
} S_entry;

/* A type given to an argument, by ":type x: int" or ":param int x:". */
typedef struct {
  int type;
  char *arg;
  ss_node *content; /* holder */
} S_typeinfo;

typedef struct {
  S_entry *entries;
  int nentries;
  S_typeinfo *types;
  int ntypes;
} S_fields_state;

static void S_set_type(S_fields_state *st, int type, const char *arg,
                       ss_node *content) {
  for (int k = 0; k < st->ntypes; k++)
    if (st->types[k].type == type && strcmp(st->types[k].arg, arg) == 0) {
      ss_node_free(st->types[k].content);
      st->types[k].content = content;
      return;
    }
  st->types =
      ss_xrealloc(st->types, sizeof *st->types * (size_t)(st->ntypes + 1));
  st->types[st->ntypes++] = (S_typeinfo){type, ss_xstrdup(arg), content};
}

/* Takes the type of an argument (Sphinx pops it: a second item of the
 * same name shows none). */
static ss_node *S_take_type(S_fields_state *st, int type, const char *arg) {
  for (int k = 0; k < st->ntypes; k++)
    if (st->types[k].type == type && st->types[k].content &&
        strcmp(st->types[k].arg, arg) == 0) {
      ss_node *c = st->types[k].content;
      st->types[k].content = NULL;
      return c;
    }
  return NULL;
}

/* A field body's content as Sphinx takes it: the children of its one
 * paragraph (messages after it aside), else all its children. Moved
 * into a new holder. */
static ss_node *S_take_content(ss_node *body, bool inline_only) {
  ss_node *holder = ss_node_new(SS_DOCUMENT, body->line);
  ss_node *from = body;
  if (body->first && body->first->kind == SS_PARAGRAPH) {
    bool single = true;
    for (ss_node *n = body->first->next; n; n = n->next)
      if (n->kind != SS_SYSTEM_MESSAGE)
        single = false;
    if (single)
      from = body->first;
  }
  for (ss_node *n = from->first, *next; n; n = next) {
    next = n->next;
    if (inline_only && !ss_kind_is_inline(n->kind))
      continue;
    ss_node_append(holder, ss_node_unlink(n));
  }
  return holder;
}

static S_entry *S_group(S_fields_state *st, int type) {
  for (int k = 0; k < st->nentries; k++)
    if (!st->entries[k].field && st->entries[k].type == type)
      return &st->entries[k];
  st->entries = ss_xrealloc(st->entries,
                            sizeof *st->entries * (size_t)(st->nentries + 1));
  S_entry *e = &st->entries[st->nentries++];
  *e = (S_entry){NULL, type, NULL, 0};
  return e;
}

static void S_keep_field(S_fields_state *st, ss_node *field) {
  st->entries = ss_xrealloc(st->entries,
                            sizeof *st->entries * (size_t)(st->nentries + 1));
  st->entries[st->nentries++] = (S_entry){field, -1, NULL, 0};
}

/* Step one: sort every field of the list into kept fields, groups and
 * types. */
static void S_collect(S_fields_state *st, ss_node *list) {
  for (ss_node *field = list->first, *next; field; field = next) {
    next = field->next;
    ss_node *fname = ss_node_child(field, SS_FIELD_NAME);
    ss_node *fbody = ss_node_child(field, SS_FIELD_BODY);
    if (field->kind != SS_FIELD || !fname || !fbody)
      continue;
    ss_buf text = SS_BUF_INIT;
    ss_node_text_content(fname, &text);
    const char *s = text.data ? text.data : "";
    while (*s == ' ' || *s == '\n')
      s++;
    size_t nl = 0;
    while (s[nl] && s[nl] != ' ' && s[nl] != '\n')
      nl++;
    char *name = ss_xstrndup(s, nl);
    const char *a = s + nl;
    while (*a == ' ' || *a == '\n')
      a++;
    char *arg = ss_xstrdup(a);
    for (size_t k = strlen(arg);
         k && (arg[k - 1] == ' ' || arg[k - 1] == '\n');)
      arg[--k] = 0;
    bool is_type = false;
    int type = S_fieldtype_of(name, &is_type);
    if (type < 0 || !*arg) {
      /* Unknown, or without the argument every field type takes: the
       * name capitalised and the field kept. */
      while (fname->first)
        ss_node_free(fname->first);
      ss_buf nn = SS_BUF_INIT;
      ss_buf_puts(&nn, name);
      if (nn.len && nn.data[0] >= 'a' && nn.data[0] <= 'z')
        nn.data[0] = (char)(nn.data[0] - 'a' + 'A');
      if (*arg)
        ss_buf_printf(&nn, " %s", arg);
      ss_node_append(fname,
                     ss_text_new(nn.data ? nn.data : "", nn.len, fname->line));
      ss_buf_free(&nn);
      /* A type field's lone text still becomes the type's look. */
      ss_node *para = fbody->first;
      if (type >= 0 && is_type && para && para->kind == SS_PARAGRAPH &&
          !para->next && para->first && para->first->kind == SS_TEXT &&
          !para->first->next) {
        ss_node *t = ss_node_unlink(para->first);
        ss_node *em = ss_node_append(para, ss_node_new(SS_LITERAL_EMPHASIS, 0));
        ss_node_append(em, t);
      }
      S_keep_field(st, ss_node_unlink(field));
    } else if (is_type) {
      ss_node *content = S_take_content(fbody, true);
      if (content->first)
        S_set_type(st, type, arg, content);
      else
        ss_node_free(content);
    } else {
      if (S_fields[type].typed) {
        /* ":param int x:" gives x the type "int". */
        char *sp = strrchr(arg, ' ');
        char *nlp = strrchr(arg, '\n');
        if (nlp && (!sp || nlp > sp))
          sp = nlp;
        if (sp) {
          size_t tl = (size_t)(sp - arg);
          while (tl && (arg[tl - 1] == ' ' || arg[tl - 1] == '\n'))
            tl--;
          ss_node *holder = ss_node_new(SS_DOCUMENT, field->line);
          ss_node_append(holder, ss_text_new(arg, tl, field->line));
          char *argname = ss_xstrdup(sp + 1);
          S_set_type(st, type, argname, holder);
          free(arg);
          arg = argname;
        }
      }
      S_entry *e = S_group(st, type);
      e->items =
          ss_xrealloc(e->items, sizeof *e->items * (size_t)(e->nitems + 1));
      e->items[e->nitems++] =
          (S_item){arg, S_take_content(fbody, false), field->line};
      arg = NULL;
    }
    if (field->parent == list)
      ss_node_free(field); /* its content has moved to the group */
    free(arg);
    free(name);
    ss_buf_free(&text);
  }
}

static void S_text(ss_node *parent, const char *s, int line) {
  ss_node_append(parent, ss_text_new(s, strlen(s), line));
}

/* Step two: one paragraph per item, as Sphinx's GroupedField and
 * TypedField make them. */
/* What Sphinx's fields make is built outside the tree: no line. Problems
 * are reported at `line`, the group's first field's (the location
 * DocFieldTransformer gives make_field). */
static ss_node *S_item_para(rst_parser *p, S_fields_state *st, int type,
                            S_item *item, int line) {
  ss_node *par = ss_node_new(SS_PARAGRAPH, 0);
  const S_fieldtype *ft = &S_fields[type];
  if (ft->role == S_HEADER || ft->role == S_STATUS) {
    ss_node *in = ss_node_append(par, ss_node_new(SS_INLINE, 0));
    ss_node_append(in, ft->role == S_HEADER
                           ? S_header_role(item->arg, 0)
                           : S_status_role(p, item->arg, line, NULL));
  } else {
    ss_node_append(par,
                   S_leaf(SS_LITERAL_STRONG, item->arg, strlen(item->arg), 0));
  }
  ss_node *typ = ft->typed ? S_take_type(st, type, item->arg) : NULL;
  if (typ) {
    S_text(par, " (", line);
    if (typ->first && typ->first->kind == SS_TEXT && !typ->first->next) {
      ss_node *em = ss_node_append(par, ss_node_new(SS_LITERAL_EMPHASIS, 0));
      ss_node_append(em, ss_node_unlink(typ->first));
    } else {
      ss_node_move_children(typ, par);
    }
    ss_node_free(typ);
    S_text(par, ")", line);
  }
  S_text(par, " -- ", line);
  ss_node_move_children(item->content, par);
  return par;
}

/* Rewrites one field list of a desc_content in place. Sphinx's
 * DocFieldTransformer builds the new list outside the tree (none of it
 * has a line) and puts it in the old one's place in a desc, which is in
 * the document: it takes the state machine's line after the content. */
static void S_transform_fields(rst_parser *p, ss_node *list) {
  S_fields_state st = {0};
  S_collect(&st, list);
  ss_node *out = ss_node_new(SS_FIELD_LIST, p->parse_end);
  for (int k = 0; k < st.nentries; k++) {
    S_entry *e = &st.entries[k];
    if (e->field) {
      ss_node_append(out, e->field);
      continue;
    }
    int line = e->nitems ? e->items[0].line : list->line;
    ss_node *field = ss_node_append(out, ss_node_new(SS_FIELD, 0));
    ss_node *fname = ss_node_append(field, ss_node_new(SS_FIELD_NAME, 0));
    S_text(fname, S_fields[e->type].label, line);
    ss_node *fbody = ss_node_append(field, ss_node_new(SS_FIELD_BODY, 0));
    ss_node *bl = ss_node_append(fbody, ss_node_new(SS_BULLET_LIST, 0));
    for (int i = 0; i < e->nitems; i++) {
      ss_node *li = ss_node_append(bl, ss_node_new(SS_LIST_ITEM, 0));
      ss_node_append(li, S_item_para(p, &st, e->type, &e->items[i], line));
      free(e->items[i].arg);
      ss_node_free(e->items[i].content);
    }
    free(e->items);
  }
  for (int k = 0; k < st.ntypes; k++) {
    free(st.types[k].arg);
    ss_node_free(st.types[k].content);
  }
  free(st.types);
  free(st.entries);
  /* Whatever was not a field (nothing, normally) stays in front. */
  ss_node_insert_before(list, out);
  ss_node_move_children(list, out);
  ss_node_free(list);
}

/* --- the directive ------------------------------------------------- */

static void S_run_http(rst_parser *p, const rst_dspec *spec,
                       const rst_directive *d, ss_node *parent) {
  const char *method = spec->klass;
  bool noindex = rst_dir_option(d, "noindex") != NULL;
  /* Sphinx's ObjectDescription returns the index and the desc once the
   * content is parsed: they take the state machine's line then. The
   * signatures have the directive's (set_source_info), and what is put
   * in them too (the document's line is set to it first), as is the
   * content node. */
  ss_node_append(parent, rst_index_new(RST_ATTACH_LINE));
  ss_node *desc = ss_node_append(parent, ss_node_new(SS_DESC, RST_ATTACH_LINE));
  ss_node_attr_add(desc, "classes", "http");
  ss_node_attr_add(desc, "classes", method);
  ss_node_attr_set(desc, "desctype", method);
  ss_node_attr_set(desc, "domain", "http");
  ss_node_attr_set(desc, "nocontentsentry", "False");
  ss_node_attr_set(desc, "noindex", noindex ? "True" : "False");
  ss_node_attr_set(desc, "noindexentry", "False");
  ss_node_attr_set(desc, "objtype", method);
  /* One signature per line of the argument; a backslash at a line's end
   * joins it with the next. */
  ss_buf joined = SS_BUF_INIT;
  const char *raw = d->args_raw ? d->args_raw : d->args;
  for (const char *s = raw; *s; s++) {
    if (s[0] == '\\' && s[1] == '\n') {
      s++;
      continue;
    }
    ss_buf_putc(&joined, *s);
  }
  const char *s = joined.data ? joined.data : "";
  int line = d->lineno;
  while (1) {
    const char *e = strchr(s, '\n');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    const char *b = s;
    while (len && (*b == ' ' || *b == '\t'))
      b++, len--;
    while (len && (b[len - 1] == ' ' || b[len - 1] == '\t'))
      len--;
    S_signature(method, b, len, noindex, line, desc);
    if (!e)
      break;
    s = e + 1;
  }
  ss_buf_free(&joined);
  ss_node *content =
      ss_node_append(desc, ss_node_new(SS_DESC_CONTENT, d->lineno));
  /* Parsed even when empty, which leaves neither source nor line. */
  rst_parse_body(p, d->content, d->ncontent, content);
  for (ss_node *n = content->first, *next; n; n = next) {
    next = n->next;
    if (n->kind == SS_FIELD_LIST)
      S_transform_fields(p, n);
  }
}

#define HTTP(m)                                                                \
  { "http:" m, 1, 0, true, true, true, S_run_http, SS_DESC, m }

const rst_dspec rst_http_dspecs[] = {
    HTTP("get"),     HTTP("post"),
    HTTP("put"),     HTTP("patch"),
    HTTP("delete"),  HTTP("head"),
    HTTP("options"), HTTP("trace"),
    HTTP("connect"), HTTP("copy"),
    HTTP("any"),     {NULL, 0, 0, false, false, false, NULL, SS_TEXT, NULL},
};
