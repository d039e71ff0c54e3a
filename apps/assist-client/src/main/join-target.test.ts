import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downloadedExecutable, resolveJoinTarget } from './join-target.ts';

const token = 'AbCdEfGhIjKlMnOpQrSt_-0123456789abcdefghijk';

describe('resolveJoinTarget', () => {
  it('prefers a deep link over the file name', () => {
    assert.deepEqual(
      resolveJoinTarget(['app', `beckon-assist://join/${token}`], 'BeckonAssist-s12345678.exe'),
      {
        kind: 'token',
        token,
      },
    );
  });

  it('falls back to the code in the executable name', () => {
    assert.deepEqual(resolveJoinTarget(['app'], 'C:\\Downloads\\BeckonAssist-s12345678.exe'), {
      kind: 'code',
      code: 's12345678',
    });
  });

  it('returns null with neither', () => {
    assert.equal(resolveJoinTarget(['app', 'beckon-assist://join/bad'], '/opt/BeckonAssist'), null);
  });
});

describe('downloadedExecutable', () => {
  it('uses the portable or AppImage original when set', () => {
    assert.equal(
      downloadedExecutable({ PORTABLE_EXECUTABLE_FILE: 'D:\\a.exe' }, 'C:\\tmp\\x.exe'),
      'D:\\a.exe',
    );
    assert.equal(
      downloadedExecutable({ APPIMAGE: '/home/u/a.AppImage' }, '/tmp/.mount/x'),
      '/home/u/a.AppImage',
    );
    assert.equal(downloadedExecutable({}, '/opt/x'), '/opt/x');
  });
});
