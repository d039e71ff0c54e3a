/**
 * `/favicon.ico`: a 32×32 disc in the default brand colour, drawn here as an
 * uncompressed 32-bit ICO, so the broker ships no binary file and browsers stop
 * logging a 404 on every page. (One icon for all organisations: the browser asks
 * for it before it knows which request a page belongs to.)
 */
export function faviconIco(rgb: readonly [number, number, number]): Buffer {
  const size = 32;
  const pixels = size * size * 4;
  const mask = size * 4; // the 1-bit AND mask, rows padded to 4 bytes; all zero (alpha decides)
  const image = 40 + pixels + mask;
  const out = Buffer.alloc(6 + 16 + image);
  // ICONDIR: reserved, type 1 (icon), one image.
  out.writeUInt16LE(0, 0);
  out.writeUInt16LE(1, 2);
  out.writeUInt16LE(1, 4);
  // ICONDIRENTRY: width, height, no palette, planes 1, 32 bpp, byte size, offset.
  out.writeUInt8(size, 6);
  out.writeUInt8(size, 7);
  out.writeUInt16LE(1, 10);
  out.writeUInt16LE(32, 12);
  out.writeUInt32LE(image, 14);
  out.writeUInt32LE(22, 18);
  // BITMAPINFOHEADER: the height counts the colour rows and the mask rows (twice the icon).
  out.writeUInt32LE(40, 22);
  out.writeInt32LE(size, 26);
  out.writeInt32LE(size * 2, 30);
  out.writeUInt16LE(1, 34);
  out.writeUInt16LE(32, 36);
  out.writeUInt32LE(pixels + mask, 42);
  const [r, g, b] = rgb;
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Coverage of a disc of radius 15 with a one-pixel soft edge.
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.round(255 * Math.min(1, Math.max(0, 15.5 - d)));
      const at = 62 + ((size - 1 - y) * size + x) * 4; // BMP rows run bottom-up, BGRA
      out.writeUInt8(b, at);
      out.writeUInt8(g, at + 1);
      out.writeUInt8(r, at + 2);
      out.writeUInt8(alpha, at + 3);
    }
  }
  return out;
}
