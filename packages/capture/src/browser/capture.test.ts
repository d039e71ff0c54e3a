import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CAPTURE_WHOLE_SCREEN, CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../../../testing/chromium.ts';
import { startXvfb } from '../testing/xvfb.ts';

// startBrowserCapture in a real browser: Chromium (installed by setup) loads
// this module (types stripped, as a bundler would) from a local page, runs it
// and posts the outcome back. Sharing runs headed on a private Xvfb and picks
// the real screen with --auto-select-desktop-capture-source; a refusal comes
// from the page's own Permissions-Policy, so no fake capture UI is involved.

const PAGE = `<!doctype html><title>capture test</title><script type="module">
import { startBrowserCapture, browserCaptureSupport } from '/capture.js';
const post = (r) => fetch('/result', { method: 'POST', body: JSON.stringify(r) });
try {
  const support = browserCaptureSupport(navigator);
  const c = await startBrowserCapture(navigator.mediaDevices, { maxFrameRate: 15 });
  const live = c.track.readyState;
  let ended = 0;
  c.onEnded(() => ended++);
  c.stop();
  c.stop();
  await post({ ok: true, support, surface: c.surface, live, after: c.track.readyState, ended, tracks: c.stream.getTracks().length });
} catch (e) {
  await post({ ok: false, name: e.name, code: e.code, message: e.message });
}
</script>`;

async function runInChromium(
  flags: string[],
  opts: { display?: string; policy?: string } = {},
): Promise<Record<string, unknown>> {
  const moduleSource = stripTypeScriptTypes(readFileSync(new URL('./index.ts', import.meta.url), 'utf8'));
  let resolve!: (v: Record<string, unknown>) => void;
  const result = new Promise<Record<string, unknown>>((r) => (resolve = r));
  const server = createServer((req, res) => {
    if (req.url === '/capture.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(moduleSource);
    } else if (req.url === '/result') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        res.end();
        resolve(JSON.parse(body) as Record<string, unknown>);
      });
    } else {
      res.setHeader('content-type', 'text/html');
      if (opts.policy) res.setHeader('permissions-policy', opts.policy);
      res.end(PAGE);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const profile = mkdtempSync(join(tmpdir(), 'beckon-chromium-'));
  const chromium = spawn(
    CHROMIUM_PATH,
    [
      ...(opts.display ? [] : ['--headless=new']),
      ...CHROMIUM_FLAGS,
      '--disable-dev-shm-usage',
      `--user-data-dir=${profile}`,
      ...flags,
      `http://127.0.0.1:${port}/`,
    ],
    { stdio: 'ignore', env: opts.display ? { ...process.env, DISPLAY: opts.display } : process.env },
  );
  const exited = new Promise<void>((r) => chromium.once('exit', () => r()));
  try {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('Chromium posted no result in 30 s')), 30_000).unref(),
    );
    return await Promise.race([result, timeout]);
  } finally {
    chromium.kill();
    await exited;
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

describe('startBrowserCapture in Chromium', () => {
  it('shares a screen and describes it, and stops it once', async () => {
    const xvfb = await startXvfb({ width: 1280, height: 720 });
    const r = await runInChromium([CAPTURE_WHOLE_SCREEN], {
      display: xvfb.display,
    });
    await xvfb.stop();
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(r.support, { displayMedia: true, input: false });
    const surface = r.surface as Record<string, unknown>;
    assert.equal(surface.displaySurface, 'monitor');
    assert.deepEqual([surface.width, surface.height], [1280, 720]);
    assert.ok((surface.frameRate as number) <= 15, `frame rate ${String(surface.frameRate)}`);
    assert.equal(r.live, 'live');
    assert.equal(r.after, 'ended');
    assert.equal(r.ended, 1, 'onEnded listeners run once');
    assert.equal(r.tracks, 1, 'video only');
  });

  it('reports a refusal as denied', async () => {
    const r = await runInChromium([], { policy: 'display-capture=()' });
    assert.equal(r.ok, false);
    assert.equal(r.code, 'denied');
    assert.equal(r.name, 'Error');
    assert.match(String(r.message), /NotAllowedError/);
  });
});
