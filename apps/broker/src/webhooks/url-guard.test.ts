import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusedReason } from './ip-ranges.ts';
import { parseAllowlist, resolveWebhookTarget, UnsafeUrlError, type Resolver } from './url-guard.ts';

const none = parseAllowlist([]);
const refused = async (url: string, allow = none, resolve?: Resolver) => {
  await assert.rejects(resolveWebhookTarget(url, allow, resolve), UnsafeUrlError, url);
};
const fixed =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

test('every spelling of a local address is refused', async () => {
  for (const url of [
    'https://127.0.0.1/hook',
    'https://2130706433/hook',
    'https://0x7f000001/hook',
    'https://017700000001/hook',
    'https://127.1/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:7f00:1]/hook',
    'https://[::127.0.0.1]/hook',
    'https://[::1]/hook',
    'https://[::]/hook',
    'https://0.0.0.0/hook',
    'https://10.1.2.3/hook',
    'https://172.16.0.1/hook',
    'https://192.168.1.1/hook',
    'https://100.64.0.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://224.0.0.1/hook',
    'https://255.255.255.255/hook',
    'https://[fe80::1]/hook',
    'https://[fd00::1]/hook',
    'https://[ff02::1]/hook',
    'https://[64:ff9b::7f00:1]/hook',
    'https://[2002:7f00:1::]/hook',
    'https://[::ffff:10.0.0.1]/hook',
  ]) {
    await refused(url);
  }
});

test('names are judged by what they resolve to, including the real resolver on localhost', async () => {
  await refused('https://localhost/hook');
  await refused('https://LOCALHOST./hook');
  await refused('https://rebind.example/hook', none, fixed('93.184.215.14', '127.0.0.1'));
  await refused('https://v6.example/hook', none, fixed('::ffff:192.168.0.1'));
  await refused('https://gone.example/hook', none, async () => {
    throw new Error('ENOTFOUND');
  });
  const ok = await resolveWebhookTarget('https://hooks.example/x', none, fixed('93.184.215.14'));
  assert.equal(ok.address, '93.184.215.14');
  assert.equal(ok.family, 4);
  assert.equal(ok.url.hostname, 'hooks.example', 'the host stays the name (TLS, Host header)');
});

test('https only, unless the host is allowlisted; no credentials in URLs', async () => {
  await refused('http://hooks.example/x', none, fixed('93.184.215.14'));
  await refused('ftp://hooks.example/x', none, fixed('93.184.215.14'));
  await refused('https://user:pw@hooks.example/x', none, fixed('93.184.215.14'));
  const allow = parseAllowlist(['127.0.0.1', 'helpdesk.corp', '10.20.0.0/16']);
  assert.equal((await resolveWebhookTarget('http://127.0.0.1:9/x', allow)).address, '127.0.0.1');
  assert.equal((await resolveWebhookTarget('http://2130706433:9/x', allow)).address, '127.0.0.1');
  assert.equal((await resolveWebhookTarget('http://[::ffff:127.0.0.1]:9/x', allow)).address, '::ffff:7f00:1');
  assert.equal(
    (await resolveWebhookTarget('http://helpdesk.corp/x', allow, fixed('192.168.7.7'))).address,
    '192.168.7.7',
    'an allowlisted name may resolve anywhere',
  );
  assert.equal(
    (await resolveWebhookTarget('http://hd.corp/x', allow, fixed('10.20.3.4'))).address,
    '10.20.3.4',
  );
  await refused('http://hd.corp/x', allow, fixed('10.21.3.4'));
  await refused('https://127.0.0.2/x', allow);
  assert.throws(() => parseAllowlist(['not a host!']), /BECKON_WEBHOOK_ALLOWLIST/);
  assert.throws(() => parseAllowlist(['10.0.0.0/33']), /BECKON_WEBHOOK_ALLOWLIST/);
});

test('public addresses pass, refused ones say why', () => {
  for (const ip of ['8.8.8.8', '93.184.215.14', '2606:4700:4700::1111', '64:ff9b::808:808'])
    assert.equal(refusedReason(ip), null, ip);
  assert.equal(refusedReason('127.0.0.1'), 'loopback');
  assert.equal(refusedReason('::ffff:127.0.0.1'), 'IPv4-mapped');
  assert.equal(refusedReason('100.100.100.100'), 'shared (CGNAT)');
  assert.equal(refusedReason('64:ff9b::a00:1'), 'private (embedded IPv4)');
});
