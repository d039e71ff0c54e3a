import assert from 'node:assert/strict';
import { it } from 'node:test';
import { secureWebPreferences } from './web-preferences.ts';

it('sandboxes every window and keeps Node out of the renderer', () => {
  const prefs = secureWebPreferences('/app/out/preload/main.cjs');
  assert.equal(prefs.preload, '/app/out/preload/main.cjs');
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.webviewTag, false);
});
