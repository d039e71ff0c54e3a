import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { parseWith, WebhookEventSchema, type WebhookEvent } from '@beckon/protocol';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { TestAgent } from '../testing/agent.ts';

// A helpdesk integration end to end with the real headless assist client: a
// token opens a service case, the customer joins with `beckon-assist`, a
// session runs over WebRTC, and a helpdesk's webhook receiver hears it all,
// signed, with the session's real duration.

process.once('beforeExit', () => process.exit());

const BIN = join(import.meta.dirname, '../../bin/beckon-assist.js');
let xvfb: Xvfb;
let broker: TestBroker;
let receiver: Server;
let receiverUrl = '';
let secret = '';
const events: WebhookEvent[] = [];
let badSignatures = 0;

before(async () => {
  xvfb = await startXvfb({ width: 640, height: 360 });
  broker = await startBroker({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1' });
  receiver = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      // Verified the way the README tells a helpdesk to: HMAC-SHA256 of "<t>.<raw body>".
      const header = String(req.headers['beckon-signature'] ?? '');
      const t = /t=(\d+)/.exec(header)?.[1] ?? '';
      const v1 = /v1=([0-9a-f]{64})/.exec(header)?.[1] ?? '';
      const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
      if (v1 !== expected) badSignatures++;
      const parsed = parseWith(WebhookEventSchema, JSON.parse(raw));
      if (parsed.ok) events.push(parsed.value);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
});
after(async () => {
  receiver.close();
  await broker.stop();
  await xvfb.stop();
});

const waitFor = async (check: () => boolean, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('a service case, a real session with the headless client, and every webhook, signed', async () => {
  const hook = await broker.api.request('POST', '/api/v1/webhooks', {
    url: receiverUrl,
    events: ['case.created', 'customer.joined', 'session.started', 'session.ended', 'case.closed'],
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  secret = hook.body.secret;
  const token = (
    await broker.api.request('POST', '/api/v1/api-tokens', {
      name: 'Helpdesk',
      scopes: ['service_cases:write'],
    })
  ).body.secret as string;
  const me = (await broker.api.request('GET', '/api/v1/me')).body.user.id as string;
  const created = await fetch(`${broker.url}/api/v1/service-cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      recipientName: 'Jane Roe',
      assignee: { type: 'agent', id: me },
      ticket: {
        system: 'zendesk',
        ticketId: 'ZD-7',
        category: 'Printing',
        type: 'incident',
        priority: 'high',
        source: 'email',
      },
    }),
  });
  assert.equal(created.status, 201);
  const c = (await created.json()) as { id: string; displayCode: string };

  // The host's own record goes to a scratch directory, not the user's data directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-assist-data-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const assist = spawn(
    process.execPath,
    [BIN, '--broker', broker.url, '--code', c.displayCode, '--display', xvfb.display, '--data-dir', dataDir],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  assist.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => assist.once('exit', r));
  await broker.api.waitForStatus(c.id, 'waiting');

  const agent = new TestAgent(broker.url, broker.token, c.id, wrtc);
  await agent.start();
  agent.connect(['view', 'control']);
  await waitFor(() => /asks to/.test(out), 'consent question on the terminal');
  assist.stdin.write('allow\n');
  await agent.live();
  await broker.api.waitForStatus(c.id, 'in_session');
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 1500));
  agent.endSession();
  const held = Date.now() - t0;
  await broker.api.waitForStatus(c.id, 'waiting');
  const closed = await fetch(`${broker.url}/api/v1/service-cases/${c.id}/close`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(closed.status, 200);

  const wanted = ['case.created', 'customer.joined', 'session.started', 'session.ended', 'case.closed'];
  await waitFor(() => wanted.every((t) => events.some((e) => e.type === t)), 'all five webhooks');
  assert.deepEqual(
    events.filter((e) => 'case' in e && e.case.id === c.id).map((e) => e.type),
    wanted,
  );
  assert.equal(badSignatures, 0);
  const ended = events.find((e) => e.type === 'session.ended');
  const duration = ended?.type === 'session.ended' ? ended.data.session.durationMs : null;
  // Start and end come from the real signaling events, so the duration is the time held, give or take the hops.
  assert.ok(
    duration !== null && Math.abs(duration - held) < 1000,
    `duration ${duration} ms vs held ${held} ms`,
  );

  agent.close();
  await exited;
});
