import type { WorkerLeaseStore } from '../types.ts';
import type { PgDb } from './pool.ts';

export function pgWorkerLeaseStore(db: PgDb): WorkerLeaseStore {
  return {
    async acquire(name, owner, now, until) {
      // One statement: the insert or the takeover happens only where the lease is free, run out, or already ours.
      const n = await db.run(
        `INSERT INTO worker_leases (name, owner, until) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE worker_leases.until <= $4 OR worker_leases.owner = excluded.owner`,
        [name, owner, until, now],
      );
      return n > 0;
    },
    async release(name, owner) {
      await db.run('DELETE FROM worker_leases WHERE name = $1 AND owner = $2', [name, owner]);
    },
  };
}
