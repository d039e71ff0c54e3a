/*
 * 32-bit pixels to I420 (see i420.h). The arithmetic is convert.ts's, term for
 * term: Y = (66 R + 129 G + 25 B + 0x1080) >> 8 per pixel, and U and V from the
 * sums of each 2x2 block, (112 B - 74 G - 38 R + 0x20200) >> 10 and
 * (112 R - 94 G - 18 B + 0x20200) >> 10 (dividing by 4 and by 256 at once).
 * Every intermediate is positive and fits 16 bits before the weights and 32
 * after, so the SSE2 path (8 pixels of two rows per step) and the scalar path
 * (the odd tail, and CPUs without SSE2) give the same bytes as the JS code.
 *
 * SSE2 is the x86-64 baseline, so no CPU check is needed. It has no byte
 * multiply-add (that is SSSE3), so pixels are split the way convert.ts does:
 * masking a pixel word with 0x00ff00ff leaves blue and red in the two 16-bit
 * halves, and one pmaddwd weights and adds them; green (and the unused fourth
 * byte, weighted 0) is the same word shifted right by 8.
 */
#include "i420.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline void block_scalar(const uint8_t *p0, const uint8_t *p1, int ri, int bi, uint8_t *y0,
                                uint8_t *y1, uint8_t *u, uint8_t *v) {
  const uint8_t *px[4] = {p0, p0 + 4, p1, p1 + 4};
  uint8_t *ys[4] = {y0, y0 + 1, y1, y1 + 1};
  int r = 0, g = 0, b = 0;
  for (int i = 0; i < 4; i++) {
    int pr = px[i][ri], pg = px[i][1], pb = px[i][bi];
    *ys[i] = (uint8_t)((66 * pr + 129 * pg + 25 * pb + 0x1080) >> 8);
    r += pr;
    g += pg;
    b += pb;
  }
  *u = (uint8_t)((112 * b - 74 * g - 38 * r + 0x20200) >> 10);
  *v = (uint8_t)((112 * r - 94 * g - 18 * b + 0x20200) >> 10);
}

#if defined(__SSE2__)
/* Two signed 16-bit weights for pmaddwd: `lo` for the low half of each 32-bit lane, `hi` for the high. */
static inline __m128i weights(int lo, int hi) {
  return _mm_set1_epi32((int)((uint32_t)(uint16_t)(int16_t)lo | ((uint32_t)(uint16_t)(int16_t)hi << 16)));
}

/* Y of four pixels as 32-bit lanes, from their blue/red and green/X halves. */
static inline __m128i luma4(__m128i rb, __m128i gx, __m128i wy, __m128i wg, __m128i bias) {
  __m128i sum = _mm_add_epi32(_mm_madd_epi16(rb, wy), _mm_madd_epi16(gx, wg));
  return _mm_srli_epi32(_mm_add_epi32(sum, bias), 8);
}

/* Sums of horizontally adjacent lanes of two vectors of four: [a0+a1, a2+a3, b0+b1, b2+b3]. */
static inline __m128i pair_sums(__m128i a, __m128i b) {
  __m128 fa = _mm_castsi128_ps(a), fb = _mm_castsi128_ps(b);
  __m128i even = _mm_castps_si128(_mm_shuffle_ps(fa, fb, _MM_SHUFFLE(2, 0, 2, 0)));
  __m128i odd = _mm_castps_si128(_mm_shuffle_ps(fa, fb, _MM_SHUFFLE(3, 1, 3, 1)));
  return _mm_add_epi16(even, odd);
}

