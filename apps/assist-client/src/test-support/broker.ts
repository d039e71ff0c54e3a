import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ADMIN = { email: 'agent@example.com', password: 'a long test password' };
// The broker is another project: tests start its executable, they do not import it.
const BIN = join(import.meta.dirname, '../../../broker/bin/beckon-broker.js');

export interface TestBroker {
  url: string;
  token: string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field
  createRequest(
    body?: Record<string, unknown>,
  ): Promise<{ id: string; displayCode: string; customerLink: string }>;
  status(id: string): Promise<string>;
  waitForStatus(id: string, status: string, timeoutMs?: number): Promise<void>;
  /** SIGKILL: the broker dies mid-whatever, as on a crash. */
  kill(): Promise<void>;
  /** Starts the broker again on the same port and data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A real broker process on a fresh data directory, with its admin signed in. */
export async function startBroker(env: Record<string, string> = {}): Promise<TestBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-assist-broker-'));
  const launch = (port: string) => {
    const proc: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        ...process.env,
        BECKON_DATA_DIR: dataDir,
        BECKON_PORT: port,
        BECKON_LOG_LEVEL: 'warn',
        BECKON_ADMIN_EMAIL: ADMIN.email,
        BECKON_ADMIN_PASSWORD: ADMIN.password,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const listening = new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proc.once('exit', (code) => reject(new Error(`broker exited ${code}: ${out}`)));
    });
    return { proc, listening };
  };
  let { proc: child, listening } = launch('0');
  const url = await listening;
  const exit = (signal: NodeJS.Signals) => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    return Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const token = (await call('POST', '/api/v1/auth/login', ADMIN)).body.token as string;
  const broker: TestBroker = {
    url,
    token,
    api: (method, path, body) => call(method, path, body, token),
    async createRequest(body = {}) {
      const res = await call(
        'POST',
        '/api/v1/session-requests',
        { recipientName: 'Ada', comment: 'printer', ...body },
        token,
      );
      if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async status(id) {
      return (await call('GET', `/api/v1/session-requests/${id}`, undefined, token)).body.status as string;
    },
    async waitForStatus(id, status, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const last = await broker.status(id);
        if (last === status) return;
        if (Date.now() > end) throw new Error(`status stayed ${last}, expected ${status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      await exit('SIGKILL');
    },
    async restart() {
      ({ proc: child, listening } = launch(new URL(url).port));
      await listening;
    },
    async stop() {
      await exit('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return broker;
}
