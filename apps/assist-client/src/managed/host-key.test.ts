import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify, createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commitNextKey,
  KEY_FILE,
  loadNextKey,
  loadOrCreateHostKey,
  NEXT_KEY_FILE,
  prepareNextKey,
  signText,
} from './host-key.ts';

const mode = (f: string) => statSync(f).mode & 0o777;

test('the key is made once, owner-only, and the same key is read back', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'beckon-key-')), 'state');
  const key = loadOrCreateHostKey(dir);
  assert.equal(mode(join(dir, KEY_FILE)), 0o600);
  assert.equal(mode(dir), 0o700);
  assert.match(key.publicKey, /^[A-Za-z0-9_-]{43}$/);
  assert.doesNotMatch(readFileSync(join(dir, KEY_FILE), 'utf8'), new RegExp(key.publicKey));
  assert.equal(loadOrCreateHostKey(dir).publicKey, key.publicKey);
  // A key file someone else could read is made owner-only again.
  chmodSync(join(dir, KEY_FILE), 0o644);
  loadOrCreateHostKey(dir);
  assert.equal(mode(join(dir, KEY_FILE)), 0o600);
  // Signatures verify with the public key the broker gets (32 raw bytes).
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey }, format: 'jwk' });
  assert.ok(verify(null, Buffer.from('hello'), pub, Buffer.from(signText(key, 'hello'), 'base64url')));
  rmSync(dir, { recursive: true, force: true });
});

test('a rotation: the next key waits in its own file and becomes the key when committed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-key-'));
  const first = loadOrCreateHostKey(dir);
  const next = prepareNextKey(dir);
  assert.equal(mode(join(dir, NEXT_KEY_FILE)), 0o600);
  assert.equal(loadNextKey(dir)?.publicKey, next.publicKey);
  assert.equal(loadOrCreateHostKey(dir).publicKey, first.publicKey, 'not the key before the broker took it');
  commitNextKey(dir);
  assert.ok(!existsSync(join(dir, NEXT_KEY_FILE)));
  assert.equal(loadOrCreateHostKey(dir).publicKey, next.publicKey);
  rmSync(dir, { recursive: true, force: true });
});
