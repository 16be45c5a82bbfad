/* builtin.c — the default theme as specsite was built with it: its
 * files (generated/theme_builtin.c, from themes/default/) and its
 * layouts compiled at build time (generated/theme_compiled.c, made by
 * precompile.c). A build with the default theme then parses no HTML
 * and needs no libxml2, whose loading cost more than a small rebuild.
 * Were the compiled bytes not those of these files (they always are,
 * both come from the same build), the layouts would be compiled. */
#include "internal.h"

ss_theme *ss_theme_load_builtin(void) {
  return ss_theme_load_builtin_saved((const char *)ss_theme_builtin_compiled,
                                     ss_theme_builtin_compiled_len);
}
