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

test('worker leases and the mail backoff: defaults per worker, one override, never shorter than a delivery may take', () => {
  const d = loadConfig({});
  assert.deepEqual(d.mail, { retryBaseMs: 5000, retryMaxMs: 900_000, leaseMs: 600_000 });
  assert.equal(d.webhooks.leaseMs, 2 * 10_000 + 60_000);
  const short = loadConfig({
    BECKON_WORKER_LEASE_MS: '4000',
    BECKON_WEBHOOK_TIMEOUT_MS: '1000',
    BECKON_MAIL_RETRY_BASE_MS: '100',
  });
  assert.equal(short.mail.leaseMs, 4000);
  assert.equal(short.webhooks.leaseMs, 4000);
  assert.equal(short.mail.retryBaseMs, 100);
  assert.throws(() => loadConfig({ BECKON_WORKER_LEASE_MS: '20000' }), /BECKON_WORKER_LEASE_MS/);
  assert.throws(() => loadConfig({ BECKON_WORKER_LEASE_MS: '10' }), /BECKON_WORKER_LEASE_MS/);
});
