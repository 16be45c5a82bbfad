/* inlines.c — inline markup inside one text block.
 *
 * The recognition rules are Docutils' (states.Inliner), reproduced step
 * for step because documents depend on their corner cases: the text is
 * first "null-escaped" (a backslash becomes NUL, so an escaped character
 * never starts or ends markup), then scanned left to right for the next
 * start-string. Docutils re-runs its regular expressions on the
 * remaining text after each construct, so the position right after a
 * construct counts as the start of the text (`seg` below), and the
 * standalone-URI scan runs on the text between constructs (`chunk`).
 *
 * Everything is one forward scan: end-string searches remember their
 * last answer (starts only move forward), so 10000 unmatched `*` cost
 * linear time, not the quadratic rescans a naive search would.
 */
#include <stdint.h>
#include <string.h>

#include "../util/utf8.h"
#include "parser.h"

#define S_NONE SIZE_MAX

typedef enum {
  S_END_EMPHASIS,
  S_END_STRONG,
  S_END_LITERAL,
  S_END_TARGET,
  S_END_SUBST,
  S_END_INTERP,
  S_END_COUNT
} S_end_kind;

typedef struct {
  size_t from; /* the search started after this position ... */
  size_t at;   /* ... and found its first match here (S_NONE: none) */
  bool valid;
} S_end_cache;

typedef struct {
  rst_parser *p;
  const char *s; /* null-escaped text */
  size_t n;
  int lineno;
  ss_node *parent, *messages;
  size_t seg;              /* start of Docutils' `remaining` string */
  size_t line_pos;         /* lines counted up to here ... */
  int line_at;             /* ... giving this line */
  size_t sn_lo, sn_end;    /* last reference-name run scanned */
  size_t us_from, us_next; /* the first '_' at or after us_from
                              (S_NONE: none) */
  S_end_cache ends[S_END_COUNT];
  /* URI scans restarted inside a run ("a-a-a-...") reuse these. */
  size_t uri_hi;            /* the text end they were computed for */
  size_t run_lo, run_end;   /* scheme-character run */
  size_t name_lo, name_end; /* e-mail name run */
  size_t colon, colon_res;  /* absolute URI body after this ':' */
  size_t at, at_res;        /* e-mail host after this '@' */
} S_ctx;

/* Details of an interpreted-text end-string: "`" [":role:"] ["_"|"__"]. */
typedef struct {
  size_t role, role_len; /* role name, when a suffix role is present */
  size_t refend;         /* number of trailing underscores */
  size_t len;            /* length of the whole end-string */
} S_interp_end;

/* --- characters ------------------------------------------------------ */

static int32_t S_cp_at(const S_ctx *c, size_t pos) {
  int32_t cp;
  ss_utf8_decode(c->s + pos, c->n - pos, &cp);
  return cp;
}

static int32_t S_cp_before(const S_ctx *c, size_t pos) {
  int32_t cp;
  ss_utf8_decode_back(c->s, pos, &cp);
  return cp;
}

static size_t S_cp_len(const S_ctx *c, size_t pos) {
  int32_t cp;
  return ss_utf8_decode(c->s + pos, c->n - pos, &cp);
}

static bool S_is_ws_at(const S_ctx *c, size_t pos) {
  return pos < c->n && ss_uc_is_space(S_cp_at(c, pos));
}

/* Docutils' start_string_prefix: start of the (remaining) text, or after
 * whitespace, an opener or a delimiter. */
static bool S_prefix_ok(const S_ctx *c, size_t pos, size_t lo) {
  if (pos <= lo)
    return true;
  unsigned char b = (unsigned char)c->s[pos - 1];
  if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
      (b >= 'A' && b <= 'Z'))
    return false; /* the common case, inside a word */
  int32_t cp = b < 0x80 ? (int32_t)b : S_cp_before(c, pos);
  return ss_uc_is_space(cp) || ss_uc_is_open_punct(cp) ||
         ss_uc_is_delimiter(cp);
}

/* Docutils' end_string_suffix: end of text, whitespace, an escape, or a
 * closing delimiter, delimiter or closer; `hi` is the end of the text. */
static bool S_suffix_ok(const S_ctx *c, size_t pos, size_t hi) {
  if (pos >= hi)
    return true;
  unsigned char b = (unsigned char)c->s[pos];
  int32_t cp = b < 0x80 ? (int32_t)b : S_cp_at(c, pos);
  if (cp == 0 || ss_uc_is_space(cp))
    return true;
  if (cp == '\\' || cp == '.' || cp == ',' || cp == ';' || cp == '!' ||
      cp == '?')
    return true;
  return ss_uc_is_delimiter(cp) || ss_uc_is_close_punct(cp);
}

static bool S_nonws_after(const S_ctx *c, size_t pos) {
  return !S_is_ws_at(c, pos);
}

static bool S_word_at(const S_ctx *c, size_t pos) {
  if (pos >= c->n)
    return false;
  unsigned char b = (unsigned char)c->s[pos];
  if (b < 0x80)
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
           (b >= 'A' && b <= 'Z');
  return ss_uc_is_alnum(S_cp_at(c, pos));
}

static size_t S_word_len(const S_ctx *c, size_t pos) {
  return S_cp_len(c, pos);
}

/* End of the longest "simple reference name" starting at pos (alnums
 * with single inner - . _ + :), or pos when none. A later start inside
 * the same run ends at the same place, which keeps hyphenated runs from
 * being rescanned over and over. */
static size_t S_simplename(S_ctx *c, size_t pos) {
  if (!S_word_at(c, pos))
    return pos;
  if (pos > c->sn_lo && pos < c->sn_end)
    return c->sn_end;
  size_t e = pos;
  const unsigned char *u = (const unsigned char *)c->s;
  for (;;) {
    for (;;) {
      /* ASCII alphanumerics inline; anything else through S_word_at. */
      while (e < c->n &&
             ((u[e] >= '0' && u[e] <= '9') || (u[e] >= 'a' && u[e] <= 'z') ||
              (u[e] >= 'A' && u[e] <= 'Z')))
        e++;
      if (e >= c->n || u[e] < 0x80 || !S_word_at(c, e))
        break;
      e += S_word_len(c, e);
    }
    char sep = e + 1 < c->n ? c->s[e] : '\0';
    if ((sep == '-' || sep == '.' || sep == '_' || sep == '+' || sep == ':') &&
        S_word_at(c, e + 1))
      e++;
    else
      break;
  }
  c->sn_lo = pos;
  c->sn_end = e;
  return e;
}

