import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startFixture, waitFor, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(() => f.stop());

const wsUrl = () => `${f.url.replace('http', 'ws')}/api/v1/live`;

function connect(protocols: string[], headers: Record<string, string> = {}) {
  const ws = new WebSocket(wsUrl(), protocols, { headers });
  const messages: { type: string; change?: string; request?: { id: string; status: string } }[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  return {
    ws,
    messages,
    opened: new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    }),
  };
}

test('agents get request changes pushed live', async () => {
  const c = connect(['beckon.v1', `bearer.${f.adminToken}`]);
  await c.opened;
  await waitFor(() => c.messages.some((m) => m.type === 'hello'), 5000, 'hello');
  const r = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Live' })).body;
  await waitFor(
    () => c.messages.some((m) => m.change === 'created' && m.request?.id === r.id),
    5000,
    'created push',
  );
  await f.api('POST', `/api/v1/session-requests/${r.id}/close`);
  await waitFor(
    () => c.messages.some((m) => m.change === 'status' && m.request?.status === 'closed'),
    5000,
    'status push',
  );
  c.ws.close();
});

test('no credentials, a bad token or a foreign Origin are refused before the upgrade', async () => {
  await assert.rejects(connect(['beckon.v1']).opened, /HTTP 401/);
  await assert.rejects(connect(['beckon.v1', 'bearer.not-a-token']).opened, /HTTP 401/);
  await assert.rejects(
    connect(['beckon.v1', `bearer.${f.adminToken}`], { origin: 'https://evil.example' }).opened,
    /HTTP 403/,
  );
  const allowed = connect(['beckon.v1', `bearer.${f.adminToken}`], {
    origin: new URL(f.config.publicUrl).origin,
  });
  await allowed.opened;
  allowed.ws.close();
});
