import assert from 'node:assert/strict';
import { AuditAction } from '@beckon/protocol';
import { verifyChain } from '../../domain/audit-chain.ts';
import type { AuditDraft } from '../audit-types.ts';
import { contract } from './harness.ts';

const draft = (orgId: string | null, action: AuditDraft['action'], i: number): AuditDraft => ({
  orgId,
  actor: { type: 'user', id: `u${i % 3}`, name: null },
  action,
  target: { type: 'x', id: `t${i % 2}` },
  details: { i },
  ip: null,
  at: new Date(Date.UTC(2027, 0, 1, 0, 0, i)).toISOString(),
});

contract(
  "audit: an organisation's list holds its entries and the broker-wide ones, newest first, page by page",
  async ({ storage }) => {
    {
      const orgs = ['a', 'b', null] as const;
      for (let i = 0; i < 60; i++)
        await storage.audit.append([
          draft(orgs[i % 3]!, i % 2 ? AuditAction.SIGN_IN : AuditAction.SIGN_OUT, i),
        ]);
      const expected = Array.from({ length: 60 }, (_, i) => i + 1)
        .filter((seq) => orgs[(seq - 1) % 3] !== 'b')
        .reverse();
      const seen: number[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await storage.audit.list({ orgId: 'a', limit: 7, beforeSeq: before });
        seen.push(...page.map((e) => e.seq));
        if (page.length < 7) break;
        before = page[page.length - 1]!.seq;
      }
      assert.deepEqual(seen, expected);
      const signIns = await storage.audit.list({ orgId: 'a', action: AuditAction.SIGN_IN, limit: 100 });
      assert.ok(signIns.every((e) => e.action === AuditAction.SIGN_IN && e.orgId !== 'b'));
      assert.equal(signIns.length, expected.filter((seq) => (seq - 1) % 2 === 1).length);
      const byActor = await storage.audit.list({ orgId: 'a', actor: 'u0', limit: 100 });
      assert.ok(byActor.length > 0 && byActor.every((e) => e.actor.id === 'u0'));
      // u1 acted only in the other organisation: nothing of it is shown here.
      assert.deepEqual(await storage.audit.list({ orgId: 'a', actor: 'u1', limit: 100 }), []);
      const inRange = await storage.audit.list({
        orgId: 'a',
        from: '2027-01-01T00:00:10.000Z',
        to: '2027-01-01T00:00:20.000Z',
        limit: 100,
      });
      assert.ok(
        inRange.every((e) => e.at >= '2027-01-01T00:00:10.000Z' && e.at < '2027-01-01T00:00:20.000Z'),
      );
      assert.equal(inRange.length, 6, 'seconds 11, 12, 14, 15, 17, 18');
    }
  },
);

contract('audit: appends chain one line across two brokers; head, rows, existsSince', async (db) => {
  const other = await db.another();
  const appended = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? other : db.storage).audit.append([draft(null, AuditAction.SIGN_IN, i)]),
    ),
  );
  assert.deepEqual(
    appended
      .flat()
      .map((e) => e.seq)
      .sort((a, b) => a - b),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  const rows = [];
  for await (const row of db.storage.audit.rows()) rows.push(row);
  assert.equal(rows.length, 20);
  assert.equal((await verifyChain(rows)).ok, true, 'one unbroken chain');
  const head = await other.audit.head();
  assert.equal(head.seq, 20);
  assert.equal(head.hash, rows.at(-1)?.hash);
  assert.equal(
    await db.storage.audit.existsSince(AuditAction.SIGN_IN, 't1', '2027-01-01T00:00:05.000Z'),
    true,
  );
  assert.equal(
    await db.storage.audit.existsSince(AuditAction.SIGN_OUT, 't1', '2027-01-01T00:00:00.000Z'),
    false,
  );
  assert.equal(
    await db.storage.audit.existsSince(AuditAction.SIGN_IN, 't1', '2027-01-02T00:00:00.000Z'),
    false,
  );
});
