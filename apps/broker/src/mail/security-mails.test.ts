import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES } from '@beckon/protocol';
import { renderGuessingAlarm, renderSignInAlert } from './security-mails.ts';

test('security mails render in every language, every value escaped, the subject one line', () => {
  for (const language of LANGUAGES) {
    const alert = renderSignInAlert({
      language,
      company: 'Acme <script>',
      name: 'Ana "A"',
      email: 'ana@example.com',
      count: 12,
      address: '2001:db8::1',
      at: '2026-03-01T10:00:00Z',
    });
    assert.ok(alert.html.includes('Acme &lt;script&gt;') && !alert.html.includes('<script>'), language);
    assert.ok(alert.text.includes('12') && alert.text.includes('2001:db8::1'), language);
    assert.ok(!/[\r\n]/.test(alert.subject), language);
    const alarm = renderGuessingAlarm({
      language,
      company: 'Acme',
      name: 'Admin',
      at: '2026-03-01T10:00:00Z',
      budget: 200,
      reserve: 4,
      addresses: 321,
    });
    assert.ok(alarm.text.includes('321') && alarm.text.includes('200') && alarm.text.includes('4'), language);
  }
  assert.throws(() =>
    renderSignInAlert({
      language: 'en',
      company: 'Acme\r\nBcc: x@example.com',
      name: 'A',
      email: 'a@example.com',
      count: 1,
      address: '::1',
      at: '2026-03-01T10:00:00Z',
    }),
  );
});
