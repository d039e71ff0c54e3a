import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';
import { sleep, startFixture, waitFor } from '../testing/fixture.ts';
import { freePort } from '../testing/free-port.ts';

/** The decoded text/html part of a raw MIME message (quoted-printable or base64). */
function htmlPart(raw: string): string {
  const start = raw.search(/^Content-Type: text\/html/im);
  assert.ok(start >= 0, 'an HTML part');
  const part = raw.slice(start);
  const headerEnd = part.indexOf('\r\n\r\n');
  const headers = part.slice(0, headerEnd);
  const body = part.slice(headerEnd + 4).split(/\r\n--/)[0] ?? '';
  if (/base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  const bytes = body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

interface Received {
  to: string[];
  raw: string;
}

test('with the SMTP server down, invites queue; once it is up they all arrive once, in their language, escaped', async () => {
  const port = await freePort();
  const f = await startFixture({
    BECKON_SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    BECKON_MAIL_FROM: 'Acme <no-reply@acme.example>',
  });
  const received: Received[] = [];
  let smtp: SMTPServer | undefined;
  try {
    const langs = ['en', 'de', 'ja', 'ko'] as const;
    for (const language of langs) {
      const res = await f.api('POST', '/api/v1/session-requests', {
        recipientName: `<script>alert("${language}")</script>`,
        recipientEmail: `${language}@example.com`,
        sendInvite: true,
        language,
        comment: 'Bcc: injected@evil.example',
      });
      assert.equal(res.status, 201);
    }
    await sleep(1500);
    const pending = (await f.api('GET', '/api/v1/admin/outbox')).body.items;
    assert.equal(pending.length, 4);
    assert.ok(pending.every((m: { status: string }) => m.status === 'pending'));
    assert.ok(
      pending.some((m: { attempts: number; lastError: string | null }) => m.attempts > 0 && m.lastError),
      'delivery was tried and failed',
    );

    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, cb) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp!.listen(port, '127.0.0.1', r));
    await waitFor(() => received.length >= 4, 60_000, 'all four invites');
    await sleep(1500); // any duplicate would arrive now
    assert.equal(received.length, 4, 'each mail once');
    const byTo = new Map(received.map((m) => [m.to[0], m]));
    for (const language of langs) {
      const mail = byTo.get(`${language}@example.com`);
      assert.ok(mail, `mail to ${language}`);
      assert.equal(mail.to.length, 1, 'no extra recipients');
      const html = htmlPart(mail.raw);
      assert.ok(!/<script>/i.test(html), `raw <script> in the ${language} mail`);
      assert.ok(html.includes('&lt;script&gt;'), `escaped name in the ${language} mail`);
      assert.ok(!/^bcc:/im.test(mail.raw), 'no injected header');
      assert.match(mail.raw, /^X-Beckon-Outbox-Id: \d+/im);
    }
    const subjects = received.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1] ?? '');
    assert.equal(new Set(subjects).size, 4, 'four languages, four subjects');
    const sent = (await f.api('GET', '/api/v1/admin/outbox')).body.items;
    assert.ok(sent.every((m: { status: string }) => m.status === 'sent'));
  } finally {
    await f.stop();
    if (smtp) await new Promise((r) => smtp!.close(() => r(null)));
  }
});
