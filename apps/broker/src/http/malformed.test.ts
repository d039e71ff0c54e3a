import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { snapshot, startFixture, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
let existingId: string;
before(async () => {
  f = await startFixture();
  existingId = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Existing' })).body.id;
});
after(() => f.stop());

const uuid = '00000000-0000-4000-8000-000000000000';
const huge = 'x'.repeat(70_000);
const good = { recipientName: 'Ok' };

/** 200 bodies that must all be refused: wrong types, huge strings, unknown fields, bad dates, bad codes. */
function malformed(): { method: string; path: string; body: unknown; contentType?: string }[] {
  const create = (body: unknown) => ({ method: 'POST', path: '/api/v1/session-requests', body });
  const cases = [
    create(null),
    create(42),
    create('text'),
    create([]),
    create({}),
    create({ recipientName: 42 }),
    create({ recipientName: '' }),
    create({ recipientName: '   ' }),
    create({ recipientName: huge }),
    create({ recipientName: 'a'.repeat(201) }),
    create({ ...good, extra: 1 }),
    {
      method: 'POST',
      path: '/api/v1/session-requests',
      body: '{"recipientName":"Ok","__proto__":{"admin":true}}',
      contentType: 'application/json',
    },
    create({ ...good, constructor: { prototype: { admin: true } } }),
    create({ ...good, recipientEmail: 'not-an-email' }),
    create({ ...good, recipientEmail: 'a@b.co\r\nBcc: x@evil.example' }),
    create({ ...good, sendInvite: 'yes' }),
    create({ ...good, sendInvite: true }),
    create({ ...good, language: 'fr' }),
    create({ ...good, language: null }),
    create({ ...good, comment: 5 }),
    create({ ...good, comment: 'c'.repeat(2001) }),
    create({ ...good, comment: 'bell\u0007' }),
    create({ ...good, scheduledAt: 'tomorrow' }),
    create({ ...good, scheduledAt: '2030-02-30T00:00:00Z' }),
    create({ ...good, expiresAt: '2030-01-01' }),
    create({ ...good, expiresAt: '2000-01-01T00:00:00Z' }),
    create({ ...good, expiresAt: '2099-01-01T00:00:00Z' }),
    create({ ...good, expiresAt: 1893456000000 }),
    create({ ...good, assignee: 'me' }),
    create({ ...good, assignee: { type: 'boss' } }),
    create({ ...good, assignee: { type: 'queue' } }),
    create({ ...good, assignee: { type: 'queue', id: 'nope' } }),
    create({ ...good, assignee: { type: 'queue', id: uuid } }),
    create({ ...good, assignee: { type: 'device', id: uuid } }),
    create({ ...good, assignee: { type: 'agent', id: uuid } }),
    create({ ...good, assignee: { type: 'me', id: uuid } }),
    create({ ...good, timeZone: 'Nowhere/City' }),
    create({ ...good, timeZone: 7 }),
    create({ ...good, permissions: [] }),
    create({ ...good, permissions: ['control'] }),
    create({ ...good, permissions: ['view', 'root'] }),
    create({ ...good, ticket: {} }),
    create({ ...good, ticket: { system: 'x' } }),
    create({ ...good, ticket: { system: 'x', ticketId: 'y', priority: 'p'.repeat(100) } }),
    create({
      ...good,
      scheduledAt: new Date(Date.now() + 5 * 86400e3).toISOString(),
      expiresAt: new Date(Date.now() + 86400e3).toISOString(),
    }),
    {
      method: 'POST',
      path: '/api/v1/session-requests',
      body: '{"recipientName": "broken',
      contentType: 'application/json',
    },
    {
      method: 'POST',
      path: '/api/v1/session-requests',
      body: 'recipientName=x',
      contentType: 'application/x-www-form-urlencoded',
    },
    {
      method: 'POST',
      path: '/api/v1/session-requests',
      body: JSON.stringify({ recipientName: huge + huge }),
      contentType: 'application/json',
    },
  ];
  const patch = (body: unknown, id = existingId) => ({
    method: 'PATCH',
    path: `/api/v1/session-requests/${id}`,
    body,
  });
  cases.push(
    patch({}),
    patch({ status: 'closed' }),
    patch({ comment: 7 }),
    patch({ expiresAt: 'soon' }),
    patch({ scheduledAt: 5 }),
    patch({ assignee: { type: 'queue', id: uuid } }),
    patch({ expiresAt: '2000-01-01T00:00:00Z' }),
    patch({ code: 's00000000' }),
    patch({ comment: 'x' }, 'not-a-uuid'),
    patch({ comment: 'x' }, uuid),
  );
  const join = (body: unknown) => ({ method: 'POST', path: '/api/v1/join', body });
  cases.push(
    join({}),
    join({ code: 's1234567' }),
    join({ code: 'abcdefgh' }),
    join({ code: 12345678 }),
    join({ token: 'short' }),
    join({ token: 'x'.repeat(43) + '!' }),
    join({ code: 's12-345-678', token: 'a'.repeat(43) }),
    join({ code: huge }),
  );
  const login = (body: unknown) => ({ method: 'POST', path: '/api/v1/auth/login', body });
  cases.push(
    login({}),
    login({ email: 'a' }),
    login({ email: 'a@b.co', password: '' }),
    login({ email: 'a@b.co', password: huge }),
  );
  const q = (qs: string) => ({ method: 'GET', path: `/api/v1/session-requests?${qs}`, body: undefined });
  cases.push(
    q('status=bogus'),
    q('limit=0'),
    q('limit=abc'),
    q('limit=10000'),
    q('when=tomorrow'),
    q('queue=nope'),
    q('cursor=!!'),
    q(`q=${'x'.repeat(300)}`),
    q('assignee=someone'),
    q('unknown=1'),
    q('cursor=Zm9v'),
  );
  cases.push(
    {
      method: 'POST',
      path: '/api/v1/users',
      body: { email: 'bad', name: 'x', password: 'short', role: 'admin' },
    },
    {
      method: 'POST',
      path: '/api/v1/users',
      body: { email: 'a@b.co', name: 'x', password: 'long enough password', role: 'root' },
    },
    { method: 'POST', path: '/api/v1/queues', body: { name: '' } },
    { method: 'POST', path: '/api/v1/queues', body: { name: 'Q', memberIds: [uuid] } },
    { method: 'POST', path: '/api/v1/devices', body: { name: 'x', platform: 'amiga' } },
    {
      method: 'POST',
      path: `/api/v1/session-requests/${existingId}/invite`,
      body: { recipientEmail: 'nope' },
    },
    { method: 'POST', path: `/api/v1/session-requests/${existingId}/invite`, body: {} },
  );
  // Fill to 200 with generated variants: random junk values in every create field.
  const fields = [
    'recipientName',
    'recipientEmail',
    'sendInvite',
    'language',
    'comment',
    'scheduledAt',
    'expiresAt',
    'assignee',
    'timeZone',
    'permissions',
    'ticket',
  ];
  const junk = [null, -1, 1.5, true, [], [1], { a: 1 }, '\u0000', 'x'.repeat(5000)];
  let i = 0;
  while (cases.length < 200) {
    const field = fields[i % fields.length] as string;
    const value = junk[Math.floor(i / fields.length) % junk.length];
    i++;
    cases.push(create({ ...good, [field]: value }));
  }
  return cases;
}

test('200 malformed requests all get 4xx with an error code, and the database is unchanged', async () => {
  const cases = malformed();
  assert.equal(cases.length, 200);
  const before = await snapshot(f.config.dbFile);
  for (const c of cases) {
    const headers: Record<string, string> = c.contentType ? { 'content-type': c.contentType } : {};
    const res = await f.api(c.method, c.path, c.body, f.adminToken, headers);
    const label = `${c.method} ${c.path} ${JSON.stringify(c.body)?.slice(0, 120)}`;
    assert.ok(res.status >= 400 && res.status < 500, `${label} → ${res.status}`);
    assert.equal(
      typeof res.body?.error?.code,
      'string',
      `${label}: ${JSON.stringify(res.body)?.slice(0, 200)}`,
    );
    assert.equal(typeof res.body.error.message, 'string');
  }
  assert.equal(await snapshot(f.config.dbFile), before);
});
