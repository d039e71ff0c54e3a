import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, startFixture, type Fixture } from '../test-support/fixture.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(() => f.stop());

const attempt = (email: string, password: string) =>
  f.api('POST', '/api/v1/auth/login', { email, password }, null);

test('an account locks after repeated failures, even for the right password, and unknown accounts behave the same', async () => {
  const user = await f.api('POST', '/api/v1/users', {
    email: 'victim@example.com',
    name: 'Victim',
    password: 'the right password',
    role: 'support_agent',
  });
  assert.equal(user.status, 201);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await attempt('victim@example.com', `wrong ${i}`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  const locked = await attempt('victim@example.com', 'the right password');
  assert.equal(locked.status, 429);
  assert.equal(locked.body.error.code, 'account_locked');
  assert.ok(Number(locked.headers.get('retry-after')) > 0);

  const ghost: number[] = [];
  for (let i = 0; i < 6; i++) ghost.push((await attempt('nobody@example.com', `wrong ${i}`)).status);
  assert.deepEqual(ghost, statuses, 'an unknown address locks exactly like a real one');

  // The admin, on another account, is unaffected.
  assert.equal((await attempt(ADMIN.email, ADMIN.password)).status, 200);
});

test('one address guessing across many accounts is refused', async () => {
  let throttled = 0;
  for (let i = 0; i < 25; i++) {
    const res = await attempt(`spray${i}@example.com`, 'guess');
    if (res.status === 429) {
      throttled++;
      assert.equal(res.body.error.code, 'rate_limited');
    }
  }
  assert.ok(throttled >= 5, `only ${throttled} refused`);
  const blocked = await attempt(ADMIN.email, ADMIN.password);
  assert.equal(blocked.status, 429, 'the address is refused even with good credentials');
});
