import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assistDeepLink,
  brokerUrlFromCustomerLink,
  customerLink,
  parseJoinLink,
  parseSupporterLink,
  supporterLink,
} from './links.ts';
import { generateToken, TOKEN_PATTERN } from './tokens.ts';

test('tokens carry 256 random bits as base64url', () => {
  const tokens = new Set(Array.from({ length: 1000 }, generateToken));
  assert.equal(tokens.size, 1000);
  for (const t of tokens) assert.match(t, TOKEN_PATTERN);
});

test('customer and deep links round-trip', () => {
  const token = generateToken();
  assert.equal(parseJoinLink(customerLink('https://help.example.com/', token)), token);
  assert.equal(parseJoinLink(customerLink('https://example.com/beckon', token)), token);
  assert.equal(parseJoinLink(assistDeepLink(token)), token);
  assert.equal(
    brokerUrlFromCustomerLink(customerLink('https://example.com/beckon', token)),
    'https://example.com/beckon',
  );
  const id = crypto.randomUUID();
  assert.equal(parseSupporterLink(supporterLink(id)), id);
});

test('anything else is refused', () => {
  const token = generateToken();
  for (const bad of [
    `beckon-assist://join/${token}/extra`,
    `beckon-assist://join/${token}?x=1`,
    `beckon-assist://join/short`,
    `beckon-assist://other/${token}`,
    `javascript:alert(1)//j/${token}`,
    `https://example.com/j/${token}?next=evil`,
    `https://example.com/j/${token}#frag`,
    `https://user:pw@example.com/j/${token}`,
    `file:///j/${token}`,
    `https://example.com/x/${token}`,
    `https://example.com/j/${token}x`,
    'x'.repeat(5000),
  ]) {
    assert.equal(parseJoinLink(bad), null, bad);
  }
  for (const bad of [
    'beckon://requests/not-a-uuid',
    `beckon://requests/${crypto.randomUUID()}/x`,
    'beckon://other/1',
  ]) {
    assert.equal(parseSupporterLink(bad), null, bad);
  }
});
