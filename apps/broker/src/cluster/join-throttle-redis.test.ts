import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiError } from '../domain/api-error.ts';
import {
  JoinThrottle,
  SPENT_HOLD_MS,
  type JoinGate,
  type SpentBudget,
} from '../domain/join-service-throttle.ts';
import { waitFor } from '../testing/fixture.ts';
import { startRedis, type RedisServer } from '../testing/redis-server.ts';
import { RedisJoinThrottle } from './join-throttle-redis.ts';
import { connectRedis, type SharedRedis } from './redis.ts';

let server: RedisServer;
const clients: SharedRedis[] = [];
before(async () => {
  server = await startRedis();
});
after(async () => {
  for (const c of clients) await c.close();
  await server.stop();
});

/** A broker's view of the shared throttle: its own connection, one shared prefix. */
function shared(prefix: string, budget: number, spent: SpentBudget[]): RedisJoinThrottle {
  const redis = connectRedis(server.url, prefix);
  clients.push(redis);
  return new RedisJoinThrottle(redis, { budget, onSpent: (i) => spent.push(i) });
}

async function verdict(gate: JoinGate, ip: string, t: number): Promise<string> {
  try {
    await gate.admit(ip, t);
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof ApiError && err.status === 429);
    return `429 ${String(err.headers?.['retry-after'])}`;
  }
}

/** A fixed pseudo-random sequence, the same on every run. */
function prng(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}

test('one sequence of lookups and misses gets the same answers from memory and from Redis spread over three brokers', async () => {
  const budget = 40;
  const memSpent: SpentBudget[] = [];
  const redisSpent: SpentBudget[] = [];
  const memory = new JoinThrottle({ budget, onSpent: (i) => memSpent.push(i) });
  const brokers = [0, 1, 2].map(() => shared('seq:', budget, redisSpent));
  const rand = prng(7);
  let t = 1_700_000_000_000;
  const answers: [string, string][] = [];
  for (let i = 0; i < 3000; i++) {
    // A few noisy addresses and a crowd of fresh ones, with pauses now and then.
    const ip = rand() < 0.5 ? `10.0.0.${Math.floor(rand() * 4)}` : `10.1.${Math.floor(i / 250)}.${i % 250}`;
    t += rand() < 0.01 ? 90_000 + Math.floor(rand() * SPENT_HOLD_MS) : Math.floor(rand() * 400);
    const broker = brokers[i % 3] as RedisJoinThrottle;
    const a = await verdict(memory, ip, t);
    const b = await verdict(broker, ip, t);
    answers.push([a, b]);
    if (a === 'ok') {
      // As JoinService does: the miss, then the lookup is over (the memory gate stops counting it in flight).
      memory.miss(ip, t);
      memory.settle(ip);
      await broker.miss(ip, t);
      broker.settle(ip);
    }
    assert.equal(await broker.spentAtNow(t), memory.spentAt(t), `spent state at step ${i}`);
  }
  assert.deepEqual(
    answers.map(([, b]) => b),
    answers.map(([a]) => a),
  );
  const kinds = new Set(answers.map(([a]) => a.split(' ')[0]));
  assert.deepEqual([...kinds].sort(), ['429', 'ok'], 'the sequence exercises both answers');
  assert.ok(memSpent.length >= 1, 'the sequence spends the budget');
  assert.deepEqual(
    redisSpent,
    memSpent,
    'the alarm is raised once per attack, by one broker, with the same count',
  );
  for (const b of brokers) b.close();
});

test('parallel misses from three brokers are all counted: the budget is spent at exactly its size', async () => {
  const spent: SpentBudget[] = [];
  const brokers = [0, 1, 2].map(() => shared('par:', 300, spent));
  const t = 1_700_000_000_000;
  // 299 misses from 299 addresses at once, over three connections: one short of the budget.
  await Promise.all(
    Array.from({ length: 299 }, (_, i) => brokers[i % 3]?.miss(`10.2.${i >> 8}.${i & 255}`, t)),
  );
  assert.equal(spent.length, 0);
  await brokers[0]?.miss('10.3.0.1', t);
  assert.equal(spent.length, 1);
  assert.equal(spent[0]?.addresses, 300);
  for (const b of brokers) b.close();
});

test('a burst of concurrent lookups over three brokers is held back as on one: lookups in flight count as misses', async () => {
  const budget = 40;
  const memory = new JoinThrottle({ budget });
  const brokers = [0, 1, 2].map(() => shared('burst:', budget, []));
  const t = 1_700_000_000_000;
  // 30 lookups from one address and one from each of 60 fresh ones, all admitted before any is
  // over (a lookup waits for the database): memory one after the other, Redis all at once.
  const ips = [
    ...Array.from({ length: 30 }, () => '10.4.0.1'),
    ...Array.from({ length: 60 }, (_, i) => `10.5.0.${i}`),
  ];
  const fromMemory = ips.map((ip) => {
    try {
      memory.admit(ip, t);
      return 'ok';
    } catch {
      return '429';
    }
  });
  const fromRedis = await Promise.all(
    ips.map((ip, i) => verdict(brokers[i % 3] as RedisJoinThrottle, ip, t)),
  );
  const count = (answers: string[], from: number, to: number) =>
    answers.slice(from, to).filter((a) => a === 'ok').length;
  // Five from the one address (its sixth would be past the limit if all miss), and the budget's 40 in all.
  assert.equal(count(fromMemory, 0, 30), 5);
  assert.equal(count(fromMemory, 0, 90), budget);
  assert.equal(count(fromRedis, 0, 30), 5, 'one address across brokers');
  assert.equal(count(fromRedis, 0, 90), budget, 'the budget across brokers');
  // All of them miss, on the broker that admitted them: the budget is spent, and nothing is left in flight.
  await Promise.all(
    ips.map(async (ip, i) => {
      if (fromRedis[i] !== 'ok') return;
      const b = brokers[i % 3] as RedisJoinThrottle;
      await b.miss(ip, t);
      b.settle(ip);
    }),
  );
  assert.equal(await brokers[0]?.spentAtNow(t), t);
  const redis = connectRedis(server.url, 'burst:');
  clients.push(redis);
  assert.equal(await redis.cmd.zcard('burst:throttle:join:fa'), 0);
  for (const b of brokers) b.close();
});

test("a lookup that found its request stops counting when settled, on every broker; a dead broker's stops after 30 s", async () => {
  const brokers = [0, 1].map(() => shared('found:', 5, []));
  const [b1, b2] = brokers as [RedisJoinThrottle, RedisJoinThrottle];
  const t = 1_700_000_000_000;
  for (let i = 0; i < 4; i++) await b1.miss(`10.6.0.${i}`, t);
  // Four misses and one lookup in flight on b1 fill the budget of 5: b2 refuses a fresh address until it is over.
  await b1.admit('10.6.1.1', t);
  assert.equal(await verdict(b2, '10.6.1.2', t), '429 1');
  b1.settle('10.6.1.1');
  await waitFor(async () => (await verdict(b2, '10.6.1.2', t)) === 'ok', 2000, 'admitted after the settle');
  // b2's lookup is never settled (its broker died): after 30 s it no longer counts.
  assert.equal(await verdict(b1, '10.6.1.3', t), '429 1');
  assert.equal(await verdict(b1, '10.6.1.3', t + 31_000), 'ok');
  for (const b of brokers) b.close();
});
