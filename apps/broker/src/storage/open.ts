import type { BrokerConfig } from '../config.ts';
import { openPostgresStorage } from './postgres/index.ts';
import { openSqliteStorage } from './sqlite/index.ts';
import type { Storage } from './types.ts';

/**
 * The broker's storage as configured: PostgreSQL when BECKON_DATABASE_URL is
 * set (several brokers may share it), else the embedded SQLite file in the
 * data directory (one broker).
 */
export async function openStorage(config: Pick<BrokerConfig, 'databaseUrl' | 'dbFile'>): Promise<Storage> {
  return config.databaseUrl ? openPostgresStorage(config.databaseUrl) : openSqliteStorage(config.dbFile);
}

/** Which backend a configuration selects, for logs and errors (never the URL: it may hold a password). */
export const storageKind = (config: Pick<BrokerConfig, 'databaseUrl'>): 'postgres' | 'sqlite' =>
  config.databaseUrl ? 'postgres' : 'sqlite';
