import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKey } from './address-key.ts';

test('IPv4 counts whole; IPv6 by its prefix, in every spelling', () => {
  assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
  assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7', 'an IPv4-mapped address is its IPv4 address');
  const key = addressKey('2001:db8:1:2::1');
  assert.equal(key, '2001:db8:1:2:0:0:0:0/64');
  for (const same of ['2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2:a::b%eth0', '2001:0db8:0001:0002::'])
    assert.equal(addressKey(same), key, same);
  assert.notEqual(addressKey('2001:db8:1:3::1'), key);
  assert.equal(addressKey('2001:db8:1:2::1', 48), '2001:db8:1:0:0:0:0:0/48');
  assert.equal(addressKey('2001:db8:1:2::1', 56), addressKey('2001:db8:1:ff::1', 56));
  assert.notEqual(addressKey('2001:db8:1:2::1', 128), addressKey('2001:db8:1:2::2', 128));
  assert.equal(addressKey('::1'), '0:0:0:0:0:0:0:0/64');
  assert.equal(addressKey('64:ff9b::192.0.2.1', 128), '64:ff9b:0:0:0:0:c000:201/128');
});
