import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES } from '@beckon/protocol';
import { defaultTemplate, renderTemplate, sampleValues, templateProblems } from './custom-templates.ts';
import { MailInputError, UnsafeHeaderError, UnsafeLinkError } from './escape.ts';

test('unknown parameters and stray braces are found; the built-in texts have none', () => {
  assert.deepEqual(
    templateProblems('invite', {
      subject: 'Hi {{customerName}}',
      body: '{{ sessionCode }} {{customerLink}}',
    }),
    [],
  );
  const bad = templateProblems('invite', {
    subject: '{{password}}',
    body: 'Hi {{customerName} and {{consoleLink}}',
  });
  assert.equal(bad.length, 3);
  assert.match(bad[0]!.message, /unknown parameter \{\{password\}\}; allowed: customerName/);
  assert.match(
    bad[1]!.message,
    /unknown parameter \{\{consoleLink\}\}/,
    'the supporter link is not for customers',
  );
  assert.match(bad[2]!.message, /not a \{\{parameter\}\}/);
  // The customer's link is not offered to supporter notifications.
  assert.equal(templateProblems('customer_joined', { subject: 's', body: '{{customerLink}}' }).length, 1);
  for (const language of LANGUAGES)
    for (const kind of ['invite', 'customer_joined', 'adhoc_invite'] as const)
      assert.deepEqual(templateProblems(kind, defaultTemplate(kind, language)), [], `${kind} ${language}`);
});

test('values are escaped in HTML, links become links only when they are http(s)', () => {
  const values = { ...sampleValues('invite'), customerName: '<img src=x onerror=alert(1)> & "Co"' };
  const mail = renderTemplate(
    'en',
    { subject: 'For {{customerName}}', body: 'Hello {{customerName}},\nline two\n\n{{customerLink}}' },
    values,
  );
  assert.ok(!mail.html.includes('<img'), 'no markup from a value');
  assert.ok(mail.html.includes('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;'));
  assert.ok(mail.html.includes('<br>line two'));
  assert.ok(mail.html.includes('<a href="https://beckon.example/j/EXAMPLE"'));
  assert.ok(
    mail.text.startsWith(
      'Hello <img src=x onerror=alert(1)> & "Co",\nline two\n\nhttps://beckon.example/j/EXAMPLE',
    ),
  );
  assert.equal(mail.subject, 'For <img src=x onerror=alert(1)> & "Co"');
  // Literal text an admin writes is escaped too.
  assert.ok(
    renderTemplate('en', { subject: 's', body: '<b>bold</b>' }, {}).html.includes('&lt;b&gt;bold&lt;/b&gt;'),
  );
  assert.throws(
    () =>
      renderTemplate(
        'en',
        { subject: 's', body: '{{customerLink}}' },
        { customerLink: 'javascript:alert(1)' },
      ),
    UnsafeLinkError,
  );
  assert.throws(
    () =>
      renderTemplate(
        'en',
        { subject: '{{customerName}}', body: 'b' },
        { customerName: 'x\r\nBcc: evil@example.com' },
      ),
    UnsafeHeaderError,
  );
  assert.throws(() => renderTemplate('en', { subject: 's', body: '{{agentName}}' }, {}), MailInputError);
});
