import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { pointerLocation, startXvfb, type Xvfb } from '@beckon/capture/testing';
import type { DataChannelMessage } from '@beckon/protocol';
import { bytesSource, FileTransfers } from '@beckon/session';
import { TestAgent } from '../testing/agent.ts';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { startSmtpSink, type SmtpSink } from '@beckon/broker/testing';
import { ASSIST_BIN, until as poll } from '../testing/managed-host.ts';
import { startTcpRelay, type TcpRelay } from '../testing/tcp-relay.ts';

// The provider connects to an activated temporary host with nobody at it
// (AH8, AH9): a real broker and SMTP server, the host installed by the CLI
// into a --prefix and running on Xvfb, its broker traffic through a relay the
// test cuts, a real WebRTC agent. Three connections (control, file manager,
// dashboard), one after a broker SIGKILL and restart, one after the host's
// network was cut and restored; a wrong predefined password ends a session
// with nothing sent. The provider ends it: the host removes itself.

process.once('beforeExit', () => process.exit());

const ALL = ['view', 'control', 'file_transfer', 'system_info'] as const;
let xvfb: Xvfb;
let broker: TestBroker;
let smtp: SmtpSink;
let relay: TcpRelay;
let host: ChildProcess;
let hostLog = '';
const prefix = mkdtempSync(join(tmpdir(), 'beckon-adhoc-conn-'));
const base = mkdtempSync(join(tmpdir(), 'beckon-adhoc-files-'));
const home = join(base, 'home');
let sessionId = '';
let hostId = '';
let password = '';
const agents: TestAgent[] = [];

/** The kit's poll, with the host's last output in the message when it times out. */
const until = <T>(fn: Parameters<typeof poll<T>>[0], ms: number, what: string) =>
  poll(fn, ms, what, () => hostLog.slice(-3000));

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ASSIST_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const online = async () => (await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body?.online === true;

before(async () => {
  mkdirSync(join(home, 'docs'), { recursive: true });
  writeFileSync(join(home, 'docs', 'a.txt'), 'hello from the host');
  mkdirSync(join(base, 'secret'));
  writeFileSync(join(base, 'secret', 'key'), 'SECRET');
  symlinkSync(join(base, 'secret'), join(home, 'out-link'));
  xvfb = await startXvfb({ width: 1280, height: 720 });
  smtp = await startSmtpSink();
  broker = await startBroker({
    BECKON_SMTP_URL: smtp.smtpUrl,
    BECKON_HOST_HEARTBEAT_MS: '1000',
    BECKON_SWEEP_MS: '200',
  });
  relay = await startTcpRelay(broker.url);
  await broker.api.request('PUT', '/api/v1/adhoc-seats', { seats: 1 });
  const made = await broker.api.request('POST', '/api/v1/adhoc-sessions', {
    userName: 'Ada',
    email: 'ada@example.com',
  });
  assert.equal(made.status, 201);
  sessionId = made.body.id;
  password = made.body.predefinedPassword;
  const mail = await until(
    () => smtp.received.find((m) => m.to.includes('ada@example.com')),
    15_000,
    'the mail',
  );
  const code = /(\d{5}-\d{5})/.exec(mail.decoded)?.[1] ?? '';
  assert.equal((await cli(['adhoc', 'install', '--broker', relay.url, '--prefix', prefix])).code, 0);
  const act = await cli(['adhoc', 'activate', '--prefix', prefix, '--code', code, '--allow', home]);
  assert.equal(act.code, 0, act.out);
  host = spawn(
    process.execPath,
    [ASSIST_BIN, 'adhoc', 'run', '--prefix', prefix, '--display', xvfb.display],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BECKON_ADHOC_REPORT_FOR_SEC: '30' },
    },
  );
  host.stdout?.on('data', (d: Buffer) => (hostLog += d.toString()));
  host.stderr?.on('data', (d: Buffer) => (hostLog += d.toString()));
  hostId = (await broker.api.request('GET', `/api/v1/adhoc-sessions/${sessionId}`)).body.hostId;
  await until(online, 20_000, 'the host online');
});

