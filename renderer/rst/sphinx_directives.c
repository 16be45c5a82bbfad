/* sphinx_directives.c — the directives Sphinx adds to Docutils' set. */
#include <stdlib.h>
#include <string.h>

#include "directives.h"

const rst_dspec rst_sphinx_dspecs[] = {
    {NULL, 0, 0, false, false, false, NULL, SS_TEXT, NULL},
};
