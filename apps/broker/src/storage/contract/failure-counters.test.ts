import assert from 'node:assert/strict';
import type { CounterRule } from '../failure-counters.ts';
import { contract } from './harness.ts';

contract(
  'failure counters: a burst of `limit`, then one per leak; seen by a second broker; settle, alert, clear, purge',
  async (db) => {
    const rule: CounterRule = { kind: 'k', subject: 's', address: 'a', limit: 3, halfLifeMs: 60_000 };
    const total: CounterRule = { kind: 'k', subject: 's', address: '', limit: Infinity, halfLifeMs: 60_000 };
    {
      let storage = db.storage;
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
      storage = await db.another();
      assert.equal((await c().charge([rule], 15_000)).ok, false, 'stored: another broker sees it');
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
    }
  },
);

contract(
  'failure counters: parallel charges from two brokers cannot all slip in past the limit',
  async (db) => {
    const other = await db.another();
    const rule: CounterRule = { kind: 'k', subject: 'p', address: '', limit: 5, halfLifeMs: 3_600_000 };
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? other : db.storage).failureCounters.charge([rule], 1000)),
    );
    assert.equal(outcomes.filter((o) => o.ok).length, 5);
  },
);
