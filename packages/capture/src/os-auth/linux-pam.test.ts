import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OsCredentialFailure, pamCredentialCheck } from './index.ts';

// Real PAM with real accounts: the test makes two Linux users (one in `sudo`) with useradd and
// chpasswd, asks the OS about them through the built helper, and removes them. Making users
// needs root, which CI has; elsewhere the test says why it did not run.
const root = process.getuid?.() === 0;
const suffix = randomBytes(3).toString('hex');
const plain = { name: `bkp${suffix}`, password: `plain ${randomBytes(6).toString('hex')} pässword` };
const admin = { name: `bka${suffix}`, password: `admin-${randomBytes(6).toString('hex')}` };
const expired = { name: `bke${suffix}`, password: `expired-${randomBytes(6).toString('hex')}` };
const work = mkdtempSync(join(tmpdir(), 'beckon-pam-'));

function addUser(u: { name: string; password: string }, groups: string[] = []) {
  execFileSync('useradd', [
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    ...(groups.length ? ['-G', groups.join(',')] : []),
    u.name,
  ]);
  execFileSync('chpasswd', [], { input: `${u.name}:${u.password}\n` });
}

before(() => {
  if (!root) return;
  addUser(plain);
  addUser(admin, ['sudo']);
  addUser(expired);
  execFileSync('chage', ['-E', '0', expired.name]); // the account expired in 1970
});
after(() => {
  if (root)
    for (const u of [plain, admin, expired]) execFileSync('userdel', ['-f', u.name], { stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
});

const check = pamCredentialCheck();
const skip = !root && 'making Linux users needs root (CI runs as root)';

test('the OS says yes to the right password and no to a wrong one or an unknown user', { skip }, async () => {
  const ok = await check.check(plain.name, plain.password);
  assert.equal(ok.ok, true);
  assert.equal(ok.ok && ok.user, plain.name);
  assert.ok(ok.ok && !Number.isNaN(Date.parse(ok.verifiedAt)));
  assert.deepEqual(await check.check(plain.name, `${plain.password}x`), {
    ok: false,
    reason: OsCredentialFailure.WRONG_CREDENTIALS,
  });
  assert.deepEqual(await check.check(`nobody${suffix}`, plain.password), {
    ok: false,
    reason: OsCredentialFailure.WRONG_CREDENTIALS,
  });
});

test(
  'an administrator must be in sudo; an expired account is refused although its password is right',
  { skip },
  async () => {
    assert.equal((await check.check(admin.name, admin.password, { requireAdmin: true })).ok, true);
    assert.deepEqual(await check.check(plain.name, plain.password, { requireAdmin: true }), {
      ok: false,
      reason: OsCredentialFailure.NOT_ADMIN,
    });
    assert.deepEqual(await check.check(expired.name, expired.password), {
      ok: false,
      reason: OsCredentialFailure.ACCOUNT_UNUSABLE,
    });
  },
);

test('the password goes to the helper on stdin, never in its arguments', async () => {
  const spy = join(work, 'spy.sh');
  writeFileSync(spy, `#!/bin/sh\nprintf '%s ' "$@" > ${work}/argv\ncat > ${work}/stdin\nexit 0\n`);
  chmodSync(spy, 0o700);
  const r = await pamCredentialCheck({ helperPath: spy }).check('someone', 'the secret', {
    requireAdmin: true,
  });
  assert.equal(r.ok, true);
  assert.equal(readFileSync(join(work, 'argv'), 'utf8').trim(), '--service beckon --require-admin');
  assert.equal(readFileSync(join(work, 'stdin'), 'utf8'), 'someone\0the secret\0');
});

test('bad input never reaches the OS; without the helper nothing is admitted', async () => {
  const spy = join(work, 'never.sh');
  writeFileSync(spy, `#!/bin/sh\ntouch ${work}/called\nexit 0\n`);
  chmodSync(spy, 0o700);
  const guarded = pamCredentialCheck({ helperPath: spy });
  for (const [user, password] of [
    ['', 'x'],
    ['a\nb', 'x'],
    ['root', ''],
    ['root', 'a\0b'],
    ['x'.repeat(300), 'x'],
    ['root', 'x'.repeat(5000)],
  ] as const) {
    assert.deepEqual(await guarded.check(user, password), { ok: false, reason: 'wrong_credentials' }, user);
  }
  assert.throws(() => readFileSync(join(work, 'called')));
  const missing = pamCredentialCheck({ helperPath: join(work, 'not-built') });
  assert.deepEqual(await missing.check('root', 'x'), { ok: false, reason: OsCredentialFailure.UNAVAILABLE });
});
