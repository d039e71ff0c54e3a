import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startBroker, freePort, type TestBroker } from '@beckon/broker/testing';

// The three storage setups a bench puts side by side (issue 19): one broker
// on SQLite, one broker on PostgreSQL, and two brokers on one PostgreSQL
// database and one Redis, as the README documents several brokers. Each
// PostgreSQL is a throwaway cluster with PostgreSQL's own durability settings
// (fsync, synchronous_commit, full_page_writes on), as deployed: not the
// tests' fsync=off.

// A throwaway cluster from the broker's test support, started as a process (benches do not import apps).
const PG_CLI = join(import.meta.dirname, '../../apps/broker/src/testing/postgres-cli.ts');
const REDIS_SERVER = '/usr/bin/redis-server';
const PSQL = join(process.env.BECKON_PG_BIN ?? '/usr/lib/postgresql/15/bin', 'psql');

/** One psql command against a setup's database; its unaligned output. */
export function psql(databaseUrl: string, args: string[], input?: string): string {
  return execFileSync(PSQL, [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-At', ...args], { input })
    .toString()
    .trim();
}

/**
 * ANALYZE, as autovacuum does within a minute of a table growing: a bench's
 * database grew from empty seconds ago, and with an empty table's statistics
 * the planner sorts every request for a page of 50 instead of walking the
 * index. A deployment's tables are not seconds old.
 */
export function analyze(setup: Setup): void {
  if (setup.databaseUrl) psql(setup.databaseUrl, ['-c', 'ANALYZE']);
}

export interface Pg {
  url: string;
  child: ChildProcess;
}

export function startPostgres(): Promise<Pg> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PG_CLI, '--database', '--durable'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      if (lines.length >= 3) resolve({ url: lines[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`the bench PostgreSQL exited ${code}`)));
  });
}

/** A Redis for the two brokers (live channel, presence, rooms); no persistence, as the README allows. */
async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the bench Redis exited ${code}: ${out}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

export interface Setup {
  name: string;
  /** One, or two sharing a database and a Redis; the first holds the signed-in administrator. */
  brokers: TestBroker[];
  /** BECKON_DATABASE_URL, for PostgreSQL setups. */
  databaseUrl?: string;
  stop(): Promise<void>;
}

export const SETUP_NAMES = [
  'SQLite, one broker',
  'PostgreSQL, one broker',
  'PostgreSQL, two brokers',
] as const;

/**
 * Starts one setup (by its index in SETUP_NAMES), each broker with `env`
 * added. bench/hosts runs them one after another; bench/broker-api keeps the
 * two PostgreSQL setups up together, to measure them in alternating rounds.
 */
export async function startSetup(index: number, env: Record<string, string> = {}): Promise<Setup> {
  const name = SETUP_NAMES[index]!;
  if (index === 0) {
    const broker = await startBroker(env);
    return { name, brokers: [broker], stop: () => broker.stop() };
  }
  const children: ChildProcess[] = [];
  const brokers: TestBroker[] = [];
  const stop = async () => {
    for (const b of brokers) await b.stop();
    for (const c of children) c.kill('SIGTERM');
  };
  try {
    const pg = await startPostgres();
    children.push(pg.child);
    if (index === 1) {
      brokers.push(await startBroker({ ...env, BECKON_DATABASE_URL: pg.url }));
      return { name, brokers, databaseUrl: pg.url, stop };
    }
    const redis = await startRedis();
    children.push(redis.child);
    // Brokers sharing a database share the secret that signs link tokens.
    const shared = {
      ...env,
      BECKON_DATABASE_URL: pg.url,
      BECKON_REDIS_URL: redis.url,
      BECKON_SECRET: randomBytes(32).toString('hex'),
    };
    // The first migrates the database; the second finds it done.
    brokers.push(await startBroker(shared));
    brokers.push(await startBroker(shared));
    return { name, brokers, databaseUrl: pg.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
