import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, waitFor } from '../testing/fixture.ts';
import { startHelpdeskSim } from '../testing/helpdesk-sim.ts';

test('the audit head is sent, signed, to audit.head endpoints on its interval, and follows the log', async () => {
  const sim = await startHelpdeskSim();
  const f = await startFixture({
    BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
    BECKON_AUDIT_HEAD_INTERVAL_MS: '300',
  });
  try {
    const hook = await f.api('POST', '/api/v1/webhooks', { url: sim.url, events: ['audit.head'] });
    assert.equal(hook.status, 201);
    sim.secret = hook.body.secret;
    const first = await waitFor(
      () => sim.received.find((r) => r.event.type === 'audit.head'),
      5000,
      'a head',
    );
    assert.equal(first.verified, true, 'signed like every delivery');
    assert.equal(first.eventHeader, 'audit.head');
    const head = (await f.api('GET', '/api/v1/audit?limit=1')).body.items[0];
    assert.ok(first.event.type === 'audit.head');
    assert.equal(first.event.data.seq, head.seq);
    assert.equal(first.event.data.hash, head.hash);
    // A new act moves the head; the next announcement carries it.
    assert.equal((await f.api('POST', '/api/v1/queues', { name: 'Night shift' })).status, 201);
    const later = await waitFor(
      () => sim.received.find((r) => r.event.type === 'audit.head' && r.event.data.seq > head.seq),
      5000,
      'a later head',
    );
    assert.equal(later.verified, true);
  } finally {
    await f.stop();
    await sim.stop();
  }
});
