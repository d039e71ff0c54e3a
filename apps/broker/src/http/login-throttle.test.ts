import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, login, waitFor } from '../testing/fixture.ts';
import { startClockedBroker, type ClockedBroker } from '../testing/clocked-broker.ts';

// The sign-in throttle on a real broker: SQLite file, HTTP, addresses given by
// X-Forwarded-For, and a clock the test moves.

const VICTIM = { email: 'victim@example.com', password: 'the right password' };

async function addUser(b: ClockedBroker, email: string, password: string, extra: object = {}) {
  const res = await b.api('POST', '/api/v1/users', {
    email,
    name: 'Victim',
    password,
    role: 'support_agent',
    ...extra,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

const signIn = (b: ClockedBroker, email: string, password: string, from: string) =>
  b.api('POST', '/api/v1/auth/login', { email, password }, { from, token: null });

test('an attacker failing from one address cannot keep the admin out; a user behind that address is slowed, not locked', async () => {
  const b = await startClockedBroker();
  try {
    const attacker = '203.0.113.7';
    const statuses: number[] = [];
    let longest = 0;
    for (let i = 0; i < 30; i++) {
      const res = await signIn(b, ADMIN.email, `wrong ${i}`, attacker);
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.body.error.code, 'rate_limited', 'slowed, never account_locked');
        longest = Math.max(longest, Number(res.headers.get('retry-after')));
      }
      b.advance(1000);
    }
    assert.deepEqual(statuses.slice(0, 6), [401, 401, 401, 401, 401, 429]);
    assert.ok(statuses.slice(5).every((s) => s === 429));
    // The admin, from an address that has not failed, signs in while the attack goes on.
    assert.equal((await signIn(b, ADMIN.email, ADMIN.password, '198.51.100.20')).status, 200);
    assert.equal((await signIn(b, ADMIN.email, 'wrong again', attacker)).status, 429);
    assert.equal((await signIn(b, ADMIN.email, ADMIN.password, '2001:db8:99::1')).status, 200);

    // Someone behind the attacker's address (one NAT) is slowed by minutes, never by an hour.
    const slowed = await signIn(b, ADMIN.email, ADMIN.password, attacker);
    assert.equal(slowed.status, 429);
    const wait = Number(slowed.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 300 && longest <= 300, `retry-after ${wait} s, longest ${longest} s`);
    b.advance(wait * 1000);
    assert.equal((await signIn(b, ADMIN.email, ADMIN.password, attacker)).status, 200);
  } finally {
    await b.stop();
    b.cleanup();
  }
});

test('failures are stored and decay: unknown emails count like real ones, and a restart forgets nothing', async () => {
  const first = await startClockedBroker();
  const from = '203.0.113.50';
  try {
    await addUser(first, VICTIM.email, VICTIM.password);
    const known: number[] = [];
    const ghost: number[] = [];
    for (let i = 0; i < 6; i++) {
      known.push((await signIn(first, VICTIM.email, `wrong ${i}`, from)).status);
      ghost.push((await signIn(first, 'nobody@example.com', `wrong ${i}`, from)).status);
    }
    assert.deepEqual(known, [401, 401, 401, 401, 401, 429]);
    assert.deepEqual(ghost, known, 'an unknown email is counted exactly like a real one');
  } finally {
    await first.stop();
  }
  const second = await startClockedBroker({}, { dataDir: first.dataDir, offsetMs: first.offsetMs() });
  try {
    for (const email of [VICTIM.email, 'nobody@example.com']) {
      const res = await signIn(second, email, 'still guessing', from);
      assert.equal(res.status, 429, `${email} is still slowed after a restart`);
    }
    // Half an hour later the counters have decayed: the address may try again.
    second.advance(30 * 60_000);
    assert.equal((await signIn(second, 'nobody@example.com', 'later', from)).status, 401);
    assert.equal((await signIn(second, VICTIM.email, VICTIM.password, from)).status, 200);
  } finally {
    await second.stop();
    second.cleanup();
  }
});

test('the owner is told once by mail; an admin can unlock the account', async () => {
  const b = await startClockedBroker();
  try {
    const id = await addUser(b, VICTIM.email, VICTIM.password);
    // Ten failures from ten addresses: no address is slowed, but the account is under attack.
    for (let i = 0; i < 14; i++) {
      const res = await signIn(b, VICTIM.email, `guess ${i}`, `192.0.2.${10 + i}`);
      assert.equal(res.status, 401);
    }
    const alerts = async () =>
      (
        (await b.api('GET', '/api/v1/admin/outbox')).body.items as {
          kind: string;
          to: string;
          subject: string;
        }[]
      ).filter((m) => m.kind === 'sign_in_alert');
    const told = await waitFor(
      async () => (await alerts()).length > 0 && (await alerts()),
      5000,
      'the notice',
    );
    assert.equal(told.length, 1);
    assert.equal(told[0]!.to, VICTIM.email);
    assert.match(told[0]!.subject, /Failed sign-ins/);
    for (let i = 0; i < 5; i++) await signIn(b, VICTIM.email, `more ${i}`, '192.0.2.200');
    assert.equal((await alerts()).length, 1, 'once, not per failure');

    const slowed = '192.0.2.200';
    assert.equal((await signIn(b, VICTIM.email, VICTIM.password, slowed)).status, 429);
    const agentToken = await login(b.url, VICTIM.email, VICTIM.password);
    assert.equal(
      (await b.api('POST', `/api/v1/users/${id}/unlock`, undefined, { token: agentToken })).status,
      403,
    );
    assert.equal((await b.api('POST', `/api/v1/users/${crypto.randomUUID()}/unlock`)).status, 404);
    const bad = await b.api('POST', '/api/v1/users/not-an-id/unlock');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.equal((await b.api('POST', `/api/v1/users/${id}/unlock`)).status, 204);
    assert.equal((await signIn(b, VICTIM.email, VICTIM.password, slowed)).status, 200);
  } finally {
    await b.stop();
    b.cleanup();
  }
});

test('one address guessing across many accounts is slowed for every account', async () => {
  const b = await startClockedBroker();
  try {
    const from = '198.51.100.99';
    let throttled = 0;
    for (let i = 0; i < 25; i++) {
      const res = await signIn(b, `spray${i}@example.com`, 'guess', from);
      if (res.status === 429) {
        throttled++;
        assert.equal(res.body.error.code, 'rate_limited');
      }
    }
    assert.equal(throttled, 5);
    const blocked = await signIn(b, ADMIN.email, ADMIN.password, from);
    assert.equal(blocked.status, 429, 'the address is slowed even with good credentials');
    // One IPv6 /64 is one address.
    const v6 = Array.from({ length: 25 }, (_, i) => `2001:db8:5:6::${(i + 1).toString(16)}`);
    const statuses = await Promise.all(v6.map((a, i) => signIn(b, `v6spray${i}@example.com`, 'guess', a)));
    assert.equal(statuses.filter((r) => r.status === 401).length, 20);
  } finally {
    await b.stop();
    b.cleanup();
  }
});
