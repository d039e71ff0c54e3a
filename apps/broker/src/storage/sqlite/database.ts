import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

/**
 * Opens the broker's SQLite file. WAL lets readers run beside the writer;
 * synchronous=FULL because this file holds security state (sessions, lockouts,
 * closed links) that must survive a crash exactly as committed.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 16 MiB of page cache instead of 2: the pages every create touches (the
  // live-code index, the newest rows and their indexes) stay in memory rather
  // than being read back from the OS between commits.
  db.pragma('cache_size = -16384');
  // A checkpoint copies every page changed since the last one into the file
  // and syncs it, inside whichever commit crosses the threshold. The random
  // index pages of new requests (the live-code index) change again and
  // again: every 4000 WAL pages (16 MiB) instead of 1000, each is copied once
  // for more changes, and commits pay for a checkpoint a quarter as often.
  db.pragma('wal_autocheckpoint = 4000');
  migrate(db);
  return db;
}

/** Applies every migration not yet recorded, each in its own transaction, in id order. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    db
      .prepare('SELECT id FROM schema_migrations')
      .all()
      .map((row) => (row as { id: string }).id),
  );
  const ran: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    if (applied.has(migration.id)) continue;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
    if (migration.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.foreignKeysOff && (db.pragma('foreign_key_check') as unknown[]).length > 0)
          throw new Error(`migration ${migration.id} left rows whose foreign keys point nowhere`);
        db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(
          migration.id,
          new Date().toISOString(),
        );
      })();
    } finally {
      if (foreignKeys) db.pragma('foreign_keys = ON');
    }
    ran.push(migration.id);
  }
  return ran;
}

/** Runs `fn` in an IMMEDIATE transaction: the write lock is taken up front, so read-then-write cannot race. */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Runs `fn` in an IMMEDIATE transaction whose commit does not wait for the disk
 * (synchronous=NORMAL for this one commit; WAL keeps it atomic and in order).
 * Only for writes whose loss in a power cut is harmless: a lease claim (the
 * brokers sharing this file died with the power, and an unclaimed row is
 * simply claimed again). The next FULL commit syncs it along.
 */
export function immediateUnsynced<T>(db: Db, fn: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return db.transaction(fn).immediate();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
