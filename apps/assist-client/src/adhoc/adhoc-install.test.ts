import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { installHost } from '../managed/install.ts';
import { InstallRefused, installTemporaryHost, removeTemporaryHost } from './adhoc-install.ts';
import { adhocPaths } from './adhoc-paths.ts';

// Install and self-removal of the temporary host into a real temporary
// prefix: refusals write nothing, removal leaves only the receipt.

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(relative(dir, p) + (e.isDirectory() ? '/' : ''));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

const base = { brokerUrl: 'http://127.0.0.1:9', node: '/usr/bin/node', cli: '/opt/beckon/cli.js' };
const quiet = () => {};

test('without administrator rights nothing is installed, and the refusal says so', async () => {
  const prefix = mkdtempSync(join(tmpdir(), 'beckon-adhoc-'));
  try {
    await assert.rejects(
      installTemporaryHost({ ...base, prefix, isAdmin: () => false }, quiet),
      (err: Error) => err instanceof InstallRefused && /administrator rights/.test(err.message),
    );
    assert.deepEqual(tree(prefix), []);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('where the permanent host is installed, the temporary host is refused and adds nothing', async () => {
  const prefix = mkdtempSync(join(tmpdir(), 'beckon-adhoc-'));
  try {
    await installHost({ ...base, prefix, dryRun: false }, quiet);
    const before = tree(prefix);
    await assert.rejects(
      installTemporaryHost({ ...base, prefix, isAdmin: () => true }, quiet),
      (err: Error) => err instanceof InstallRefused && /permanent Beckon host/.test(err.message),
    );
    assert.deepEqual(tree(prefix), before);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('install writes owner-only files; removal takes them, the key and the logs, and leaves a receipt', async () => {
  const prefix = mkdtempSync(join(tmpdir(), 'beckon-adhoc-'));
  try {
    await installTemporaryHost({ ...base, prefix, isAdmin: () => true }, quiet);
    const p = adhocPaths(prefix);
    assert.equal(statSync(p.config).mode & 0o777, 0o600);
    assert.match(readFileSync(p.unit, 'utf8'), /adhoc" "run" "--config"/);
    assert.match(readFileSync(p.unit, 'utf8'), /Restart=on-failure/);
    await assert.rejects(
      installTemporaryHost({ ...base, prefix, isAdmin: () => true }, quiet),
      /already installed/,
    );
    // What the running host makes: a key, the activation, a log, a received file.
    writeFileSync(join(p.stateDir, 'host-key.pem'), 'secret', { mode: 0o600 });
    mkdirSync(join(p.stateDir, 'received'));
    writeFileSync(join(p.stateDir, 'received', 'a.txt'), 'x');
    writeFileSync(p.log, 'a line\n');
    await removeTemporaryHost(prefix, ['removed for the test'], quiet);
    assert.deepEqual(tree(prefix), ['var/', 'var/log/', 'var/log/beckon-adhoc-receipt.txt']);
    assert.match(readFileSync(p.receipt, 'utf8'), /removed for the test/);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});
