/* theme.h — themes: plain HTML files with named slots, compiled once per
 * build and filled per page without re-parsing.
 *
 * A theme is a folder (docs/themes.rst is the designer's side):
 *
 *   page.html    the layout of a spec page (and of any other document)
 *   index.html   the layout of generated pages: site index, release
 *                pages, the section index, the search page
 *   anything else (CSS, JS, images, fonts) is an asset, copied to
 *   _static/ in the site.
 *
 * A layout is an HTML file a designer can open in a browser as it is.
 * An element with a data-slot="NAME" attribute is a slot: specsite keeps
 * the element (minus data-slot) and replaces its content with the slot's
 * value for the page; the placeholder content is only there for the
 * designer. When a page has nothing for a slot (empty value) the whole
 * element is left out, so a layout never shows an empty box. Only the
 * names below exist: an unknown one is an error with file:line, and so
 * is an HTML file libxml2's HTML parser reports as broken.
 *
 * Relative URLs in href, src, srcset, poster and action attributes are
 * relative to the theme folder as the designer previews it: one naming
 * an asset of the theme becomes that asset's URL under _static/, any
 * other is taken as relative to the site root. Both are rewritten per
 * page with the page's path to the root ("../../" for
 * specs/8.0/foo.html), so pages work from file:// and any sub-folder of
 * a static host.
 *
 * A compiled theme is immutable: worker threads fill it concurrently.
 */
#ifndef SS_THEME_H
#define SS_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buffer.h"
#include "../util/diag.h"

/* The slots. Values are HTML fragments the caller has escaped. */
#define SS_THEME_SLOTS(X)                                                      \
  X(TITLE, "title")             /* the page's title (text, escaped) */         \
  X(PROJECT, "project")         /* the project's name */                       \
  X(BODY, "body")               /* the document, or the generated listing */   \
  X(OUTLINE, "outline")         /* the spec's sections, two levels, nested     \
                                   <ul>; links are #anchors */                 \
  X(SECTIONS, "sections")       /* links to the template's main sections       \
                                   present in this spec */                     \
  X(BREADCRUMBS, "breadcrumbs") /* site > release > spec, as <ol> items */     \
  X(PREV, "prev")               /* previous spec of the release: a link */     \
  X(NEXT, "next")               /* next spec of the release: a link */         \
  X(BLUEPRINT, "blueprint")     /* the spec's blueprint link */                \
  X(SOURCE, "source")           /* a link to the page's .rst source */         \
  X(RELEASES, "releases")       /* site-wide: links to every release page */   \
  X(UPDATED, "updated")         /* the source's last change, as a date */

typedef enum {
#define SS_THEME_SLOT_ENUM(id, name) SS_SLOT_##id,
  SS_THEME_SLOTS(SS_THEME_SLOT_ENUM)
#undef SS_THEME_SLOT_ENUM
      SS_SLOT__COUNT
} ss_theme_slot;

typedef enum { SS_LAYOUT_PAGE, SS_LAYOUT_INDEX, SS_LAYOUT__COUNT } ss_layout;

typedef struct ss_theme ss_theme;

/* Compiles the theme in folder `dir`. Problems (a missing layout, a
 * broken file, an unknown slot) go to diag as ERROR with file:line;
 * returns NULL when there was any. */
ss_theme *ss_theme_load(const char *dir, ss_diag *diag);

/* The default theme, built into the binary from themes/default/, so
 * that specsite needs no installed files. Never fails. */
ss_theme *ss_theme_load_builtin(void);

/* A compiled theme kept between builds. ss_theme_save writes its
 * layouts as bytes (for the site's cache); the *_saved loaders take
 * such bytes (or NULL) and use them instead of compiling when they were
 * made from the same files, so a rebuild needs no HTML parser: libxml2
 * is loaded only to parse, and loading it costs more than the rest of a
 * small rebuild. Bytes from another theme, version or machine are
 * ignored, never trusted: the theme is then compiled. */
void ss_theme_save(const ss_theme *theme, ss_buf *out);
ss_theme *ss_theme_load_saved(const char *dir, const char *saved, size_t len,
                              ss_diag *diag);
ss_theme *ss_theme_load_builtin_saved(const char *saved, size_t len);

void ss_theme_free(ss_theme *theme);

/* The slot's name in layouts ("title", "body", ...). */
const char *ss_theme_slot_name(ss_theme_slot slot);

/* True when the layout has an element for `slot` (a site may skip
 * computing what no layout shows). */
bool ss_theme_has_slot(const ss_theme *theme, ss_layout layout,
                       ss_theme_slot slot);

/* Appends the page: `layout` with each slot filled from values[slot]
 * (NULL or "" = leave the element out) and relative URLs rewritten with
 * `root`, the page's path to the site root ("" at the root, "../" one
 * level down). */
void ss_theme_fill(const ss_theme *theme, ss_layout layout, const char *root,
                   const char *const values[SS_SLOT__COUNT], ss_buf *out);

/* The theme's assets, to be copied to _static/<name>: relative names
 * ("specsite.css", "fonts/a.woff2") in a stable order. */
size_t ss_theme_asset_count(const ss_theme *theme);
const char *ss_theme_asset_name(const ss_theme *theme, size_t i);
/* The asset's bytes (read at load time, so a build never sees a theme
 * changing under it). */
const unsigned char *ss_theme_asset_data(const ss_theme *theme, size_t i,
                                         size_t *len);

/* A digest of everything in the theme: a change in any file changes it
 * (the incremental build re-renders every page when it does). */
unsigned long long ss_theme_digest(const ss_theme *theme);

#endif
