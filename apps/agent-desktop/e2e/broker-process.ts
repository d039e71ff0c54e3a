import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real broker for the console's end-to-end tests: `beckon-broker serve` as a
 * child process on a fresh data directory, spawned by path (tests never
 * import the broker's sources), plus a tiny client for changes "from outside".
 */
const CLI = join(import.meta.dirname, '../../broker/src/cli.ts');

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

export interface RunningBroker {
  url: string;
  api: BrokerClient;
  /** The broker's SQLite file (tests that seed more than the API would in time). */
  dbFile: string;
  /** SIGKILL, as on a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A free port on loopback. The public URL must carry the real port: it is the allowed Origin. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** `env` adds or overrides broker settings (e.g. a fast expiry sweep). */
export async function startBroker(env: Record<string, string> = {}): Promise<RunningBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-console-e2e-'));
  const port = await freePort();
  const launch = () => {
    const child: ChildProcess = spawn(process.execPath, [CLI, 'serve'], {
      env: {
        ...process.env,
        BECKON_DATA_DIR: dataDir,
        BECKON_HOST: '127.0.0.1',
        BECKON_PORT: String(port),
        BECKON_ADMIN_EMAIL: ADMIN.email,
        BECKON_ADMIN_PASSWORD: ADMIN.password,
        BECKON_ORG_NAME: 'Beckon E2E',
        BECKON_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`broker did not start: ${output}`)), 20_000);
      const check = () => {
        const m = /listening on (http:\/\/\S+)/.exec(output);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${port}`);
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => reject(new Error(`broker exited ${code}: ${output}`)));
    });
    return { child, exited, ready };
  };
  let running = launch();
  const url = await running.ready;
  const api = await BrokerClient.signIn(url, ADMIN.email, ADMIN.password);
  return {
    url,
    api,
    dbFile: join(dataDir, 'beckon.sqlite'),
    async kill() {
      running.child.kill('SIGKILL');
      await running.exited;
    },
    async restart() {
      running = launch();
      await running.ready;
    },
    async stop() {
      const { child, exited } = running;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A created request as the broker answers it (the fields the tests read, and the rest). */
export interface Created extends Record<string, unknown> {
  id: string;
  displayCode: string;
  status: string;
  recipientName: string;
}

/** The REST API with a bearer token: what another agent or an integration would do. */
export class BrokerClient {
  readonly url: string;
  readonly token: string;
  constructor(url: string, token: string) {
    this.url = url;
    this.token = token;
  }

  static async signIn(url: string, email: string, password: string): Promise<BrokerClient> {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    return new BrokerClient(url, ((await res.json()) as { token: string }).token);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  create(body: Record<string, unknown>): Promise<Created> {
    return this.call('POST', '/api/v1/session-requests', body);
  }

  close(id: string): Promise<Created> {
    return this.call('POST', `/api/v1/session-requests/${id}/close`);
  }

  /** Creates `count` requests, `parallel` at a time; returns how long it took. */
  async seed(count: number, parallel = 24): Promise<number> {
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const n = next++;
        await this.create({ recipientName: `Bulk ${String(n).padStart(5, '0')}`, comment: 'seeded' });
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return Date.now() - started;
  }
}
