import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createBroker, type Broker } from '../broker.ts';
import { loadConfig, type BrokerConfig } from '../config.ts';
import { hashPassword } from '../domain/passwords.ts';
import { setupOnce } from '../domain/setup.ts';
import { openStorage } from '../storage/open.ts';
import { ADMIN, login, request, type ApiResult } from './client.ts';
import { pgSnapshot, TEST_STORAGE, UNSNAPPED_TABLES, withPgClient, withTestStorage } from './test-storage.ts';

// The in-process broker for the broker's own tests; the REST helpers are the kit's (client.ts).
export { ADMIN, login, request, type ApiResult };

export interface Fixture {
  broker: Broker;
  config: BrokerConfig;
  url: string;
  dataDir: string;
  adminToken: string;
  api(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<ApiResult>;
  stop(): Promise<void>;
}

/** The broker's environment for a test: a fresh data dir, a free port, quiet logs. */
export function testEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BECKON_DATA_DIR: dataDir,
    BECKON_PORT: '0',
    // BECKON_TEST_LOG_LEVEL lets a person chasing a failure see the broker's log.
    BECKON_LOG_LEVEL: process.env.BECKON_TEST_LOG_LEVEL ?? 'silent',
    BECKON_SWEEP_MS: '100',
    ...extra,
  };
}

/**
 * Starts a real broker (SQLite file, or a fresh PostgreSQL database with
 * BECKON_TEST_STORAGE=postgres; HTTP on loopback) with its first admin signed in.
 */
export async function startFixture(env: Record<string, string> = {}, dataDir?: string): Promise<Fixture> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'beckon-broker-'));
  const config = loadConfig(testEnv(dir, await withTestStorage(dir, env)));
  const storage = await openStorage(config);
  await setupOnce(storage, { orgName: 'Acme Support', ...ADMIN });
  const broker = await createBroker(config, { storage });
  const url = await broker.start();
  const adminToken = await login(url, ADMIN.email, ADMIN.password);
  return {
    broker,
    config: broker.config,
    url,
    dataDir: dir,
    adminToken,
    api: (method, path, body, token = adminToken, headers) =>
      request(url, method, path, body, token, headers),
    async stop() {
      await broker.stop();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A second organisation, written straight into the database: no HTTP route
 * creates organisations, and that is exactly what the isolation tests need.
 */
export async function addOrgWithUser(dbFile: string, email: string, password: string): Promise<void> {
  const orgId = randomUUID();
  const now = new Date().toISOString();
  if (TEST_STORAGE === 'postgres') {
    const hash = await hashPassword(password);
    await withPgClient(dirname(dbFile), async (c) => {
      await c.query('INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3)', [orgId, 'Other Org', now]);
      await c.query(
        `INSERT INTO users (id, org_id, email, name, role, permissions, password_hash, created_at)
         VALUES ($1, $2, $3, 'Other', 'admin', '["session_requests:view","session_requests:edit"]', $4, $5)`,
        [randomUUID(), orgId, email, hash, now],
      );
    });
    return;
  }
  const db = new Database(dbFile);
  db.prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)').run(orgId, 'Other Org', now);
  db.prepare(
    `INSERT INTO users (id, org_id, email, name, role, permissions, password_hash, created_at)
     VALUES (?, ?, ?, 'Other', 'admin', '["session_requests:view","session_requests:edit"]', ?, ?)`,
  ).run(randomUUID(), orgId, email, await hashPassword(password), now);
  db.close();
}

/** Every row of every table (but the sweeper's lease): to prove a refused request changed nothing. */
export async function snapshot(dbFile: string): Promise<string> {
  if (TEST_STORAGE === 'postgres') return pgSnapshot(dirname(dbFile));
  const db = new Database(dbFile, { readonly: true });
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).filter((t) => !UNSNAPPED_TABLES.has(t.name));
  const out = tables.map(
    (t) => `${t.name}:${JSON.stringify(db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all())}`,
  );
  db.close();
  return out.join('\n');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