static int S_line_of(S_ctx *c, size_t pos) {
  if (pos < c->line_pos) {
    c->line_pos = 0;
    c->line_at = c->lineno;
  }
  for (size_t i = c->line_pos; i < pos; i++)
    if (c->s[i] == '\n')
      c->line_at++;
  c->line_pos = pos;
  return c->line_at;
}

/* --- text helpers ---------------------------------------------------- */

/* Docutils' unescape(): a NUL (an escaping backslash) vanishes, and takes
 * an escaped space or newline with it. */
static void S_unnul(const char *s, size_t len, ss_buf *out) {
  ss_buf_grow(out, len);
  size_t i = 0;
  while (i < len) {
    /* Copy the run up to the next NUL in one go. */
    const char *nul = memchr(s + i, '\0', len - i);
    size_t run = nul ? (size_t)(nul - s) : len;
    ss_buf_put(out, s + i, run - i);
    if (!nul)
      break;
    i = run + 1;
    if (i < len && (s[i] == ' ' || s[i] == '\n'))
      i++;
  }
}

/* unescape(text, restore_backslashes=True): the source as written. */
static void S_restore(const char *s, size_t len, ss_buf *out) {
  ss_buf_grow(out, len);
  for (size_t i = 0; i < len; i++)
    ss_buf_putc(out, s[i] == '\0' ? '\\' : s[i]);
}

static void S_ws_normalize(const char *s, size_t len, bool lower, ss_buf *out) {
  size_t i = 0;
  bool pending = false, any = false;
  while (i < len) {
    int32_t cp;
    size_t k = ss_utf8_decode(s + i, len - i, &cp);
    if (ss_uc_is_space(cp)) {
      pending = any;
    } else {
      if (pending)
        ss_buf_putc(out, ' ');
      pending = false;
      any = true;
      if (lower) {
        /* Python's str.lower() for the scripts names are written in. */
        if ((cp >= 'A' && cp <= 'Z') ||
            (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
            (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
            (cp >= 0x410 && cp <= 0x42F))
          cp += 0x20;
        else if (cp >= 0x400 && cp <= 0x40F)
          cp += 0x50;
        else if (((cp >= 0x100 && cp <= 0x137) ||
                  (cp >= 0x14A && cp <= 0x177) ||
                  (cp >= 0x460 && cp <= 0x481) ||
                  (cp >= 0x48A && cp <= 0x4BF) ||
                  (cp >= 0x1E00 && cp <= 0x1EFF)) &&
                 cp % 2 == 0)
          cp += 1;
        ss_utf8_encode(cp, out);
      } else {
        ss_buf_put(out, s + i, k);
      }
    }
    i += k;
  }
  if (!out->data)
    ss_buf_puts(out, "");
}

void rst_normalize_name(const char *s, size_t len, ss_buf *out) {
  S_ws_normalize(s, len, true, out);
}

void rst_ws_normalize_name(const char *s, size_t len, ss_buf *out) {
  S_ws_normalize(s, len, false, out);
}

void rst_unescape(const char *s, size_t len, ss_buf *out) {
  ss_buf_grow(out, len);
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '\\') {
      if (i + 1 < len && s[i + 1] != ' ' && s[i + 1] != '\n')
        ss_buf_putc(out, s[i + 1]);
      i++;
      continue;
    }
    ss_buf_putc(out, s[i]);
  }
  if (!out->data)
    ss_buf_puts(out, "");
}

/* --- nodes ----------------------------------------------------------- */

static void S_emit_message(S_ctx *c, ss_node *msg) {
  if ((int)msg->kind == SS_SYSTEM_MESSAGE) {
    const char *lv = ss_node_attr_get(msg, "level");
    if (lv && lv[0] - '0' < (int)c->p->opts->report_level) {
      ss_node_free(msg);
      return;
    }
  }
  ss_node_append(c->messages ? c->messages : c->p->document, msg);
}

/* A text node (unescaped) appended to `parent`. */
static void S_add_text(S_ctx *c, ss_node *parent, size_t from, size_t to) {
  if (to <= from)
    return;
  if (!memchr(c->s + from, '\0', to - from)) { /* nothing escaped */
    ss_node_append_text(parent, c->s + from, to - from, S_line_of(c, from));
    return;
  }
  ss_buf b = SS_BUF_INIT;
  S_unnul(c->s + from, to - from, &b);
  if (b.len)
    ss_node_append_text(parent, b.data, b.len, S_line_of(c, from));
  ss_buf_free(&b);
}

/* Inline elements carry no line: Docutils makes them before the text
 * block they are in is attached, so a problem about one is reported at
 * the block's line (get_source_line). Their text keeps its own line. */
static ss_node *S_element(S_ctx *c, ss_kind kind, size_t from, size_t to,
                          size_t at) {
  (void)at;
  ss_node *n = ss_node_new(kind, 0);
  S_add_text(c, n, from, to);
  return n;
}

/* A warning (or error) and the problematic node standing for `raw`. */
static void S_problem(S_ctx *c, ss_level level, const char *raw, size_t rawlen,
                      size_t at, const char *msg) {
  ss_node *m = rst_report(c->p, level, c->lineno, NULL, "%s", msg);
  ss_node *prb = ss_node_new(SS_PROBLEMATIC, 0);
  if (rawlen)
    ss_node_append_text(prb, raw, rawlen, S_line_of(c, at));
  ss_node_append(c->parent, prb);
  S_emit_message(c, m);
}

static void S_problem_span(S_ctx *c, ss_level level, size_t from, size_t to,
                           const char *msg) {
  ss_buf raw = SS_BUF_INIT;
  S_restore(c->s + from, to - from, &raw);
  S_problem(c, level, raw.data, raw.len, from, msg);
  ss_buf_free(&raw);
}

/* --- standalone URIs and e-mail addresses ---------------------------- */

