import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sleep, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { withTestDb } from '../testing/test-storage.ts';
import { startHelpdeskSim, type HelpdeskSim } from '../testing/helpdesk-sim.ts';

let listener: HelpdeskSim;
let redirector: HelpdeskSim;
let f: Fixture;

before(async () => {
  // The local service an attacker would like to reach: it must never be hit.
  listener = await startHelpdeskSim();
  // An allowlisted receiver that answers every delivery with a redirect to the listener.
  redirector = await startHelpdeskSim({
    host: '127.0.0.2',
    handler: (_req, res) => {
      res.writeHead(307, { location: listener.url }).end();
      return true;
    },
  });
  f = await startFixture({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.2', BECKON_WEBHOOK_RETRY_BASE_MS: '100' });
});
after(async () => {
  await f.stop();
  await listener.stop();
  await redirector.stop();
});

const register = (url: string) => f.api('POST', '/api/v1/webhooks', { url, events: ['case.created'] });

async function newCase(ticketId: string) {
  const token = (
    await f.api('POST', '/api/v1/api-tokens', { name: `t-${ticketId}`, scopes: ['service_cases:write'] })
  ).body.secret;
  const ticket = { system: 'x', ticketId, category: 'c', type: 't', priority: 'p', source: 's' };
  const res = await f.api('POST', '/api/v1/service-cases', { recipientName: 'R', ticket }, token);
  assert.equal(res.status, 201);
  return res.body.id as string;
}

test('webhook URLs at loopback, in any spelling or behind a name, are refused at registration', async () => {
  const port = listener.port;
  for (const url of [
    `http://127.0.0.1:${port}/hook`,
    `https://127.0.0.1:${port}/hook`,
    `http://[::ffff:127.0.0.1]:${port}/hook`,
    `https://[::ffff:127.0.0.1]:${port}/hook`,
    `http://2130706433:${port}/hook`,
    `https://2130706433:${port}/hook`,
    `https://0x7f000001:${port}/hook`,
    `http://localhost:${port}/hook`,
    `https://localhost:${port}/hook`,
    `https://[::1]:${port}/hook`,
    `https://0.0.0.0:${port}/hook`,
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.1/hook',
  ]) {
    const res = await register(url);
    assert.equal(res.status, 400, url);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.equal(res.body.error.details.issues[0].path, 'url');
    assert.match(res.body.error.message, /refused/);
  }
  assert.equal((await f.api('GET', '/api/v1/webhooks')).body.items.length, 0);
  await sleep(300);
  assert.equal(listener.hits, 0, 'the local listener got no hit');
});

test('a redirect to loopback is not followed', async () => {
  const hook = await register(redirector.url);
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  await newCase('redirect');
  await waitFor(() => redirector.hits >= 2, 10_000, 'delivery attempts at the redirector');
  const deliveries = (await f.api('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`)).body.items;
  assert.equal(deliveries[0].status, 'pending');
  assert.equal(deliveries[0].lastStatusCode, 307);
  assert.match(deliveries[0].lastError, /redirect 307 not followed/);
  assert.equal(listener.hits, 0, 'the local listener got no hit');
  await f.api('DELETE', `/api/v1/webhooks/${hook.body.id}`);
});

test('the guard runs again at delivery: an endpoint that became local is refused then', async () => {
  // As if DNS had changed since registration: the row points at loopback without passing registration.
  const id = randomUUID();
  const now = new Date().toISOString();
  await withTestDb(f.config.dbFile, async (q) => {
    const orgId = (await q('SELECT id FROM orgs'))[0]!.id as string;
    await q(
      `INSERT INTO webhooks (id, org_id, url, events, secret_salt, active, created_at, updated_at)
       VALUES (?, ?, ?, '["case.created"]', 'salt', TRUE, ?, ?)`,
      [id, orgId, listener.url, now, now],
    );
  });
  await newCase('rebound');
  const last = await waitFor(
    async () => (await f.api('GET', `/api/v1/webhooks/${id}/deliveries`)).body.items[0]?.lastError as string,
    10_000,
    'a refused attempt',
  );
  assert.match(last, /127\.0\.0\.1 is a loopback address/);
  await sleep(300);
  assert.equal(listener.hits, 0, 'the local listener got no hit');
});

test('with the allowlist, local receivers are reachable over http', async () => {
  const local = await startFixture({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1,localhost' });
  try {
    for (const url of [
      listener.url,
      `http://[::ffff:127.0.0.1]:${listener.port}/x`,
      `http://localhost:${listener.port}/x`,
    ]) {
      const res = await local.api('POST', '/api/v1/webhooks', { url, events: ['case.created'] });
      assert.equal(res.status, 201, url);
    }
    const token = (
      await local.api('POST', '/api/v1/api-tokens', { name: 'L', scopes: ['service_cases:write'] })
    ).body.secret;
    const ticket = { system: 'x', ticketId: 'local', category: 'c', type: 't', priority: 'p', source: 's' };
    assert.equal(
      (await local.api('POST', '/api/v1/service-cases', { recipientName: 'R', ticket }, token)).status,
      201,
    );
    await waitFor(() => listener.received.length === 3, 10_000, 'three deliveries, one per endpoint');
    // Still https-only and still local-free for everything else.
    assert.equal(
      (await local.api('POST', '/api/v1/webhooks', { url: 'http://10.0.0.1/x', events: ['case.created'] }))
        .status,
      400,
    );
  } finally {
    await local.stop();
  }
});
