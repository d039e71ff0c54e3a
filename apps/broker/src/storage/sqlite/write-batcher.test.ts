import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteBatcher } from './write-batcher.ts';

/** A file database with a UNIQUE column, and a count of its commits and savepoints. */
function withDb(
  fn: (db: Database.Database, counts: { commits: number; savepoints: number }) => Promise<void>,
) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beckon-batch-'));
    const db = new Database(join(dir, 'b.sqlite'));
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
      const counts = { commits: 0, savepoints: 0 };
      const realTransaction = db.transaction.bind(db);
      // Outermost transactions go through .immediate(); a plain call inside one is a savepoint.
      db.transaction = ((fn: () => unknown) => {
        const tx = realTransaction(fn);
        return Object.assign(
          (...a: unknown[]) => {
            counts.savepoints++;
            return tx(...(a as []));
          },
          {
            immediate: () => {
              const result = tx.immediate();
              counts.commits++; // only a transaction that committed
              return result;
            },
          },
        );
      }) as typeof db.transaction;
      await fn(db, counts);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const values = (db: Database.Database) =>
  (db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v);

test(
  'writes in one turn share a commit; a failing one rolls back alone',
  withDb(async (db, counts) => {
    const batcher = new WriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
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
    assert.equal(counts.commits, 1, 'one commit for the whole turn');
    assert.deepEqual(values(db), ['a', 'c']);

    await batcher.run(() => insert.run('d'));
    assert.equal(counts.commits, 2, 'a later turn commits on its own');
  }),
);

test(
  'a turn where nothing fails commits without a savepoint per write, and answers each with its value',
  withDb(async (db, counts) => {
    const batcher = new WriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?) RETURNING id');
    const ids = await Promise.all(['a', 'b', 'c'].map((v) => batcher.run(() => insert.get(v))));
    assert.deepEqual(ids, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    assert.equal(counts.commits, 1);
    assert.equal(counts.savepoints, 0);
    assert.deepEqual(values(db), ['a', 'b', 'c']);
  }),
);

test(
  'after a failure the turn is run again in savepoints: what is answered is what committed',
  withDb(async (db, counts) => {
    const batcher = new WriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?) RETURNING id');
    const runs: string[] = [];
    const write = (v: string) =>
      batcher.run(() => {
        runs.push(v);
        return (insert.get(v) as { id: number }).id;
      });
    const results = await Promise.allSettled([write('a'), write('a'), write('b')]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected')),
      [1, 'rejected', 2],
    );
    assert.deepEqual(runs, ['a', 'a', 'a', 'a', 'b'], 'first attempt stopped at the failure, then all again');
    assert.equal(counts.commits, 1);
    assert.equal(counts.savepoints, 3);
    assert.deepEqual(values(db), ['a', 'b']);
  }),
);

test(
  'a write alone that fails is refused without a second attempt and leaves nothing',
  withDb(async (db, counts) => {
    const batcher = new WriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    await batcher.run(() => insert.run('a'));
    let runs = 0;
    await assert.rejects(
      batcher.run(() => {
        runs++;
        insert.run('b');
        insert.run('a');
      }),
      { code: 'SQLITE_CONSTRAINT_UNIQUE' },
    );
    assert.equal(runs, 1);
    assert.equal(counts.commits, 1);
    assert.deepEqual(values(db), ['a']);
  }),
);
