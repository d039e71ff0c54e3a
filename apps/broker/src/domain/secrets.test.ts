import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CANONICAL_CODE_PATTERN, IdSchema } from '@beckon/protocol';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createFileOnce,
  loadOrCreateSecret,
  newRequestIdentity,
  newSessionCode,
  timeOrderedUuid,
} from './secrets.ts';

const execFileAsync = promisify(execFile);

test('request ids are valid UUIDs (v7) that carry their time and grow in the order they were made', () => {
  const ms = Date.parse('2031-05-06T07:08:09.010Z');
  const ids = [
    timeOrderedUuid(ms),
    timeOrderedUuid(ms),
    timeOrderedUuid(ms),
    timeOrderedUuid(ms + 1),
    timeOrderedUuid(ms - 5000), // a clock that went back still gives a later id
  ];
  for (const id of ids) {
    assert.ok(IdSchema.safeParse(id).success, id);
    assert.equal(id[14], '7', 'version 7');
    assert.match(id, /^[0-9a-f-]{36}$/, 'what the routes accept as an id');
  }
  assert.equal(parseInt(ids[0]!.slice(0, 13).replace('-', ''), 16), ms);
  assert.deepEqual([...ids].sort(), ids, 'sorted as made');
  assert.equal(new Set(ids).size, ids.length);
  // Many in one millisecond: the counter runs over into the next millisecond, never repeats.
  const burst = Array.from({ length: 5000 }, () => timeOrderedUuid(ms + 2));
  assert.deepEqual([...burst].sort(), burst);
  assert.equal(new Set(burst).size, burst.length);
});

test('session codes are the protocol canonical form, every digit uniform', () => {
  const counts = Array<number>(10).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const code = newSessionCode();
    assert.match(code, CANONICAL_CODE_PATTERN);
    for (const d of code.slice(1)) counts[Number(d)]! += 1;
  }
  // 160,000 digits: each of 10 within 5% of 16,000 (more than 12 standard deviations).
  for (const c of counts) assert.ok(Math.abs(c - 16_000) < 800, `digit counts ${counts.join(',')}`);
});

test('a new identity has a fresh salt and no legacy token hash', () => {
  const identity = newRequestIdentity(Date.now());
  assert.match(identity.tokenSalt, /^[0-9a-f]{32}$/);
  assert.equal(identity.legacyTokenHash, null);
  assert.notEqual(newRequestIdentity().tokenSalt, identity.tokenSalt);
});

test('brokers started at once on one data directory all load the one secret', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-secret-'));
  // Eight processes spin until the same moment, then load or create the secret.
  const at = Date.now() + 1500;
  const script = `
    import { loadOrCreateSecret } from ${JSON.stringify(new URL('./secrets.ts', import.meta.url).href)};
    while (Date.now() < ${at});
    process.stdout.write(loadOrCreateSecret(process.argv[1], undefined).export().toString('hex'));
  `;
  const runs = Array.from({ length: 8 }, () =>
    execFileAsync(process.execPath, ['--input-type=module', '-e', script, join(dir, 'data')]),
  );
  const secrets = (await Promise.all(runs)).map((r) => r.stdout);
  assert.equal(new Set(secrets).size, 1, 'one secret for all');
  assert.match(secrets[0]!, /^[0-9a-f]{64}$/);
  assert.deepEqual(readdirSync(join(dir, 'data')), ['secret.key'], 'no drafts left behind');
  assert.equal(statSync(join(dir, 'data', 'secret.key')).mode & 0o777, 0o600);
});

test('a secret another broker put in place first is kept, never overwritten nor half-read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-secret-'));
  const file = join(dir, 'secret.key');
  // Another broker won between this one's look and its write: its file stays, and no error.
  writeFileSync(file, 'a'.repeat(64), { mode: 0o600 });
  createFileOnce(file, 'b'.repeat(64));
  assert.equal(readFileSync(file, 'utf8'), 'a'.repeat(64));
  assert.deepEqual(readdirSync(dir), ['secret.key'], 'the draft is gone');
  assert.equal(
    loadOrCreateSecret(dir, undefined).export().toString('hex'),
    Buffer.from('a'.repeat(64), 'hex').toString('hex'),
  );
});
