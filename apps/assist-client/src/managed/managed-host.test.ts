import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { runHostCli } from './host-cli.ts';
import { until } from '../testing/managed-host.ts';
import { installPaths } from './install.ts';

// The managed host as an administrator runs it: installed with --prefix into a
// temporary directory, started as its systemd unit would start it (the unit's
// own ExecStart line), against a real broker process.

const HEARTBEAT_MS = 2000;
let broker: TestBroker;
const prefix = mkdtempSync(join(tmpdir(), 'beckon-host-prefix-'));
const children: ChildProcess[] = [];

before(async () => {
  broker = await startBroker({ BECKON_HOST_HEARTBEAT_MS: String(HEARTBEAT_MS) });
});
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await broker.stop();
  rmSync(prefix, { recursive: true, force: true });
});

const io = () => {
  const lines: string[] = [];
  return { lines, out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
};

/** The unit's ExecStart, split as systemd would (the test paths need no quoting). */
function execStart(unitFile: string): string[] {
  const line = readFileSync(unitFile, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ExecStart='));
  assert.ok(line, 'the unit has an ExecStart');
  return line.slice('ExecStart='.length).split(' ');
}

function startHost(argv: string[]) {
  const [cmd, ...args] = argv as [string, ...string[]];
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((r) => child.once('exit', r)) };
}

const mode = (file: string) => statSync(file).mode & 0o777;

test('install --dry-run writes nothing', async () => {
  const dry = mkdtempSync(join(tmpdir(), 'beckon-host-dry-'));
  const o = io();
  const code = await runHostCli(['install', '--broker', broker.url, '--prefix', dry, '--dry-run'], o);
  assert.equal(code, 0);
  assert.deepEqual(readdirSync(dry), []);
  assert.match(o.lines.join('\n'), /would write .*beckon-host\.service/);
  rmSync(dry, { recursive: true });
});

test('installed with --prefix: enrols, online, offline when killed, back by itself after a broker SIGKILL and restart', async () => {
  const enrolment = await broker.api.request('POST', '/api/v1/hosts/enrolment-codes', {});
  assert.equal(enrolment.status, 201);
  const o = io();
  const installed = await runHostCli(
    [
      'install',
      '--broker',
      broker.url,
      '--enrolment-code',
      enrolment.body.code,
      '--name',
      'Lobby kiosk',
      '--prefix',
      prefix,
    ],
    o,
  );
  assert.equal(installed, 0, o.lines.join('\n'));
  const paths = installPaths(prefix);
  for (const file of [paths.unit, paths.config, paths.manifest]) assert.equal(mode(file), 0o600, file);
  assert.equal(mode(paths.stateDir), 0o700);
  assert.match(o.lines.join('\n'), /not run .*systemctl enable --now beckon-host\.service/);

  const argv = execStart(paths.unit);
  let host = startHost(argv);
  const hostId = await until(
    async () =>
      (await broker.api.request('GET', '/api/v1/hosts?q=Lobby')).body.items?.[0]?.id as string | undefined,
    20_000,
    'enrolment',
  );
  const online = async () =>
    (await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body.online === true;
  await until(online, 20_000, `online; host printed:\n${host.output()}`);
  // The key was made here, owner-only, and only its public half went to the broker.
  const keyFile = join(paths.stateDir, 'host-key.pem');
  assert.equal(mode(keyFile), 0o600);
  assert.doesNotMatch(
    JSON.stringify((await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body),
    /PRIVATE/,
  );
  const detail = (await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body;
  assert.equal(detail.presence.os, 'linux');
  // System information on request, asked of the host over its socket.
  const info = await broker.api.request('GET', `/api/v1/hosts/${hostId}/system-info`);
  assert.equal(info.status, 200, JSON.stringify(info.body));
  assert.equal(info.body.os.platform, 'linux');
  assert.ok(info.body.memory.totalBytes > 0);

  // Killed: offline within the heartbeat interval.
  host.child.kill('SIGKILL');
  const killedAt = Date.now();
  await until(async () => !(await online()), HEARTBEAT_MS, 'offline after kill');
  const offlineAfter = Date.now() - killedAt;
  assert.ok(offlineAfter <= HEARTBEAT_MS, `offline after ${offlineAfter} ms`);

  // Started again (as systemd would): no new enrolment, the same host.
  host = startHost(argv);
  await until(online, 20_000, 'online again');
  assert.equal((await broker.api.request('GET', '/api/v1/hosts')).body.items.length, 1);

  // The broker dies and comes back: the host reconnects by itself.
  await broker.kill();
  await broker.restart();
  const restartedAt = Date.now();
  await until(online, 30_000, `online after broker restart; host printed:\n${host.output()}`);
  console.log(`back online ${Date.now() - restartedAt} ms after the broker restarted`);
  assert.equal(host.child.exitCode, null, 'the same process');

  // Key rotation: `run --rotate-key` has the broker take a new key and quits; the new key opens.
  host.child.kill('SIGTERM');
  assert.equal(await host.exited, 0);
  const before = (await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body.keyFingerprint;
  const rotate = startHost([...argv, '--rotate-key']);
  assert.equal(await rotate.exited, 0, rotate.output());
  assert.notEqual((await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body.keyFingerprint, before);
  assert.ok(!existsSync(join(paths.stateDir, 'host-key.next.pem')));
  host = startHost(argv);
  await until(online, 20_000, 'online with the new key');

  // Deleted: its socket is closed, and the host stops (exit 3: refused) rather than retrying forever.
  assert.equal((await broker.api.request('DELETE', `/api/v1/hosts/${hostId}`)).status, 204);
  assert.equal(await host.exited, 3);

  const un = io();
  assert.equal(await runHostCli(['uninstall', '--prefix', prefix], un), 0, un.lines.join('\n'));
  assert.deepEqual(readdirSync(prefix), [], 'uninstall removed everything install (and the host) wrote');
  assert.ok(!existsSync(keyFile));
});
