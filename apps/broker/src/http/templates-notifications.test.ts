import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login, sleep, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { joinAssist } from '../testing/signal-client.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

let f: Fixture;
let smtp: SmtpSink;
const PASSWORD = 'a long enough password';
const users: Record<string, { id: string; token: string }> = {};

before(async () => {
  smtp = await startSmtpSink();
  f = await startFixture({ BECKON_SMTP_URL: smtp.smtpUrl, BECKON_SIGNAL_GRACE_MS: '200' });
  for (const name of ['ana', 'ben', 'chiara', 'dora']) {
    const res = await f.api('POST', '/api/v1/users', {
      email: `${name}@example.com`,
      name,
      password: PASSWORD,
      role: 'support_agent',
    });
    users[name] = { id: res.body.id, token: await login(f.url, `${name}@example.com`, PASSWORD) };
  }
});
after(async () => {
  await f.stop();
  await smtp.stop();
});

test('admins edit templates per kind and language; unknown parameters are refused; a preview renders them', async () => {
  const list = (await f.api('GET', '/api/v1/mail-templates')).body.items;
  assert.equal(list.length, 12);
  assert.ok(list.every((t: { custom: boolean }) => !t.custom));
  const builtIn = list.find(
    (t: { kind: string; language: string }) => t.kind === 'invite' && t.language === 'de',
  );
  assert.match(builtIn.body, /\{\{customerLink\}\}/);

  const bad = await f.api('PUT', '/api/v1/mail-templates/invite/de', {
    subject: 'Hallo',
    body: 'Ihr Passwort: {{password}}',
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'validation_failed');
  assert.match(bad.body.error.message, /unknown parameter \{\{password\}\}/);
  assert.equal(
    (await f.api('PUT', '/api/v1/mail-templates/invite/fr', { subject: 's', body: 'b' })).status,
    400,
  );
  assert.equal(
    (await f.api('PUT', '/api/v1/mail-templates/invite/de', { subject: 's', body: 'b' }, users.ana!.token))
      .status,
    403,
  );

  const body =
    'Hallo {{customerName}},\n\n{{agentName}} von {{companyName}} hilft Ihnen.\n\n{{customerLink}}\n\nCode {{sessionCode}}, gültig bis {{expiresAt}}.';
  const saved = await f.api('PUT', '/api/v1/mail-templates/invite/de', {
    subject: 'Hilfe von {{companyName}} ({{sessionCode}})',
    body,
  });
  assert.equal(saved.status, 200);
  assert.equal(saved.body.custom, true);

  const preview = await f.api('POST', '/api/v1/mail-templates/preview', {
    kind: 'invite',
    language: 'de',
    values: { customerName: '<b>Jane</b>' },
  });
  assert.equal(preview.status, 200);
  assert.equal(preview.body.subject, 'Hilfe von Acme Support (s12-345-678)');
  assert.ok(preview.body.html.includes('Hallo &lt;b&gt;Jane&lt;/b&gt;'));
  assert.ok(preview.body.text.includes('Sam Agent von Acme Support hilft Ihnen.'));
  const unsaved = await f.api('POST', '/api/v1/mail-templates/preview', {
    kind: 'customer_joined',
    language: 'en',
    body: '{{nope}}',
  });
  assert.equal(unsaved.status, 400);
  // A link value that is not plain http(s) is bad input, named, not a server fault.
  for (const link of ['javascript:alert(1)', 'data:text/html,x', 'not a url']) {
    const unsafe = await f.api('POST', '/api/v1/mail-templates/preview', {
      kind: 'invite',
      language: 'en',
      values: { customerLink: link },
    });
    assert.equal(unsafe.status, 400, link);
    assert.equal(unsafe.body.error.code, 'validation_failed');
    assert.equal(unsafe.body.error.details.issues[0].path, 'values.customerLink');
  }

  // The saved template is the invite that goes out.
  const r = await f.api('POST', '/api/v1/session-requests', {
    recipientName: 'Jane <Roe>',
    recipientEmail: 'jane.de@example.com',
    sendInvite: true,
    language: 'de',
  });
  const mail = await waitFor(
    () => smtp.received.find((m) => m.to[0] === 'jane.de@example.com'),
    10_000,
    'invite',
  );
  assert.ok(mail.decoded.includes(`Code ${r.body.displayCode}`));
  assert.ok(mail.decoded.includes(r.body.customerLink));
  assert.ok(mail.decoded.includes('Hallo Jane &lt;Roe&gt;'));
  assert.ok(mail.decoded.includes(`(${r.body.displayCode})`), 'subject from the template');

  // Reset: the built-in text again.
  const reset = await f.api('DELETE', '/api/v1/mail-templates/invite/de');
  assert.equal(reset.body.custom, false);
});

test('when the customer arrives, the supporter and the queues they share with are mailed, per their settings', async () => {
  const queue = await f.api('POST', '/api/v1/queues', {
    name: 'Level 2',
    memberIds: [users.ben!.id, users.chiara!.id],
  });
  const put = (name: string, settings: unknown) =>
    f.api('PUT', '/api/v1/me/notification-settings', settings, users[name]!.token);
  assert.deepEqual(
    (await f.api('GET', '/api/v1/me/notification-settings', undefined, users.ana!.token)).body,
    {
      desktop: true,
      email: false,
      shareWithQueueIds: [],
      language: 'en',
    },
  );
  assert.equal((await put('ana', { email: true, shareWithQueueIds: [queue.body.id] })).status, 200);
  assert.equal((await put('ben', { email: true, language: 'ja' })).status, 200);
  assert.equal((await put('chiara', { email: false })).status, 200);
  assert.equal(
    (await put('dora', { email: true, shareWithQueueIds: ['00000000-0000-4000-8000-000000000000'] })).status,
    400,
  );

  const r = (
    await f.api('POST', '/api/v1/session-requests', {
      recipientName: 'Walter',
      assignee: { type: 'agent', id: users.ana!.id },
      ticket: { system: 'zd', ticketId: 'ZD-77' },
    })
  ).body;
  const before = smtp.received.length;
  const assist = await joinAssist(f.url, { code: r.displayCode });
  await waitFor(() => smtp.received.length >= before + 2, 10_000, 'two notices');
  await sleep(500);
  const notices = smtp.received.slice(before);
  assert.deepEqual(notices.map((m) => m.to[0]).sort(), ['ana@example.com', 'ben@example.com']);
  const ana = notices.find((m) => m.to[0] === 'ana@example.com')!;
  assert.ok(ana.decoded.includes('Walter has started the assist client'));
  assert.ok(ana.decoded.includes('ZD-77'));
  assert.ok(ana.decoded.includes(`/console/#/requests/${r.id}`));
  assert.ok(!ana.decoded.includes('/j/'), 'no customer link for supporters');
  assert.ok(
    notices.find((m) => m.to[0] === 'ben@example.com')!.decoded.includes('お待ちです'),
    'in Ben’s language',
  );

  // The client reconnecting while waiting is not a new arrival.
  assist.ws.terminate();
  await joinAssist(f.url, { code: r.displayCode });
  await sleep(800);
  assert.equal(smtp.received.length, before + 2);

  // Assigned to the queue: its members who asked for mail.
  const q = (
    await f.api('POST', '/api/v1/session-requests', {
      recipientName: 'Q',
      assignee: { type: 'queue', id: queue.body.id },
    })
  ).body;
  const mark = smtp.received.length;
  await joinAssist(f.url, { code: q.displayCode });
  await waitFor(() => smtp.received.length >= mark + 1, 10_000, 'queue notice');
  await sleep(500);
  assert.deepEqual(
    smtp.received.slice(mark).map((m) => m.to[0]),
    ['ben@example.com'],
  );
});
