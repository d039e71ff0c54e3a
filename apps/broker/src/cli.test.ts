import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, waitFor } from './test-support/fixture.ts';

const BIN = new URL('../bin/beckon-broker.js', import.meta.url).pathname;
const env = (dataDir: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  BECKON_DATA_DIR: dataDir,
  BECKON_PORT: '0',
  BECKON_LOG_LEVEL: 'silent',
  ...extra,
});

test('admin create works once; setup cannot be repeated', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-cli-'));
  try {
    const args = [
      BIN,
      'admin',
      'create',
      '--email',
      'boss@example.com',
      '--password',
      'a long enough password',
    ];
    const first = spawnSync(process.execPath, args, { env: env(dataDir), encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    const second = spawnSync(process.execPath, [...args.slice(0, -1), 'another password 42'], {
      env: env(dataDir),
      encoding: 'utf8',
    });
    assert.equal(second.status, 1);
    assert.match(second.stderr, /already done/);
    const weak = spawnSync(
      process.execPath,
      [BIN, 'admin', 'create', '--email', 'x@example.com', '--password', 'short'],
      {
        env: env(mkdtempSync(join(tmpdir(), 'beckon-cli-'))),
        encoding: 'utf8',
      },
    );
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /at least 12/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a fresh start without admin settings generates one, prints it once, stores it owner-only', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-cli-'));
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: env(dataDir, { BECKON_GENERATE_ADMIN: '1' }),
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  try {
    const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(out)?.[1], 15_000, 'broker start');
    const password = /password: (\S+)/.exec(out)?.[1];
    assert.ok(password, out);
    const file = join(dataDir, 'initial-admin.txt');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`password: ${password}`));
    assert.ok(await login(url, 'admin@beckon.local', password));
  } finally {
    child.kill();
    await new Promise((r) => child.once('exit', r));
  }
  // A second start finds setup done and prints no password.
  const again = spawn(process.execPath, [BIN, 'serve'], {
    env: env(dataDir, { BECKON_GENERATE_ADMIN: '1' }),
  });
  let out2 = '';
  again.stdout.on('data', (d) => (out2 += d));
  try {
    await waitFor(() => /listening on/.test(out2), 15_000, 'second start');
    assert.doesNotMatch(out2, /password/);
  } finally {
    again.kill();
    await new Promise((r) => again.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
