/* fuzz_ast.c — reader and transforms on any bytes, the tree written as
 * Docutils XML (`specsite ast`), which must then be well-formed: the XML
 * is parsed back with libxml2. */
#include <libxml/parser.h>
#include <stdlib.h>

#include "fuzz.h"
#include "util/buffer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ss_diag diag;
  ss_node *doc = ss_fuzz_document(data, size, &diag);
  ss_buf out = SS_BUF_INIT;
  if (ss_tree_write_xml(doc, &out) && out.len) {
    xmlDocPtr x = xmlReadMemory(out.data, (int)out.len, "fuzz.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!x)
      abort(); /* the writer made XML its readers cannot read */
    xmlFreeDoc(x);
  }
  ss_buf_free(&out);
  ss_node_free(doc);
  return 0;
}
