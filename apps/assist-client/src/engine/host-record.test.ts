import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { HostRecordEntry } from '@beckon/protocol';
import { formatHostRecord, HostRecord, readHostRecord, userDataDir } from './host-record.ts';
import { runCli } from '../headless/cli.ts';

const entry = (over: Partial<HostRecordEntry> = {}): HostRecordEntry => ({
  at: '2027-01-02T10:00:00.000Z',
  kind: 'consent_asked',
  code: 's12-345-678',
  organisation: 'Acme',
  agentId: 'u1',
  agentName: 'Sam',
  permissions: ['view', 'control'],
  answer: null,
  reason: null,
  ...over,
});

describe('the host’s own record', () => {
  it('appends JSON lines to an owner-only file in an owner-only directory, and reads them back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'beckon-record-'));
    try {
      const file = join(dir, 'data', 'host-record.jsonl');
      const record = new HostRecord(file);
      record.append(entry());
      record.append(entry({ kind: 'consent_answered', answer: 'view', permissions: ['view'] }));
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'data')).mode & 0o777, 0o700);
      // A file someone made readable is tightened on the next append.
      writeFileSync(file, '', { mode: 0o644 });
      record.append(entry({ kind: 'session_started', reason: 'direct' }));
      assert.equal(statSync(file).mode & 0o777, 0o600);
      appendFileSync(file, 'not json\n{"kind":"forged"}\n');
      const { entries, unreadable } = readHostRecord(file);
      assert.deepEqual(
        entries.map((e) => e.kind),
        ['session_started'],
      );
      assert.equal(unreadable, 2);
      assert.deepEqual(readHostRecord(join(dir, 'none.jsonl')), { entries: [], unreadable: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints names from the broker with control characters escaped', () => {
    const [line] = formatHostRecord([entry({ agentName: 'Sam\u001b[2J\nroot' })]);
    assert.ok(line && !line.includes('\u001b') && !line.includes('\n'), line);
    assert.match(line, /by Sam\\u001b\[2J\\nroot/);
  });

  it('lives in the platform’s user data directory', () => {
    assert.equal(userDataDir('linux', {}, '/home/ada'), '/home/ada/.local/share/beckon');
    assert.equal(userDataDir('linux', { XDG_DATA_HOME: '/x' }, '/home/ada'), '/x/beckon');
    assert.equal(userDataDir('darwin', {}, '/Users/ada'), '/Users/ada/Library/Application Support/Beckon');
    assert.equal(
      userDataDir('win32', { APPDATA: 'C:\\U\\AppData\\Roaming' }, 'C:\\U'),
      join('C:\\U\\AppData\\Roaming', 'Beckon'),
    );
  });

  it('beckon-assist --history prints it without a broker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beckon-record-'));
    try {
      new HostRecord(join(dir, 'host-record.jsonl')).append(
        entry({ kind: 'consent_answered', answer: 'deny', permissions: [] }),
      );
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['--history', '--data-dir', dir], {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
      });
      assert.equal(code, 0, err.join('\n'));
      assert.match(out.join('\n'), /s12-345-678 {2}answered {2}by Sam {2}\(Acme\) {2}deny/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
