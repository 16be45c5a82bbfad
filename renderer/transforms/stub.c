#include "transforms.h"
void ss_transform_document(ss_node *document, const ss_transform_options *opts) { (void)document; (void)opts; }
void ss_make_id(const char *name, ss_buf *out) { (void)name; (void)out; }
