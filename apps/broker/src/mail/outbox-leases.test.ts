import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import { seedOrg, newMail } from '../storage/contract/seed.ts';
import { SMTPServer } from 'smtp-server';
import { startSmtpSink } from '../testing/smtp-sink.ts';
import { waitFor } from '../testing/fixture.ts';
import { startOutboxWorker, type MailLogger } from './outbox-worker.ts';
import { createTransport } from './transport.ts';

const quiet: MailLogger = { info() {}, warn() {}, error() {} };
const outboxIds = (raws: string[]) => raws.map((r) => /X-Beckon-Outbox-Id: (\d+)/i.exec(r)?.[1] ?? '?');

/** Two brokers (two Storage instances, one SQLite file), each with its mail worker, and a real SMTP server. */
async function twoBrokers() {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-outbox-leases-'));
  const file = join(dir, 'beckon.sqlite');
  const a = openSqliteStorage(file);
  const b = openSqliteStorage(file);
  const sink = await startSmtpSink();
  return {
    a,
    b,
    sink,
    async stop() {
      await sink.stop();
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('two brokers sending one outbox: every mail goes out once', async () => {
  const t = await twoBrokers();
  try {
    const { org } = await seedOrg(t.a);
    const count = 40;
    for (let i = 0; i < count; i++)
      await t.a.outbox.enqueue(
        newMail(org.id, { subject: `m${i}`, createdAt: new Date(Date.now() - 1000).toISOString() }),
      );
    const workers = [t.a, t.b].map((storage, i) =>
      startOutboxWorker({
        store: storage.outbox,
        transport: createTransport(t.sink.smtpUrl),
        from: 'Beckon <no-reply@beckon.test>',
        logger: quiet,
        pollMs: 20,
        owner: `broker-${i}`,
      }),
    );
    await waitFor(
      async () => (await t.a.outbox.list(org.id, 100)).every((m) => m.status === 'sent'),
      20_000,
      'all sent',
    );
    await Promise.all(workers.map((w) => w.stop()));
    const ids = outboxIds(t.sink.received.map((m) => m.raw));
    assert.equal(ids.length, count, `received ${ids.length}`);
    assert.equal(new Set(ids).size, count, 'none twice');
  } finally {
    await t.stop();
  }
});

test('a broker that dies after claiming leaves its mails to the other once the lease has run out', async () => {
  const t = await twoBrokers();
  try {
    const { org } = await seedOrg(t.a);
    for (let i = 0; i < 5; i++)
      await t.a.outbox.enqueue(
        newMail(org.id, { subject: `m${i}`, createdAt: new Date(Date.now() - 1000).toISOString() }),
      );
    // Broker a claims the mails and dies: it never sends, never marks.
    const leaseMs = 60_000;
    const claimed = await t.a.outbox.claim(
      'dead-broker',
      new Date().toISOString(),
      new Date(Date.now() + leaseMs).toISOString(),
      10,
    );
    assert.equal(claimed.length, 5);
    let skewMs = 0;
    const worker = startOutboxWorker({
      store: t.b.outbox,
      transport: createTransport(t.sink.smtpUrl),
      from: 'Beckon <no-reply@beckon.test>',
      logger: quiet,
      pollMs: 20,
      owner: 'live-broker',
      now: () => new Date(Date.now() + skewMs),
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(t.sink.received.length, 0, "nothing while the dead broker's lease holds");
      skewMs = leaseMs + 1000;
      await waitFor(() => t.sink.received.length === 5, 10_000, 'sent after the lease');
    } finally {
      await worker.stop();
    }
    assert.equal(new Set(outboxIds(t.sink.received.map((m) => m.raw))).size, 5);
    assert.ok((await t.b.outbox.list(org.id, 10)).every((m) => m.status === 'sent' && m.attempts === 1));
  } finally {
    await t.stop();
  }
});

test('a worker stopped in the middle of a batch gives back the mails it did not try: another broker sends them at once', async () => {
  const t = await twoBrokers();
  // Broker a's server takes its time over each mail, so a stop lands in the middle of a batch.
  const slow = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', () => setTimeout(() => (slowCount++, cb()), 150));
    },
  });
  let slowCount = 0;
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  const slowPort = (slow.server.address() as { port: number }).port;
  try {
    const { org } = await seedOrg(t.a);
    for (let i = 0; i < 8; i++)
      await t.a.outbox.enqueue(
        newMail(org.id, { subject: `m${i}`, createdAt: new Date(Date.now() - 1000).toISOString() }),
      );
    const a = startOutboxWorker({
      store: t.a.outbox,
      transport: createTransport(`smtp://127.0.0.1:${slowPort}?ignoreTLS=true`),
      from: 'Beckon <no-reply@beckon.test>',
      logger: quiet,
      pollMs: 60_000,
      owner: 'broker-a',
    });
    // The first mail alone (a probe), then a batch of the other seven: stop once that batch is under way.
    await waitFor(() => slowCount >= 2, 10_000, 'a inside its batch');
    await a.stop();
    const byA = slowCount;
    assert.ok(byA < 8, `a stopped before the end of its batch (sent ${byA})`);
    const b = startOutboxWorker({
      store: t.b.outbox,
      transport: createTransport(t.sink.smtpUrl),
      from: 'Beckon <no-reply@beckon.test>',
      logger: quiet,
      pollMs: 20,
      owner: 'broker-b',
    });
    try {
      // Now, not after a's ten-minute lease.
      await waitFor(() => t.sink.received.length === 8 - byA, 5000, 'the rest sent by b');
    } finally {
      await b.stop();
    }
    const mails = await t.a.outbox.list(org.id, 10);
    assert.ok(
      mails.every((m) => m.status === 'sent' && m.attempts === 1),
      'each once',
    );
  } finally {
    await new Promise((r) => slow.close(() => r(undefined)));
    await t.stop();
  }
});
