import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBrokerApi } from './broker-api.ts';
import { ApiError, buildQuery, createHttpClient, failureOf } from './http.ts';

interface Seen {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (url: string) => Response | Error) {
  const seen: Seen[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(input), init: init ?? {} });
    const out = answer(String(input));
    if (out instanceof Error) throw out;
    return out;
  }) as typeof globalThis.fetch;
  return { seen, fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const user = {
  id: '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b',
  orgId: '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5c',
  email: 'a@example.com',
  name: 'Ann',
  role: 'support_agent',
  permissions: ['session_requests:view'],
  createdAt: '2030-01-01T00:00:00.000Z',
  disabled: false,
};

describe('http client', () => {
  it('sends JSON with the bearer token and parses the answer', async () => {
    const { seen, fetch } = fakeFetch(() => json(200, { user }));
    const api = createBrokerApi(
      createHttpClient({ baseUrl: () => 'https://b.example', token: () => 'tok', fetch }),
    );
    const me = await api.me();
    assert.equal(me.name, 'Ann');
    assert.equal(seen[0]?.url, 'https://b.example/api/v1/me');
    const headers = seen[0]?.init.headers as Record<string, string>;
    assert.equal(headers['authorization'], 'Bearer tok');
    assert.equal(headers['content-type'], undefined);
    assert.equal(seen[0]?.init.credentials, 'omit');
  });

  it('relies on the cookie without a token and never sends an empty JSON body', async () => {
    const { seen, fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    const api = createBrokerApi(createHttpClient({ baseUrl: () => '', token: () => null, fetch }));
    await api.logout();
    assert.equal(seen[0]?.url, '/api/v1/auth/logout');
    assert.equal(seen[0]?.init.credentials, 'same-origin');
    assert.equal(seen[0]?.init.body, undefined);
  });

  it('builds list queries from the filter, leaving empty parts out', async () => {
    const { seen, fetch } = fakeFetch(() => json(200, { items: [], nextCursor: null }));
    const api = createBrokerApi(createHttpClient({ baseUrl: () => '', token: () => null, fetch }));
    await api.listRequests({
      statuses: ['open', 'waiting'],
      assignee: 'me',
      q: '  ',
      when: 'past',
      limit: 200,
    });
    assert.equal(
      seen[0]?.url,
      '/api/v1/session-requests?status=open%2Cwaiting&assignee=me&when=past&limit=200',
    );
    assert.equal(buildQuery({}), '');
  });

  it('turns an error body into a failure with field issues and retry time', async () => {
    const { fetch } = fakeFetch(() =>
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'expiresAt: must be in the future',
          details: { issues: [{ path: 'expiresAt', message: 'must be in the future' }] },
        },
      }),
    );
    const api = createBrokerApi(createHttpClient({ baseUrl: () => '', token: () => null, fetch }));
    await assert.rejects(api.createRequest({ recipientName: 'x' }), (error: unknown) => {
      const f = failureOf(error);
      assert.equal(f.status, 400);
      assert.equal(f.code, 'validation_failed');
      assert.deepEqual(f.issues, [{ path: 'expiresAt', message: 'must be in the future' }]);
      return true;
    });
    const locked = fakeFetch(() =>
      json(429, { error: { code: 'account_locked', message: 'later', details: { retryAfter: 60 } } }),
    );
    const api2 = createBrokerApi(
      createHttpClient({ baseUrl: () => '', token: () => null, fetch: locked.fetch }),
    );
    await assert.rejects(api2.login({ email: 'a@example.com', password: 'x' }), (e: unknown) => {
      assert.equal(failureOf(e).retryAfter, 60);
      return true;
    });
  });

  it('reports network failures, non-JSON errors and answers that do not match the schema', async () => {
    const down = createHttpClient({
      baseUrl: () => '',
      token: () => null,
      fetch: fakeFetch(() => new TypeError('offline')).fetch,
    });
    await assert.rejects(createBrokerApi(down).me(), (e: unknown) => failureOf(e).code === 'network');
    const html = createHttpClient({
      baseUrl: () => '',
      token: () => null,
      fetch: fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 })).fetch,
    });
    await assert.rejects(createBrokerApi(html).me(), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(failureOf(e).code, 'bad_response');
      assert.equal(failureOf(e).status, 502);
      return true;
    });
    const wrong = createHttpClient({
      baseUrl: () => '',
      token: () => null,
      fetch: fakeFetch(() => json(200, { user: { ...user, role: 'root' } })).fetch,
    });
    await assert.rejects(createBrokerApi(wrong).me(), (e: unknown) => failureOf(e).code === 'bad_response');
  });
});
