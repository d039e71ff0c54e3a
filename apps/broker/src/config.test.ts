import assert from 'node:assert/strict';
import { test } from 'node:test';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { defaultMailFrom, loadConfig } from './config.ts';

test('the default sender is a valid address for a host name, an IPv4 and an IPv6 public URL', () => {
  assert.equal(defaultMailFrom('https://support.example.com'), 'Beckon <no-reply@support.example.com>');
  assert.equal(defaultMailFrom('http://127.0.0.1:8080'), 'Beckon <no-reply@[127.0.0.1]>');
  assert.equal(defaultMailFrom('http://[2001:db8::1]:8080'), 'Beckon <no-reply@[IPv6:2001:db8::1]>');
  // nodemailer reads the literal back as one address (it would split a bare IP in odd ways otherwise).
  assert.deepEqual(addressparser(defaultMailFrom('http://192.0.2.7')), [
    { name: 'Beckon', address: 'no-reply@[192.0.2.7]' },
  ]);
  assert.equal(loadConfig({ BECKON_PORT: '9090' }).mailFrom, 'Beckon <no-reply@[127.0.0.1]>');
  assert.equal(loadConfig({ BECKON_MAIL_FROM: 'Acme <a@acme.example>' }).mailFrom, 'Acme <a@acme.example>');
});

test('BECKON_DATABASE_URL selects PostgreSQL; unset or empty keeps SQLite; anything but a postgres URL is refused', () => {
  assert.equal(loadConfig({}).databaseUrl, undefined);
  assert.equal(loadConfig({ BECKON_DATABASE_URL: '' }).databaseUrl, undefined);
  const url = 'postgres://beckon:secret@db.internal:5432/beckon';
  assert.equal(loadConfig({ BECKON_DATABASE_URL: url }).databaseUrl, url);
  assert.equal(
    loadConfig({ BECKON_DATABASE_URL: 'postgresql:///beckon?host=/run/postgresql' }).databaseUrl,
    'postgresql:///beckon?host=/run/postgresql',
  );
  for (const bad of ['mysql://db/beckon', 'postgres://db.internal', 'beckon.sqlite', 'postgres://:5432/x'])
    assert.throws(() => loadConfig({ BECKON_DATABASE_URL: bad }), /BECKON_DATABASE_URL/, bad);
});
