import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker, type Broker } from '../broker.ts';
import { loadConfig } from '../config.ts';
import { setupOnce } from '../domain/setup.ts';
import { openStorage } from '../storage/open.ts';
import { ADMIN, login, request, testEnv } from '../testing/fixture.ts';
import { withTestDb, withTestStorage } from '../testing/test-storage.ts';

// Lists serve each unchanged row's JSON from memory. These tests run on a
// clock that never moves, so every change lands in the same millisecond as
// the row's creation: a list that keyed its rows by time would show them stale.
const FROZEN = new Date('2030-01-01T09:00:00.000Z');
let dir: string;
let dbFile: string;
let broker: Broker;
let api: (method: string, path: string, body?: unknown) => ReturnType<typeof request>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'beckon-list-'));
  const config = loadConfig(testEnv(dir, await withTestStorage(dir)));
  dbFile = config.dbFile;
  const storage = await openStorage(config);
  await setupOnce(storage, { orgName: 'Acme Support', ...ADMIN });
  broker = await createBroker(config, { storage, now: () => new Date(FROZEN) });
  const url = await broker.start();
  const token = await login(url, ADMIN.email, ADMIN.password);
  api = (method, path, body) => request(url, method, path, body, token);
});
after(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

const listed = async (id: string) => {
  const list = await api('GET', '/api/v1/session-requests?limit=100');
  assert.equal(list.status, 200);
  return list.body.items.find((i: { id: string }) => i.id === id);
};

test('a list after a create, a patch and a close shows each change, even within one millisecond', async () => {
  const created = await api('POST', '/api/v1/session-requests', { recipientName: 'Ada', comment: 'first' });
  assert.equal(created.status, 201);
  const id = created.body.id as string;
  assert.deepEqual(await listed(id), created.body, 'a list shows the new request as created');
  assert.equal((await listed(id)).comment, 'first', 'and again from memory');

  const patched = await api('PATCH', `/api/v1/session-requests/${id}`, {
    comment: 'second',
    assignee: { type: 'unassigned' },
  });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.updatedAt, created.body.updatedAt, 'same millisecond');
  const afterPatch = await listed(id);
  assert.equal(afterPatch.comment, 'second');
  assert.deepEqual(afterPatch.assignee, { type: 'unassigned', id: null, name: null });

  const closed = await api('POST', `/api/v1/session-requests/${id}/close`);
  assert.equal(closed.status, 200);
  const afterClose = await listed(id);
  assert.equal(afterClose.status, 'closed');
  assert.equal(afterClose.closedAt, FROZEN.toISOString());
  const { events: _events, ...summary } = closed.body;
  assert.deepEqual(afterClose, summary, 'the listed row is the request as it is now');
});

test('a page holds exactly the newest requests that match, in order, with a cursor to the rest', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await api('POST', '/api/v1/session-requests', { recipientName: `Page ${i}` });
    ids.push(r.body.id);
  }
  // Warm the rows' JSON, then change one: the next page must differ in exactly that row.
  const first = await api('GET', '/api/v1/session-requests?limit=3&status=open');
  assert.deepEqual(
    first.body.items.map((i: { id: string }) => i.id),
    ids.slice(2).reverse(),
  );
  await api('POST', `/api/v1/session-requests/${ids[3]}/close`);
  const again = await api('GET', '/api/v1/session-requests?limit=3&status=open');
  assert.deepEqual(
    again.body.items.map((i: { id: string }) => i.id),
    [ids[4], ids[2], ids[1]],
  );
  const rest = await api(
    'GET',
    `/api/v1/session-requests?limit=3&status=open&cursor=${again.body.nextCursor}`,
  );
  assert.deepEqual(
    rest.body.items.map((i: { id: string }) => i.id),
    [ids[0]],
  );
  assert.equal(rest.body.nextCursor, null);
});

test('a renamed assignee shows its new name in the next list, though the request did not change', async () => {
  const queue = await api('POST', '/api/v1/queues', { name: 'Printers' });
  assert.equal(queue.status, 201, JSON.stringify(queue.body));
  const created = await api('POST', '/api/v1/session-requests', {
    recipientName: 'Grace',
    assignee: { type: 'queue', id: queue.body.id },
  });
  assert.equal((await listed(created.body.id)).assignee.name, 'Printers');
  // No route renames a queue; an administrator's tool writing the database directly can.
  await withTestDb(dbFile, (q) =>
    q('UPDATE queues SET name = ? WHERE id = ?', ['Printers & Scanners', queue.body.id]),
  );
  assert.equal((await listed(created.body.id)).assignee.name, 'Printers & Scanners');
});
