import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, login, request, sleep, testEnv, waitFor } from './test-support/fixture.ts';

const BIN = new URL('../bin/beckon-broker.js', import.meta.url).pathname;

/** The real broker as its own process, so it can be killed without warning. */
async function spawnBroker(dataDir: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      ...testEnv(dataDir, {
        BECKON_PORT: String(port),
        BECKON_ADMIN_EMAIL: ADMIN.email,
        BECKON_ADMIN_PASSWORD: ADMIN.password,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok,
    15_000,
    `broker start: ${out}`,
  );
  return { child, url };
}

test('SIGKILL and restart: nothing committed is lost, and what expired meanwhile is expired', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-restart-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  try {
    const first = await spawnBroker(dataDir, port);
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

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await sleep(2000); // the short-lived request expires while the broker is down

    const second = await spawnBroker(dataDir, port);
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
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
