/* digest.c — see digest.h. */
#include <string.h>

#include "digest.h"

/* Eight bytes at a time, multiply and fold: a fingerprint for the
 * cache and the hash tables, not a defence against a chosen collision. */
uint64_t ss_digest(uint64_t h, const void *data, size_t len) {
  const unsigned char *p = data;
  const uint64_t m = 0x9e3779b97f4a7c15ULL;
  while (len >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ w) * m;
    h ^= h >> 32;
    p += 8;
    len -= 8;
  }
  uint64_t w = len;
  for (size_t i = 0; i < len; i++)
    w = (w << 8) | p[i];
  h = (h ^ w) * m;
  h ^= h >> 29;
  return h;
}
