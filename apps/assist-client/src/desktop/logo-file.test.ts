import { LOGO_MAX_BYTES } from '@beckon/protocol';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { solidPng, TINY_JPEG, TINY_WEBP } from '../testing/images.ts';
import { BAKED_LOGO_TYPES, checkLogo, logoDataUrl, pngSize, sniffLogoType } from './logo-file.ts';

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
const GIF = Buffer.from('GIF89a\u0001\u0000\u0001\u0000', 'latin1');

describe('logo bytes', () => {
  it('knows PNG, JPEG and WebP by their bytes, and nothing else', () => {
    assert.equal(sniffLogoType(solidPng(4, 4)), 'image/png');
    assert.equal(sniffLogoType(TINY_JPEG), 'image/jpeg');
    assert.equal(sniffLogoType(TINY_WEBP), 'image/webp');
    for (const other of [SVG, GIF, Buffer.alloc(0), Buffer.from('RIFF')])
      assert.equal(sniffLogoType(other), null);
  });

  it('bakes PNG and JPEG only, within the size limit, and says why not', () => {
    assert.deepEqual(checkLogo(solidPng(8, 8), BAKED_LOGO_TYPES), { ok: true, type: 'image/png' });
    assert.deepEqual(checkLogo(TINY_JPEG, BAKED_LOGO_TYPES), { ok: true, type: 'image/jpeg' });
    const refused = (bytes: Uint8Array, claimed?: string | null) => {
      const r = checkLogo(bytes, BAKED_LOGO_TYPES, claimed);
      assert.equal(r.ok, false);
      return r.ok ? '' : r.message;
    };
    assert.match(refused(TINY_WEBP), /is image\/webp; expected PNG or JPEG/);
    assert.match(refused(SVG), /not an image \(expected PNG or JPEG\)/);
    assert.match(refused(Buffer.alloc(0)), /empty/);
    const big = Buffer.concat([solidPng(1, 1), Buffer.alloc(LOGO_MAX_BYTES)]);
    assert.match(refused(big), new RegExp(`at most ${LOGO_MAX_BYTES} \\(256 KiB\\)`));
    // A claimed type (an HTTP answer's) must be an image type, and the bytes must be it.
    assert.match(refused(solidPng(2, 2), 'image/jpeg'), /said to be image\/jpeg but its bytes are not/);
    assert.match(refused(SVG, 'image/svg+xml'), /not an image type/);
    assert.match(refused(solidPng(2, 2), null), /not an image type/);
    assert.deepEqual(checkLogo(solidPng(2, 2), BAKED_LOGO_TYPES, 'image/png'), {
      ok: true,
      type: 'image/png',
    });
  });

  it("reads a PNG's size, and hands the windows a data: URL", () => {
    assert.deepEqual(pngSize(solidPng(512, 256)), { width: 512, height: 256 });
    assert.equal(pngSize(TINY_JPEG), null);
    assert.equal(logoDataUrl('image/png', Buffer.from('abc')), 'data:image/png;base64,YWJj');
  });
});
