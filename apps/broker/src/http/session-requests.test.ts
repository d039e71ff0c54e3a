import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addOrgWithUser, login, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(() => f.stop());

const tokenOf = (link: string) => link.split('/j/')[1] as string;

test('create → list → get → close over HTTP; link and code die at once', async () => {
  const created = await f.api('POST', '/api/v1/session-requests', {
    recipientName: 'Ada Lovelace',
    recipientEmail: 'ada@example.com',
    comment: 'printer offline',
    assignee: { type: 'me' },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const r = created.body;
  assert.match(r.code, /^s\d{8}$/);
  assert.match(r.displayCode, /^s\d{2}-\d{3}-\d{3}$/);
  assert.equal(r.status, 'open');
  assert.ok(r.customerLink.startsWith(`${f.config.publicUrl}/j/`));
  assert.equal(r.supporterLink, `beckon://requests/${r.id}`);
  const expiresIn = Date.parse(r.expiresAt) - Date.now();
  assert.ok(expiresIn > 23.9 * 3600e3 && expiresIn <= 24 * 3600e3, `default expiry ${expiresIn}`);

  const list = await f.api('GET', '/api/v1/session-requests');
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((i: { id: string }) => i.id === r.id));

  const got = await f.api('GET', `/api/v1/session-requests/${r.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.customerLink, r.customerLink, 'the link can be shown again');
  assert.deepEqual(
    got.body.events.map((e: { kind: string }) => e.kind),
    ['created'],
  );

  // The end user's way in works while the request is open...
  assert.equal((await f.api('POST', '/api/v1/join', { code: r.displayCode }, null)).status, 200);
  assert.equal((await f.api('POST', '/api/v1/join', { token: tokenOf(r.customerLink) }, null)).status, 200);

  const closed = await f.api('POST', `/api/v1/session-requests/${r.id}/close`);
  assert.equal(closed.status, 200);
  assert.equal(closed.body.status, 'closed');
  assert.ok(closed.body.closedAt);
  const last = closed.body.events.at(-1);
  assert.deepEqual(
    [last.kind, last.fromStatus, last.toStatus, last.actor.type],
    ['closed', 'open', 'closed', 'user'],
  );

  // ...and not a moment after closing.
  const byCode = await f.api('POST', '/api/v1/join', { code: r.code }, null);
  assert.equal(byCode.status, 404);
  assert.equal(byCode.body.error.code, 'invalid_code');
  const byLink = await f.api('POST', '/api/v1/join', { token: tokenOf(r.customerLink) }, null);
  assert.equal(byLink.status, 404);
  assert.equal(byLink.body.error.code, 'invalid_token');

  const again = await f.api('POST', `/api/v1/session-requests/${r.id}/close`);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'request_closed');
});

test('an expired request is expired by the sweeper and its link stops working', async () => {
  const r = (
    await f.api('POST', '/api/v1/session-requests', {
      recipientName: 'Brief',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    })
  ).body;
  assert.equal((await f.api('POST', '/api/v1/join', { token: tokenOf(r.customerLink) }, null)).status, 200);
  await waitFor(
    async () => (await f.api('GET', `/api/v1/session-requests/${r.id}`)).body.status === 'expired',
    5000,
    'expiry',
  );
  assert.equal((await f.api('POST', '/api/v1/join', { token: tokenOf(r.customerLink) }, null)).status, 404);
  const events = (await f.api('GET', `/api/v1/session-requests/${r.id}`)).body.events;
  assert.deepEqual(events.at(-1).actor, { type: 'system', id: null, name: 'expiry' });
});

test('expiry rules: default after the schedule, at most 30 days, never in the past', async () => {
  const at = new Date(Date.now() + 3 * 86400e3).toISOString();
  const scheduled = await f.api('POST', '/api/v1/session-requests', {
    recipientName: 'Later',
    scheduledAt: at,
  });
  assert.equal(scheduled.status, 201);
  assert.equal(Date.parse(scheduled.body.expiresAt), Date.parse(at) + 86400e3);
  for (const expiresAt of [
    new Date(Date.now() - 1000).toISOString(),
    new Date(Date.now() + 31 * 86400e3).toISOString(),
  ]) {
    const res = await f.api('POST', '/api/v1/session-requests', { recipientName: 'X', expiresAt });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.equal(res.body.error.details.issues[0].path, 'expiresAt');
  }
});

test('filters: status, assignee, queue, when, q; cursor pagination newest first', async () => {
  const queue = await f.api('POST', '/api/v1/queues', { name: 'Tier 1' });
  assert.equal(queue.status, 201);
  const mk = (body: object) =>
    f.api('POST', '/api/v1/session-requests', { recipientName: 'Filter', ...body });
  const inQueue = (
    await mk({ recipientName: 'Queued Person', assignee: { type: 'queue', id: queue.body.id } })
  ).body;
  const unassigned = (await mk({ assignee: { type: 'unassigned' }, comment: 'needle-in-comment' })).body;
  const upcoming = (await mk({ scheduledAt: new Date(Date.now() + 86400e3).toISOString() })).body;
  const get = async (qs: string) =>
    (await f.api('GET', `/api/v1/session-requests?${qs}`)).body.items.map((i: { id: string }) => i.id);

  assert.deepEqual(await get(`queue=${queue.body.id}`), [inQueue.id]);
  assert.ok((await get('assignee=unassigned')).includes(unassigned.id));
  assert.ok(!(await get('assignee=unassigned')).includes(inQueue.id));
  assert.ok((await get('assignee=me')).includes(upcoming.id));
  assert.deepEqual(await get('q=needle-in'), [unassigned.id]);
  assert.deepEqual(await get(`q=${inQueue.displayCode}`), [inQueue.id]);
  assert.deepEqual(await get('q=%25'), [], 'wildcards are literal');
  assert.ok((await get('when=upcoming')).includes(upcoming.id));
  assert.ok(!(await get('when=past')).includes(upcoming.id));
  assert.ok(!(await get('status=closed,expired')).includes(unassigned.id));

  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string; createdAt: string }[]; nextCursor: string | null } = (
      await f.api('GET', `/api/v1/session-requests?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    ).body;
    assert.ok(page.items.length <= 2);
    seen.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  const all = (await f.api('GET', '/api/v1/session-requests?limit=200')).body.items;
  assert.deepEqual(
    seen,
    all.map((i: { id: string }) => i.id),
    'pages join up to the full list',
  );
  const times = all.map((i: { createdAt: string }) => Date.parse(i.createdAt));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
    'newest first',
  );
});

