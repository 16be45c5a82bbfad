/* digest.h — a 64-bit fingerprint of bytes, for caches and hash tables
 * (the site's incremental build, its word sets, the theme's identity).
 * Not a defence against a chosen collision. */
#ifndef SS_DIGEST_H
#define SS_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define SS_DIGEST_INIT 1469598103934665603ULL

/* Digest of `len` bytes, chained from h (SS_DIGEST_INIT to start). */
uint64_t ss_digest(uint64_t h, const void *data, size_t len);

/* MD5 of `len` bytes as 32 lower-case hex digits: only to make the names
 * Sphinx makes with it (_downloads/<md5 of the path>/), never for
 * safety. */
void ss_md5_hex(const void *data, size_t len, char out[33]);

#endif
