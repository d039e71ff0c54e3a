import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { TestAgent } from '../testing/agent.ts';

// `scripts/beckon assist` as a person at a terminal uses it: a real process
// on a real Xvfb display, answering the consent question on standard input.

process.once('beforeExit', () => process.exit());

const BIN = join(import.meta.dirname, '../../bin/beckon-assist.js');
let xvfb: Xvfb;
let broker: TestBroker;
const downloads = mkdtempSync(join(tmpdir(), 'beckon-headless-'));

before(async () => {
  xvfb = await startXvfb({ width: 1280, height: 720 });
  broker = await startBroker();
});
after(async () => {
  await broker.stop();
  await xvfb.stop();
  rmSync(downloads, { recursive: true, force: true });
});

function assist(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [BIN, ...args, '--display', xvfb.display, '--download-dir', downloads, '--data-dir', downloads],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > end) throw new Error(`assist did not print ${pattern}; printed:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    say: (line: string) => child.stdin.write(`${line}\n`),
  };
}

test('joins by code, asks on the terminal, streams after "allow", "stop" ends the session', async () => {
  const request = await broker.api.createRequest();
  const a = assist(['--broker', broker.url, '--code', request.displayCode]);
  await a.waitFor(/Joined s\d\d-\d{3}-\d{3}/);
  await broker.api.waitForStatus(request.id, 'waiting');

  const agent = new TestAgent(broker.url, broker.token, request.id, wrtc);
  await agent.start();
  let mark = agent.connect(['view', 'control']);
  await a.waitFor(/asks to see your screen, control your mouse and keyboard/);
  a.say('deny');
  assert.equal((await agent.next('consent_result', mark)).granted, false);

  mark = agent.connect(['view', 'control']);
  await a.waitFor(/asks to[\s\S]*asks to/);
  a.say('allow');
  assert.equal((await agent.next('consent_result', mark)).granted, true);
  await agent.connected();
  await broker.api.waitForStatus(request.id, 'in_session');
  await a.waitFor(/You are being helped by/);
  const end = Date.now() + 15_000;
  while (agent.frames < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  assert.ok(agent.frames >= 5, `frames received: ${agent.frames}`);
  assert.equal(agent.lastFrame?.width, 1280);

  a.say('stop');
  await broker.api.waitForStatus(request.id, 'waiting');
  await a.waitFor(/session ended: stopped_by_user/);
  agent.close();
  a.child.kill('SIGINT');
  assert.equal(await a.exited, 0);
  await broker.api.waitForStatus(request.id, 'open');

  // The person at the computer reads what was asked and allowed here, without the broker.
  const history = spawnSync(process.execPath, [BIN, '--history', '--data-dir', downloads], {
    encoding: 'utf8',
  });
  assert.equal(history.status, 0, history.stderr);
  const lines = history.stdout.split('\n').filter((l) => l.includes(request.displayCode));
  assert.deepEqual(
    lines.map((l) => /(asked|answered|session started|session ended)/.exec(l)?.[1]),
    ['asked', 'answered', 'asked', 'answered', 'session started', 'session ended'],
  );
  assert.match(lines[1] ?? '', /deny$/);
  assert.match(lines[3] ?? '', /\[view, control\] {2}allow$/);
  assert.match(lines[5] ?? '', /stopped_by_user$/);
  assert.equal(statSync(join(downloads, 'host-record.jsonl')).mode & 0o777, 0o600);
});

test('joins by customer link alone; Ctrl-C stops and leaves; a dead link is a clear error', async () => {
  const request = await broker.api.createRequest();
  const a = assist(['--link', request.customerLink]);
  await a.waitFor(/Joined/);
  await broker.api.waitForStatus(request.id, 'waiting');
  a.child.kill('SIGINT');
  assert.equal(await a.exited, 0);
  await broker.api.waitForStatus(request.id, 'open');

  await broker.api.request('POST', `/api/v1/session-requests/${request.id}/close`);
  const dead = assist(['--link', request.customerLink]);
  assert.equal(await dead.exited, 1);
  assert.match(dead.output(), /not valid any more \(invalid_token\)/);
});

test('with neither code nor link it asks for the code on the terminal', async () => {
  const request = await broker.api.createRequest();
  const a = assist(['--broker', broker.url]);
  await a.waitFor(/Enter the session code/);
  a.say('not a code');
  await a.waitFor(/That is not a session code/);
  a.say(request.displayCode);
  await a.waitFor(/Joined/);
  await broker.api.waitForStatus(request.id, 'waiting');
  a.child.kill('SIGINT');
  assert.equal(await a.exited, 0);
});
