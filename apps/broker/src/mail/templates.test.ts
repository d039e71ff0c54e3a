import test from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES, type Language } from '@beckon/protocol';
import { MailInputError, UnsafeHeaderError, UnsafeLinkError } from './escape.ts';
import { formatInstant, renderInvite, renderStatusUpdate, type InviteParams } from './templates.ts';

const invite = (over: Partial<InviteParams> = {}): InviteParams => ({
  language: 'en',
  customerName: 'Jane Roe',
  agentName: 'Sam Agent',
  companyName: 'Acme Support',
  displayCode: 's12-345-678',
  link: 'https://beckon.example/j/tok123',
  expiresAt: '2026-03-12T05:30:00.000Z',
  timeZone: 'Asia/Tokyo',
  comment: null,
  ...over,
});

/** A word per language that only that language's texts use. */
const OWN_WORDS: Record<Language, { subject: string; body: string; closed: string; expired: string }> = {
  en: { subject: 'Remote support', body: 'What happens next', closed: 'closed', expired: 'expired' },
  de: { subject: 'Fernwartung', body: 'So geht es weiter', closed: 'beendet', expired: 'abgelaufen' },
  ja: { subject: 'リモートサポート', body: 'この後の流れ', closed: '終了', expired: '有効期限' },
  ko: { subject: '원격 지원', body: '다음 단계', closed: '종료', expired: '만료' },
};

test('the invite renders in each language with its own words', () => {
  for (const language of LANGUAGES) {
    const mail = renderInvite(invite({ language }));
    const words = OWN_WORDS[language];
    assert.ok(mail.subject.includes(words.subject), `${language} subject: ${mail.subject}`);
    assert.ok(mail.subject.includes('s12-345-678'), `${language} subject carries the code`);
    assert.ok(mail.html.includes(words.body), `${language} html`);
    assert.ok(mail.text.includes(words.body), `${language} text`);
    assert.ok(mail.html.includes(`<html lang="${language}">`));
    for (const other of LANGUAGES.filter((l) => l !== language)) {
      assert.ok(!mail.text.includes(OWN_WORDS[other].body), `${language} mail holds ${other} text`);
    }
  }
});

test('the invite carries link, code, names and the "nothing is shared before you allow" note', () => {
  const mail = renderInvite(invite());
  assert.ok(mail.html.includes('href="https://beckon.example/j/tok123"'));
  assert.ok(mail.text.includes('\nhttps://beckon.example/j/tok123\n'));
  for (const part of [mail.html, mail.text]) {
    for (const s of [
      's12-345-678',
      'Jane Roe',
      'Sam Agent',
      'Acme Support',
      'Nothing on your computer is shared',
    ]) {
      assert.ok(part.includes(s), s);
    }
  }
  assert.ok(!mail.text.includes('<'), 'text part holds no markup');
});

test('the expiry is shown in the request time zone and language', () => {
  // 05:30 UTC is 14:30 in Tokyo and 06:30 in Berlin (CET, before the March change).
  const tokyo = renderInvite(invite({ timeZone: 'Asia/Tokyo' }));
  assert.match(tokyo.text, /March 12, 2026 at 2:30\sPM GMT\+9 \(Asia\/Tokyo\)/);
  const de = renderInvite(invite({ language: 'de', timeZone: 'Europe/Berlin' }));
  assert.match(de.text, /12\. März 2026 um 06:30 MEZ \(Europe\/Berlin\)/);
  const ja = renderInvite(invite({ language: 'ja', timeZone: 'Asia/Tokyo' }));
  assert.match(ja.text, /2026年3月12日 14:30 JST \(Asia\/Tokyo\)/);
  const ko = renderInvite(invite({ language: 'ko', timeZone: 'Asia/Seoul' }));
  assert.match(ko.text, /2026년 3월 12일 오후 2:30 (GMT\+9|KST) \(Asia\/Seoul\)/);
  assert.match(formatInstant('2026-03-12T05:30:00Z', 'en', 'UTC'), /5:30\sAM UTC$/);
});