/* 8 pixels of two rows: 8 + 8 Y, 4 U, 4 V. Returns how many pixels of the row pair it did. */
static int rows_sse2(const uint8_t *s0, const uint8_t *s1, int width, int bgra, uint8_t *y0, uint8_t *y1,
                     uint8_t *u, uint8_t *v) {
  const __m128i mask = _mm_set1_epi32(0x00ff00ff);
  const __m128i wy = bgra ? weights(25, 66) : weights(66, 25);
  const __m128i wu = bgra ? weights(112, -38) : weights(-38, 112);
  const __m128i wv = bgra ? weights(-18, 112) : weights(112, -18);
  const __m128i wg = weights(129, 0), wgu = weights(-74, 0), wgv = weights(-94, 0);
  const __m128i ybias = _mm_set1_epi32(0x1080), cbias = _mm_set1_epi32(0x20200);
  int x = 0;
  for (; x + 8 <= width; x += 8) {
    __m128i a0 = _mm_loadu_si128((const __m128i *)(s0 + 4 * x));
    __m128i a1 = _mm_loadu_si128((const __m128i *)(s0 + 4 * x + 16));
    __m128i b0 = _mm_loadu_si128((const __m128i *)(s1 + 4 * x));
    __m128i b1 = _mm_loadu_si128((const __m128i *)(s1 + 4 * x + 16));
    __m128i rba0 = _mm_and_si128(a0, mask), gxa0 = _mm_and_si128(_mm_srli_epi32(a0, 8), mask);
    __m128i rba1 = _mm_and_si128(a1, mask), gxa1 = _mm_and_si128(_mm_srli_epi32(a1, 8), mask);
    __m128i rbb0 = _mm_and_si128(b0, mask), gxb0 = _mm_and_si128(_mm_srli_epi32(b0, 8), mask);
    __m128i rbb1 = _mm_and_si128(b1, mask), gxb1 = _mm_and_si128(_mm_srli_epi32(b1, 8), mask);

    __m128i ya = _mm_packs_epi32(luma4(rba0, gxa0, wy, wg, ybias), luma4(rba1, gxa1, wy, wg, ybias));
    __m128i yb = _mm_packs_epi32(luma4(rbb0, gxb0, wy, wg, ybias), luma4(rbb1, gxb1, wy, wg, ybias));
    _mm_storel_epi64((__m128i *)(y0 + x), _mm_packus_epi16(ya, ya));
    _mm_storel_epi64((__m128i *)(y1 + x), _mm_packus_epi16(yb, yb));

    /* 2x2 sums: rows first (each half stays below 2 * 255), then neighbouring pixels. */
    __m128i rb = pair_sums(_mm_add_epi16(rba0, rbb0), _mm_add_epi16(rba1, rbb1));
    __m128i gx = pair_sums(_mm_add_epi16(gxa0, gxb0), _mm_add_epi16(gxa1, gxb1));
    __m128i cu = _mm_add_epi32(_mm_add_epi32(_mm_madd_epi16(rb, wu), _mm_madd_epi16(gx, wgu)), cbias);
    __m128i cv = _mm_add_epi32(_mm_add_epi32(_mm_madd_epi16(rb, wv), _mm_madd_epi16(gx, wgv)), cbias);
    __m128i uv = _mm_packs_epi32(_mm_srai_epi32(cu, 10), _mm_srai_epi32(cv, 10));
    uv = _mm_packus_epi16(uv, uv);
    uint32_t u4 = (uint32_t)_mm_cvtsi128_si32(uv), v4 = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(uv, 4));
    memcpy(u + x / 2, &u4, 4);
    memcpy(v + x / 2, &v4, 4);
  }
  return x;
}
#endif

void beckon_to_i420(const uint8_t *src, size_t stride, int width, int height, int bgra, uint8_t *dst) {
  const int w = width & ~1, h = height & ~1;
  const size_t half = (size_t)(w / 2);
  uint8_t *yp = dst, *up = dst + (size_t)w * h, *vp = up + half * (size_t)(h / 2);
  const int ri = bgra ? 2 : 0, bi = bgra ? 0 : 2;
  for (int y = 0; y < h; y += 2) {
    const uint8_t *s0 = src + (size_t)y * stride, *s1 = s0 + stride;
    uint8_t *y0 = yp + (size_t)y * w, *y1 = y0 + w;
    uint8_t *u = up + (size_t)(y / 2) * half, *v = vp + (size_t)(y / 2) * half;
    int x = 0;
#if defined(__SSE2__)
    x = rows_sse2(s0, s1, w, bgra, y0, y1, u, v);
#endif
    for (; x < w; x += 2) block_scalar(s0 + 4 * x, s1 + 4 * x, ri, bi, y0 + x, y1 + x, u + x / 2, v + x / 2);
  }
}
