import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabaseUrl } from '../../testing/postgres-server.ts';
import { openPostgresStorage } from '../postgres/index.ts';
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
 * PostgreSQL: a fresh database on the test process's throwaway cluster
 * (testing/postgres-server.ts), a second pool on it for a second broker.
 * Databases are left to the cluster, which goes when the process ends.
 */
export const postgresBackend: StorageBackend = {
  name: 'postgres',
  async open() {
    const url = await freshDatabaseUrl();
    const opened: Storage[] = [await openPostgresStorage(url)];
    return {
      storage: opened[0]!,
      async another() {
        const s = await openPostgresStorage(url);
        opened.push(s);
        return s;
      },
      async close() {
        for (const s of opened) await s.close();
      },
    };
  },
};

/** Every backend the contract suite runs against: each test runs once on each. */
export function storageBackends(): StorageBackend[] {
  return [sqliteBackend, postgresBackend];
}
