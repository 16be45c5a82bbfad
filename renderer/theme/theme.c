/* theme.c — see theme.h (being written). */
#include "theme.h"
