/* directives.h — what directives.c shares with the files that hold more
 * directives (include.c, sphinx_directives.c, table_directives.c,
 * httpdomain.c, pydomain.c);
 * internal to the reader.
 *
 * Each file keeps a table of specifications; directives.c splits a
 * directive's block by its specification (Docutils'
 * parse_directive_block) and calls the handler.
 */
#ifndef SS_RST_DIRECTIVES_H
#define SS_RST_DIRECTIVES_H

#include <stddef.h>

#include "parser.h"

typedef struct rst_dspec rst_dspec;
typedef void (*rst_dhandler)(rst_parser *p, const rst_dspec *spec,
                             const rst_directive *d, ss_node *parent);

struct rst_dspec {
  const char *name;
  int required_args;
  int optional_args;
  bool final_whitespace; /* the last argument may contain spaces */
  bool options;          /* takes options */
  bool content;          /* takes content */
  rst_dhandler run;
  ss_kind kind;      /* node kind for the generic handlers */
  const char *klass; /* class (or other constant) for generic handlers */
};

/* The tables of the other files, each ended by a spec whose name is
 * NULL. */
extern const rst_dspec rst_include_dspecs[];
extern const rst_dspec rst_code_dspecs[];
extern const rst_dspec rst_index_dspecs[];
extern const rst_dspec rst_sphinx_dspecs[];
extern const rst_dspec rst_table_dspecs[];
extern const rst_dspec rst_http_dspecs[];
extern const rst_dspec rst_py_dspecs[];

/* Value of option `name` (lower-case), or NULL when not given. */
const char *rst_dir_option(const rst_directive *d, const char *name);
/* Lines joined with '\n'. */
void rst_dir_join(const rst_line *lines, int n, ss_buf *out);
/* The directive's source as Docutils shows it in a message. */
void rst_dir_source(const rst_directive *d, ss_buf *out);
/* Appends Docutils' 'Error in "name" directive:\nMSG' with the source. */
void rst_dir_error(rst_parser *p, const rst_directive *d, ss_node *parent,
                   const char *msg);
/* Appends the error for a directive that needs content and has none;
 * returns true when that happened. */
bool rst_dir_need_content(rst_parser *p, const rst_directive *d,
                          ss_node *parent);
/* Space-separated class names of `value` appended to `classes`
 * (Docutils' class_option: lower-cased, made identifiers). */
void rst_dir_add_classes(ss_node *node, const char *value);
/* Docutils' make_id (as class_option and set_id use it), for ASCII:
 * lower-cased, runs of other characters one hyphen, no leading
 * non-letter nor trailing hyphen. Appends. */
void rst_dir_make_id(const char *s, size_t len, ss_buf *out);
/* The :name: option as a `names` item. */
void rst_dir_add_name(ss_node *node, const rst_directive *d);
/* Python's int() of option `name` (Docutils' int converter). Without
 * the option: false, *v untouched. A bad value: Docutils' error, and
 * *bad set. */
bool rst_dir_int_option(rst_parser *p, const rst_directive *d, ss_node *parent,
                        const char *name, long *v, bool *bad);
/* Parses the directive's content as body elements into node. */
void rst_dir_content(rst_parser *p, const rst_directive *d, ss_node *node);
/* Parses one line of inline text into `node`; messages go after the
 * block into `messages` (may be NULL: the document). */
void rst_dir_inline(rst_parser *p, const char *text, int lineno, ss_node *node,
                    ss_node *messages);

/* --- files (include.c), for the directives that read one ------------ */

typedef enum {
  RST_FILE_READ,
  RST_FILE_MISSING, /* not there, in a folder of the tree */
  RST_FILE_OUTSIDE, /* outside opts->confine, or through a link out */
  RST_FILE_FAILED   /* there, but unreadable: errno says why */
} rst_file_status;

/* The file `arg` names, as include reads it: "/x" from the source root,
 * else from the including file's folder, kept inside opts->confine
 * (the repository; else the source root) and noted in opts->includes.
 * Its path, as messages name it, goes to `path`. Returns its bytes
 * (the caller frees them), or NULL with *status saying why. */
char *rst_read_included(rst_parser *p, const char *arg, ss_buf *path,
                        size_t *len, rst_file_status *status);
/* Whether specsite reads encoding `enc` (NULL: the default, UTF-8);
 * Docutils' error about the :encoding: option for one it does not. */
bool rst_encoding_known(const char *enc);
void rst_encoding_error(rst_parser *p, const rst_directive *d, ss_node *parent,
                        const char *enc);
/* Decodes raw bytes in a known encoding (NULL: UTF-8, its byte-order
 * mark dropped as Sphinx's utf-8-sig drops it) into UTF-8 with the line
 * ends Python's universal newlines make. Returns false when the bytes
 * are not valid in it (Python's strict decoding fails), the text being
 * appended anyway. */
bool rst_decode_text(const char *enc, const char *raw, size_t len, ss_buf *out);
/* Python's str.expandtabs(width): columns restart after a line end; a
 * width below 1 drops the tabs. */
void rst_expand_tabs(const char *s, size_t len, long width, ss_buf *out);

#endif
