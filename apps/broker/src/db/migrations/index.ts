import { init } from './20261121120000_init.ts';

export interface Migration {
  /** Timestamp-prefixed, so lexical order is the order they were written. */
  id: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [init];
