import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, BrokerClient } from './client.ts';
import { withTestStorage } from './test-storage.ts';

/**
 * The real `beckon-broker serve` as its own process: the one way tests of
 * every project and the benches start a broker they do not import.
 */
const BIN = join(import.meta.dirname, '../../bin/beckon-broker.js');
/** How long a start may take before the test fails with what the broker printed. */
const START_TIMEOUT_MS = 20_000;
/** How long a SIGTERM may take before the process is killed. */
const STOP_TIMEOUT_MS = 10_000;

export interface StartBrokerOptions {
  /** A data directory to use (a restart's, or one a test prepared); kept on stop. By default a fresh one, removed on stop. */
  dataDir?: string;
  /** Set up and sign in the first administrator (`ADMIN`); false for a test of the first run itself. */
  admin?: boolean;
}

export interface TestBroker {
  /** `http://127.0.0.1:<port>`; the same port after `restart`. */
  url: string;
  dataDir: string;
  /** The broker's SQLite file (tests that seed more than the API would in time). */
  dbFile: string;
  /** The running process (a new one after `restart`). */
  readonly child: ChildProcess;
  /** The first administrator's bearer token ('' with `admin: false`). */
  token: string;
  /** The REST API as the first administrator. */
  api: BrokerClient;
  /** Everything the current process printed so far (stdout and stderr). */
  output(): string;
  /** SIGKILL, as on a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** SIGTERM (or the given signal) and wait for the exit; removes a data directory it made. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The environment of a test broker: loopback, quiet logs, the first administrator; `env` adds or overrides. */
function brokerEnv(dataDir: string, port: number, env: Record<string, string>, admin: boolean) {
  return {
    ...process.env,
    BECKON_DATA_DIR: dataDir,
    BECKON_HOST: '127.0.0.1',
    BECKON_PORT: String(port),
    BECKON_LOG_LEVEL: 'warn',
    ...(admin ? { BECKON_ADMIN_EMAIL: ADMIN.email, BECKON_ADMIN_PASSWORD: ADMIN.password } : {}),
    ...env,
  };
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
  url: Promise<string>;
}

function launch(env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start: ${out}`)), START_TIMEOUT_MS);
    const read = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`broker exited ${code ?? signal}: ${out}`));
    });
  });
  // A start that failed is reported by `url`; a later exit is not an unhandled rejection.
  url.catch(() => {});
  return { child, output: () => out, exited, url };
}

async function end(running: Running, signal: NodeJS.Signals): Promise<void> {
  const { child, exited } = running;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A real broker process on a fresh (or the given) data directory, its first administrator signed in. */
export async function startBroker(
  env: Record<string, string> = {},
  opts: StartBrokerOptions = {},
): Promise<TestBroker> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'beckon-broker-'));
  const admin = opts.admin ?? true;
  // With BECKON_TEST_STORAGE=postgres, a fresh database on the test cluster (kept for a restart).
  env = await withTestStorage(dataDir, env);
  let running = launch(brokerEnv(dataDir, 0, env, admin));
  let url: string;
  try {
    url = await running.url;
  } catch (err) {
    // A broker that did not start in time is not left running.
    await end(running, 'SIGKILL');
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  // The restart takes the same port: links, cookies and the allowed Origin carry it.
  const port = Number(new URL(url).port);
  const api = admin ? await BrokerClient.signIn(url) : new BrokerClient(url, '');
  return {
    url,
    dataDir,
    dbFile: join(dataDir, 'beckon.sqlite'),
    get child() {
      return running.child;
    },
    token: api.token,
    api,
    output: () => running.output(),
    kill: () => end(running, 'SIGKILL'),
    async restart() {
      await end(running, 'SIGTERM');
      running = launch(brokerEnv(dataDir, port, env, admin));
      await running.url;
    },
    async stop(signal = 'SIGTERM') {
      await end(running, signal);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
