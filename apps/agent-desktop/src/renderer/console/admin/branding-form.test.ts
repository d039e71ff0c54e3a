import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLogo, previewColor } from './branding-form.ts';

const file = (type: string, bytes: Uint8Array) => ({
  type,
  size: bytes.length,
  arrayBuffer: async () => bytes.slice().buffer,
});

describe('checkLogo', () => {
  it('reads a PNG as base64 and a data URL', async () => {
    const got = await checkLogo(file('image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47])));
    assert.deepEqual(got, {
      ok: true,
      type: 'image/png',
      base64: 'iVBORw==',
      dataUrl: 'data:image/png;base64,iVBORw==',
    });
  });

  it('refuses SVG and oversized files before uploading', async () => {
    assert.deepEqual(await checkLogo(file('image/svg+xml', new Uint8Array(4))), {
      ok: false,
      problem: 'type',
    });
    assert.deepEqual(await checkLogo(file('image/png', new Uint8Array(300 * 1024))), {
      ok: false,
      problem: 'size',
    });
  });
});

it('previewColor paints only #rrggbb', () => {
  assert.equal(previewColor('#ABCDEF', '#000000'), '#abcdef');
  assert.equal(previewColor('red;x', '#000000'), '#000000');
});