test('patch changes comment, assignee and schedule and records who did it', async () => {
  const r = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Patchy' })).body;
  const res = await f.api('PATCH', `/api/v1/session-requests/${r.id}`, {
    comment: 'new',
    assignee: { type: 'unassigned' },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.comment, 'new');
  assert.equal(res.body.assignee.type, 'unassigned');
  assert.equal(res.body.events.at(-1).kind, 'updated');
  assert.equal((await f.api('PATCH', `/api/v1/session-requests/${r.id}`, {})).status, 400);
  const bad = await f.api('PATCH', `/api/v1/session-requests/${r.id}`, {
    assignee: { type: 'queue', id: crypto.randomUUID() },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details.issues[0].path, 'assignee.id');
});

test('roles: an agent without edit cannot create; without sign-in nothing is visible; other orgs are invisible', async () => {
  const viewer = await f.api('POST', '/api/v1/users', {
    email: 'viewer@example.com',
    name: 'Viewer',
    password: 'viewer password 123',
    role: 'support_agent',
    permissions: ['session_requests:view'],
  });
  assert.equal(viewer.status, 201, JSON.stringify(viewer.body));
  const viewerToken = await login(f.url, 'viewer@example.com', 'viewer password 123');
  const denied = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Nope' }, viewerToken);
  assert.equal(denied.status, 403);
  assert.equal(denied.body.error.code, 'forbidden');
  assert.equal((await f.api('GET', '/api/v1/session-requests', undefined, viewerToken)).status, 200);
  assert.equal(
    (
      await f.api(
        'POST',
        '/api/v1/users',
        { email: 'x@example.com', name: 'X', password: 'another password 1', role: 'admin' },
        viewerToken,
      )
    ).status,
    403,
  );

  const anon = await f.api('GET', '/api/v1/session-requests', undefined, null);
  assert.equal(anon.status, 401);
  assert.equal(anon.body.error.code, 'unauthenticated');

  const mine = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Private' })).body;
  await addOrgWithUser(f.config.dbFile, 'other@example.org', 'other org password');
  const otherToken = await login(f.url, 'other@example.org', 'other org password');
  assert.equal(
    (await f.api('GET', `/api/v1/session-requests/${mine.id}`, undefined, otherToken)).status,
    404,
  );
  assert.equal(
    (await f.api('POST', `/api/v1/session-requests/${mine.id}/close`, undefined, otherToken)).status,
    404,
  );
  const theirs = (await f.api('GET', '/api/v1/session-requests?limit=200', undefined, otherToken)).body.items;
  assert.deepEqual(theirs, []);
});

test('logout revokes the token; the console cookie is HttpOnly and SameSite=Strict', async () => {
  const res = await f.api(
    'POST',
    '/api/v1/auth/login',
    { email: 'viewer@example.com', password: 'viewer password 123' },
    null,
  );
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /beckon_session=/);
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Strict/i);
  const viaCookie = await f.api('GET', '/api/v1/me', undefined, null, {
    cookie: cookie.split(';')[0] as string,
  });
  assert.equal(viaCookie.status, 200);
  const crossSite = await f.api('POST', '/api/v1/session-requests', { recipientName: 'x' }, null, {
    cookie: cookie.split(';')[0] as string,
    origin: 'https://evil.example',
  });
  assert.equal(crossSite.status, 403);
  assert.equal(crossSite.body.error.code, 'bad_origin');
  assert.equal((await f.api('POST', '/api/v1/auth/logout', undefined, res.body.token)).status, 204);
  assert.equal((await f.api('GET', '/api/v1/me', undefined, res.body.token)).status, 401);
});

test('OpenAPI document is generated from the schemas', async () => {
  const doc = (await f.api('GET', '/api/docs', undefined, null)).body;
  assert.equal(doc.openapi, '3.1.0');
  const ref = doc.paths['/api/v1/session-requests'].post.requestBody.content['application/json'].schema.$ref;
  const create = doc.components.schemas[ref.split('/').pop()];
  assert.ok(create.properties.recipientName && create.properties.assignee && create.properties.expiresAt);
});