after(async () => {
  for (const a of agents) a.close();
  if (host.exitCode === null) host.kill('SIGKILL');
  await relay.stop();
  await broker.stop();
  await smtp.stop();
  await xvfb.stop();
  rmSync(prefix, { recursive: true, force: true });
  rmSync(base, { recursive: true, force: true });
});

/** Connect → the host admits by its grant (nobody asked) → verified → the password. */
async function connect(pw: string): Promise<{ agent: TestAgent; result: DataChannelMessage }> {
  const res = await broker.api.request('POST', `/api/v1/hosts/${hostId}/connect`);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await broker.api.waitForStatus(res.body.id, 'waiting', 40_000);
  const agent = new TestAgent(broker.url, broker.token, res.body.id, wrtc);
  agents.push(agent);
  await agent.start();
  const mark = agent.connect([...ALL]);
  const consent = await agent.next('consent_result', mark, 40_000);
  assert.equal(consent.granted, true, 'admitted without anyone at the computer');
  await agent.live(40_000);
  // The host asks once its side of the verification passed; sent earlier, the password would be dropped.
  await until(() => agent.received.find((m) => m.type === 'adhoc_auth_request'), 20_000, 'the host asking');
  agent.send({ type: 'adhoc_auth', password: pw });
  const result = await until(
    () => agent.received.find((m) => m.type === 'adhoc_auth_result'),
    20_000,
    'the password check',
  );
  return { agent, result };
}

async function ask<T extends DataChannelMessage['type']>(
  agent: TestAgent,
  m: DataChannelMessage & { id: string },
  type?: T,
) {
  const from = agent.received.length;
  agent.send(m);
  return until(
    () =>
      agent.received
        .slice(from)
        .find((r) => 'id' in r && r.id === m.id && (type ? r.type === type : r.type !== 'fm_progress')) as
        Extract<DataChannelMessage, { type: T }> | undefined,
    15_000,
    `the answer to ${m.type}`,
  );
}

test('a wrong predefined password: the host ends the session, not one frame sent', async () => {
  const { agent, result } = await connect('wrong-password');
  assert.deepEqual(result, { type: 'adhoc_auth_result', ok: false });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(agent.frames, 0);
  assert.match(hostLog, /a wrong predefined password/);
  agent.close();
});

test('connection 1, remote control: frames and input after the password', async () => {
  const { agent, result } = await connect(password);
  assert.deepEqual(result, { type: 'adhoc_auth_result', ok: true });
  await until(() => agent.frames > 0, 15_000, 'frames');
  const start = await pointerLocation(xvfb.display);
  for (let i = 0; i < 5; i++) agent.send({ type: 'pointer_move', x: 0.1 * (i + 1), y: 0.3 });
  // Input and the stop travel on different paths, and a stop can overtake input still in flight:
  // the stop goes once the X server shows the pointer moved.
  await until(
    async () => {
      const now = await pointerLocation(xvfb.display);
      return now.x !== start.x || now.y !== start.y;
    },
    15_000,
    'the pointer moved on the host',
  );
  agent.endSession();
  // The agent's `stop` and its closing race: whichever the host sees first ends it.
  await until(
    () =>
      /session ended: (peer_closed|agent_stopped); so far [1-9]\d* frames sent, [1-9]\d* input events/.test(
        hostLog,
      ),
    15_000,
    'the host closing with input',
  );
  agent.close();
});

