import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSupportedPlatform, selectBackend } from './index.ts';

describe('selectBackend', () => {
  it('reports an unknown platform as unsupported, naming it', () => {
    const result = selectBackend('plan9');
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unsupported_platform');
    assert.match(result.error.message, /"plan9"/);
  });

  for (const platform of ['linux', 'win32', 'darwin']) {
    it(`says the ${platform} backend is not implemented yet`, () => {
      const result = selectBackend(platform);
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'not_implemented');
      assert.match(result.error.message, new RegExp(platform));
    });
  }

  it('knows which platforms are supported', () => {
    assert.equal(isSupportedPlatform('linux'), true);
    assert.equal(isSupportedPlatform('aix'), false);
  });
});
