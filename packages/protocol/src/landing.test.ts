import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BrandingUpdateSchema, LogoUploadSchema } from './branding.ts';
import { sessionCodeFromFileName } from './codes.ts';
import { ASSIST_PLATFORMS, assistArtifactName, assistDownloadName } from './landing.ts';
import { parseWith } from './parse.ts';

describe('assistDownloadName', () => {
  it('carries the code the client reads back from its own file name', () => {
    assert.equal(assistDownloadName('s12345678', 'windows'), 'BeckonAssist-s12345678.exe');
    assert.equal(assistDownloadName('s12345678', 'mac'), 'BeckonAssist-s12345678.dmg');
    assert.equal(assistDownloadName('s12345678', 'linux'), 'BeckonAssist-s12345678.AppImage');
    for (const p of ASSIST_PLATFORMS) {
      assert.equal(sessionCodeFromFileName(assistDownloadName('s00000042', p)), 's00000042');
      assert.equal(sessionCodeFromFileName(assistArtifactName(p)), null);
    }
  });
});

describe('branding schemas', () => {
  it('accepts a colour in either case and stores it in lower case', () => {
    const parsed = parseWith(BrandingUpdateSchema, {
      displayName: 'Acme',
      color: '#ABCDEF',
      message: ' hi ',
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.color, '#abcdef');
    assert.equal(parsed.value.message, 'hi');
  });

  for (const color of ['red', '#abc', '#abcdefg', 'url(x)', '#12345g', '#123456;x']) {
    it(`refuses the colour ${color}`, () => {
      assert.equal(parseWith(BrandingUpdateSchema, { displayName: null, color, message: null }).ok, false);
    });
  }

  it('refuses SVG logos and non-base64 data', () => {
    assert.equal(parseWith(LogoUploadSchema, { contentType: 'image/svg+xml', data: 'AAAA' }).ok, false);
    assert.equal(parseWith(LogoUploadSchema, { contentType: 'image/png', data: '<svg>' }).ok, false);
    assert.equal(parseWith(LogoUploadSchema, { contentType: 'image/png', data: 'iVBORw0KGgo=' }).ok, true);
  });
});
