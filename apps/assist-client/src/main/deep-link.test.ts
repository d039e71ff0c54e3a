import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepLinkFromArgv, parseDeepLink } from './deep-link.ts';

// A real link token: 43 base64url characters (256 bits).
const token = 'AbCdEfGhIjKlMnOpQrSt_-0123456789abcdefghijk';

describe('parseDeepLink', () => {
  it('accepts a link token, with the slash or spaces some launchers add', () => {
    for (const link of [
      `beckon-assist://join/${token}`,
      `beckon-assist://join/${token}/`,
      ` beckon-assist://join/${token} `,
    ]) {
      assert.deepEqual(parseDeepLink(link), { kind: 'join', token }, link);
    }
  });

  it('accepts an upper-case scheme and keeps the token as is', () => {
    assert.deepEqual(parseDeepLink(`BECKON-ASSIST://JOIN/${token}`), { kind: 'join', token: token });
  });

  for (const bad of [
    '',
    'beckon-assist://join/',
    `beckon-assist://join/${'a'.repeat(42)}`,
    `beckon-assist://join/${'a'.repeat(44)}`,
    `beckon-assist://join/${token}/extra`,
    `beckon-assist://join/x/${token}`,
    `beckon-assist://join/${token}?x=1`,
    `beckon-assist://join/${token}#x`,
    `beckon-assist://join/${token.slice(0, 42)}=`,
    `beckon-assist://join/${token.slice(0, 42)}+`,
    `beckon-assist://join/${token.slice(0, 41)}%41`,
    `beckon-assist://other/${token}`,
    `beckon-assist:join/${token}`,
    `beckon://join/${token}`,
    `https://join/${token}`,
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.equal(parseDeepLink(bad), null);
    });
  }
});

describe('deepLinkFromArgv', () => {
  it('finds the link among other arguments', () => {
    assert.deepEqual(deepLinkFromArgv(['BeckonAssist.exe', '--flag', `beckon-assist://join/${token}`]), {
      kind: 'join',
      token: token,
    });
  });

  it('returns null without a valid link', () => {
    assert.equal(deepLinkFromArgv(['BeckonAssist.exe', 'beckon-assist://join/short']), null);
  });
});
