import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, startFixture, type ApiResult, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(() => f.stop());

const secure = (what: string, res: ApiResult) => {
  assert.equal(res.headers.get('cache-control'), 'no-store', `${what}: cache-control`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
};

test('every API answer, success or error, carries no-store and nosniff', async () => {
  const cases: [string, () => Promise<ApiResult>, number][] = [
    ['login', () => f.api('POST', '/api/v1/auth/login', ADMIN, null), 200],
    ['failed login', () => f.api('POST', '/api/v1/auth/login', { ...ADMIN, password: 'wrong' }, null), 401],
    [
      'API token creation',
      () => f.api('POST', '/api/v1/api-tokens', { name: 'Helpdesk', scopes: ['reports:read'] }),
      201,
    ],
    ['me', () => f.api('GET', '/api/v1/me'), 200],
    ['users', () => f.api('GET', '/api/v1/users'), 200],
    ['new request', () => f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' }), 201],
    ['request list', () => f.api('GET', '/api/v1/session-requests'), 200],
    [
      'CSV report',
      () => f.api('GET', '/api/v1/reports/sessions?from=2026-01-01&to=2026-01-31&tz=UTC&format=csv'),
      200,
    ],
    ['signed out', () => f.api('GET', '/api/v1/me', undefined, null), 401],
    ['bad body', () => f.api('POST', '/api/v1/join', { nope: 1 }, null), 400],
    ['unknown route', () => f.api('GET', '/api/v1/nothing-here'), 404],
    [
      'too large',
      () => f.api('POST', '/api/v1/session-requests', { recipientName: 'x'.repeat(70_000) }),
      413,
    ],
    ['API document', () => f.api('GET', '/api/docs', undefined, null), 200],
    ['health', () => f.api('GET', '/healthz', undefined, null), 200],
  ];
  for (const [what, call, status] of cases) {
    const res = await call();
    assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body).slice(0, 200)}`);
    secure(what, res);
  }
});

test('answers with a cache policy of their own keep it, and still get nosniff', async () => {
  const res = await fetch(`${f.url}/landing/landing.css`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const page = await fetch(`${f.url}/join`);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(page.headers.get('cache-control'), 'no-store');
});