static const char *const S_schemes[] = {"about",       "acap",
                                        "addbook",     "afp",
                                        "afs",         "aim",
                                        "callto",      "castanet",
                                        "chttp",       "cid",
                                        "crid",        "data",
                                        "dav",         "dict",
                                        "dns",         "eid",
                                        "fax",         "feed",
                                        "file",        "finger",
                                        "freenet",     "ftp",
                                        "go",          "gopher",
                                        "gsm-sms",     "h323",
                                        "h324",        "hdl",
                                        "hnews",       "http",
                                        "https",       "hydra",
                                        "iioploc",     "ilu",
                                        "im",          "imap",
                                        "info",        "ior",
                                        "ipp",         "irc",
                                        "iris.beep",   "iseek",
                                        "jar",         "javascript",
                                        "jdbc",        "ldap",
                                        "lifn",        "livescript",
                                        "lrq",         "mailbox",
                                        "mailserver",  "mailto",
                                        "md5",         "mid",
                                        "mocha",       "modem",
                                        "mtqp",        "mupdate",
                                        "news",        "nfs",
                                        "nntp",        "opaquelocktoken",
                                        "phone",       "pop",
                                        "pop3",        "pres",
                                        "printer",     "prospero",
                                        "rdar",        "res",
                                        "rtsp",        "rvp",
                                        "rwhois",      "rx",
                                        "sdp",         "service",
                                        "shttp",       "sip",
                                        "sips",        "smb",
                                        "snews",       "snmp",
                                        "soap.beep",   "soap.beeps",
                                        "ssh",         "t120",
                                        "tag",         "tcp",
                                        "tel",         "telephone",
                                        "telnet",      "tftp",
                                        "tip",         "tn3270",
                                        "tv",          "urn",
                                        "uuid",        "vemmi",
                                        "videotex",    "view-source",
                                        "wais",        "whodp",
                                        "whois++",     "x-man-page",
                                        "xmlrpc.beep", "xmlrpc.beeps",
                                        "z39.50r",     "z39.50s"};

static bool S_known_scheme(const char *s, size_t len) {
  char low[32];
  if (len >= sizeof low)
    return false;
  for (size_t i = 0; i < len; i++)
    low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
  low[len] = '\0';
  for (size_t i = 0; i < sizeof S_schemes / sizeof *S_schemes; i++)
    if (strcmp(low, S_schemes[i]) == 0)
      return true;
  return false;
}

static bool S_ascii_alnum(char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z');
}

static bool S_uric(char ch) {
  return ch == '\0' || S_ascii_alnum(ch) ||
         (ch && strchr("-_.!~*'()[];/:@&=+$,%", ch));
}

static bool S_urilast(char ch) {
  return S_ascii_alnum(ch) || (ch && strchr("_~*/=+", ch));
}

static bool S_emailc(char ch) {
  return ch == '\0' || S_ascii_alnum(ch) ||
         (ch && strchr("-_!~*'{|}/#?^`&=+$%", ch));
}

/* The characters of a URI scheme or an e-mail name: alphanumerics,
 * S_emailc's and '.'. */
