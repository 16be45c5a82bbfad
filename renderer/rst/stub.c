#include "rst.h"
ss_node *ss_rst_parse(const char *text, size_t len, const ss_rst_options *opts) { (void)text; (void)len; (void)opts; return ss_node_new(SS_DOCUMENT, 0); }
