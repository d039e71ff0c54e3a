import { test } from 'node:test';
import { storageBackends, type ContractDatabase, type StorageBackend } from './backends.ts';

/** One test per backend, each on a fresh database closed afterwards, named `<backend>: <title>`. */
export function contract(
  title: string,
  fn: (db: ContractDatabase, backend: StorageBackend) => Promise<void>,
): void {
  for (const backend of storageBackends()) {
    test(`${backend.name}: ${title}`, async () => {
      const db = await backend.open();
      try {
        await fn(db, backend);
      } finally {
        await db.close();
      }
    });
  }
}