test('every parameter is HTML-escaped and never appears raw', () => {
  const xss = '<script>alert(1)</script>';
  const mail = renderInvite(
    invite({
      customerName: xss,
      agentName: `"><img src=x onerror=alert(2)>`,
      companyName: 'Tom & Jerry <Ltd>',
      comment: `line one\n${xss}`,
      link: `https://beckon.example/j/a?x="'><b>`,
    }),
  );
  assert.ok(!mail.html.includes('<script>'));
  assert.ok(!mail.html.includes('<img'));
  assert.ok(!mail.html.includes('<b>'));
  assert.ok(!mail.html.includes('Tom & Jerry'));
  assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(mail.html.includes('Tom &amp; Jerry &lt;Ltd&gt;'));
  assert.ok(mail.html.includes('line one<br>&lt;script&gt;'));
  // The href can't be broken out of: quotes are percent-encoded by URL, then escaped.
  assert.match(mail.html, /href="https:\/\/beckon\.example\/j\/a\?x=%22%27%3E%3Cb%3E"/);
  // The text part is plain text: the value as given, quoted comment included.
  assert.ok(mail.text.includes(`Hello ${xss},`));
  assert.ok(mail.text.includes(`> ${xss}`));
});

test('a placeholder inside a value is not expanded again', () => {
  const mail = renderInvite(invite({ customerName: '{code} {expiry}' }));
  assert.ok(mail.text.startsWith('Hello {code} {expiry},'));
});

test('only http(s) links are accepted', () => {
  for (const link of [
    'javascript:alert(1)',
    'data:text/html,<b>x</b>',
    'file:///etc/passwd',
    'beckon.example/j/x',
  ]) {
    assert.throws(() => renderInvite(invite({ link })), UnsafeLinkError, link);
  }
  assert.ok(
    renderInvite(invite({ link: 'http://localhost:8080/j/x' })).html.includes('http://localhost:8080/j/x'),
  );
});

test('a line break in a value used in the subject cannot inject a header', () => {
  const evil = 'Acme\r\nBcc: x@evil.example';
  assert.throws(() => renderInvite(invite({ companyName: evil })), UnsafeHeaderError);
  assert.throws(() => renderInvite(invite({ displayCode: 's12\n-345' })), UnsafeHeaderError);
  assert.throws(
    () =>
      renderStatusUpdate({
        ...invite({ displayCode: 's12-345-678\r\nBcc: x@evil.example' }),
        status: 'closed',
        at: '2026-03-12T05:30:00Z',
      }),
    UnsafeHeaderError,
  );
  // The customer name is not in the subject, so it only reaches the (escaped) body.
  const mail = renderInvite(invite({ customerName: 'Jane\r\nBcc: x@evil.example' }));
  assert.ok(!/[\r\n]/.test(mail.subject));
});

test('bad time zones and timestamps are refused', () => {
  assert.throws(() => renderInvite(invite({ timeZone: 'Mars/Olympus' })), MailInputError);
  assert.throws(() => renderInvite(invite({ expiresAt: 'soon' })), MailInputError);
});

test('the comment is optional and blank comments are left out', () => {
  assert.ok(!renderInvite(invite({ comment: '   ' })).text.includes('Message from'));
  const withComment = renderInvite(invite({ comment: 'Please have your\ninvoice ready.' }));
  assert.ok(withComment.text.includes('Message from Sam Agent:\n> Please have your\n> invoice ready.'));
});

test('status updates render closed and expired in each language', () => {
  for (const language of LANGUAGES) {
    for (const status of ['closed', 'expired'] as const) {
      const mail = renderStatusUpdate({
        language,
        customerName: '<b>Jane</b>',
        agentName: 'Sam',
        companyName: 'Acme',
        displayCode: 's12-345-678',
        status,
        at: '2026-03-12T05:30:00Z',
        timeZone: 'Asia/Tokyo',
      });
      const word = OWN_WORDS[language][status];
      assert.ok(mail.subject.includes('s12-345-678'), `${language}/${status} subject`);
      assert.ok(mail.subject.includes(word), `${language}/${status} subject: ${mail.subject}`);
      assert.ok(mail.text.includes(word) && mail.html.includes(word));
      assert.ok(mail.text.includes('(Asia/Tokyo)'));
      assert.ok(!mail.html.includes('<b>Jane'));
      assert.ok(!/[\r\n]/.test(mail.subject));
    }
  }
});
