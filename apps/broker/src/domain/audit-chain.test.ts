import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditAction } from '@beckon/protocol';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import type { AuditDraft } from '../storage/audit-types.ts';
import { verifyChain } from './audit-chain.ts';

const draft = (i: number): AuditDraft => ({
  orgId: 'org',
  actor: { type: 'user', id: 'u1', name: 'Ada' },
  action: AuditAction.SIGN_IN,
  target: { type: 'user', id: 'u1' },
  details: { i, nested: { b: 2, a: 1 } },
  ip: '127.0.0.1',
  at: new Date(Date.UTC(2027, 0, 1, 0, 0, i)).toISOString(),
});

async function withLog(n: number, fn: (file: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-audit-'));
  const file = join(dir, 'db.sqlite');
  const storage = openSqliteStorage(file);
  for (let i = 1; i <= n; i++) await storage.audit.append([draft(i)]);
  await storage.close();
  try {
    await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const verify = async (file: string, head?: { seq: number; hash: string; at: string | null }) => {
  const storage = openSqliteStorage(file);
  try {
    return await verifyChain(storage.audit.rows(), head);
  } finally {
    await storage.close();
  }
};

test('an intact chain verifies, and its head is the newest entry', async () => {
  await withLog(5, async (file) => {
    const result = await verify(file);
    assert.equal(result.ok, true);
    assert.equal(result.checked, 5);
    assert.equal(result.head.seq, 5);
  });
});

test('an edited field, an edited hash, or a rehashed edit names that entry', async () => {
  for (const sql of [
    'UPDATE audit_log SET details = \'{"i":99}\' WHERE seq = 3',
    "UPDATE audit_log SET ip = '10.0.0.1' WHERE seq = 3",
    "UPDATE audit_log SET hash = '" + '2'.repeat(64) + "' WHERE seq = 3",
    "UPDATE audit_log SET prev_hash = '" + '1'.repeat(64) + "' WHERE seq = 3",
  ]) {
    await withLog(5, async (file) => {
      const db = new Database(file);
      db.exec(sql);
      db.close();
      const result = await verify(file);
      assert.equal(result.ok, false, sql);
      assert.equal(result.problem?.seq, 3, sql);
    });
  }
});

test('a deleted entry is named; a cut-off end is caught only against an exported head', async () => {
  await withLog(5, async (file) => {
    const db = new Database(file);
    db.exec('DELETE FROM audit_log WHERE seq = 2');
    db.close();
    assert.deepEqual((await verify(file)).problem, { seq: 2, reason: 'missing' });
  });
  await withLog(5, async (file) => {
    const head = (await verify(file)).head;
    const db = new Database(file);
    db.exec('DELETE FROM audit_log WHERE seq >= 4');
    db.close();
    assert.equal((await verify(file)).ok, true, 'without the head the shorter chain looks whole');
    assert.deepEqual((await verify(file, head)).problem, { seq: 5, reason: 'head_missing' });
  });
});

test('entries appended together, as concurrent acts are, still form one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-audit-'));
  const storage = openSqliteStorage(join(dir, 'db.sqlite'));
  try {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => storage.audit.append([draft(i + 1), draft(i + 1)])),
    );
    const result = await verifyChain(storage.audit.rows());
    assert.equal(result.ok, true);
    assert.equal(result.checked, 100);
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
