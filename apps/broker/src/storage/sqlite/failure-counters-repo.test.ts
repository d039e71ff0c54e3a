import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from './index.ts';
import type { CounterRule } from '../failure-counters.ts';

test('failure counters: a burst of `limit`, then one per leak; stored across a reopen; settle, alert, clear, purge', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-counters-'));
  const file = join(dir, 'db.sqlite');
  const rule: CounterRule = { kind: 'k', subject: 's', address: 'a', limit: 3, halfLifeMs: 60_000 };
  const total: CounterRule = { kind: 'k', subject: 's', address: '', limit: Infinity, halfLifeMs: 60_000 };
  try {
    let storage = openSqliteStorage(file);
    const c = () => storage.failureCounters;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await c().charge([rule, total], 0));
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, true, true, false],
    );
    const refused = results[3]!;
    assert.ok(!refused.ok && refused.refusedBy === 0);
    // 3 → 2.5 takes log2(3/2.5) half-lives: about 15.8 s.
    assert.ok(
      !refused.ok && Math.abs(refused.retryAfterMs - 15_782) < 5,
      String(!refused.ok && refused.retryAfterMs),
    );
    await storage.close();

    storage = openSqliteStorage(file);
    assert.equal((await c().charge([rule], 15_000)).ok, false, 'remembered after a reopen');
    assert.equal((await c().charge([rule], 16_000)).ok, true, 'one more once half an attempt leaked');
    const [value] = await c().peek([total], 60_000);
    assert.ok(Math.abs(value! - 1.5) < 0.01, `the total halves in a minute: ${value}`);

    assert.equal(await c().claimAlert(total, 60_000, 3_600_000), true);
    assert.equal(await c().claimAlert(total, 61_000, 3_600_000), false, 'once per interval');
    await c().settle([total], [rule], 61_000);
    const [after, pair] = await c().peek([total, rule], 61_000);
    assert.ok(Math.abs(after! - 0.48) < 0.02, `a success takes its charge back: ${after}`);
    assert.equal(pair, 0, 'and clears its own pair');

    await c().charge([rule], 62_000);
    assert.equal(await c().clearSubject('k', 's'), 2);
    await c().charge([rule], 62_000);
    assert.equal(await c().purge(62_001), 1);
    await storage.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
