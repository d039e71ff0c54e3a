import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { psql, type Setup } from '../lib/backends.ts';
import type { BenchHostKey } from './fleet.ts';

/**
 * Enrols the bench's hosts straight into the setup's database (each through
 * the API would be a code and an enrolment per host) and returns their ids:
 * SQLite through node:sqlite, PostgreSQL through psql's COPY.
 */
export function enrolDirectly(setup: Setup, keys: BenchHostKey[]): string[] {
  const ids = keys.map(() => randomUUID());
  const now = new Date().toISOString();
  if (!setup.databaseUrl) {
    const db = new DatabaseSync(setup.brokers[0]!.dbFile);
    db.exec('PRAGMA busy_timeout = 5000');
    const org = db.prepare('SELECT id FROM orgs LIMIT 1').get() as { id: string };
    const insert = db.prepare(
      `INSERT INTO managed_hosts (id, org_id, name, tags, public_key, enrolled_at) VALUES (?, ?, ?, '[]', ?, ?)`,
    );
    db.exec('BEGIN');
    keys.forEach((k, i) => insert.run(ids[i]!, org.id, `bench-${i}`, k.publicKey, now));
    db.exec('COMMIT');
    db.close();
    return ids;
  }
  const url = setup.databaseUrl;
  const org = psql(url, ['-c', 'SELECT id FROM orgs LIMIT 1']);
  // Keys are base64url and names are plain: no CSV quoting needed.
  const csv = keys.map((k, i) => `${ids[i]},${org},bench-${i},[],${k.publicKey},${now}`).join('\n');
  psql(
    url,
    [
      '-c',
      'COPY managed_hosts (id, org_id, name, tags, public_key, enrolled_at) FROM STDIN WITH (FORMAT csv)',
    ],
    `${csv}\n`,
  );
  return ids;
}
