/* parser.h — what the parts of the reStructuredText reader share
 * (internal; the reader's contract with the rest of specsite is rst.h).
 *
 *   blocks.c      line-level state machine: sections, lists, blocks, ...
 *   inlines.c     inline markup inside one text block
 *   tables.c      grid and simple tables
 *   directives.c  directive dispatch and the body directives
 *   roles.c       interpreted-text roles
 *
 * Input arrives as an array of lines (tabs already expanded, line ends
 * removed, UTF-8 repaired). A nested block — a list item's body, a block
 * quote, a directive's content — is parsed from a new array of line views
 * into the same text with the common indentation cut off.
 */
#ifndef SS_RST_PARSER_H
#define SS_RST_PARSER_H

#include "../tree/tree.h"
#include "../util/diag.h"
#include "rst.h"

/* Deeper nesting than this (lists in block quotes in lists ...) is
 * reported and the rest kept as a literal block, so that no input can
 * exhaust the stack. */
#define RST_MAX_DEPTH 64

/* The lines nodes carry are the ones Docutils' parser leaves them, which
 * is where Sphinx reports a problem about them (get_source_line: the
 * node's own line, else its nearest ancestor's). Most come from the
 * source line a construct starts at; many are wherever Docutils' state
 * machine stood when the node was appended to the tree (the setup_child
 * of nodes.py takes document.current_line), and right after a nested
 * parse that stands past the end of the nested input: the node then has
 * a source but no line, and get_source_line stops at it. Inline nodes,
 * and everything built before being attached, have neither (0), so they
 * report at their ancestor's line.
 *
 *   > 0            the node's own line
 *   0              none: the nearest ancestor's counts
 *   RST_NO_LINE    a source but no line (a problem there has no line)
 *   RST_ATTACH_LINE  a directive's result that takes the line the state
 *                  machine stands at when it is appended (set by
 *                  rst_directive_block once the directive has run) */
#define RST_NO_LINE (-1)
#define RST_ATTACH_LINE (-2)

typedef struct rst_line {
  const char *text; /* not NUL-terminated; no line end */
  int len;
  int lineno; /* 1-based line in the source file */
} rst_line;

typedef struct rst_title_style {
  char over;  /* overline character, 0 when none */
  char under; /* underline character */
} rst_title_style;

/* A role the `role` directive defined: a builtin base (NULL: Docutils'
 * generic custom role, an inline) with classes and, for `code`, a
 * language. A base that was itself defined so is resolved when the
 * role is defined, as Docutils keeps the role object, not its name. */
typedef struct rst_custom_role {
  char *name;     /* lower-cased */
  char *base;     /* a builtin role's name, or NULL */
  char *classes;  /* space-separated, already made identifiers */
  char *language; /* NULL when not given */
} rst_custom_role;

typedef struct rst_serial {
  char *category;
  int next;
} rst_serial;

typedef struct rst_parser {
  const ss_rst_options *opts;
  ss_node *document;
  rst_title_style styles[32]; /* section levels in order of first use */
  int nstyles;
  int depth; /* current nesting of rst_parse_body calls */
  int include_depth;
  /* The includes run in the document so far (a file including ten
   * others, each including ten, eight levels down, asks for 10^8) and
   * the bytes its directives read from files; whether the first bound
   * was reached. */
  size_t includes, read_bytes;
  bool includes_refused;
  ss_buf *owned_texts; /* texts of included files, freed with the parser */
  int nowned;
  ss_node *section_cur; /* the section (or document) titles nest under */
  /* Where the directive being run sits: its container and whether
   * section titles are allowed there (include needs both). */
  ss_node *directive_container;
  bool directive_sections;
  bool directive_attached;        /* and whether it is in the document (what it
                                     returns then takes the state machine's line) */
  const char *default_role;       /* NULL: title_reference */
  const char *highlight_language; /* set by `highlight`; NULL = default */
  /* Sphinx's env.new_serialno, per category ("index", "term", ...), and
   * the ids its directives gave while reading (of document.ids, the
   * ones the reader knows; rst_sphinx_id). */
  rst_serial *serials;
  int nserials;
  /* a set (open addressing, half full at most): a glossary of 10,000
   * terms looked each new id up in all the earlier ones */
  char **ids;
  size_t ids_cap, ids_count;
  /* Sphinx's ref_context of the Python domain: the module and class
   * objects are described in (NULL: none), which its roles record. */
  char *py_module;
  char *py_class;
  char **py_classes; /* the classes described around, innermost last */
  int npy_classes;
  rst_custom_role *roles; /* defined by `role`, latest last */
  int nroles;
  int body_parses; /* rst_parse_body calls so far: Docutils' nested
                       parses, after which its state machine stands past
                       the end of their input */
  int parse_end;   /* the line what is appended right after the last
                      rst_parse_body gets: RST_NO_LINE, or 0 when that
                      body ended with a list or explicit markup reaching
                      its end (Docutils then runs a nested state machine
                      on nothing, which leaves neither source nor line) */
  int tab_width;   /* of rst_split_lines: 0 = Docutils' default, 8; below
                      0, tabs are dropped (Python's expandtabs(0)) */
} rst_parser;

