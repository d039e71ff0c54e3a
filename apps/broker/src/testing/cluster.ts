import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from './broker-process.ts';
import { startHaproxy, type Haproxy } from './haproxy.ts';
import { startPostgres, type PostgresServer } from './postgres-server.ts';
import { freePort } from './free-port.ts';
import { startRedis, type RedisServer } from './redis-server.ts';

export const CLUSTER_ADMIN = { email: 'admin@beckon.local', password: 'cluster admin password 1' };

export interface ClusterOptions {
  brokers?: number;
  /** haproxy's port; a free one by default. */
  port?: number;
  /** Extra environment for every broker. */
  env?: Record<string, string>;
  /** The brokers' log level (the tests keep them silent). */
  logLevel?: string;
  /**
   * Start every broker at the same moment on the fresh database, so they race
   * to migrate it and create the administrator (the advisory locks' test); by
   * default the first migrates alone and the others start after it.
   */
  together?: boolean;
}

export interface Cluster {
  /** haproxy's URL: the one address everybody uses. */
  url: string;
  brokers: TestBroker[];
  /** Each broker's own port, in order (b1, b2, …). */
  ports: number[];
  redis: RedisServer;
  postgres: PostgresServer;
  /** BECKON_DATABASE_URL of the brokers' database. */
  databaseUrl: string;
  haproxy: Haproxy;
  dataDir: string;
  admin: typeof CLUSTER_ADMIN;
  stop(): Promise<void>;
}

/**
 * PostgreSQL 15, Redis 7, N brokers and haproxy on loopback, for tests,
 * benches and `scripts/beckon cluster`. The brokers share one database, one
 * Redis and one data directory (its secret: link tokens and webhook keys
 * derive from it); the public URL is haproxy's, so links, cookies and the
 * Origin check name the address users see.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const n = opts.brokers ?? 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-cluster-'));
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const databaseUrl = await postgres.createDatabase('beckon');
  const ports: number[] = [];
  for (let i = 0; i < n; i++) ports.push(await freePort());
  const env = (i: number) => ({
    BECKON_PORT: String(ports[i]),
    BECKON_PUBLIC_URL: url,
    BECKON_REDIS_URL: redis.url,
    BECKON_DATABASE_URL: databaseUrl,
    BECKON_TRUST_PROXY: '1',
    // Each broker may also be reached on its own (tests, an operator looking at one).
    BECKON_ALLOWED_ORIGINS: ports.map((p) => `http://127.0.0.1:${p}`).join(','),
    BECKON_ADMIN_EMAIL: CLUSTER_ADMIN.email,
    BECKON_ADMIN_PASSWORD: CLUSTER_ADMIN.password,
    BECKON_LOG_LEVEL: opts.logLevel ?? 'silent',
    BECKON_SWEEP_MS: '1000',
    ...opts.env,
  });
  const brokers: TestBroker[] = [];
  const stopAll = async () => {
    await haproxy?.stop();
    await Promise.all(brokers.map((b) => b.stop()));
    await Promise.all([redis.stop(), postgres.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  let haproxy: Haproxy | undefined;
  try {
    // The first broker migrates the database and creates the administrator; the others find both done.
    const first = opts.together ? 0 : 1;
    if (!opts.together) brokers.push(await startBroker(env(0), { dataDir, admin: false }));
    const rest = await Promise.allSettled(
      ports.slice(first).map((_, i) => startBroker(env(i + first), { dataDir, admin: false })),
    );
    for (const r of rest) if (r.status === 'fulfilled') brokers.push(r.value);
    const failed = rest.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    haproxy = await startHaproxy(
      dataDir,
      port,
      ports.map((p, i) => ({ name: `b${i + 1}`, port: p })),
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  return {
    url,
    brokers,
    ports,
    redis,
    postgres,
    databaseUrl,
    haproxy,
    dataDir,
    admin: CLUSTER_ADMIN,
    stop: stopAll,
  };
}
