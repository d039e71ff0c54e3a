import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepLinkFromArgv, parseDeepLink } from './deep-link.ts';

const id = '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b';

describe('parseDeepLink', () => {
  it('accepts beckon://requests/<uuid>', () => {
    assert.deepEqual(parseDeepLink(`beckon://requests/${id}`), { kind: 'request', requestId: id });
  });

  it('normalises case of the scheme and the id', () => {
    assert.deepEqual(parseDeepLink(`BECKON://requests/${id.toUpperCase()}`), {
      kind: 'request',
      requestId: id,
    });
  });

  for (const bad of [
    '',
    'beckon://',
    'beckon://requests/',
    'beckon://requests/not-a-uuid',
    `beckon://requests/${id}/extra`,
    `beckon://requests/${id}?x=1`,
    `beckon://requests/${id}#frag`,
    `beckon://other/${id}`,
    `beckon-assist://requests/${id}`,
    `https://requests/${id}`,
    `beckon:requests/${id}`,
    `beckon://requests/${id.slice(1)}`,
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.equal(parseDeepLink(bad), null);
    });
  }
});

describe('deepLinkFromArgv', () => {
  it('finds the link among Electron and Chromium arguments', () => {
    const argv = ['/opt/Beckon/beckon', '--allow-file-access-from-files', `beckon://requests/${id}`];
    assert.deepEqual(deepLinkFromArgv(argv), { kind: 'request', requestId: id });
  });

  it('returns null without a valid link', () => {
    assert.equal(deepLinkFromArgv(['/opt/Beckon/beckon', 'beckon://requests/nope']), null);
  });
});
