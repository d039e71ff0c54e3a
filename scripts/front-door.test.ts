import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The README's commands, run as a new user runs them: `scripts/beckon …` as a
// process, with nothing but the documented environment. A green suite once hid
// a `start` that died at once; this file is what keeps the front door open.
const BECKON = new URL('./beckon', import.meta.url).pathname;
const BENCH = new URL('../bench', import.meta.url).pathname;

/** The environment of someone who has set nothing of Beckon's, but what the README names. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BECKON_')) env[k] = v;
  return { ...env, ...extra };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Started {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(dataDir: string, port: number): Started {
  const proc = spawn(BECKON, ['start'], {
    env: userEnv({ BECKON_DATA_DIR: dataDir, BECKON_PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, output: () => out, exited };
}

/** Waits until the console's page answers, failing at once if `start` exits first. */
async function consoleUp(s: Started, url: string, timeoutMs = 120_000): Promise<string> {
  let dead = false;
  void s.exited.then(() => (dead = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (dead) throw new Error(`scripts/beckon start exited before serving the console:\n${s.output()}`);
    const res = await fetch(url).catch(() => null);
    if (res?.status === 200) return res.text();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the console did not answer at ${url}:\n${s.output()}`);
}

async function signIn(base: string, email: string, password: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return res.status;
}

/**
 * The end user's first minute on a plain start: a request's landing page, seen
 * from Linux, offers the self-contained bundle first, and it downloads as a
 * gzipped tar holding the launcher named after the code (bundle.test.ts runs it).
 */
async function linuxDownload(base: string, email: string, password: string): Promise<void> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { token } = (await login.json()) as { token: string };
  const created = await fetch(`${base}/api/v1/session-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ recipientName: 'First Minute' }),
  });
  const { customerLink, code } = (await created.json()) as { customerLink: string; code: string };
  const html = await (
    await fetch(customerLink, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } })
  ).text();
  const href = /class="button primary" href="([^"]+\/download\/linux-bundle)"/.exec(html)?.[1];
  assert.ok(href, `the Linux bundle is the first download:\n${html}`);
  assert.doesNotMatch(html, /not available on this server/);
  const dl = await fetch(`${base}${href}`);
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-disposition'), `attachment; filename="BeckonAssist-${code}.tar.gz"`);
  const dir = mkdtempSync(join(tmpdir(), 'beckon-first-minute-'));
  try {
    writeFileSync(join(dir, 'dl.tar.gz'), Buffer.from(await dl.arrayBuffer()));
    const list = spawnSync('tar', ['tzf', 'dl.tar.gz'], { cwd: dir, encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    for (const entry of [
      'BeckonAssist/beckon-assist',
      'BeckonAssist/lib/node',
      `BeckonAssist/BeckonAssist-${code}`,
    ])
      assert.ok(list.stdout.split('\n').includes(entry), `${entry} in the download`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ctrl-C: SIGINT stops it within 5 s, exiting 0. */
async function interrupt(s: Started): Promise<void> {
  s.proc.kill('SIGINT');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
  const result = await Promise.race([s.exited, timeout]);
  if (result === 'timeout') s.proc.kill('SIGKILL');
  assert.deepEqual(result, { code: 0, signal: null }, s.output());
}

test('scripts/beckon start serves the console, prints the first admin once, and stops on Ctrl-C', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-start-'));
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = start(dataDir, port);
    let email: string;
    let password: string;
    try {
      const html = await consoleUp(first, `${base}/console/`);
      assert.match(html, /<title>Beckon<\/title>[\s\S]*<div id="root">/, 'the console page');
      assert.ok(first.output().includes(`${base}/console/`), `output names the URL:\n${first.output()}`);
      email = /email: +(\S+)/.exec(first.output())?.[1] ?? '';
      password = /password: +(\S+)/.exec(first.output())?.[1] ?? '';
      assert.ok(email && password, `output shows the admin:\n${first.output()}`);
      const file = join(dataDir, 'initial-admin.txt');
      assert.equal(statSync(file).mode & 0o777, 0o600, 'owner-only');
      assert.equal(readFileSync(file, 'utf8'), `email: ${email}\npassword: ${password}\n`);
      assert.equal(await signIn(base, email, password), 200);
      assert.equal(await signIn(base, email, `${password}x`), 401);
      await linuxDownload(base, email, password);
      const favicon = await fetch(`${base}/favicon.ico`);
      assert.equal(favicon.headers.get('content-type'), 'image/x-icon');
    } finally {
      await interrupt(first);
    }

    const again = start(dataDir, port);
    try {
      await consoleUp(again, `${base}/console/`);
      assert.doesNotMatch(again.output(), /password: /, 'no new password on a second start');
      assert.ok(!again.output().includes(password), 'the first password is not shown again');
      assert.equal(await signIn(base, email, password), 200);
    } finally {
      await interrupt(again);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the other subcommands answer with their usage; an unknown one exits 2', () => {
  const run = (...args: string[]) =>
    spawnSync(BECKON, args, { env: userEnv({}), encoding: 'utf8', timeout: 120_000 });
  for (const [args, usage] of [
    [['assist', '--help'], /usage: beckon-assist/],
    [['broker', '--help'], /usage: beckon-broker/],
    [['package-assist', '--help'], /usage: scripts\/beckon package-assist/],
    [['help'], /usage: scripts\/beckon <command>/],
  ] as const) {
    const r = run(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout + r.stderr, usage, args.join(' '));
  }
  const bench = run('bench');
  assert.equal(bench.status, 0, bench.stderr);
  const benches = readdirSync(BENCH, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(BENCH, d.name, 'run.ts')))
    .map((d) => d.name);
  assert.ok(benches.length > 0);
  assert.deepEqual(bench.stdout.trim().split('\n').sort(), benches.sort());
  const unknown = run('no-such-command');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stdout + unknown.stderr, /usage: scripts\/beckon <command>/);
});
