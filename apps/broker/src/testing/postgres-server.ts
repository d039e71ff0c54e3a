import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

/**
 * A throwaway PostgreSQL 15 for tests: a real server, not a mock. One cluster
 * per test process (initdb takes about a second), a fresh database per test
 * (CREATE DATABASE from template0 takes a few milliseconds). initdb and
 * postgres refuse to run as root, so as root they run as the `postgres`
 * system user in a directory it owns; the server listens on a free loopback
 * port with its own socket directory, so clusters of parallel test processes
 * never meet.
 */

const BIN = process.env.BECKON_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  /** postgres://… of the cluster's `postgres` database (for admin work). */
  adminUrl: string;
  /** A new, empty database; its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** As root: the `postgres` system user's ids, which the server's processes run under. */
function serverUser(): { uid: number; gid: number } | object {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(bin: string, args: string[]): void {
  execFileSync(join(BIN, bin), args, { stdio: 'pipe', ...serverUser() });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}): ${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres did not start: ${log()}`, { cause: error });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export interface StartPostgresOptions {
  /**
   * Durable as deployed: PostgreSQL's own settings (fsync, synchronous_commit,
   * full_page_writes all on), for benches whose figures must hold for a real
   * database. Tests leave it off: a crashed test cluster is thrown away.
   */
  durable?: boolean;
}

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-pg-'));
  // The postgres user must reach its directories (mkdtemp makes them 0700 for root).
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const sockets = join(dir, 'sock');
  const password = randomBytes(12).toString('hex');
  mkdirSync(sockets, { mode: 0o777 });
  chmodSync(sockets, 0o777);
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password, { mode: 0o644 });
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${pwfile}`,
    '-E',
    'UTF8',
    '--no-sync',
    '--locale=C',
  ]);
  const port = await freePort();
  // Durability settings are the test's to drop: a crashed test cluster is thrown away anyway.
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    sockets,
    '-c',
    'max_connections=300',
    ...(opts.durable
      ? []
      : [
          ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
          ...['-c', 'shared_buffers=32MB'],
        ]),
  ];
  const child = spawn(join(BIN, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], ...serverUser() });
  // A test process that dies without stop() takes its cluster with it (SIGQUIT: immediate shutdown).
  const onExit = () => {
    child.kill('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // The cluster must not keep a finished test process alive: it is stopped on the way out.
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  await waitReady(adminUrl, child, () => stderr);
  let stopped = false;
  return {
    ...onCluster(adminUrl),
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // Waited for: the process stays until the server is gone.
        child.ref();
        // SIGINT: the "fast" shutdown, which ends open sessions instead of waiting for them.
        child.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let shared: Promise<PostgresServer> | null = null;

/** Databases on a cluster someone else runs (postgres-cli.ts for a whole test run): stop() leaves it running. */
function onCluster(adminUrl: string): PostgresServer {
  let n = 0;
  return {
    adminUrl,
    async createDatabase(name = `t${process.pid}_${++n}_${randomBytes(3).toString('hex')}`) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
      } finally {
        await client.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {},
  };
}

/**
 * The test process's one cluster: the run's (BECKON_TEST_PG_ADMIN_URL), or
 * one started on first use and stopped when the process exits.
 */
export function sharedPostgres(): Promise<PostgresServer> {
  const runWide = process.env.BECKON_TEST_PG_ADMIN_URL;
  if (runWide) return Promise.resolve(onCluster(runWide));
  if (!shared) {
    shared = startPostgres();
    void shared.then((server) => {
      // node:test ends the process once tests are done; the cluster goes with it.
      process.once('beforeExit', () => void server.stop());
    });
  }
  return shared;
}

/** A fresh database on the process's cluster. */
export async function freshDatabaseUrl(): Promise<string> {
  return (await sharedPostgres()).createDatabase();
}

/** The rows of one statement on a connection of its own (a test looking at what the brokers wrote). */
export async function pgRows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