test('connection 2, file manager, after the broker was SIGKILLed and restarted', async () => {
  await broker.kill();
  await broker.restart();
  await until(online, 30_000, 'the host back online');
  const { agent } = await connect(password);
  const roots = await ask(agent, { type: 'fm_roots', id: 'r' });
  assert.deepEqual(roots, { type: 'fm_roots_result', id: 'r', roots: [home] });
  const listing = await ask(agent, { type: 'fm_list', id: 'l', root: 0, path: '' }, 'fm_listing');
  assert.deepEqual(
    listing.entries.map((e) => e.name),
    ['docs', 'out-link'],
  );
  const refused: [string, string][] = [
    ['..', 'bad_name'],
    ['/etc', 'bad_name'],
    ['out-link', 'outside_allowed'],
    ['docs/\u0007', 'bad_name'],
  ];
  for (const [path, code] of refused)
    assert.equal(
      (await ask(agent, { type: 'fm_list', id: `x${code}`, root: 0, path }, 'fm_error')).code,
      code,
      path,
    );

  // Download over the file-transfer machinery, with progress.
  const peer = await agent.connected();
  let got = '';
  const files = new FileTransfers(peer.filesTransport(), {
    onOffer: async () => ({
      accept: true,
      sink: {
        write: async (c) => void (got += Buffer.from(c).toString()),
        close: async () => {},
        abort: async () => {},
      },
    }),
  });
  const dl = await ask(agent, { type: 'fm_download', id: 'd', root: 0, path: 'docs/a.txt' });
  assert.equal(dl.type, 'fm_done');
  assert.equal(got, 'hello from the host');
  assert.ok(
    agent.received.some((m) => m.type === 'fm_progress' && m.id === 'd'),
    'progress',
  );
  // Upload: announced, then offered by its id.
  const up = new TextEncoder().encode('uploaded bytes');
  agent.send({ type: 'fm_upload', id: 'u', root: 0, path: 'docs/up.txt', size: up.length });
  await files.send({ name: 'u', source: bytesSource(up) }).done;
  await until(
    () => agent.received.find((m) => m.type === 'fm_done' && m.id === 'u'),
    10_000,
    'the upload done',
  );
  assert.equal(readFileSync(join(home, 'docs', 'up.txt'), 'utf8'), 'uploaded bytes');
  assert.equal(
    (await ask(agent, { type: 'fm_rename', id: 'n', root: 0, from: 'docs/up.txt', to: 'docs/renamed.txt' }))
      .type,
    'fm_done',
  );
  assert.equal(
    (await ask(agent, { type: 'fm_delete', id: 'x', root: 0, path: 'docs/renamed.txt' })).type,
    'fm_done',
  );
  assert.ok(!existsSync(join(home, 'docs', 'renamed.txt')));
  assert.equal(
    (await ask(agent, { type: 'fm_delete', id: 'y', root: 0, path: 'out-link/key' }, 'fm_error')).code,
    'outside_allowed',
  );
  assert.ok(existsSync(join(base, 'secret', 'key')));
  files.dispose();
  agent.endSession();
  agent.close();
});

test('connection 3, dashboard, after the host network was cut and restored', async () => {
  relay.cut();
  await until(async () => !(await online()), 15_000, 'the host offline');
  relay.restore();
  await until(online, 30_000, 'the host back online');
  const { agent } = await connect(password);
  agent.send({ type: 'sysinfo_request' });
  const info = await until(
    () => agent.received.find((m) => m.type === 'sysinfo_snapshot'),
    15_000,
    'system information',
  );
  assert.ok(info.type === 'sysinfo_snapshot' && info.info.memory.totalBytes > 0);
  agent.send({ type: 'monitor_start', intervalMs: 500 });
  const sample = await until(
    () => agent.received.find((m) => m.type === 'monitor_sample'),
    15_000,
    'a live sample',
  );
  assert.ok(sample.type === 'monitor_sample' && sample.memTotalBytes > 0);
  const procs = await ask(agent, { type: 'processes_request', id: 'p' }, 'processes');
  assert.ok(
    procs.items.length > 0 && procs.items.some((p) => p.pid === host.pid),
    'the host itself is listed',
  );
  agent.endSession();
  agent.close();
});

test('the provider ends it: the host removes itself and the broker shows removed', async () => {
  assert.equal(
    (await broker.api.request('POST', `/api/v1/adhoc-sessions/${sessionId}/end`)).body.status,
    'ended',
  );
  await until(() => host.exitCode !== null, 30_000, 'the host exiting');
  assert.equal(host.exitCode, 0);
  assert.deepEqual(readdirSync(prefix), ['var']);
  const done = await until(
    async () => {
      const s = (await broker.api.request('GET', `/api/v1/adhoc-sessions/${sessionId}`)).body;
      return s.status === 'removed' ? s : null;
    },
    15_000,
    'removed',
  );
  const kinds = done.events.map((e: { kind: string }) => e.kind);
  assert.deepEqual(
    kinds.filter((k: string) => k !== 'connection'),
    ['created', 'activated', 'ended', 'removed'],
  );
  assert.equal(kinds.filter((k: string) => k === 'connection').length, 4, 'each connection recorded');
});
