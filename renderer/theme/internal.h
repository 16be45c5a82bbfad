/* internal.h — what the theme's files share and nobody else sees.
 *
 * A layout compiles to a flat list of parts over one text pool. Filling
 * walks the list once: text is copied, ROOT appends the page's root
 * prefix, SLOT starts a slot element (its open tag, VALUE, its close tag
 * follow) and says where to jump when the value is empty.
 */
#ifndef SS_THEME_INTERNAL_H
#define SS_THEME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"

typedef enum {
  SS_PART_TEXT,  /* pool[off, off + len) */
  SS_PART_ROOT,  /* the page's path to the site root */
  SS_PART_SLOT,  /* a slot element starts; `end` is the part after it */
  SS_PART_VALUE, /* the slot's value */
} ss_part_kind;

typedef struct {
  ss_part_kind kind;
  ss_theme_slot slot; /* SLOT, VALUE */
  size_t off, len;    /* TEXT */
  size_t end;         /* SLOT */
} ss_theme_part;

typedef struct {
  char *pool; /* the literal text of every TEXT part */
  size_t pool_len;
  ss_theme_part *parts;
  size_t nparts;
  bool has[SS_SLOT__COUNT];
} ss_theme_layout;

/* One file of a theme: a layout or an asset. */
typedef struct {
  char *name; /* relative to the theme folder, '/'-separated */
  unsigned char *data;
  size_t len;
} ss_theme_file;

/* Compiles one layout from its bytes. `path` names it in reports;
 * `assets` (sorted by name) decide which relative URLs go to _static/.
 * Returns false after reporting to diag. */
bool ss_theme__compile(const char *path, const unsigned char *data, size_t len,
                       const ss_theme_file *assets, size_t nassets,
                       ss_theme_layout *out, ss_diag *diag);
void ss_theme__layout_free(ss_theme_layout *layout);

/* The built-in theme, generated from themes/default/ by
 * cmake/embed.cmake. Each `data` has a NUL after its `len` bytes. */
typedef struct {
  const char *name;
  const unsigned char *data;
  size_t len;
} ss_theme_embedded;

extern const ss_theme_embedded ss_theme_builtin_files[];
extern const size_t ss_theme_builtin_count;

/* Its layouts as ss_theme_save writes them, compiled when specsite was
 * built (precompile.c, run by CMakeLists.txt): see builtin.c. */
extern const unsigned char ss_theme_builtin_compiled[];
extern const size_t ss_theme_builtin_compiled_len;

#endif
