import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';

const columns = (db: Database.Database, table: string) =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
const indexes = (db: Database.Database) =>
  (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'session_requests'")
      .all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !n.startsWith('sqlite_autoindex'))
    .sort();

test('a data directory from before link tokens carried ids upgrades with every row, event and session kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-migrate-'));
  try {
    const file = join(dir, 'broker.db');
    // The schema as it stood before the rebuild, with a request, its event and its session.
    const before = MIGRATIONS.filter((m) => m.id < '20261222120000');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(old, before);
    assert.ok(columns(old, 'session_requests').includes('token_hash'));
    old.exec(`
      INSERT INTO orgs (id, name, created_at) VALUES ('org-1', 'Acme', '2026-01-01T00:00:00.000Z');
      INSERT INTO session_requests (id, org_id, code, token_hash, token_salt, status, recipient_name, language,
        expires_at, time_zone, assignee_type, permissions, created_by_type, created_at, updated_at, version)
      VALUES ('req-1', 'org-1', 's12345678', 'oldhash', 'salt', 'waiting', 'Ada', 'de',
        '2026-01-02T00:00:00.000Z', 'Europe/Berlin', 'unassigned', '["view"]', 'system',
        '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 3);
      INSERT INTO request_events (request_id, at, kind, actor_type) VALUES ('req-1', '2026-01-01T00:00:00.000Z', 'created', 'system');
      INSERT INTO session_records (id, org_id, request_id, started_at) VALUES ('s-1', 'org-1', 'req-1', '2026-01-01T00:00:00.000Z');
    `);
    old.close();

    const db = openDatabase(file);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are back on');
    assert.ok(!columns(db, 'session_requests').includes('token_hash'));
    const row = db.prepare('SELECT * FROM session_requests').get() as Record<string, unknown>;
    assert.equal(row.legacy_token_hash, 'oldhash', 'a link sent before the upgrade still opens it');
    assert.equal(row.recipient_name, 'Ada');
    assert.equal(row.version, 3);
    assert.equal(row.time_zone, 'Europe/Berlin');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    assert.equal((db.prepare('SELECT count(*) AS n FROM request_events').get() as { n: number }).n, 1);
    assert.equal((db.prepare('SELECT count(*) AS n FROM session_records').get() as { n: number }).n, 1);
    // Children still point at the rebuilt table: a dangling reference is refused.
    assert.throws(
      () =>
        db
          .prepare(
            "INSERT INTO request_events (request_id, at, kind, actor_type) VALUES ('nope', 'x', 'created', 'system')",
          )
          .run(),
      /FOREIGN KEY/,
    );
    // The same indexes as a fresh file, and a fresh file has no token_hash either.
    const fresh = openDatabase(join(dir, 'fresh.db'));
    assert.deepEqual(indexes(db), indexes(fresh));
    assert.ok(indexes(fresh).includes('session_requests_legacy_token'));
    assert.deepEqual(columns(db, 'session_requests').sort(), columns(fresh, 'session_requests').sort());
    fresh.close();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a migration that would leave dangling references is rolled back whole', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  db.exec("INSERT INTO orgs (id, name, created_at) VALUES ('org-1', 'Acme', 'x')");
  const broken = {
    id: '29990101000000_broken',
    foreignKeysOff: true,
    sql: 'DELETE FROM orgs; CREATE TABLE marker (x);',
  };
  db.exec(`INSERT INTO users (id, org_id, email, name, role, permissions, password_hash, created_at)
    VALUES ('u-1', 'org-1', 'a@example.com', 'A', 'admin', '[]', 'h', 'x')`);
  assert.throws(() => migrate(db, [broken]), /foreign keys point nowhere/);
  assert.equal((db.prepare('SELECT count(*) AS n FROM orgs').get() as { n: number }).n, 1);
  assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'marker'").get(), undefined);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
});
