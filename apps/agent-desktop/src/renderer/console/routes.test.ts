import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatRoute, parseRoute, type Route } from './routes.ts';

const id = '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b';

it('parses the console links and round-trips every route', () => {
  assert.deepEqual(parseRoute(`#/requests/${id}`), { name: 'request', id });
  assert.deepEqual(parseRoute(`#/requests/${id.toUpperCase()}`), { name: 'request', id });
  const routes: Route[] = [
    { name: 'requests' },
    { name: 'request', id },
    { name: 'admin', section: 'outbox' },
    { name: 'admin', section: 'reports' },
    { name: 'settings' },
  ];
  for (const r of routes) assert.deepEqual(parseRoute(formatRoute(r)), r);
});

it('falls back to the list for anything else', () => {
  for (const hash of ['', '#', '#/nope', '#/requests/123', `#/requests/${id}/x`, '#/settings/x'])
    assert.deepEqual(parseRoute(hash), { name: 'requests' }, hash);
  assert.deepEqual(parseRoute('#/admin/bogus'), { name: 'admin', section: 'users' });
});
