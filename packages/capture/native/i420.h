/*
 * 32-bit pixels to planar I420, BT.601 studio range with libyuv's ARGBToI420
 * coefficients: the same arithmetic as src/frame/convert.ts, so both give the
 * same bytes. Plain C, no N-API: addon.c checks the arguments before calling.
 */
#ifndef BECKON_I420_H
#define BECKON_I420_H

#include <stddef.h>
#include <stdint.h>

/*
 * Converts the even part of a width x height image (`stride` bytes per row,
 * any alignment) into I420 at `dst`: Y (w * h), then U and V (w/2 * h/2 each),
 * where w and h are width and height rounded down to even. `bgra` says the
 * byte order of a pixel in memory: B, G, R, X (X11, Windows, macOS) or R, G, B, X.
 */
void beckon_to_i420(const uint8_t *src, size_t stride, int width, int height, int bgra, uint8_t *dst);

#endif
