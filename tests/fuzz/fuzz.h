/* fuzz.h — what the fuzz targets share: one reader-to-tree step, the
 * way `specsite render` runs it, and a private folder per process. */
#ifndef SS_FUZZ_H
#define SS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "rst/rst.h"
#include "transforms/transforms.h"
#include "tree/tree.h"
#include "util/diag.h"

/* The document tree of `data` (any bytes), transformed; problems go to
 * a diag that prints nothing. */
ss_node *ss_fuzz_document(const uint8_t *data, size_t size, ss_diag *diag);

/* A folder of this process's own, made on first use (removed at exit). */
const char *ss_fuzz_dir(void);

/* Writes `len` bytes to DIR/name (folders made as needed). */
void ss_fuzz_write(const char *name, const void *data, size_t len);

/* Removes DIR/name and everything below it. */
void ss_fuzz_remove(const char *name);

#endif
