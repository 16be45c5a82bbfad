/* xmllib.c — libxml2, loaded on first use (why: see xmllib.h). */
#include "xmllib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Every function and where its address goes in the table. dlsym()
 * returns a data pointer; POSIX guarantees it converts to the function
 * pointer, so it is copied into the member as is. */
static const struct {
  const char *symbol;
  size_t offset;
} S_symbols[] = {
#define SS_XMLLIB_SYMBOL(name) {#name, offsetof(ss_xmllib, name)},
    SS_XMLLIB_FUNCTIONS(SS_XMLLIB_SYMBOL)
#undef SS_XMLLIB_SYMBOL
};

bool ss_xmllib__open(const char *soname, ss_xmllib *out, char *err,
                     size_t errlen) {
  memset(out, 0, sizeof *out);
  if (errlen)
    err[0] = '\0';
  /* Its own symbols stay local: nothing else of ours refers to them. */
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *why = dlerror();
    snprintf(err, errlen, "cannot load libxml2 (%s)", why ? why : soname);
    return false;
  }
  for (size_t i = 0; i < sizeof S_symbols / sizeof *S_symbols; i++) {
    (void)dlerror();
    void *sym = dlsym(h, S_symbols[i].symbol);
    if (!sym) {
      const char *why = dlerror();
      snprintf(err, errlen, "cannot load libxml2 (%s)",
               why ? why : S_symbols[i].symbol);
      memset(out, 0, sizeof *out);
      dlclose(h);
      return false;
    }
    void *slot = (char *)out + S_symbols[i].offset;
    memcpy(slot, &sym, sizeof sym);
  }
  return true; /* h stays open for the life of the process */
}

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static ss_xmllib S_lib;
static const ss_xmllib *S_loaded;
static char S_error[512];

static void S_load(void) {
  if (!ss_xmllib__open(SS_XMLLIB_SONAME, &S_lib, S_error, sizeof S_error))
    return;
  /* libxml2 wants its global state set up once, before threads use it;
   * the once makes this that moment. */
  S_lib.xmlInitParser();
  S_loaded = &S_lib;
}

const ss_xmllib *ss_xmllib_load(void) {
  pthread_once(&S_once, S_load);
  return S_loaded;
}

const char *ss_xmllib_error(void) {
  pthread_once(&S_once, S_load);
  return S_error;
}
