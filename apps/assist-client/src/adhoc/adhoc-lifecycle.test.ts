import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { startSmtpSink, type SmtpSink } from '@beckon/broker/testing';
import { ASSIST_BIN, until } from '../testing/managed-host.ts';

// The temporary host's life with real processes: a real broker, a real SMTP
// server, the beckon-assist CLI installing into a --prefix. Refusals first
// (no admin rights: run as `nobody`; the permanent host present; a wrong
// code), then activation with the code from the real mail and the shortened
// clock ending it: files gone, process exited, the broker shows "removed";
// also when the broker is down at that moment.

process.once('beforeExit', () => process.exit());

const DURATION_MS = 6000;
let broker: TestBroker;
let smtp: SmtpSink;
const dirs: string[] = [];

before(async () => {
  smtp = await startSmtpSink();
  broker = await startBroker({
    BECKON_SMTP_URL: smtp.smtpUrl,
    BECKON_ADHOC_DURATION_MS: String(DURATION_MS),
    BECKON_SWEEP_MS: '200',
    BECKON_HOST_HEARTBEAT_MS: '1000',
  });
  assert.equal((await broker.api.request('PUT', '/api/v1/adhoc-seats', { seats: 3 })).status, 200);
});
after(async () => {
  await broker.stop();
  await smtp.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(name: string): string {
  const d = mkdtempSync(join(tmpdir(), name));
  dirs.push(d);
  return d;
}

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    // Walked while the host removes itself: a folder gone since its parent was read is gone.
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      out.push(`${rel}${e.name}${e.isDirectory() ? '/' : ''}`);
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
    }
  };
  walk(dir, '');
  return out.sort();
}

