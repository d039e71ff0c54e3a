import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isSupportedPlatform, selectBackend } from '../index.ts';

describe('selectBackend', () => {
  it('reports an unknown platform as unsupported, naming it', async () => {
    const result = await selectBackend('plan9');
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unsupported_platform');
    assert.match(result.error.message, /"plan9"/);
  });

  it('knows which platforms are supported', () => {
    assert.equal(isSupportedPlatform('linux'), true);
    assert.equal(isSupportedPlatform('win32'), true);
    assert.equal(isSupportedPlatform('darwin'), true);
    assert.equal(isSupportedPlatform('aix'), false);
  });

  it('reports a missing X display instead of crashing', async () => {
    let n = 4000;
    while (existsSync(`/tmp/.X11-unix/X${n}`)) n++;
    const result = await selectBackend('linux', { display: `:${n}` });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'display_unavailable');
    assert.match(result.error.message, new RegExp(`:${n}`));
  });

  for (const platform of ['win32', 'darwin']) {
    it(`reports the ${platform} native module as unavailable on Linux`, async () => {
      // The Windows and macOS bindings cannot load here; the selection says so instead of throwing.
      const result = await selectBackend(platform);
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'native_module_unavailable');
    });
  }
});
