import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login, startFixture, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
const tokens: Record<string, string> = {};
before(async () => {
  f = await startFixture();
  for (const [name, permissions] of [
    ['nobody', []],
    ['viewer', ['session_requests:view']],
  ] as const) {
    const email = `${name}@example.com`;
    const res = await f.api('POST', '/api/v1/users', {
      email,
      name,
      password: 'a long enough password',
      role: 'support_agent',
      permissions,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    tokens[name] = await login(f.url, email, 'a long enough password');
  }
  assert.equal((await f.api('POST', '/api/v1/queues', { name: 'Printers' })).status, 201);
});
after(() => f.stop());

const device = { name: 'Laptop', platform: 'linux' };

test('a signed-in user without permissions sees no users, queues or devices and registers no device', async () => {
  for (const [method, path, body] of [
    ['GET', '/api/v1/users'],
    ['GET', '/api/v1/queues'],
    ['GET', '/api/v1/devices'],
    ['POST', '/api/v1/devices', device],
  ] as const) {
    const res = await f.api(method, path, body, tokens.nobody);
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.body.error.code, 'forbidden');
  }
});

test('seeing requests opens what assigning needs (queues, devices, its own device), never the user list', async () => {
  const users = await f.api('GET', '/api/v1/users', undefined, tokens.viewer);
  assert.equal(users.status, 403);
  const queues = await f.api('GET', '/api/v1/queues', undefined, tokens.viewer);
  assert.equal(queues.status, 200);
  assert.deepEqual(
    queues.body.items.map((q: { name: string }) => q.name),
    ['Printers'],
  );
  const registered = await f.api('POST', '/api/v1/devices', device, tokens.viewer);
  assert.equal(registered.status, 201);
  const devices = await f.api('GET', '/api/v1/devices', undefined, tokens.viewer);
  assert.equal(devices.status, 200);
  assert.ok(devices.body.items.some((d: { id: string }) => d.id === registered.body.id));
  // Administrators keep all of it.
  const all = await f.api('GET', '/api/v1/users');
  assert.equal(all.status, 200);
  assert.equal(all.body.items.length, 3);
});
