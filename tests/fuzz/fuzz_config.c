/* fuzz_config.c — the two configuration readers on any bytes:
 * specsite.conf's and conf.py's (a subset of Python, evaluated without
 * running anything). */
#include "config/config.h"
#include "config/confpy.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ss_config cfg;
  if (ss_config_parse(&cfg, (const char *)data, size, "fuzz.conf") >= 0) {
    for (size_t i = 0; i < cfg.len; i++) {
      bool ok;
      (void)ss_config_bool(cfg.items[i].value, &ok);
      (void)ss_release_match(cfg.items[i].value, cfg.items[i].key);
      (void)ss_release_cmp(cfg.items[i].value, cfg.items[i].key);
    }
    ss_config_free(&cfg);
  }
  ss_confpy *py = ss_confpy_parse((const char *)data, size);
  if (py) {
    static const char *const names[] = {
        "project",    "version",         "release",   "exclude_patterns",
        "extensions", "html_extra_path", "master_doc"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
      (void)ss_confpy_get(py, names[i]);
      (void)ss_confpy_str(py, names[i]);
    }
    ss_confpy_free(py);
  }
  return 0;
}
