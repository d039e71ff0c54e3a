import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker, type Broker } from '../broker.ts';
import { loadConfig, type BrokerConfig } from '../config.ts';
import { hashPassword } from '../domain/passwords.ts';
import { setupOnce } from '../domain/setup.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

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

export interface ApiResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are asserted field by field
  headers: Headers;
}

/** The broker's environment for a test: a fresh data dir, a free port, quiet logs. */
export function testEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BECKON_DATA_DIR: dataDir,
    BECKON_PORT: '0',
    BECKON_LOG_LEVEL: 'silent',
    BECKON_SWEEP_MS: '100',
    ...extra,
  };
}

export async function request(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string | null,
  headers: Record<string, string> = {},
): Promise<ApiResult> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await request(url, 'POST', '/api/v1/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** Starts a real broker (SQLite file, HTTP on loopback) with its first admin signed in. */
export async function startFixture(env: Record<string, string> = {}, dataDir?: string): Promise<Fixture> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'beckon-broker-'));
  const config = loadConfig(testEnv(dir, env));
  const storage = openSqliteStorage(config.dbFile);
  await setupOnce(storage, { orgName: 'Acme Support', ...ADMIN });
  const broker = createBroker(config, { storage });
  const url = await broker.start();
  const adminToken = await login(url, ADMIN.email, ADMIN.password);
  return {
    broker,
    config,
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
  const db = new Database(dbFile);
  const orgId = randomUUID();
  const now = new Date().toISOString();
  db.prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)').run(orgId, 'Other Org', now);
  db.prepare(
    `INSERT INTO users (id, org_id, email, name, role, permissions, password_hash, created_at)
     VALUES (?, ?, ?, 'Other', 'admin', '["session_requests:view","session_requests:edit"]', ?, ?)`,
  ).run(randomUUID(), orgId, email, await hashPassword(password), now);
  db.close();
}

/**
 * Every row of every table: to prove a refused request changed nothing. Not
 * `worker_leases`: the expiry sweep renews its lease there on its own clock,
 * whatever requests come in (domain/worker-leases.ts).
 */
export function snapshot(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true });
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'worker_leases' ORDER BY name")
    .all() as { name: string }[];
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
