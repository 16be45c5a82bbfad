/* fuzz_filter.c — the Lua bridge on fuzzed trees: the bundled filters
 * and one that reads, changes, makes and removes nodes of every kind run
 * on the tree of the input, which is then written as HTML. */
#include <stdlib.h>

#include "filter/filter.h"
#include "fuzz.h"
#include "html/html.h"
#include "util/buffer.h"

#ifndef SS_SOURCE_DIR
#define SS_SOURCE_DIR "."
#endif

/* Touches what the API has: attributes, children, text, new nodes,
 * replacing and dropping nodes, stringify, page, warn. */
static const char S_exerciser[] =
    "local n = 0\n"
    "local function all(node)\n"
    "  n = n + 1\n"
    "  local a = node.attributes or {}\n"
    "  for k, v in pairs(a) do local _ = tostring(k) .. tostring(v) end\n"
    "  if a.classes then table.insert(a.classes, 'fz') end\n"
    "  if a.ids then a.ids = {} end\n"
    "  local s = specsite.stringify(node)\n"
    "  if #s % 7 == 3 then specsite.warn(node, 'odd ' .. #s) end\n"
    "  if #s % 11 == 5 then return {} end\n"
    "  if #s % 13 == 6 and node.children then\n"
    "    return specsite.node('container', {classes = {'wrap'}}, {node})\n"
    "  end\n"
    "  if #s % 17 == 2 then\n"
    "    return specsite.node('paragraph', {}, {specsite.text(s:upper())})\n"
    "  end\n"
    "  return node\n"
    "end\n"
    "return {\n"
    "  paragraph = all, section = all, title = all, reference = all,\n"
    "  literal_block = all, bullet_list = all, list_item = all,\n"
    "  table = all, emphasis = all, strong = all, literal = all,\n"
    "  footnote = all, target = all, image = all, comment = all,\n"
    "  text = function(t) if #t.text % 5 == 1 then\n"
    "    return specsite.text(t.text .. '<x>') end end,\n"
    "  document = function(d) local _ = specsite.page.source; return d end,\n"
    "}\n";

static const char *const S_bundled[] = {"blueprint-badge.lua", "bug-links.lua",
                                        "external-links.lua", "todo-warn.lua"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ss_diag diag;
  ss_node *doc = ss_fuzz_document(data, size, &diag);
  ss_filter_options fo = {.diag = &diag, .max_instructions = 2000000};
  ss_filter_set *fs = ss_filter_set_new(&fo);
  if (!fs)
    abort();
  for (size_t i = 0; i < sizeof S_bundled / sizeof *S_bundled; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/filters/%s", SS_SOURCE_DIR, S_bundled[i]);
    ss_filter_set_load(fs, path); /* a missing one is no matter here */
  }
  if (!ss_filter_set_load_string(fs, "exerciser.lua", S_exerciser))
    abort(); /* the exerciser is ours: it must load */
  ss_filter_page page = {.source = "specs/9.0/fuzz.rst",
                         .url = "specs/9.0/fuzz.html",
                         .release = "9.0",
                         .title = "Fuzz"};
  ss_filter_set_run(fs, &doc, &page);
  ss_filter_set_free(fs);
  ss_buf out = SS_BUF_INIT;
  ss_html_options o = {.fragment = true};
  ss_html_render(doc, &o, &out);
  ss_buf_free(&out);
  ss_node_free(doc);
  return 0;
}
