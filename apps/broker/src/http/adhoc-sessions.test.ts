import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { verifyPassword } from '../domain/passwords.ts';
import { login, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { startHelpdeskSim, type HelpdeskSim } from '../testing/helpdesk-sim.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

// Ad-hoc support on a real broker (SQLite file, HTTP) with a real SMTP server:
// seats and limits as 409s naming each limit, the invite mail with the code,
// activation by that code once, the clock (shortened) ending it, the host's
// removal report by its token, and the provider ending a session.

let f: Fixture;
let smtp: SmtpSink;
let sim: HelpdeskSim;
const PASSWORD = 'a long enough password';
const users: Record<string, string> = {};

before(async () => {
  smtp = await startSmtpSink();
  f = await startFixture({
    BECKON_SMTP_URL: smtp.smtpUrl,
    BECKON_ADHOC_DURATION_MS: '3000',
    BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
  });
  sim = await startHelpdeskSim();
  const hook = await f.api('POST', '/api/v1/webhooks', {
    url: sim.url,
    events: ['adhoc.created', 'adhoc.activated', 'adhoc.connection', 'adhoc.ended', 'adhoc.removed'],
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  sim.secret = hook.body.secret;
  for (const name of ['ana', 'ben', 'chiara', 'dora', 'eve']) {
    await f.api('POST', '/api/v1/users', {
      email: `${name}@example.com`,
      name,
      password: PASSWORD,
      role: 'support_agent',
    });
    users[name] = await login(f.url, `${name}@example.com`, PASSWORD);
  }
});
after(async () => {
  await f.stop();
  await smtp.stop();
  await sim.stop();
});

function hostKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString('base64url');
}
const presence = { hostname: 'laptop', os: 'linux', userPresent: true, screenLocked: false };
const body = (n: string) => ({ userName: `User of ${n}`, email: `${n}-user@example.com`, language: 'de' });

test('seats, one per provider, five per organisation: each refusal a 409 naming its limit, nothing kept', async () => {
  const noSeat = await f.api('POST', '/api/v1/adhoc-sessions', body('admin'));
  assert.equal(noSeat.status, 409);
  assert.equal(noSeat.body.error.code, 'adhoc_no_seat');
  assert.equal((await f.api('GET', '/api/v1/adhoc-sessions')).body.items.length, 0);
  assert.equal((await f.api('PUT', '/api/v1/adhoc-seats', { seats: 10 }, users.ana)).status, 403);
  assert.equal((await f.api('PUT', '/api/v1/adhoc-seats', { seats: -1 })).status, 400);
  const seats = await f.api('PUT', '/api/v1/adhoc-seats', { seats: 10 });
  assert.deepEqual(seats.body, { seats: 10, used: 0, orgLimit: 5 });

  const made = await f.api('POST', '/api/v1/adhoc-sessions', body('ana'), users.ana);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.status, 'created');
  assert.match(made.body.predefinedPassword, /^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
  assert.match(made.body.securityCode, /^\d{5}-\d{5}$/);
  const again = await f.api('POST', '/api/v1/adhoc-sessions', body('ana'), users.ana);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'adhoc_provider_limit');

  for (const n of ['ben', 'chiara', 'dora'])
    assert.equal((await f.api('POST', '/api/v1/adhoc-sessions', body(n), users[n])).status, 201);
  assert.equal((await f.api('POST', '/api/v1/adhoc-sessions', body('admin'))).status, 201);
  const sixth = await f.api('POST', '/api/v1/adhoc-sessions', body('eve'), users.eve);
  assert.equal(sixth.status, 409);
  assert.equal(sixth.body.error.code, 'adhoc_org_limit');
  assert.match(sixth.body.error.message, /5 active/);
  const list = (await f.api('GET', '/api/v1/adhoc-sessions')).body.items;
  assert.equal(list.length, 5);
  // The read model never carries the password, the code or the link.
  assert.ok(
    list.every((s: Record<string, unknown>) => !('predefinedPassword' in s) && !('securityCode' in s)),
  );
  assert.equal((await f.api('GET', '/api/v1/adhoc-seats')).body.used, 5);

  // The provider ends theirs: a seat is free again, and the org limit lets eve in.
  const own = list.find((s: { providerId: string }) => s.providerId !== made.body.providerId);
  assert.equal(
    (await f.api('POST', `/api/v1/adhoc-sessions/${made.body.id}/end`, undefined, users.ben)).status,
    403,
  );
  assert.equal(
    (await f.api('POST', `/api/v1/adhoc-sessions/${made.body.id}/end`, undefined, users.ana)).body.status,
    'ended',
  );
  assert.ok(own);
  assert.equal((await f.api('POST', '/api/v1/adhoc-sessions', body('eve'), users.eve)).status, 201);
});

test('the invite mail carries the link and the code, never the password; the code activates once; time ends it', async () => {
  // Free dora's seat for a fresh session with a known mail.
  const dora = (await f.api('GET', '/api/v1/adhoc-sessions')).body.items.find(
    (s: { email: string; status: string }) => s.email === 'dora-user@example.com' && s.status === 'created',
  );
  await f.api('POST', `/api/v1/adhoc-sessions/${dora.id}/end`, undefined, users.dora);
  const made = (
    await f.api(
      'POST',
      '/api/v1/adhoc-sessions',
      { ...body('dora'), email: 'fresh@example.com', language: 'ja' },
      users.dora,
    )
  ).body;
  const mail = await waitFor(() => smtp.received.find((m) => m.to.includes('fresh@example.com')), 10_000);
  assert.ok(mail.decoded.includes(made.securityCode), 'code in the mail');
  assert.ok(mail.decoded.includes(made.installLink), 'link in the mail');
  assert.ok(mail.decoded.includes('セキュリティコード'), 'in the session language');
  assert.ok(!mail.decoded.includes(made.predefinedPassword), 'never the password');
  const code = /(\d{5}-\d{5})/.exec(mail.decoded)?.[1];
  assert.equal(code, made.securityCode);

  const page = await fetch(made.installLink);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /removes itself 24 hours after activation/);

  const wrong = await f.api(
    'POST',
    '/api/v1/adhoc/activate',
    { securityCode: '00000-00000', publicKey: hostKey(), name: 'laptop', presence },
    null,
  );
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.code, 'invalid_code');
  const ok = await f.api(
    'POST',
    '/api/v1/adhoc/activate',
    { securityCode: code, publicKey: hostKey(), name: 'laptop', presence },
    null,
  );
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(Date.parse(ok.body.expiresAt) - Date.parse(ok.body.activatedAt), 3000);
  const twice = await f.api(
    'POST',
    '/api/v1/adhoc/activate',
    { securityCode: code, publicKey: hostKey(), name: 'laptop', presence },
    null,
  );
  assert.equal(twice.status, 401, 'a code works once');
  // The temporary host is a managed host its provider may connect to.
  const host = await f.api('GET', `/api/v1/hosts/${ok.body.hostId}`, undefined, users.dora);
  assert.equal(host.status, 200);
  assert.equal(host.body.rights.connect, true);
  assert.equal(
    (await f.api('GET', `/api/v1/hosts/${ok.body.hostId}`, undefined, users.ben)).body.rights.connect,
    false,
  );

  // Checked after what must happen within the session's 3 s: two scrypt runs take seconds on a busy machine.
  assert.equal(await verifyPassword(made.predefinedPassword, ok.body.passwordVerifier), true);
  assert.equal(await verifyPassword('wrong', ok.body.passwordVerifier), false);
  const ended = await waitFor(async () => {
    const s = (await f.api('GET', `/api/v1/adhoc-sessions/${made.id}`)).body;
    return s.status === 'ended' ? s : null;
  }, 10_000);
  assert.equal(ended.endReason, 'expired');
  assert.equal(
    (await f.api('GET', `/api/v1/hosts/${ok.body.hostId}`)).status,
    404,
    'its key opens nothing now',
  );

  const bad = await f.api(
    'POST',
    '/api/v1/adhoc/report',
    { sessionId: made.id, removalToken: 'A'.repeat(43), event: 'removed' },
    null,
  );
  assert.equal(bad.status, 401);
  const removed = await f.api(
    'POST',
    '/api/v1/adhoc/report',
    { sessionId: made.id, removalToken: ok.body.removalToken, event: 'removed' },
    null,
  );
  assert.equal(removed.status, 200);
  assert.equal(removed.body.status, 'removed');
  const kinds = (await f.api('GET', `/api/v1/adhoc-sessions/${made.id}`)).body.events.map(
    (e: { kind: string }) => e.kind,
  );
  assert.deepEqual(kinds, ['created', 'activated', 'ended', 'removed']);

  // The same records as signed adhoc.* webhooks, in order, without the code, password or link.
  const ofSession = () => sim.received.filter((r) => 'adhoc' in r.event && r.event.adhoc.id === made.id);
  await waitFor(() => ofSession().length === 4, 10_000, 'four adhoc webhooks');
  assert.deepEqual(
    ofSession().map((r) => r.event.type),
    ['adhoc.created', 'adhoc.activated', 'adhoc.ended', 'adhoc.removed'],
  );
  for (const r of ofSession()) {
    assert.ok(r.verified, 'signed');
    for (const secret of [made.predefinedPassword, made.securityCode, made.installLink, ok.body.removalToken])
      assert.ok(!r.raw.includes(secret), 'no secret in a webhook');
  }
});