/* Parses body elements of lines[0..n) into `parent`. Section titles are
 * allowed only when `parent` is the document or a section (the reader
 * then manages the section nesting); elsewhere they are an error, as in
 * Docutils. */
void rst_parse_body(rst_parser *p, const rst_line *lines, int n,
                    ss_node *parent);

/* Parses inline markup in text[0..len) (lines joined with '\n', the
 * first line being `lineno`) and appends the resulting text and inline
 * nodes to `parent`. Problems become system_message nodes, which are
 * returned appended to `messages` (a node whose children the caller
 * places after the enclosing block, as Docutils does) when it is not
 * NULL, else appended to the document. */
void rst_parse_inline(rst_parser *p, const char *text, size_t len, int lineno,
                      ss_node *parent, ss_node *messages);

/* Reports a problem: prints it through opts->diag and returns a new
 * system_message node (level, line, type, source attributes and one
 * paragraph with the message) that the caller must place in the tree
 * (or free). `literal`, when not NULL, is added as a literal_block, as
 * Docutils shows the offending source. */
ss_node *rst_report(rst_parser *p, ss_level level, int lineno,
                    const char *literal, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Docutils' nest_line_block_lines (blocks.c): the lines of a line
 * block, each with its indentation, appended to `block`, runs of lines
 * indented more than the least in nested line_blocks; those nested in
 * `block` itself get `line` (0: none, as in a block built before it is
 * attached), deeper ones none. */
typedef struct rst_lbline {
  ss_node *node;
  int indent;
} rst_lbline;
void rst_nest_line_block(ss_node *block, const rst_lbline *items, int n,
                         int line);

/* Reports a problem Sphinx logs without a node (logger.warning with
 * location=(source, line)): printed through opts->diag only, at the
 * place Sphinx 5.3 names for such a location, the source path with
 * ".rst" added. */
void rst_warn(rst_parser *p, int lineno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Python's repr() of a str, as messages and Sphinx's attributes show
 * values: quoted with ' (or " when only ' occurs), backslashes, line
 * ends, controls and other unprintable characters escaped. Appends. */
void rst_py_repr(const char *s, size_t len, ss_buf *out);
/* Python's int() of a str (surrounding whitespace, a sign, digits with
 * single underscores between them); false when it raises. Saturates
 * where Python's would grow. */
bool rst_py_int(const char *s, size_t len, long long *v);

/* Tables (tables.c). The lines are the whole table, borders included.
 * Return a `table` node, or NULL after appending an error to `parent`'s
 * messages when the table is malformed. Cells are parsed as bodies with
 * rst_parse_body. */
ss_node *rst_parse_grid_table(rst_parser *p, const rst_line *lines, int n,
                              ss_node *messages);
ss_node *rst_parse_simple_table(rst_parser *p, const rst_line *lines, int n,
                                ss_node *messages);
/* The block parser's entry to tables: lines[0] is the table's top border
 * and lines[0..n) all that follows it in the block being parsed. Takes
 * the lines Docutils' table isolation takes (stopping where the left
 * edge or the border ends, with its quirks), appends the table or the
 * "Malformed table." error, then any other messages ("Unexpected
 * indentation.", "Blank line required after table.") to `parent`, and
 * returns the number of lines used (>= 1 when n >= 1). */
int rst_read_grid_table(rst_parser *p, const rst_line *lines, int n,
                        ss_node *parent);
int rst_read_simple_table(rst_parser *p, const rst_line *lines, int n,
                          ss_node *parent);

/* A directive as the block parser found it (directives.c). */
typedef struct rst_directive {
  const char *name;      /* lower-cased directive name */
  int lineno;            /* line of the ".. name::" marker */
  const rst_line *block; /* the whole directive, marker line included */
  int nblock;
  const char *args;     /* arguments text (joined lines), may be empty */
  const char *args_raw; /* the same with the line breaks kept, as Docutils
                           keeps them in a final argument */
  /* Options: parallel arrays, values may be empty strings. */
  char **option_names;
  char **option_values;
  int noptions;
  const rst_line *content; /* content lines (dedented), may be 0 lines */
  int ncontent;
  int content_lineno;
  bool substitution; /* the directive of a substitution definition */
} rst_directive;

/* Runs the directive `name` (lower-cased) whose block is lines[0..n):
 * lines[0] from column first_col is the text after "::", the other lines
 * are its indented block, dedented. Splits the block into arguments,
 * options and content by the directive's specification and appends the
 * result to `parent`. `substitution`: inside a substitution definition.
 * Unknown directives produce Docutils' error with the source kept
 * visible in the message. */
void rst_directive_block(rst_parser *p, const char *name, const rst_line *lines,
                         int n, int first_col, int lineno, ss_node *parent,
                         bool substitution);

/* Splits text into repaired, tab-expanded, right-stripped lines (views
 * into *storage, which the caller frees). Reports invalid UTF-8 and NULs.
 * Returns the number of lines; *lines is heap-allocated. */
int rst_split_lines(rst_parser *p, const char *text, size_t len,
                    ss_buf *storage, rst_line **lines);

/* The byte length of the character at s[0..len) when it is whitespace
 * to Python (str.isspace: what Docutils' strip, lstrip and split take
 * away, U+00A0, U+2000-U+200A, U+3000, ... besides ASCII), else 0. */
int rst_space_len(const char *s, size_t len);

/* Sphinx's explicit title, "title <target>" (ReferenceRole's pattern:
 * the first "<" not escaped, the text ending in ">"), on a role's raw
 * text: true with both parts unescaped; otherwise false, and both are
 * the whole text unescaped (roles.c). */
bool rst_role_split_title(const char *raw, size_t rawlen, ss_buf *title,
                          ss_buf *target);

/* Sphinx's ids (ids.c). _make_id: Docutils' make_id with case, "."
 * and "_" kept ("term-Foo-Bar"); appends. */
void rst_make_id(const char *s, ss_buf *out);
/* env.new_serialno(category): 0, 1, ... per document. */
int rst_serialno(rst_parser *p, const char *category);
/* make_id(env, document, prefix, term): "prefix-term" made an id, else
 * (nothing of the term left, or the id taken) "prefix-N" ("idN" without
 * a prefix); noted as taken, appended. */
void rst_sphinx_id(rst_parser *p, const char *prefix, const char *term,
                   ss_buf *out);
/* Whether the reader gave `id` already; noting one it gives. */
bool rst_id_taken(const rst_parser *p, const char *id);
void rst_note_id(rst_parser *p, const char *id);
/* Frees the serial numbers and ids. */
void rst_free_ids(rst_parser *p);

/* Sphinx's index nodes (index.c). A new `index` node without entries
 * (its `entries` attribute empty, as Sphinx writes an empty list). */
ss_node *rst_index_new(int line);
/* Appends one entry (type, value, target id, main, key; key NULL for
 * None) to an index node's entries, as Sphinx's xml builder writes
 * them. */
void rst_index_add(ss_node *index, const char *type, const char *value,
                   const char *target, const char *main, const char *key);
/* The document's next "index-N" id (Sphinx's new_serialno('index')),
 * appended. */
void rst_index_id(rst_parser *p, ss_buf *out);
/* The :index: role (Sphinx's IndexRole): index, target and the text. */
void rst_index_role(rst_parser *p, const char *raw, size_t rawlen, int lineno,
                    ss_node *parent);

/* sphinxcontrib.httpdomain's :http:statuscode:, :http:method: and
 * :http:header: on their text (httpdomain.c): the node they make, a
 * reference, emphasis, or problematic after an error reported at
 * `line` and put in `messages`. */
ss_node *rst_http_role(rst_parser *p, const char *type, const char *text,
                       int line, ss_node *messages);

/* Interpreted text with an explicit or default role (roles.c). `role` is
 * NULL for the default role. `raw` is the text between the backquotes
 * with backslash escapes still in place. Appends to parent; returns false
 * when the role is unknown (the caller then reports it). */
bool rst_run_role(rst_parser *p, const char *role, const char *raw,
                  size_t rawlen, int lineno, ss_node *parent,
                  ss_node *messages);

/* What a role accepts as options in a `role` directive that bases a
 * new role on it: RST_ROLE_UNKNOWN when there is no such role, else a
 * set of RST_ROLE_CLASS, RST_ROLE_LANGUAGE (0: none, so any option
 * line is content, which no role takes). NULL: the generic custom
 * role. */
enum { RST_ROLE_UNKNOWN = -1, RST_ROLE_CLASS = 1, RST_ROLE_LANGUAGE = 2 };
int rst_role_options(const rst_parser *p, const char *base);
/* Defines (or redefines) role `name` on `base` (NULL: generic), with
 * `classes` (space-separated identifiers) and `language` (may be
 * NULL). */
void rst_define_role(rst_parser *p, const char *name, const char *base,
                     const char *classes, const char *language);
/* Frees the roles the document defined. */
void rst_free_roles(rst_parser *p);

/* Reference-name normalisation (whitespace collapsed, lower-cased), as
 * `refname` and `names` attributes carry it. Appends to out. */
void rst_normalize_name(const char *s, size_t len, ss_buf *out);
/* The same without lower-casing (Docutils' whitespace_normalize_name),
 * as `name` attributes carry it. */
void rst_ws_normalize_name(const char *s, size_t len, ss_buf *out);

/* Docutils' parse_target on a target's block (lines joined with '\n'),
 * or an image's :target: value: when it is a reference ("name_",
 * "`a phrase`_") sets `name` (unescaped, not normalised) and returns
 * true; otherwise appends the URI it holds to `uri` (whitespace removed
 * except where escaped, backslash escapes resolved) and returns
 * false. */
bool rst_parse_target(const char *text, size_t len, ss_buf *name, ss_buf *uri);

/* Removes backslash escapes (a backslash followed by whitespace vanishes
 * with it; any other escaped character is kept). Appends to out. */
void rst_unescape(const char *s, size_t len, ss_buf *out);

#endif
