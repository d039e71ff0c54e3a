import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from './testing/broker-process.ts';
import { ADMIN, login, request, sleep } from './testing/fixture.ts';

test('SIGKILL and restart: nothing committed is lost, and what expired meanwhile is expired', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-restart-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  try {
    // Admin from the environment; the same port both times, so tokens and links stay valid.
    const env = {
      BECKON_PORT: String(port),
      BECKON_ADMIN_EMAIL: ADMIN.email,
      BECKON_ADMIN_PASSWORD: ADMIN.password,
    };
    const first = await startBroker(env, { dataDir });
    const token = await login(first.url, ADMIN.email, ADMIN.password);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await request(
        first.url,
        'POST',
        '/api/v1/session-requests',
        { recipientName: `Person ${i}`, recipientEmail: `p${i}@example.com`, sendInvite: true },
        token,
      );
      assert.equal(res.status, 201);
      ids.push(res.body.id);
    }
    const shortLived = await request(
      first.url,
      'POST',
      '/api/v1/session-requests',
      { recipientName: 'Soon gone', expiresAt: new Date(Date.now() + 1500).toISOString() },
      token,
    );
    const closed = await request(
      first.url,
      'POST',
      `/api/v1/session-requests/${ids[0]}/close`,
      undefined,
      token,
    );
    assert.equal(closed.status, 200);

    await first.stop('SIGKILL');
    await sleep(2000); // the short-lived request expires while the broker is down

    const second = await startBroker(env, { dataDir });
    try {
      const token2 = await login(second.url, ADMIN.email, ADMIN.password);
      assert.equal(
        (await request(second.url, 'GET', '/api/v1/me', undefined, token)).status,
        200,
        'sessions survive',
      );
      const list = (await request(second.url, 'GET', '/api/v1/session-requests?limit=200', undefined, token2))
        .body.items;
      for (const id of ids)
        assert.ok(
          list.some((r: { id: string }) => r.id === id),
          `request ${id} survived`,
        );
      const soon = (
        await request(second.url, 'GET', `/api/v1/session-requests/${shortLived.body.id}`, undefined, token2)
      ).body;
      assert.equal(soon.status, 'expired', 'expired right at start-up, before anyone could use it');
      assert.equal(
        (await request(second.url, 'GET', `/api/v1/session-requests/${ids[0]}`, undefined, token2)).body
          .status,
        'closed',
      );
      const outbox = (await request(second.url, 'GET', '/api/v1/admin/outbox', undefined, token2)).body.items;
      assert.equal(
        outbox.filter((m: { kind: string }) => m.kind === 'invite').length,
        20,
        'queued invites survive',
      );
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
