import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteBatcher } from './write-batcher.ts';

test('writes in one turn share a commit; a failing one rolls back alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-batch-'));
  const db = new Database(join(dir, 'b.sqlite'));
  try {
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    const batcher = new WriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    let commits = 0;
    const realTransaction = db.transaction.bind(db);
    // Count outermost transactions only: nested ones are savepoints.
    db.transaction = ((fn: () => unknown) => {
      const tx = realTransaction(fn);
      return Object.assign((...a: unknown[]) => tx(...(a as [])), {
        immediate: () => {
          commits++;
          return tx.immediate();
        },
      });
    }) as typeof db.transaction;

    const results = await Promise.allSettled([
      batcher.run(() => insert.run('a')),
      batcher.run(() => {
        insert.run('b');
        insert.run('a'); // violates UNIQUE after writing 'b': 'b' must go too
      }),
      batcher.run(() => insert.run('c')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(commits, 1, 'one commit for the whole turn');
    const rows = db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[];
    assert.deepEqual(
      rows.map((r) => r.v),
      ['a', 'c'],
    );

    await batcher.run(() => insert.run('d'));
    assert.equal(commits, 2, 'a later turn commits on its own');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