static const bool S_runc[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1,  ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1,  ['9'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1,  ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1,  ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1,  ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1,  ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1,  ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1,  ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1,  ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1,  ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1, ['\0'] = 1, ['-'] = 1, ['_'] = 1, ['!'] = 1,
    ['~'] = 1, ['*'] = 1, ['\''] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1,
    ['/'] = 1, ['#'] = 1, ['?'] = 1,  ['^'] = 1, ['`'] = 1, ['&'] = 1,
    ['='] = 1, ['+'] = 1, ['$'] = 1,  ['%'] = 1, ['.'] = 1};

/* Can a URI part starting at `from` end at `e` (exclusive)? The last
 * character is a `urilast`, or any URI character followed by '>'. */
static bool S_uri_end_ok(const S_ctx *c, size_t e, size_t hi) {
  char last = c->s[e - 1];
  return S_urilast(last) || (S_uric(last) && e < hi && c->s[e] == '>');
}

static size_t S_uric_run(const S_ctx *c, size_t pos, size_t hi) {
  while (pos < hi && S_uric(c->s[pos]))
    pos++;
  return pos;
}

/* One optional part ("?query" or "#fragment", `mark` its first char) at
 * pos, then `rest` parts; returns the end of the whole match or S_NONE.
 * Only the longest candidate can be followed by another part (the part
 * characters exclude '?' and '#'), so this stays linear. */
static size_t S_uri_parts(const S_ctx *c, size_t pos, size_t hi,
                          const char *marks) {
  /* With the part present (longest first), then without. */
  if (*marks && pos < hi && c->s[pos] == *marks) {
    size_t run = S_uric_run(c, pos + 1, hi);
    for (size_t e = run; e > pos + 1; e--) {
      if (!S_uri_end_ok(c, e, hi))
        continue;
      size_t r = e == run ? S_uri_parts(c, e, hi, marks + 1)
                          : (S_suffix_ok(c, e, hi) ? e : S_NONE);
      if (r != S_NONE)
        return r;
    }
  }
  if (*marks)
    return S_uri_parts(c, pos, hi, marks + 1);
  return S_suffix_ok(c, pos, hi) ? pos : S_NONE;
}

static void S_uri_cache_reset(S_ctx *c, size_t hi) {
  c->uri_hi = hi;
  c->run_lo = c->run_end = c->name_lo = c->name_end = 0;
  c->colon = c->at = S_NONE;
}

/* Absolute URI at pos: scheme ":" body; returns the end or S_NONE and the
 * scheme length. Starts inside an earlier scheme run, and bodies after an
 * already tried ':', reuse the earlier scan. */
static size_t S_match_absolute(S_ctx *c, size_t pos, size_t hi,
                               size_t *scheme_len) {
  const char *s = c->s;
  if (c->uri_hi != hi)
    S_uri_cache_reset(c, hi);
  if (!((s[pos] >= 'a' && s[pos] <= 'z') || (s[pos] >= 'A' && s[pos] <= 'Z')))
    return S_NONE;
  size_t k = pos + 1;
  if (pos > c->run_lo && pos < c->run_end) {
    k = c->run_end;
  } else {
    while (k < hi &&
           (S_ascii_alnum(s[k]) || s[k] == '.' || s[k] == '+' || s[k] == '-'))
      k++;
    c->run_lo = pos, c->run_end = k;
  }
  /* The scheme may backtrack, but ':' cannot be a scheme character, so
   * only the longest run can be followed by it. */
  if (k >= hi || s[k] != ':')
    return S_NONE;
  *scheme_len = k - pos;
  if (c->colon == k)
    return c->colon_res;
  c->colon = k;
  c->colon_res = S_NONE;
  size_t body = k + 1;
  size_t run = S_uric_run(c, body, hi);
  for (size_t e = run; e > body; e--) {
    if (!S_uri_end_ok(c, e, hi))
      continue;
    size_t r = e == run ? S_uri_parts(c, e, hi, "?#")
                        : (S_suffix_ok(c, e, hi) ? e : S_NONE);
    if (r != S_NONE)
      return c->colon_res = r;
  }
  return S_NONE;
}

static size_t S_match_email(S_ctx *c, size_t pos, size_t hi) {
  const char *s = c->s;
  if (c->uri_hi != hi)
    S_uri_cache_reset(c, hi);
  size_t k = pos;
  if (pos > c->name_lo && pos < c->name_end && S_emailc(s[pos])) {
    k = c->name_end;
  } else {
    for (;;) { /* emailc+ ( "." emailc+ )* */
      size_t start = k;
      while (k < hi && S_emailc(s[k]))
        k++;
      if (k == start)
        return S_NONE;
      if (k + 1 < hi && s[k] == '.' && S_emailc(s[k + 1]))
        k++;
      else
        break;
    }
    c->name_lo = pos, c->name_end = k;
  }
  if (k >= hi || s[k] != '@' || s[k - 1] == '\0')
    return S_NONE;
  if (c->at == k)
    return c->at_res;
  c->at = k;
  c->at_res = S_NONE;
  size_t host = k + 1;
  if (host >= hi || !S_emailc(s[host]))
    return S_NONE;
  size_t run = host + 1;
  while (run < hi && (S_emailc(s[run]) || s[run] == '.'))
    run++;
  /* host chars up to e-1, then one uri_end character. */
  size_t top = run < hi && S_uric(s[run]) ? run + 1 : run;
  for (size_t e = top; e >= host + 2; e--) {
    if (S_uri_end_ok(c, e, hi) && S_suffix_ok(c, e, hi))
      return c->at_res = e;
  }
  return S_NONE;
}

/* Standalone URIs and e-mail addresses in s[lo, hi), which Docutils sees
 * as a text of its own. A URI with an unknown scheme makes Docutils give
 * up on the whole piece (MarkupMismatch); so do we. */
static void S_implicit(S_ctx *c, size_t lo, size_t hi) {
  if (hi <= lo)
    return;
  const char *s = c->s;
  bool maybe = memchr(s + lo, ':', hi - lo) || memchr(s + lo, '@', hi - lo);
  S_uri_cache_reset(c, hi);
  size_t pos = lo, seg = lo;
  while (maybe && pos < hi) {
    size_t found = S_NONE, end = S_NONE, scheme_len = 0;
    size_t rend = pos; /* end of the run of S_runc characters at q */
    for (size_t q = pos; q < hi; q++) {
      if (q >= rend) {
        /* A scheme ends at ':' and an e-mail name at '@', neither a
         * run character, and both are made of run characters: a match
         * can only start in a run that ends at one of them. */
        if (!S_runc[(unsigned char)s[q]])
          continue;
        rend = q + 1;
        while (rend < hi && S_runc[(unsigned char)s[rend]])
          rend++;
        if (rend >= hi || (s[rend] != ':' && s[rend] != '@')) {
          q = rend;
          continue;
        }
      }
      if (!(S_ascii_alnum(s[q]) || S_emailc(s[q])))
        continue;
      if (!S_prefix_ok(c, q, seg))
        continue;
      scheme_len = 0;
      end = S_match_absolute(c, q, hi, &scheme_len);
      if (end == S_NONE) {
        scheme_len = 0;
        end = S_match_email(c, q, hi);
      }
      if (end != S_NONE) {
        found = q;
        break;
      }
    }
    if (found == S_NONE)
      break;
    if (scheme_len && !S_known_scheme(s + found, scheme_len)) {
      S_add_text(c, c->parent, seg, hi);
      return;
    }
    S_add_text(c, c->parent, seg, found);
    ss_buf uri = SS_BUF_INIT;
    if (!scheme_len)
      ss_buf_puts(&uri, "mailto:");
    S_unnul(s + found, end - found, &uri);
    ss_node *ref = S_element(c, SS_REFERENCE, found, end, found);
    ss_node_attr_set(ref, "refuri", uri.data);
    ss_buf_free(&uri);
    ss_node_append(c->parent, ref);
    pos = seg = end;
  }
  S_add_text(c, c->parent, seg, hi);
}

/* --- end-strings ----------------------------------------------------- */

static bool S_nonws_nul_before(const S_ctx *c, size_t q, size_t lo) {
  if (q <= lo)
    return true;
  int32_t cp = S_cp_before(c, q);
  return cp != 0 && !ss_uc_is_space(cp);
}

/* Does the interpreted-text end pattern match at q (a backquote)? */
static bool S_interp_end_at(S_ctx *c, size_t q, size_t lo, S_interp_end *out) {
  const char *s = c->s;
  if (s[q] != '`')
    return false;
  /* (?<!(?<!\x00)[\s\x00]): whitespace or NUL before, unless escaped. */
  if (q > lo) {
    int32_t cp = S_cp_before(c, q);
    if (cp == 0 || ss_uc_is_space(cp)) {
      size_t k = q - ss_utf8_decode_back(s, q, &cp);
      if (!(k > lo && s[k - 1] == '\0'))
        return false;
    }
  }
  size_t after = q + 1;
  size_t role_end = S_NONE;
  if (after < c->n && s[after] == ':') {
    size_t e = S_simplename(c, after + 1);
    if (e > after + 1 && e < c->n && s[e] == ':')
      role_end = e + 1;
  }
  /* Greedy first: role then underscores, backing off one at a time. */
  size_t starts[2] = {role_end, after};
  for (int r = 0; r < 2; r++) {
    size_t b = starts[r];
    if (b == S_NONE)
      continue;
    size_t k = 0;
    while (k < 2 && b + k < c->n && s[b + k] == '_')
      k++;
    for (size_t u = k + 1; u-- > 0;) {
      if (S_suffix_ok(c, b + u, c->n)) {
        out->role = r == 0 ? after + 1 : 0;
        out->role_len = r == 0 ? role_end - after - 2 : 0;
        out->refend = u;
        out->len = b + u - q;
        return true;
      }
    }
  }
  return false;
}

/* Length of the end-string of `kind` at q, or 0. Lookbehind does not
 * see before `lo` (Docutils searches a slice). */
static size_t S_end_at(S_ctx *c, S_end_kind kind, size_t q, size_t lo,
                       S_interp_end *ie) {
  const char *s = c->s;
  size_t n = c->n;
  switch (kind) {
  case S_END_EMPHASIS:
    return s[q] == '*' && S_nonws_nul_before(c, q, lo) &&
                   S_suffix_ok(c, q + 1, n)
               ? 1
               : 0;
  case S_END_STRONG:
    return q + 1 < n && s[q] == '*' && s[q + 1] == '*' &&
                   S_nonws_nul_before(c, q, lo) && S_suffix_ok(c, q + 2, n)
               ? 2
               : 0;
  case S_END_LITERAL:
    if (!(q + 1 < n && s[q] == '`' && s[q + 1] == '`'))
      return 0;
    if (q > lo && ss_uc_is_space(S_cp_before(c, q)))
      return 0;
    return S_suffix_ok(c, q + 2, n) ? 2 : 0;
  case S_END_TARGET:
    return s[q] == '`' && S_nonws_nul_before(c, q, lo) &&
                   S_suffix_ok(c, q + 1, n)
               ? 1
               : 0;
  case S_END_SUBST: {
    if (s[q] != '|' || !S_nonws_nul_before(c, q, lo))
      return 0;
    size_t k = 0;
    while (k < 2 && q + 1 + k < n && s[q + 1 + k] == '_')
      k++;
    return S_suffix_ok(c, q + 1 + k, n) ? 1 + k : 0;
  }
  case S_END_INTERP: {
    S_interp_end tmp;
    if (!ie)
      ie = &tmp;
    return S_interp_end_at(c, q, lo, ie) ? ie->len : 0;
  }
  default:
    return 0;
  }
}

static const char S_end_char[S_END_COUNT] = {'*', '*', '`', '`', '|', '`'};

/* Docutils' end_pattern.search(text[from:]): the first match, which must
 * not be at `from` itself (the construct would be empty). Returns its
 * position or S_NONE. */
static size_t S_find_end(S_ctx *c, S_end_kind kind, size_t from) {
  if (from < c->n && S_end_at(c, kind, from, from, NULL))
    return S_NONE;
  S_end_cache *ec = &c->ends[kind];
  if (ec->valid && ec->from <= from && (ec->at == S_NONE || ec->at > from + 1))
    return ec->at;
  size_t found = S_NONE;
  size_t q = from + 1;
  while (q < c->n) {
    const char *hit = memchr(c->s + q, S_end_char[kind], c->n - q);
    if (!hit)
      break;
    q = (size_t)(hit - c->s);
    if (S_end_at(c, kind, q, from, NULL)) {
      found = q;
      break;
    }
    q++;
  }
  ec->valid = true;
  ec->from = from;
  ec->at = found;
  return found;
}

/* --- constructs ------------------------------------------------------ */

typedef enum {
  S_M_NONE,
  S_M_STRONG,
  S_M_EMPHASIS,
  S_M_LITERAL,
  S_M_TARGET,
  S_M_SUBST,
  S_M_BACKQUOTE,
  S_M_REF,
  S_M_FOOTNOTE
} S_mkind;

typedef struct {
  S_mkind kind;
  size_t start, end;       /* the start-string (or whole construct) */
  size_t role, role_len;   /* prefix role name */
  size_t bq;               /* position of the backquote */
  size_t label, label_len; /* footnote label; or reference name */
  int anon;
} S_match;

/* Is the start-string "quoted" (between matching punctuation)? */
static bool S_quoted(const S_ctx *c, size_t start, size_t end) {
  if (start <= c->seg)
    return false;
  if (end >= c->n)
    return true;
  return ss_uc_is_quote_pair(S_cp_before(c, start), S_cp_at(c, end));
}

static bool S_footnote_at(S_ctx *c, size_t p, S_match *m) {
  const char *s = c->s;
  size_t lb = p + 1, le;
  if (lb >= c->n)
    return false;
  if (s[lb] == '*')
    le = lb + 1;
  else if (s[lb] == '#')
    le = S_simplename(c, lb + 1);
  else
    le = S_simplename(c, lb); /* digits are word characters too */
  if (le == lb || le + 1 >= c->n || s[le] != ']' || s[le + 1] != '_' ||
      !S_suffix_ok(c, le + 2, c->n))
    return false;
  m->kind = S_M_FOOTNOTE;
  m->start = p;
  m->end = le + 2;
  m->label = lb;
  m->label_len = le - lb;
  return true;
}

/* Tries Docutils' initial pattern at p (the prefix already checked). */
static bool S_start_at(S_ctx *c, size_t p, S_match *m) {
  const char *s = c->s;
  size_t n = c->n;
  char ch = s[p];
  char next = p + 1 < n ? s[p + 1] : '\0';
  bool has_next = p + 1 < n;
  memset(m, 0, sizeof *m);
  m->start = p;
  switch (ch) {
  case '*':
    if (has_next && next == '*' && S_nonws_after(c, p + 2)) {
      m->kind = S_M_STRONG, m->end = p + 2;
      return true;
    }
    if (!(has_next && next == '*') && S_nonws_after(c, p + 1)) {
      m->kind = S_M_EMPHASIS, m->end = p + 1;
      return true;
    }
    return false;
  case '`':
    if (has_next && next == '`' && S_nonws_after(c, p + 2)) {
      m->kind = S_M_LITERAL, m->end = p + 2;
      return true;
    }
    if (!(has_next && next == '`') && S_nonws_after(c, p + 1)) {
      m->kind = S_M_BACKQUOTE, m->end = p + 1, m->bq = p;
      return true;
    }
    return false;
  case '_':
    if (has_next && next == '`' && S_nonws_after(c, p + 2)) {
      m->kind = S_M_TARGET, m->end = p + 2;
      return true;
    }
    return false;
  case '|':
    if (!(has_next && next == '|') && S_nonws_after(c, p + 1)) {
      m->kind = S_M_SUBST, m->end = p + 1;
      return true;
    }
    return false;
  case '[':
    return S_footnote_at(c, p, m);
  case ':': {
    size_t e = S_simplename(c, p + 1);
    if (e > p + 1 && e + 1 < n && s[e] == ':' && s[e + 1] == '`' &&
        !(e + 2 < n && s[e + 2] == '`') && S_nonws_after(c, e + 2)) {
      m->kind = S_M_BACKQUOTE, m->end = e + 2, m->bq = e + 1;
      m->role = p + 1, m->role_len = e - p - 1;
      return true;
    }
    return false;
  }
  default:
    break;
  }
  /* A reference name ends at an '_': none ahead, no reference. */
  if (p < c->us_from || (c->us_next != S_NONE && c->us_next < p)) {
    const char *us = memchr(s + p, '_', n - p);
    c->us_from = p;
    c->us_next = us ? (size_t)(us - s) : S_NONE;
  }
  if (c->us_next == S_NONE)
    return false;
  size_t e = S_simplename(c, p);
  if (e == p || e >= n || s[e] != '_')
    return false;
  if (e + 1 < n && s[e + 1] == '_' && S_suffix_ok(c, e + 2, n)) {
    m->kind = S_M_REF, m->end = e + 2, m->anon = 1;
  } else if (S_suffix_ok(c, e + 1, n)) {
    m->kind = S_M_REF, m->end = e + 1;
  } else {
    return false;
  }
  m->label = p, m->label_len = e - p;
  return true;
}

/* Bytes that may begin a start-string: markup characters (S_CLS_MARK;
 * non-ASCII lead bytes too, tested apart), ASCII alphanumerics
 * (S_CLS_ALNUM: a name). */
enum { S_CLS_MARK = 1, S_CLS_ALNUM = 2 };
#define S_A2(a, b) [a] = S_CLS_ALNUM, [b] = S_CLS_ALNUM
static const unsigned char S_start_class[256] = {
    ['*'] = S_CLS_MARK, ['`'] = S_CLS_MARK, ['_'] = S_CLS_MARK,
    ['|'] = S_CLS_MARK, ['['] = S_CLS_MARK, [':'] = S_CLS_MARK,
    S_A2('0', '1'),     S_A2('2', '3'),     S_A2('4', '5'),
    S_A2('6', '7'),     S_A2('8', '9'),     S_A2('a', 'b'),
    S_A2('c', 'd'),     S_A2('e', 'f'),     S_A2('g', 'h'),
    S_A2('i', 'j'),     S_A2('k', 'l'),     S_A2('m', 'n'),
    S_A2('o', 'p'),     S_A2('q', 'r'),     S_A2('s', 't'),
    S_A2('u', 'v'),     S_A2('w', 'x'),     S_A2('y', 'z'),
    S_A2('A', 'B'),     S_A2('C', 'D'),     S_A2('E', 'F'),
    S_A2('G', 'H'),     S_A2('I', 'J'),     S_A2('K', 'L'),
    S_A2('M', 'N'),     S_A2('O', 'P'),     S_A2('Q', 'R'),
    S_A2('S', 'T'),     S_A2('U', 'V'),     S_A2('W', 'X'),
    S_A2('Y', 'Z')};
#undef S_A2

/* The next start-string at or after pos in the remaining text. */
static bool S_next_start(S_ctx *c, size_t pos, S_match *m) {
  const unsigned char *u = (const unsigned char *)c->s;
  size_t n = c->n;
  for (size_t p = pos; p < n; p++) {
    unsigned char cls = u[p] >= 0xC0 ? S_CLS_MARK : S_start_class[u[p]];
    if (!cls)
      continue;
    /* Inside a word the prefix rule cannot hold: skip the rest of the
     * ASCII word at once (every byte of it follows an alphanumeric). */
    if (p > c->seg && S_start_class[u[p - 1]] == S_CLS_ALNUM) {
      while (cls == S_CLS_ALNUM && p + 1 < n &&
             S_start_class[u[p + 1]] == S_CLS_ALNUM)
        p++;
      continue;
    }
    if (S_prefix_ok(c, p, c->seg) && S_start_at(c, p, m))
      return true;
    while (cls == S_CLS_ALNUM && p + 1 < n &&
           S_start_class[u[p + 1]] == S_CLS_ALNUM)
      p++;
  }
  return false;
}

/* Result of handling one match: the construct spans [from, to), nodes
 * were appended (or, when `quoted`, nothing and the text goes on). */
typedef struct {
  bool quoted;
  size_t to;
} S_done;

/* Flushes plain text up to `upto` (URIs recognised in it). */
static void S_flush(S_ctx *c, size_t *chunk, size_t upto) {
  S_implicit(c, *chunk, upto);
  *chunk = upto;
}

static S_done S_inline_obj(S_ctx *c, const S_match *m, size_t *chunk,
                           S_end_kind ek, const char *what) {
  S_done d = {false, m->end};
  if (S_quoted(c, m->start, m->end)) {
    d.quoted = true;
    return d;
  }
  size_t q = S_find_end(c, ek, m->end);
  S_flush(c, chunk, m->start);
  if (q == S_NONE) {
    char msg[96];
    snprintf(msg, sizeof msg, "Inline %s start-string without end-string.",
             what);
    S_problem_span(c, SS_LEVEL_WARNING, m->start, m->end, msg);
    return d;
  }
  size_t len = S_end_at(c, ek, q, m->end, NULL);
  d.to = q + len;
  ss_node *node = NULL;
  switch (ek) {
  case S_END_EMPHASIS:
    node = S_element(c, SS_EMPHASIS, m->end, q, m->start);
    break;
  case S_END_STRONG:
    node = S_element(c, SS_STRONG, m->end, q, m->start);
    break;
  case S_END_LITERAL: {
    node = ss_node_new(SS_LITERAL, 0);
    ss_buf t = SS_BUF_INIT;
    S_restore(c->s + m->end, q - m->end, &t);
    ss_node_append_text(node, t.data, t.len, S_line_of(c, m->start));
    ss_buf_free(&t);
    break;
  }
  case S_END_TARGET: {
    node = S_element(c, SS_TARGET, m->end, q, m->start);
    ss_buf t = SS_BUF_INIT, name = SS_BUF_INIT;
    ss_node_text_content(node, &t);
    rst_normalize_name(t.data ? t.data : "", t.len, &name);
    ss_node_attr_add(node, "names", name.data);
    ss_buf_free(&t);
    ss_buf_free(&name);
    break;
  }
  case S_END_SUBST: {
    node = S_element(c, SS_SUBSTITUTION_REFERENCE, m->end, q, m->start);
    ss_buf t = SS_BUF_INIT, name = SS_BUF_INIT;
    ss_node_text_content(node, &t);
    S_ws_normalize(t.data ? t.data : "", t.len, false, &name);
    ss_node_attr_set(node, "refname", name.data);
    if (len > 1) { /* |name|_ or |name|__: a reference around it */
      ss_node *ref = ss_node_new(SS_REFERENCE, 0);
      if (len == 3) {
        ss_node_attr_set(ref, "anonymous", "1");
      } else {
        ss_buf_clear(&name);
        rst_normalize_name(t.data ? t.data : "", t.len, &name);
        ss_node_attr_set(ref, "refname", name.data);
      }
      ss_node_append(ref, node);
      node = ref;
    }
    ss_buf_free(&t);
    ss_buf_free(&name);
    break;
  }
  default:
    break;
  }
  if (node)
    ss_node_append(c->parent, node);
  return d;
}

static void S_reference(S_ctx *c, const S_match *m) {
  ss_node *ref =
      S_element(c, SS_REFERENCE, m->label, m->label + m->label_len, m->start);
  ss_buf name = SS_BUF_INIT;
  S_ws_normalize(c->s + m->label, m->label_len, false, &name);
  ss_node_attr_set(ref, "name", name.data);
  if (m->anon) {
    ss_node_attr_set(ref, "anonymous", "1");
  } else {
    ss_buf_clear(&name);
    rst_normalize_name(c->s + m->label, m->label_len, &name);
    ss_node_attr_set(ref, "refname", name.data);
  }
  ss_buf_free(&name);
  ss_node_append(c->parent, ref);
}

static void S_footnote(S_ctx *c, const S_match *m) {
  const char *label = c->s + m->label;
  size_t len = m->label_len;
  bool digits = true;
  for (size_t i = 0; i < len; i++)
    digits = digits && label[i] >= '0' && label[i] <= '9';
  ss_buf name = SS_BUF_INIT;
  ss_node *ref;
  int line = S_line_of(c, m->start);
  if (!digits && label[0] != '#' && !(len == 1 && label[0] == '*')) {
    ref = ss_node_new(SS_CITATION_REFERENCE, 0);
    rst_normalize_name(label, len, &name);
    ss_node_attr_set(ref, "refname", name.data);
    ss_node_append_text(ref, label, len, line);
  } else {
    ref = ss_node_new(SS_FOOTNOTE_REFERENCE, 0);
    if (label[0] == '#') {
      ss_node_attr_set(ref, "auto", "1");
      rst_normalize_name(label + 1, len - 1, &name);
    } else if (label[0] == '*') {
      ss_node_attr_set(ref, "auto", "*");
    } else {
      ss_node_append_text(ref, label, len, line);
      rst_normalize_name(label, len, &name);
    }
    if (name.len)
      ss_node_attr_set(ref, "refname", name.data);
  }
  ss_buf_free(&name);
  ss_node_append(c->parent, ref);
}

/* Does Docutils' URI pattern match at the start of text[0, len)? Used to
 * tell an embedded "<uri_>" from an alias "<name_>". */
static bool S_uri_prefix(S_ctx *c, size_t from, size_t to) {
  size_t scheme_len;
  if (from >= to)
    return false;
  S_uri_cache_reset(c, to);
  if (S_match_absolute(c, from, to, &scheme_len) != S_NONE)
    return true;
  return S_match_email(c, from, to) != S_NONE;
}

/* Whether `s` (unescaped) is an e-mail address (Docutils adds mailto:). */
static bool S_is_email(const char *s, size_t len) {
  S_ctx tmp;
  memset(&tmp, 0, sizeof tmp);
  tmp.s = s;
  tmp.n = len;
  S_uri_cache_reset(&tmp, len);
  return S_match_email(&tmp, 0, len) == len;
}

/* `text <uri>`_ and friends: Docutils' phrase_ref(). The phrase is
 * s[ts, te) (escaped); the construct is anonymous when `anon`. */
static void S_phrase_ref(S_ctx *c, size_t ts, size_t te, bool anon, size_t at) {
  const char *s = c->s;
  size_t text_end = te;
  size_t lt = S_NONE; /* the '<' of an embedded link */
  if (te - ts >= 3 && s[te - 1] == '>' &&
      !(ss_uc_is_space(S_cp_before(c, te - 1)) || s[te - 2] == '\0')) {
    for (size_t k = te - 1; k-- > ts;) {
      bool escaped = k > ts && s[k - 1] == '\0';
      if (s[k] == '>' && !escaped)
        break;
      if (s[k] == '<' && !escaped) {
        lt = k;
        break;
      }
    }
    if (lt != S_NONE) {
      if (lt + 1 >= te - 1 || S_is_ws_at(c, lt + 1)) {
        lt = S_NONE;
      } else if (lt > ts && s[lt - 1] != ' ' && s[lt - 1] != '\n') {
        lt = S_NONE;
      } else {
        text_end = lt;
        while (text_end > ts &&
               (s[text_end - 1] == ' ' || s[text_end - 1] == '\n'))
          text_end--;
      }
    }
  }

  ss_buf alias = SS_BUF_INIT, text = SS_BUF_INIT, name = SS_BUF_INIT,
         refname = SS_BUF_INIT;
  bool alias_is_name = false;
  ss_node *target = NULL;
  int line = S_line_of(c, at);
  if (lt != S_NONE) {
    size_t as = lt + 1, ae = te - 1;
    bool underscore_escaped =
        ae - as >= 2 && s[ae - 1] == '_' && s[ae - 2] == '\0';
    if (s[ae - 1] == '_' && !underscore_escaped && !S_uri_prefix(c, as, ae)) {
      alias_is_name = true;
      ss_buf un = SS_BUF_INIT;
      S_unnul(s + as, ae - 1 - as, &un);
      rst_normalize_name(un.data ? un.data : "", un.len, &alias);
      ss_buf_free(&un);
      target = ss_node_new(SS_TARGET, 0);
      ss_node_attr_set(target, "refname", alias.data);
    } else {
      /* Unescaped whitespace goes, escaped whitespace stays one space. */
      ss_buf joined = SS_BUF_INIT;
      for (size_t k = as; k < ae; k++) {
        if (s[k] == '\0' && k + 1 < ae &&
            (s[k + 1] == ' ' || s[k + 1] == '\n')) {
          ss_buf_putc(&joined, ' ');
          k++;
        } else if (!S_is_ws_at(c, k)) {
          ss_buf_putc(&joined, s[k]);
        } else {
          k += S_cp_len(c, k) - 1;
        }
      }
      ss_buf un = SS_BUF_INIT;
      S_unnul(joined.data ? joined.data : "", joined.len, &un);
      if (un.data && S_is_email(un.data, un.len))
        ss_buf_puts(&alias, "mailto:");
      ss_buf_put(&alias, un.data ? un.data : "", un.len);
      ss_buf_free(&un);
      ss_buf_free(&joined);
      target = ss_node_new(SS_TARGET, 0);
      ss_node_attr_set(target, "refuri", alias.data);
    }
    if (text_end > ts)
      S_unnul(s + ts, text_end - ts, &text);
    else
      ss_buf_put(&text, alias.data, alias.len);
  } else {
    S_unnul(s + ts, te - ts, &text);
  }
  if (!text.data)
    ss_buf_puts(&text, "");
  S_ws_normalize(text.data, text.len, false, &name);
  rst_normalize_name(text.data, text.len, &refname);

  ss_node *ref = ss_node_new(SS_REFERENCE, 0);
  ss_node_attr_set(ref, "name", name.data);
  if (text.len)
    ss_node_append_text(ref, text.data, text.len, line);
  ss_node_append(c->parent, ref);
  if (anon) {
    if (target && alias_is_name)
      ss_node_attr_set(ref, "refname", alias.data);
    else if (target)
      ss_node_attr_set(ref, "refuri", alias.data);
    else
      ss_node_attr_set(ref, "anonymous", "1");
    ss_node_free(target);
  } else if (target) {
    ss_node_attr_add(target, "names", refname.data);
    ss_node_attr_set(ref, alias_is_name ? "refname" : "refuri", alias.data);
    ss_node_append(c->parent, target);
  } else {
    ss_node_attr_set(ref, "refname", refname.data);
  }
  ss_buf_free(&alias);
  ss_buf_free(&text);
  ss_buf_free(&name);
  ss_buf_free(&refname);
}

static S_done S_backquote(S_ctx *c, const S_match *m, size_t *chunk) {
  S_done d = {false, m->end};
  size_t rolestart = m->start;
  if (!m->role_len && S_quoted(c, m->start, m->end)) {
    d.quoted = true;
    return d;
  }
  size_t q = S_find_end(c, S_END_INTERP, m->end);
  /* Without an end-string only the backquote is problematic: a prefix
   * role stays text. */
  S_flush(c, chunk, q == S_NONE ? m->bq : m->start);
  if (q == S_NONE) {
    S_problem_span(c, SS_LEVEL_WARNING, m->bq, m->end,
                   "Inline interpreted text or phrase reference "
                   "start-string without end-string.");
    d.to = m->end;
    return d;
  }
  S_interp_end ie;
  memset(&ie, 0, sizeof ie);
  S_end_at(c, S_END_INTERP, q, m->end, &ie);
  size_t textend = q + ie.len;
  d.to = textend;
  size_t role = m->role, role_len = m->role_len;
  const char *position = role_len ? "prefix" : "";
  if (ie.role_len) {
    if (role_len) {
      S_problem_span(c, SS_LEVEL_WARNING, rolestart, textend,
                     "Multiple roles in interpreted text (both prefix and "
                     "suffix present; only one allowed).");
      return d;
    }
    role = ie.role, role_len = ie.role_len;
    position = "suffix";
  }
  if (ie.refend) {
    if (role_len) {
      char msg[96];
      snprintf(msg, sizeof msg,
               "Mismatch: both interpreted text role %s and reference "
               "suffix.",
               position);
      S_problem_span(c, SS_LEVEL_WARNING, rolestart, textend, msg);
      return d;
    }
    S_phrase_ref(c, m->end, q, ie.refend == 2, m->bq);
    return d;
  }
  ss_buf raw = SS_BUF_INIT, rname = SS_BUF_INIT;
  S_restore(c->s + m->end, q - m->end, &raw);
  if (role_len)
    ss_buf_put(&rname, c->s + role, role_len);
  /* Docutils gives a role the text block's line, not the role's own. */
  if (!rst_run_role(c->p, role_len ? rname.data : NULL,
                    raw.data ? raw.data : "", raw.len, c->lineno, c->parent,
                    c->messages)) {
    const char *shown = role_len ? rname.data : "";
    ss_node *info =
        rst_report(c->p, SS_LEVEL_INFO, c->lineno, NULL,
                   "No role entry for \"%s\" in module "
                   "\"docutils.parsers.rst.languages.en\".\nTrying \"%s\" as "
                   "canonical role name.",
                   shown, shown);
    S_emit_message(c, info);
    char msg[160];
    snprintf(msg, sizeof msg, "Unknown interpreted text role \"%.100s\".",
             shown);
    S_problem_span(c, SS_LEVEL_ERROR, rolestart, textend, msg);
  }
  ss_buf_free(&raw);
  ss_buf_free(&rname);
  return d;
}

void rst_parse_inline(rst_parser *p, const char *text, size_t len, int lineno,
                      ss_node *parent, ss_node *messages) {
  if (p->opts->no_inlines) {
    ss_node_append_text(parent, text, len, lineno);
    return;
  }
  /* escape2null: "\x" becomes NUL x; the escaped character is inert. */
  ss_buf esc = SS_BUF_INIT;
  /* Without a backslash the text is its own escaped form: no copy. */
  bool escapes = len && memchr(text, '\\', len) != NULL;
  if (escapes)
    ss_buf_grow(&esc, len);
  for (size_t i = 0; escapes && i < len;) {
    const char *bs = memchr(text + i, '\\', len - i);
    size_t run = bs ? (size_t)(bs - text) : len;
    ss_buf_put(&esc, text + i, run - i);
    if (!bs)
      break;
    ss_buf_putc(&esc, '\0');
    if (run + 1 < len)
      ss_buf_putc(&esc, text[run + 1]);
    i = run + 2;
  }
  S_ctx c;
  memset(&c, 0, sizeof c);
  c.p = p;
  c.s = escapes ? esc.data : text ? text : "";
  c.n = escapes ? esc.len : len;
  c.lineno = lineno;
  c.line_at = lineno;
  c.parent = parent;
  c.messages = messages;
  c.sn_end = 0;
  c.us_from = S_NONE; /* nothing searched yet */

  size_t chunk = 0, pos = 0;
  S_match m;
  while (pos < c.n && S_next_start(&c, pos, &m)) {
    S_done d = {false, m.end};
    switch (m.kind) {
    case S_M_STRONG:
      d = S_inline_obj(&c, &m, &chunk, S_END_STRONG, "strong");
      break;
    case S_M_EMPHASIS:
      d = S_inline_obj(&c, &m, &chunk, S_END_EMPHASIS, "emphasis");
      break;
    case S_M_LITERAL:
      d = S_inline_obj(&c, &m, &chunk, S_END_LITERAL, "literal");
      break;
    case S_M_TARGET:
      d = S_inline_obj(&c, &m, &chunk, S_END_TARGET, "target");
      break;
    case S_M_SUBST:
      d = S_inline_obj(&c, &m, &chunk, S_END_SUBST, "substitution_reference");
      break;
    case S_M_BACKQUOTE:
      d = S_backquote(&c, &m, &chunk);
      break;
    case S_M_REF:
      S_flush(&c, &chunk, m.start);
      S_reference(&c, &m);
      break;
    case S_M_FOOTNOTE:
      S_flush(&c, &chunk, m.start);
      S_footnote(&c, &m);
      break;
    default:
      break;
    }
    if (!d.quoted)
      chunk = d.to;
    pos = c.seg = d.to;
  }
  S_implicit(&c, chunk, c.n);
  ss_buf_free(&esc);
}
