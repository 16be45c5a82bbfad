/* site.c — see site.h (being written). */
#include <stddef.h>
