import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { login, startFixture, type Fixture } from '../testing/fixture.ts';

// Branding (SC9) on a real broker: the admins' API, the logo's checks and how
// it is served, and what the landing page and the assist client get.

let f: Fixture;
let agentToken: string;
before(async () => {
  f = await startFixture();
  const email = 'agent@example.com';
  const password = 'a long agent password';
  const created = await f.api('POST', '/api/v1/users', {
    email,
    name: 'Agent',
    password,
    role: 'support_agent',
  });
  assert.equal(created.status, 201);
  agentToken = await login(f.url, email, password);
});
after(() => f.stop());

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('not a whole png, but it starts like one'),
]);

test('admins set the branding; defaults before; agents may not; bad colours are refused', async () => {
  const initial = await f.api('GET', '/api/v1/admin/branding');
  assert.equal(initial.status, 200);
  assert.deepEqual(initial.body, {
    orgName: 'Acme Support',
    organisation: 'Acme Support',
    displayName: null,
    color: '#1f6feb',
    message: null,
    logoUrl: null,
    updatedAt: null,
  });
  assert.equal((await f.api('GET', '/api/v1/admin/branding', undefined, agentToken)).status, 403);
  assert.equal(
    (
      await f.api(
        'PUT',
        '/api/v1/admin/branding',
        { displayName: null, color: '#000000', message: null },
        agentToken,
      )
    ).status,
    403,
  );
  const bad = await f.api('PUT', '/api/v1/admin/branding', {
    displayName: null,
    color: 'red;background:url(x)',
    message: null,
  });
  assert.equal(bad.status, 400);
  const put = await f.api('PUT', '/api/v1/admin/branding', {
    displayName: 'Acme <Helpdesk>',
    color: '#C0FFEE',
    message: 'We never ask for passwords.\n<b>Really.</b>',
  });
  assert.equal(put.status, 200);
  assert.equal(put.body.orgName, 'Acme <Helpdesk>');
  assert.equal(put.body.color, '#c0ffee');
});

test('a logo must be the image it claims to be; it is served with its type and nosniff', async () => {
  const upload = (contentType: string, data: Buffer | string) =>
    f.api('PUT', '/api/v1/admin/branding/logo', {
      contentType,
      data: typeof data === 'string' ? data : data.toString('base64'),
    });
  assert.equal((await upload('image/svg+xml', Buffer.from('<svg onload="alert(1)"/>'))).status, 400);
  assert.equal((await upload('image/png', Buffer.from('<html><script>alert(1)</script>'))).status, 400);
  assert.equal((await upload('image/jpeg', PNG)).status, 400);
  assert.ok(
    [400, 413].includes((await upload('image/png', Buffer.concat([PNG, Buffer.alloc(300_000)]))).status),
  );
  const ok = await upload('image/png', PNG);
  assert.equal(ok.status, 200);
  assert.match(ok.body.logoUrl, /^\/branding\/logo\/[0-9a-f]{64}$/);
  const served = await fetch(`${f.url}${ok.body.logoUrl}`);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get('content-type'), 'image/png');
  assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
  assert.match(served.headers.get('content-security-policy') ?? '', /sandbox/);
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG);
  assert.equal((await fetch(`${f.url}/branding/logo/${'0'.repeat(64)}`)).status, 404);
  assert.equal((await fetch(`${f.url}/branding/logo/..%2f..%2fetc`)).status, 404);
});

test('the landing page and the assist client show the branding, escaped', async () => {
  const created = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' });
  const token = (created.body.customerLink as string).split('/j/')[1]!;
  const res = await fetch(`${f.url}/j/${token}`);
  const html = await res.text();
  assert.ok(html.includes('Acme &lt;Helpdesk&gt;'));
  assert.ok(html.includes('&lt;b&gt;Really.&lt;/b&gt;'));
  assert.match(html, /<img class="logo" src="\/branding\/logo\/[0-9a-f]{64}"/);
  assert.ok(html.includes('<style>:root{--brand:#c0ffee}</style>'));
  assert.match(res.headers.get('content-security-policy') ?? '', /style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);

  const forClient = await f.api('POST', '/api/v1/join/branding', { token }, null);
  assert.equal(forClient.status, 200);
  assert.equal(forClient.body.orgName, 'Acme <Helpdesk>');
  const byCode = await f.api('POST', '/api/v1/join/branding', { code: created.body.displayCode }, null);
  assert.equal(byCode.body.color, '#c0ffee');
  assert.equal((await f.api('POST', '/api/v1/join/branding', { code: 's00000000' }, null)).status, 404);
  assert.equal((await f.api('POST', '/api/v1/join/branding', { token: 'A'.repeat(43) }, null)).status, 404);

  const doc = (await f.api('GET', '/api/docs', undefined, null)).body;
  assert.ok(doc.paths['/api/v1/admin/branding/logo'].put.requestBody);

  const removed = await f.api('DELETE', '/api/v1/admin/branding/logo');
  assert.equal(removed.body.logoUrl, null);
  assert.equal(removed.body.message, 'We never ask for passwords.\n<b>Really.</b>');
});
