import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from './testing/broker-process.ts';
import { login } from './testing/fixture.ts';

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
  const first = await startBroker({ BECKON_GENERATE_ADMIN: '1' }, { dataDir, admin: false });
  try {
    const password = /password: (\S+)/.exec(first.output())?.[1];
    assert.ok(password, first.output());
    const file = join(dataDir, 'initial-admin.txt');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`password: ${password}`));
    assert.ok(await login(first.url, 'admin@beckon.local', password));
  } finally {
    await first.stop();
  }
  // A second start finds setup done and prints no password.
  const again = await startBroker({ BECKON_GENERATE_ADMIN: '1' }, { dataDir, admin: false });
  try {
    assert.doesNotMatch(again.output(), /password/);
  } finally {
    await again.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
