/* test_filter.c — the Lua bridge: API, return conventions, order,
 * sandbox, bounds, and the checks on what comes back from Lua. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"
#include "helpers.h"

Test(filter, smoke) {
  ss_diag diag;
  ss_diag_init(&diag);
  diag.quiet = 1;
  ss_filter_options o = {.diag = &diag};
  ss_filter_set *fs = ss_filter_set_new(&o);
  cr_assert(fs);
  cr_assert(ss_filter_set_load_string(fs, "f.lua", "return {}"), "%s",
            ss_filter_error(fs));
  ss_filter_set_free(fs);
}