interface Run {
  code: number | null;
  out: string;
}
function cli(args: string[], opts: { uid?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ASSIST_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...opts,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

async function newSession(email: string): Promise<{ id: string; code: string }> {
  const made = await broker.api.request('POST', '/api/v1/adhoc-sessions', {
    userName: 'Ada',
    email,
    language: 'en',
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const mail = await until(() => smtp.received.find((m) => m.to.includes(email)), 15_000, 'the invite mail');
  const code = /(\d{5}-\d{5})/.exec(mail.decoded)?.[1];
  assert.ok(code, 'a code in the mail');
  assert.ok(!mail.decoded.includes(made.body.predefinedPassword), 'never the password in the mail');
  return { id: made.body.id as string, code };
}

function startHost(prefix: string): {
  child: ChildProcess;
  exited: Promise<number | null>;
  log: () => string;
} {
  const child = spawn(process.execPath, [ASSIST_BIN, 'adhoc', 'run', '--prefix', prefix], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BECKON_ADHOC_REPORT_FOR_SEC: '60' },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, log: () => out };
}

test('refused without admin rights, next to the permanent host, and with a wrong code; nothing left', async () => {
  const prefix = tempDir('beckon-adhoc-noadmin-');
  const noAdmin = await cli(['adhoc', 'install', '--broker', broker.url, '--prefix', join(prefix, 'root')], {
    uid: 65534,
  });
  assert.equal(noAdmin.code, 4, noAdmin.out);
  assert.match(noAdmin.out, /needs administrator rights/);
  assert.deepEqual(tree(prefix), []);

  const withHost = tempDir('beckon-adhoc-permanent-');
  assert.equal((await cli(['host', 'install', '--broker', broker.url, '--prefix', withHost])).code, 0);
  const before = tree(withHost);
  const refused = await cli(['adhoc', 'install', '--broker', broker.url, '--prefix', withHost]);
  assert.equal(refused.code, 4, refused.out);
  assert.match(refused.out, /already runs the permanent Beckon host/);
  assert.deepEqual(tree(withHost), before, 'nothing added');

  const p = tempDir('beckon-adhoc-wrong-');
  assert.equal((await cli(['adhoc', 'install', '--broker', broker.url, '--prefix', p])).code, 0);
  const wrong = await cli(['adhoc', 'activate', '--prefix', p, '--code', '00000-00000', '--allow', p]);
  assert.equal(wrong.code, 4, wrong.out);
  assert.match(wrong.out, /activation refused: unknown or used security code/);
  assert.equal((await cli(['adhoc', 'end', '--prefix', p])).code, 0);
  assert.deepEqual(tree(p), ['var/', 'var/log/', 'var/log/beckon-adhoc-receipt.txt']);
});

test('activated with the code from the mail; the clock ends it; the host removes itself; the broker shows removed', async () => {
  const { id, code } = await newSession('ada@example.com');
  const prefix = tempDir('beckon-adhoc-life-');
  const home = tempDir('beckon-adhoc-home-');
  assert.equal((await cli(['adhoc', 'install', '--broker', broker.url, '--prefix', prefix])).code, 0);
  const act = await cli([
    'adhoc',
    'activate',
    '--prefix',
    prefix,
    '--code',
    code,
    '--allow',
    home,
    '--name',
    'Ada laptop',
  ]);
  assert.equal(act.code, 0, act.out);
  const host = startHost(prefix);
  const session = (await broker.api.request('GET', `/api/v1/adhoc-sessions/${id}`)).body;
  assert.equal(session.status, 'activated');
  await until(
    async () => (await broker.api.request('GET', `/api/v1/hosts/${session.hostId}`)).body.online,
    15_000,
    'the host online',
  );
  // A used code does not activate a second computer.
  const again = tempDir('beckon-adhoc-again-');
  assert.equal((await cli(['adhoc', 'install', '--broker', broker.url, '--prefix', again])).code, 0);
  assert.equal((await cli(['adhoc', 'activate', '--prefix', again, '--code', code])).code, 4);
  await cli(['adhoc', 'end', '--prefix', again]);

  assert.equal(await host.exited, 0, host.log());
  assert.deepEqual(tree(prefix), ['var/', 'var/log/', 'var/log/beckon-adhoc-receipt.txt'], host.log());
  assert.match(readFileSync(join(prefix, 'var/log/beckon-adhoc-receipt.txt'), 'utf8'), /\(expired\)/);
  const done = (await broker.api.request('GET', `/api/v1/adhoc-sessions/${id}`)).body;
  assert.equal(done.status, 'removed');
  assert.deepEqual(
    done.events.map((e: { kind: string }) => e.kind),
    ['created', 'activated', 'ended', 'removed'],
  );
});

test('with the broker down when the time is up, the host still removes itself, and reports it once the broker is back', async () => {
  const { id, code } = await newSession('bo@example.com');
  const prefix = tempDir('beckon-adhoc-down-');
  assert.equal((await cli(['adhoc', 'install', '--broker', broker.url, '--prefix', prefix])).code, 0);
  assert.equal(
    (await cli(['adhoc', 'activate', '--prefix', prefix, '--code', code, '--allow', prefix])).code,
    0,
  );
  const host = startHost(prefix);
  const hostId = (await broker.api.request('GET', `/api/v1/adhoc-sessions/${id}`)).body.hostId as string;
  await until(
    async () => (await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body.online,
    15_000,
    'the host online',
  );
  await broker.kill();
  try {
    await until(() => tree(prefix).length === 3, DURATION_MS + 10_000, 'the removal with the broker down');
    assert.deepEqual(tree(prefix), ['var/', 'var/log/', 'var/log/beckon-adhoc-receipt.txt']);
    assert.equal(host.child.exitCode, null, 'still waiting to tell the broker');
  } finally {
    // Back whatever happened above: the tests after this one need it.
    await broker.restart();
  }
  assert.equal(await host.exited, 0, host.log());
  const done = (await broker.api.request('GET', `/api/v1/adhoc-sessions/${id}`)).body;
  assert.equal(done.status, 'removed');
  assert.equal(done.endReason, 'expired');
});

test('the user ends it early from the computer: removed there, the broker shows ended by the user and removed', async () => {
  const { id, code } = await newSession('cy@example.com');
  const prefix = tempDir('beckon-adhoc-user-');
  assert.equal((await cli(['adhoc', 'install', '--broker', broker.url, '--prefix', prefix])).code, 0);
  assert.equal(
    (await cli(['adhoc', 'activate', '--prefix', prefix, '--code', code, '--allow', prefix])).code,
    0,
  );
  const host = startHost(prefix);
  const hostId = (await broker.api.request('GET', `/api/v1/adhoc-sessions/${id}`)).body.hostId as string;
  await until(
    async () => (await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body.online,
    15_000,
    'the host online',
  );
  const ended = await cli(['adhoc', 'end', '--prefix', prefix]);
  assert.equal(ended.code, 0, ended.out);
  assert.equal(await host.exited, 0, host.log());
  assert.deepEqual(tree(prefix), ['var/', 'var/log/', 'var/log/beckon-adhoc-receipt.txt']);
  const done = (await broker.api.request('GET', `/api/v1/adhoc-sessions/${id}`)).body;
  assert.equal(done.status, 'removed');
  assert.equal(done.endReason, 'user');
});
