import test from 'node:test';
import assert from 'node:assert/strict';
import { createTransport, SmtpConfigError, smtpOptions } from './transport.ts';

test('no SMTP URL means no transport', () => {
  assert.equal(smtpOptions(undefined), null);
  assert.equal(smtpOptions('  '), null);
  assert.equal(createTransport(undefined), null);
  assert.equal(createTransport(''), null);
});

test('smtp:// is plain with STARTTLS, smtps:// is TLS, both with short timeouts', () => {
  const plain = smtpOptions('smtp://mail.example:2525');
  assert.equal(plain?.host, 'mail.example');
  assert.equal(plain?.port, 2525);
  assert.equal(plain?.secure, false);
  assert.equal(plain?.auth, undefined);
  assert.equal(plain?.connectionTimeout, 5000);
  assert.equal(plain?.greetingTimeout, 5000);
  assert.equal(plain?.socketTimeout, 10000);
  assert.equal(plain?.disableFileAccess, true);
  assert.equal(plain?.disableUrlAccess, true);

  const tls = smtpOptions('smtps://mail.example');
  assert.equal(tls?.secure, true);
  assert.equal(tls?.port, 465);
  assert.equal(smtpOptions('smtp://mail.example')?.port, 587);
  assert.equal(smtpOptions('smtp://[::1]:25')?.host, '::1');
});

test('credentials are percent-decoded and TLS parameters are read', () => {
  const o = smtpOptions(
    'smtp://no-reply%40acme.example:p%40ss%3Aw@mail.example?requireTLS=true&tls.rejectUnauthorized=false',
  );
  assert.deepEqual(o?.auth, { user: 'no-reply@acme.example', pass: 'p@ss:w' });
  assert.equal(o?.requireTLS, true);
  assert.equal(o?.tls?.rejectUnauthorized, false);
  assert.equal(smtpOptions('smtp://127.0.0.1:25?ignoreTLS=true')?.ignoreTLS, true);
});

test('bad SMTP URLs fail at startup', () => {
  for (const url of [
    'mail.example',
    'http://mail.example',
    'smtp://mail.example?tls=off',
    'smtp://h?ignoreTLS=yes',
  ]) {
    assert.throws(() => smtpOptions(url), SmtpConfigError, url);
  }
});

test('createTransport returns a nodemailer transporter', () => {
  const t = createTransport('smtp://127.0.0.1:2525');
  assert.ok(t);
  assert.equal(typeof t.sendMail, 'function');
  t.close();
});
