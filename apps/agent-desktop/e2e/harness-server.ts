import react from '@vitejs/plugin-react';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'vite';
import { freePort } from '@beckon/broker/testing';

/** Vite serving `e2e/remote-harness/`: the console's components alone, with pretend peers. */
export async function startHarness(): Promise<{ url: string; stop(): Promise<void> }> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'beckon-harness-vite-'));
  // Vite is told its port up front.
  const port = await freePort();
  const server = await createServer({
    configFile: false,
    root: join(import.meta.dirname, 'remote-harness'),
    cacheDir,
    plugins: [react()],
    logLevel: 'warn',
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false },
  });
  await server.listen();
  return {
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      await server.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
