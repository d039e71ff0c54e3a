import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '../testing/broker-process.ts';
import { ADMIN, login, request, waitFor } from '../testing/fixture.ts';
import { redactUrl } from './logging.ts';

// The real `beckon-broker serve`, logging at info level to stdout as in production.

const dataDir = mkdtempSync(join(tmpdir(), 'beckon-log-'));
let broker: TestBroker;
let token: string;
before(async () => {
  broker = await startBroker(
    {
      BECKON_LOG_LEVEL: 'info',
      BECKON_ADMIN_EMAIL: ADMIN.email,
      BECKON_ADMIN_PASSWORD: ADMIN.password,
      BECKON_TRUST_PROXY: 'true',
      BECKON_JOIN_MISS_BUDGET: '5',
    },
    { dataDir },
  );
  token = await login(broker.url, ADMIN.email, ADMIN.password);
});
after(async () => {
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the access log names no link token and no secret query value', async () => {
  const created = await request(
    broker.url,
    'POST',
    '/api/v1/session-requests',
    { recipientName: 'Ada' },
    token,
  );
  assert.equal(created.status, 201);
  const link = created.body.customerLink as string;
  const linkToken = link.split('/j/')[1]!;
  assert.equal((await fetch(link)).status, 200);
  const events = await fetch(`${link}/events`);
  await events.body!.getReader().read();
  await events.body!.cancel().catch(() => {});
  await fetch(`${link}/download/windows`);
  await fetch(`${link}?from=mail`);
  await fetch(`${broker.url}/api/v1/signal?ticket=SECRETTICKET123&x=1`);
  // Pino writes asynchronously: wait for the last request's line.
  await waitFor(() => broker.output().includes('/api/v1/signal'), 5000, 'the access log');
  const out = broker.output();
  assert.ok(out.includes('"url":"/j/[redacted]"'), 'link requests are logged, redacted');
  assert.ok(out.includes('/j/[redacted]/events'));
  assert.ok(out.includes('ticket=[redacted]&x=1'));
  assert.ok(!out.includes(linkToken), 'no link token in the log');
  assert.ok(!out.includes('SECRETTICKET123'), 'no ticket in the log');
});

test('redactUrl: every spelling of a link path, secret query values', () => {
  assert.equal(redactUrl('/j/abc.def'), '/j/[redacted]');
  assert.equal(redactUrl('/j/abc/events?x=1'), '/j/[redacted]/events?x=1');
  assert.equal(redactUrl('//J/abc'), '//j/[redacted]');
  assert.equal(
    redactUrl('/api/v1/join?code=s12345678&token=t&ok=1'),
    '/api/v1/join?code=[redacted]&token=[redacted]&ok=1',
  );
  assert.equal(redactUrl('/api/v1/session-requests?limit=5'), '/api/v1/session-requests?limit=5');
});

test('a spent join budget is logged once', async () => {
  for (let i = 0; i < 20; i++) {
    await request(broker.url, 'POST', '/api/v1/join', { code: `s${String(20_000_000 + i * 7919)}` }, null, {
      'x-forwarded-for': `192.0.2.${i + 1}`,
    });
  }
  const line = 'the budget of wrong session codes is spent';
  await waitFor(() => broker.output().includes(line), 5000, 'the alarm line');
  assert.equal(broker.output().split(line).length - 1, 1, 'once');
});
