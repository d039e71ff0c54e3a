import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepLinkFromArgv, parseDeepLink } from './deep-link.ts';

const token22 = 'AbCdEfGhIjKlMnOpQrSt_-';
const token64 = 'a'.repeat(64);

describe('parseDeepLink', () => {
  it('accepts base64url tokens of 22 to 64 characters', () => {
    assert.deepEqual(parseDeepLink(`beckon-assist://join/${token22}`), { kind: 'join', token: token22 });
    assert.deepEqual(parseDeepLink(`beckon-assist://join/${token64}`), { kind: 'join', token: token64 });
  });

  it('accepts an upper-case scheme and keeps the token as is', () => {
    assert.deepEqual(parseDeepLink(`BECKON-ASSIST://JOIN/${token22}`), { kind: 'join', token: token22 });
  });

  for (const bad of [
    '',
    'beckon-assist://join/',
    `beckon-assist://join/${'a'.repeat(21)}`,
    `beckon-assist://join/${'a'.repeat(65)}`,
    `beckon-assist://join/${token22}/`,
    `beckon-assist://join/${token22}/extra`,
    `beckon-assist://join/x/${token22}`,
    `beckon-assist://join/${token22}?x=1`,
    `beckon-assist://join/${token22}#x`,
    `beckon-assist://join/${token22.slice(0, 21)}=`,
    `beckon-assist://join/${token22.slice(0, 21)}+`,
    `beckon-assist://join/${token22.slice(0, 21)}/`,
    `beckon-assist://join/${token22.slice(0, 20)}%41`,
    `beckon-assist://other/${token22}`,
    `beckon-assist:join/${token22}`,
    `beckon://join/${token22}`,
    `https://join/${token22}`,
    ` beckon-assist://join/${token22}`,
    `beckon-assist://join/${token22} `,
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.equal(parseDeepLink(bad), null);
    });
  }
});

describe('deepLinkFromArgv', () => {
  it('finds the link among other arguments', () => {
    assert.deepEqual(deepLinkFromArgv(['BeckonAssist.exe', '--flag', `beckon-assist://join/${token22}`]), {
      kind: 'join',
      token: token22,
    });
  });

  it('returns null without a valid link', () => {
    assert.equal(deepLinkFromArgv(['BeckonAssist.exe', 'beckon-assist://join/short']), null);
  });
});
