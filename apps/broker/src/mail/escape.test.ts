import test from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeHtml,
  headerSafe,
  MailInputError,
  safeHttpUrl,
  UnsafeHeaderError,
  UnsafeLinkError,
} from './escape.ts';

test('escapeHtml escapes the five HTML-significant characters', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
  assert.equal(escapeHtml('plain Grüße 日本語'), 'plain Grüße 日本語');
  assert.equal(escapeHtml('&amp;'), '&amp;amp;');
});

test('headerSafe passes ordinary single-line values through', () => {
  for (const v of ['Jane Doe <jane@example.com>', 'Ihre Sitzung s12-345-678', 'サポート 세션', '']) {
    assert.equal(headerSafe(v), v);
  }
});

test('headerSafe refuses line breaks and other control characters', () => {
  const bad = [
    'a\r\nBcc: x@evil',
    'a\nb',
    'a\rb',
    'a\tb',
    'a\u0000b',
    'a\u007fb',
    'a\u0085b',
    'a\u2028b',
    'a\u2029b',
  ];
  for (const v of bad) {
    assert.throws(
      () => headerSafe(v, 'subject'),
      (err: unknown) =>
        err instanceof UnsafeHeaderError && err instanceof MailInputError && err.field === 'subject',
      JSON.stringify(v),
    );
  }
});

test('safeHttpUrl accepts http(s) and refuses every other scheme', () => {
  assert.equal(safeHttpUrl('https://beckon.example/j/abc?x=1'), 'https://beckon.example/j/abc?x=1');
  assert.equal(safeHttpUrl('http://localhost:8080/j/a'), 'http://localhost:8080/j/a');
  assert.equal(safeHttpUrl('https://x.example/a b"c'), 'https://x.example/a%20b%22c');
  for (const v of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,x',
    'ftp://x.example',
    '/relative',
    '',
  ]) {
    assert.throws(() => safeHttpUrl(v), UnsafeLinkError, v);
  }
});
