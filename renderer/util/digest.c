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

/* --- MD5 (RFC 1321), for names Sphinx makes with it ------------------ */

static uint32_t S_rotl(uint32_t x, int c) { return (x << c) | (x >> (32 - c)); }

static void S_md5_block(uint32_t h[4], const unsigned char *b) {
  static const uint32_t k[64] = {
      0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
      0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
      0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
      0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
      0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
      0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
      0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
      0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
      0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
      0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
      0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
  static const int r[16] = {7, 12, 17, 22, 5, 9,  14, 20,
                            4, 11, 16, 23, 6, 10, 15, 21};
  uint32_t w[16];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
           (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
  uint32_t a = h[0], bb = h[1], c = h[2], d = h[3];
  for (int i = 0; i < 64; i++) {
    uint32_t f;
    int g;
    if (i < 16)
      f = (bb & c) | (~bb & d), g = i;
    else if (i < 32)
      f = (d & bb) | (~d & c), g = (5 * i + 1) % 16;
    else if (i < 48)
      f = bb ^ c ^ d, g = (3 * i + 5) % 16;
    else
      f = c ^ (bb | ~d), g = (7 * i) % 16;
    uint32_t t = d;
    d = c;
    c = bb;
    bb = bb + S_rotl(a + f + k[i] + w[g], r[(i / 16) * 4 + i % 4]);
    a = t;
  }
  h[0] += a, h[1] += bb, h[2] += c, h[3] += d;
}

void ss_md5_hex(const void *data, size_t len, char out[33]) {
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  const unsigned char *p = data;
  size_t left = len;
  for (; left >= 64; left -= 64, p += 64)
    S_md5_block(h, p);
  unsigned char tail[128] = {0};
  memcpy(tail, p, left);
  tail[left] = 0x80;
  size_t n = left + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++)
    tail[n - 8 + i] = (unsigned char)(bits >> (8 * i));
  for (size_t at = 0; at < n; at += 64)
    S_md5_block(h, tail + at);
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) {
    unsigned char byte = (unsigned char)(h[i / 4] >> (8 * (i % 4)));
    out[2 * i] = hex[byte >> 4];
    out[2 * i + 1] = hex[byte & 15];
  }
  out[32] = '\0';
}
