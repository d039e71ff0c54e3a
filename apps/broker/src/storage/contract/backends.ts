import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../sqlite/index.ts';
import type { Storage } from '../types.ts';

/** One fresh, empty database of a backend, for one test. */
export interface ContractDatabase {
  storage: Storage;
  /** Another Storage on the same database: a second broker. Closed with the database. */
  another(): Promise<Storage>;
  /** Closes every Storage opened on it and throws the database away. */
  close(): Promise<void>;
}

export interface StorageBackend {
  name: string;
  open(): Promise<ContractDatabase>;
}

/** SQLite: a temporary file, opened again for a second broker (WAL, one writer at a time). */
export const sqliteBackend: StorageBackend = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'beckon-contract-'));
    const file = join(dir, 'beckon.sqlite');
    const opened: Storage[] = [openSqliteStorage(file)];
    return {
      storage: opened[0]!,
      async another() {
        const s = openSqliteStorage(file);
        opened.push(s);
        return s;
      },
      async close() {
        for (const s of opened) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * Every backend the contract suite runs against. SQLite always.
 *
 * PostgreSQL (branch `pgback`): add its entry here, one line, e.g.
 *   ...(postgresAvailable() ? [postgresBackend] : []),
 * where `postgresBackend: StorageBackend` starts (or reuses) a throwaway
 * cluster and opens a fresh database per `open()`; `another()` opens a second
 * pool on the same database. Every test under storage/contract/ then runs on it too.
 */
export function storageBackends(): StorageBackend[] {
  return [sqliteBackend];
}
