import type { Db } from './database.ts';
import type { WorkerLeaseStore } from '../types.ts';

export function sqliteWorkerLeaseStore(db: Db): WorkerLeaseStore {
  // One statement: the insert or the takeover happens only where the lease is free, run out, or already ours.
  const acquire = db.prepare(
    `INSERT INTO worker_leases (name, owner, until) VALUES (@name, @owner, @until)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
     WHERE worker_leases.until <= @now OR worker_leases.owner = excluded.owner`,
  );
  const release = db.prepare('DELETE FROM worker_leases WHERE name = ? AND owner = ?');
  return {
    async acquire(name, owner, now, until) {
      return acquire.run({ name, owner, now, until }).changes > 0;
    },
    async release(name, owner) {
      release.run(name, owner);
    },
  };
}
