import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '@beckon/protocol';
import { sleep, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { rawSignal } from '../testing/signal-client.ts';

// The landing pages on a real broker: SQLite, HTTP, the join throttle and the
// status feed, with an artifacts folder holding only a Windows installer.

const artifacts = mkdtempSync(join(tmpdir(), 'beckon-artifacts-'));
writeFileSync(join(artifacts, 'BeckonAssist.exe'), 'MZ fake installer');
// A bundle as the assist client's build makes it (a gzipped tar without its end), holding only a launcher.
mkdirSync(join(artifacts, 'staging/BeckonAssist'), { recursive: true });
writeFileSync(join(artifacts, 'staging/BeckonAssist/beckon-assist'), '#!/bin/sh\necho launched "$0"\n', {
  mode: 0o755,
});
const bundleTar = execFileSync('tar', [
  '--format=ustar',
  '-b1',
  '-C',
  join(artifacts, 'staging'),
  '-cf',
  '-',
  'BeckonAssist',
]);
writeFileSync(join(artifacts, 'bundle.tar.gz'), gzipSync(bundleTar.subarray(0, bundleTar.length - 1024)));
let f: Fixture;
before(async () => {
  f = await startFixture({
    BECKON_ARTIFACTS_DIR: artifacts,
    BECKON_ASSIST_BUNDLE: join(artifacts, 'bundle.tar.gz'),
  });
});
after(async () => {
  await f.stop();
  rmSync(artifacts, { recursive: true, force: true });
});

const WINDOWS_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130 Safari/537.36';
const LINUX_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36';
const MAC_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15';

async function create(body: Record<string, unknown> = {}) {
  const res = await f.api('POST', '/api/v1/session-requests', {
    recipientName: 'Ada',
    comment: 'printer',
    ...body,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const token = (res.body.customerLink as string).split('/j/')[1]!;
  return { id: res.body.id as string, code: res.body.code as string, token };
}
const page = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${f.url}${path}`, { headers, redirect: 'manual' });
const status = async (id: string) =>
  (await f.api('GET', `/api/v1/session-requests/${id}`)).body.status as string;

/** Reads server-sent events until `until` says stop. */
async function events(path: string, until: (statuses: string[]) => boolean, act?: () => Promise<void>) {
  const res = await fetch(`${f.url}${path}`);
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = res.body!.getReader();
  const seen: string[] = [];
  let buffer = '';
  let acted = false;
  while (!until(seen)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += new TextDecoder().decode(value);
    for (const m of buffer.matchAll(/event: status\ndata: (.*)\n\n/g)) seen.push(JSON.parse(m[1]!).status);
    buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    if (!acted && act && seen.length > 0) {
      acted = true;
      await act();
    }
  }
  await reader.cancel().catch(() => {});
  return seen;
}

describe('the landing page', () => {
  it('shows who asks in the request language, escapes what people typed, and changes no status', async () => {
    const r = await create({
      recipientName: '<img src=x onerror=alert(1)>',
      language: 'de',
      comment: '"><script>x</script>',
    });
    const res = await page(`/j/${r.token}`, { 'user-agent': WINDOWS_UA });
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    const html = await res.text();
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(!html.includes('<script>x'));
    assert.match(html, /<html lang="de-DE">/);
    assert.match(html, /Für Windows herunterladen/);
    assert.match(html, new RegExp(`download="BeckonAssist-${r.code}\\.exe"`));
    assert.ok(html.includes(`beckon-assist://join/${r.token}`));
    assert.equal(await status(r.id), 'open');
  });

  it('says clearly when the installer for the visitor OS is missing', async () => {
    const r = await create();
    const html = await (await page(`/j/${r.token}`, { 'user-agent': MAC_UA })).text();
    assert.match(html, /installer for macOS is not available/);
    assert.match(html, /class="other"[^>]*>Windows</);
    const dl = await page(`/j/${r.token}/download/mac`);
    assert.equal(dl.status, 404);
    assert.match(await dl.text(), /macOS is not available/);
  });

  it('serves the installer under a name carrying the session code', async () => {
    const r = await create();
    const dl = await page(`/j/${r.token}/download/windows`);
    assert.equal(dl.status, 200);
    assert.equal(dl.headers.get('content-disposition'), `attachment; filename="BeckonAssist-${r.code}.exe"`);
    assert.equal(await dl.text(), 'MZ fake installer');
    assert.equal((await page(`/j/${r.token}/download/plan9`)).status, 404);
    assert.equal(await status(r.id), 'open');
  });

  it('offers the Linux bundle first to Linux visitors and names it to others', async () => {
    const r = await create();
    const linux = await (await page(`/j/${r.token}`, { 'user-agent': LINUX_UA })).text();
    assert.match(
      linux,
      new RegExp(
        `class="button primary" href="/j/${r.token}/download/linux-bundle" download="BeckonAssist-${r.code}\\.tar\\.gz"[^>]*>Download for Linux<`,
      ),
    );
    assert.match(linux, new RegExp(`run BeckonAssist-${r.code} in the BeckonAssist folder`));
    assert.doesNotMatch(linux, /installer for Linux is not available/);
    const windows = await (await page(`/j/${r.token}`, { 'user-agent': WINDOWS_UA })).text();
    assert.match(windows, /class="other"[^>]*>Linux, nothing to install \(\.tar\.gz\)</);
  });

  it("serves the bundle with this broker's address and a launcher named after the code", async () => {
    const r = await create();
    const dl = await page(`/j/${r.token}/download/linux-bundle`);
    assert.equal(dl.status, 200);
    assert.equal(
      dl.headers.get('content-disposition'),
      `attachment; filename="BeckonAssist-${r.code}.tar.gz"`,
    );
    const bytes = Buffer.from(await dl.arrayBuffer());
    assert.equal(Number(dl.headers.get('content-length')), bytes.length);
    const into = mkdtempSync(join(tmpdir(), 'beckon-bundle-'));
    try {
      writeFileSync(join(into, 'dl.tar.gz'), bytes);
      // Two gzip members, one archive: tar reads it whole and warns about nothing.
      const untar = spawnSync('tar', ['xzf', 'dl.tar.gz'], { cwd: into });
      assert.equal(untar.status, 0);
      assert.equal(untar.stderr.toString(), '');
      const dir = join(into, 'BeckonAssist');
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'beckon-assist.json'), 'utf8')), {
        brokerUrl: f.url,
      });
      assert.equal(readlinkSync(join(dir, `BeckonAssist-${r.code}`)), 'beckon-assist');
      const ran = execFileSync(join(dir, `BeckonAssist-${r.code}`)).toString();
      assert.equal(ran, `launched ${join(dir, `BeckonAssist-${r.code}`)}\n`);
    } finally {
      rmSync(into, { recursive: true, force: true });
    }
    await f.api('POST', `/api/v1/session-requests/${r.id}/close`);
    assert.equal((await page(`/j/${r.token}/download/linux-bundle`)).status, 410);
  });

  it('streams status changes without polling, and a closed link shows the closed page', async () => {
    const r = await create();
    const seen = await events(
      `/j/${r.token}/events`,
      (s) => s.includes('closed'),
      async () => {
        // The assist client joining is what makes it `waiting`.
        const join = await f.api('POST', '/api/v1/join', { token: r.token }, null);
        const ws = rawSignal(f.url, `ticket=${join.body.ticket}`);
        await ws.opened;
        ws.send({ type: 'hello', v: PROTOCOL_VERSION });
        await waitFor(async () => (await status(r.id)) === 'waiting', 5000, 'waiting');
        ws.ws.close();
        await f.api('POST', `/api/v1/session-requests/${r.id}/close`);
      },
    );
    assert.deepEqual(seen.slice(0, 2), ['open', 'waiting']);
    assert.equal(seen.at(-1), 'closed');
    const res = await page(`/j/${r.token}`);
    assert.equal(res.status, 410);
    assert.match(await res.text(), /data-ended="closed"/);
  });

  it('an expired link shows the expired page', async () => {
    const r = await create({ expiresAt: new Date(Date.now() + 1200).toISOString(), language: 'ja' });
    const seen = await events(`/j/${r.token}/events`, (s) => s.includes('expired'));
    assert.equal(seen.at(-1), 'expired');
    await sleep(50);
    const res = await page(`/j/${r.token}`);
    assert.equal(res.status, 410);
    const html = await res.text();
    assert.match(html, /data-ended="expired"/);
    assert.match(html, /このリンクの有効期限が切れています/);
    assert.equal((await page(`/j/${r.token}/download/windows`)).status, 410);
  });

  it('an unknown or malformed link shows the invalid page', async () => {
    for (const token of ['A'.repeat(43), 'nope', '%3Cscript%3E']) {
      const res = await page(`/j/${token}`);
      assert.equal(res.status, 404);
      assert.match(await res.text(), /data-ended="invalid"/);
    }
    assert.equal((await page(`/j/${'A'.repeat(43)}/events`)).status, 204);
  });
});

describe('the code entry page', () => {
  // Every post comes from 127.0.0.1: this test runs last, as it spends that address's budget.
  const post = (code: string) =>
    fetch(`${f.url}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code }).toString(),
      redirect: 'manual',
    });

  it('takes a typed code to its landing page', async () => {
    const r = await create();
    const res = await post(`${r.code.slice(0, 3)} ${r.code.slice(3)}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/j/${r.token}`);
    assert.equal(await status(r.id), 'open');
  });

  it('answers wrong codes clearly and throttles them like the join API', async () => {
    const form = await page('/join', { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' });
    assert.match(await form.text(), /세션 코드 입력/);
    const bad = await post('not a code <b>');
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(badHtml, /not a session code/);
    assert.match(badHtml, /value="not a code &lt;b&gt;"/);
    let last = 0;
    for (let i = 0; i < 8 && last !== 429; i++) last = (await post('s00-000-001')).status;
    assert.equal(last, 429);
    const limited = await post('s00-000-001');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.match(await limited.text(), /Too many attempts/);
    // The same address is refused by the API too: one throttle.
    assert.equal((await f.api('POST', '/api/v1/join', { code: 's00000001' }, null)).status, 429);
  });
});
