import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from './server.ts';

export const BENCH_ADMIN = { email: 'bench@example.com', password: 'bench password 1234' };
// The broker is another project: benches start its executable, they do not import it.
const BIN = join(import.meta.dirname, '../../apps/broker/bin/beckon-broker.js');

export interface BenchBroker extends Server {
  dataDir: string;
  /** The first administrator's bearer token. */
  token: string;
  stop(): void;
}

/** A real broker process on a fresh data directory, its first administrator signed in. */
export async function startBroker(env: Record<string, string> = {}): Promise<BenchBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-bench-'));
  const stop = (child?: Server['child']) => {
    child?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const server = await startServer(
      [BIN, 'serve'],
      {
        BECKON_DATA_DIR: dataDir,
        BECKON_PORT: '0',
        BECKON_LOG_LEVEL: 'warn',
        BECKON_ADMIN_EMAIL: BENCH_ADMIN.email,
        BECKON_ADMIN_PASSWORD: BENCH_ADMIN.password,
        ...env,
      },
      /listening on (http:\/\/\S+)/,
    );
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BENCH_ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    return { ...server, dataDir, token, stop: () => stop(server.child) };
  } catch (err) {
    stop();
    throw err;
  }
}
