import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startFixture, type Fixture } from '../testing/fixture.ts';
import { CONSOLE_CSP } from './routes/console-routes.ts';

// The web console's files come with a policy that lets only the console's own
// files run script: a host's file turned into a page (a blob: URL of this
// origin opened by the console) inherits it and runs nothing.
// apps/agent-desktop/e2e/host-content.e2e.ts shows it in Chromium.

let f: Fixture;
let consoleDir: string;
before(async () => {
  consoleDir = mkdtempSync(join(tmpdir(), 'beckon-console-files-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Beckon</title>');
  writeFileSync(join(consoleDir, 'assets', 'index.js'), 'export {};');
  f = await startFixture({ BECKON_CONSOLE_DIR: consoleDir });
});
after(async () => {
  await f.stop();
  rmSync(consoleDir, { recursive: true, force: true });
});

test('every console file carries the policy: script from the console only, nothing inline or blob:', async () => {
  for (const path of ['/console/', '/console/index.html', '/console/assets/index.js']) {
    const res = await fetch(`${f.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-security-policy'), CONSOLE_CSP, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
  }
  const directives = new Map(
    CONSOLE_CSP.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  assert.deepEqual(directives.get('script-src'), ["'self'"]);
  assert.deepEqual(directives.get('default-src'), ["'self'"]);
  assert.deepEqual(directives.get('connect-src'), ["'self'"]);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  assert.doesNotMatch(CONSOLE_CSP, /unsafe-inline|unsafe-eval|blob:|\*/);
});