test('the invite is an editable template: an organisation’s own text is used, its parameters checked', async () => {
  const bad = await f.api('PUT', '/api/v1/mail-templates/adhoc_invite/ko', {
    subject: 'Hi',
    body: 'Password: {{predefinedPassword}}',
  });
  assert.equal(bad.status, 400, 'the password is no parameter of the invite');
  const saved = await f.api('PUT', '/api/v1/mail-templates/adhoc_invite/ko', {
    subject: '{{companyName}} 지원',
    body: '{{userName}}님, 링크: {{installLink}} 코드: {{securityCode}} ({{providerName}})',
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  // Free the seats the earlier tests left in use.
  for (const s of (await f.api('GET', '/api/v1/adhoc-sessions')).body.items)
    if (s.status === 'created' || s.status === 'activated')
      await f.api('POST', `/api/v1/adhoc-sessions/${s.id}/end`);
  const made = await f.api(
    'POST',
    '/api/v1/adhoc-sessions',
    { userName: 'Min', email: 'min@example.com', language: 'ko' },
    users.chiara,
  );
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const mail = await waitFor(() => smtp.received.find((m) => m.to.includes('min@example.com')), 10_000);
  assert.ok(
    mail.decoded.includes(`Min님, 링크: ${made.body.installLink} 코드: ${made.body.securityCode} (chiara)`),
  );
  assert.ok(!mail.decoded.includes(made.body.predefinedPassword));
});
