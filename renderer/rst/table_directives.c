/* table_directives.c — Docutils' table directives. */
#include <stdlib.h>
#include <string.h>

#include "directives.h"

const rst_dspec rst_table_dspecs[] = {
    {NULL, 0, 0, false, false, false, NULL, SS_TEXT, NULL},
};
