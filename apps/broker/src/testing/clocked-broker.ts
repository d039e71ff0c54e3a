import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker, type Broker } from '../broker.ts';
import { loadConfig } from '../config.ts';
import { setupOnce } from '../domain/setup.ts';
import { openStorage } from '../storage/open.ts';
import { withTestStorage } from './test-storage.ts';
import { ADMIN, login, request, testEnv, type ApiResult } from './fixture.ts';

/**
 * A real broker (SQLite file or PostgreSQL as in fixture.ts, HTTP on loopback) on a clock the test moves, and
 * trusting `X-Forwarded-For`, so a test can speak from any address it likes:
 * for throttles that count time and addresses. Stopping keeps the data
 * directory until `cleanup`, so a test can start a second broker on it.
 */
export interface ClockedBroker {
  broker: Broker;
  url: string;
  dataDir: string;
  adminToken: string;
  now(): Date;
  advance(ms: number): void;
  /** A request from `from` (an IPv4 or IPv6 address), with the admin's token unless one is given. */
  api(
    method: string,
    path: string,
    body?: unknown,
    opts?: { from?: string; token?: string | null },
  ): Promise<ApiResult>;
  stop(): Promise<void>;
  cleanup(): void;
}

export async function startClockedBroker(
  env: Record<string, string> = {},
  reuse?: { dataDir: string; offsetMs: number },
): Promise<ClockedBroker & { offsetMs(): number }> {
  const dataDir = reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'beckon-clocked-'));
  let offset = reuse?.offsetMs ?? 0;
  const now = () => new Date(Date.now() + offset);
  const config = loadConfig(
    testEnv(dataDir, await withTestStorage(dataDir, { BECKON_TRUST_PROXY: 'true', ...env })),
  );
  const storage = await openStorage(config);
  if (!reuse) await setupOnce(storage, { orgName: 'Acme Support', ...ADMIN });
  const broker = await createBroker(config, { storage, now });
  const url = await broker.start();
  const adminToken = await login(url, ADMIN.email, ADMIN.password);
  return {
    broker,
    url,
    dataDir,
    adminToken,
    now,
    advance: (ms) => void (offset += ms),
    offsetMs: () => offset,
    api: (method, path, body, opts = {}) =>
      request(
        url,
        method,
        path,
        body,
        opts.token === undefined ? adminToken : opts.token,
        opts.from ? { 'x-forwarded-for': opts.from } : {},
      ),
    stop: () => broker.stop(),
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
