import test from 'node:test';
import assert from 'node:assert/strict';
import type net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { NewMail, OutboxRecord, OutboxStore } from '../storage/types.ts';
import type { OutboxMail } from '@beckon/protocol';
import { UnsafeHeaderError } from './escape.ts';
import { classifyFailure, outboxMessageId, startOutboxWorker, type MailLogger } from './outbox-worker.ts';
import { createTransport } from './transport.ts';
import { freePort } from '../testing/free-port.ts';

const ORG = '0b5c2a49-4f7e-4c61-9d0e-3f1a2b3c4d5e';

/** The OutboxStore contract in memory, with counters to catch double sends and a switch to make markSent fail. */
class MemoryOutbox implements OutboxStore {
  rows: OutboxRecord[] = [];
  failMarkSent = 0;

  async enqueue(mail: NewMail): Promise<number> {
    const id = this.rows.length + 1;
    const { orgId, requestId, kind, to, subject, html, text, language, createdAt } = mail;
    this.rows.push({
      ...{ id, orgId, requestId, kind, to, subject, html, text, language, createdAt },
      status: 'pending',
      attempts: 0,
      lastError: null,
      sentAt: null,
      nextAttemptAt: createdAt,
    });
    return id;
  }
  /** Mail id → its lease (the store's lease columns). */
  leases = new Map<number, { owner: string; until: string }>();
  async claim(owner: string, now: string, until: string, limit: number): Promise<OutboxRecord[]> {
    const free = (r: OutboxRecord) => {
      const l = this.leases.get(r.id);
      return !l || l.until <= now || l.owner === owner;
    };
    const rows = this.rows
      .filter((r) => r.status === 'pending' && (r.nextAttemptAt ?? '') <= now && free(r))
      .slice(0, limit);
    for (const r of rows) this.leases.set(r.id, { owner, until });
    return rows.map((r) => ({ ...r }));
  }
  async markSent(id: number, at: string): Promise<boolean> {
    if (this.failMarkSent > 0) {
      this.failMarkSent--;
      throw new Error('database is locked');
    }
    if (this.row(id).status !== 'pending') return false;
    Object.assign(this.row(id), { status: 'sent', sentAt: at, nextAttemptAt: null });
    this.row(id).attempts++;
    this.leases.delete(id);
    return true;
  }
  async markRetry(
    id: number,
    owner: string,
    error: string,
    nextAttemptAt: string,
    failed: boolean,
  ): Promise<boolean> {
    const r = this.row(id);
    if (r.status !== 'pending' || this.leases.get(id)?.owner !== owner) return false;
    Object.assign(r, { status: failed ? 'failed' : 'pending', lastError: error });
    r.nextAttemptAt = failed ? null : nextAttemptAt;
    r.attempts++;
    this.leases.delete(id);
    return true;
  }
  async release(ids: number[], owner: string): Promise<number> {
    const mine = ids.filter(
      (id) => this.row(id).status === 'pending' && this.leases.get(id)?.owner === owner,
    );
    for (const id of mine) this.leases.delete(id);
    return mine.length;
  }
  async list(orgId: string, limit: number): Promise<OutboxMail[]> {
    return this.rows.filter((r) => r.orgId === orgId).slice(0, limit);
  }
  row(id: number): OutboxRecord {
    const r = this.rows.find((x) => x.id === id);
    if (!r) throw new Error(`no mail ${id}`);
    return r;
  }
}

const mail = (to: string, subject: string): NewMail => ({
  orgId: ORG,
  requestId: null,
  kind: 'invite',
  to,
  subject,
  html: `<p>${subject}</p>`,
  text: subject,
  language: 'en',
  createdAt: new Date(Date.now() - 1000).toISOString(),
});

interface Received {
  rcpt: string[];
  headers: Map<string, string>;
}

/** A real SMTP server on 127.0.0.1 that records every message it accepts. */
async function smtpServer(port = 0, extra: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')[0] ?? '';
        const headers = new Map<string, string>();
        for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
          const i = line.indexOf(':');
          if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
        }
        received.push({ rcpt: session.envelope.rcptTo.map((a) => a.address), headers });
        callback();
      });
    },
    ...extra,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as net.AddressInfo;
  return {
    received,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function memoryLogger() {
  const entries: { level: string; obj: object; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => entries.push({ level, obj, msg });
  const logger: MailLogger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, entries };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FROM = 'Beckon <no-reply@support.example>';

test('two mails are delivered exactly once, with their recipients, subjects and outbox id', async () => {
  const server = await smtpServer();
  const store = new MemoryOutbox();
  await store.enqueue(mail('jane@customer.example', 'Remote support from Acme - session s12-345-678'));
  await store.enqueue(mail('joe@customer.example', 'Your support session s98-765-432 has been closed'));
  const { logger, entries } = memoryLogger();
  const transport = createTransport(`smtp://127.0.0.1:${server.port}`);
  const worker = startOutboxWorker({ store, transport, from: FROM, logger, pollMs: 30, backoffBaseMs: 100 });
  try {
    await waitFor('two mails', () => server.received.length >= 2);
    for (let i = 0; i < 5; i++) worker.kick();
    await sleep(300);
    assert.equal(server.received.length, 2);
    const [a, b] = server.received;
    assert.deepEqual(a?.rcpt, ['jane@customer.example']);
    assert.deepEqual(b?.rcpt, ['joe@customer.example']);
    assert.equal(a?.headers.get('subject'), 'Remote support from Acme - session s12-345-678');
    assert.equal(b?.headers.get('subject'), 'Your support session s98-765-432 has been closed');
    assert.equal(a?.headers.get('from'), FROM);
    assert.equal(a?.headers.get('x-beckon-outbox-id'), '1');
    assert.equal(a?.headers.get('auto-submitted'), 'auto-generated');
    assert.equal(b?.headers.get('message-id'), `<beckon-outbox-2.${ORG}@support.example>`);
    assert.deepEqual(
      store.rows.map((r) => [r.status, r.attempts]),
      [
        ['sent', 1],
        ['sent', 1],
      ],
    );
    assert.equal(entries.filter((e) => e.msg === 'mail sent').length, 2);
  } finally {
    await worker.stop();
    transport?.close();
    await server.close();
  }
});

test('an unreachable server means retry with backoff, then exactly one delivery once it is up', async () => {
  const port = await freePort();
  const store = new MemoryOutbox();
  await store.enqueue(mail('jane@customer.example', 'Retry me'));
  const { logger, entries } = memoryLogger();
  const transport = createTransport(`smtp://127.0.0.1:${port}`);
  const worker = startOutboxWorker({ store, transport, from: FROM, logger, pollMs: 30, backoffBaseMs: 600 });
  let server: Awaited<ReturnType<typeof smtpServer>> | null = null;
  try {
    await waitFor('a failed attempt', () => store.row(1).attempts === 1);
    const failedAt = Date.now();
    const row = store.row(1);
    assert.equal(row.status, 'pending');
    assert.ok(row.lastError);
    const nextAttemptAt = Date.parse(row.nextAttemptAt ?? '');
    assert.ok(nextAttemptAt > failedAt + 300, 'next attempt lies in the future');
    const retry = entries.find((e) => e.msg === 'mail will be retried');
    assert.ok(retry && 'nextAttemptAt' in retry.obj && retry.level === 'warn');

    server = await smtpServer(port);
    await waitFor('the delivery after the backoff', () => server?.received.length === 1);
    assert.ok(Date.now() >= nextAttemptAt, 'not sent before its backoff');
    await sleep(300);
    assert.equal(server.received.length, 1);
    assert.equal(store.row(1).status, 'sent');
    assert.equal(store.row(1).attempts, 2);
  } finally {
    await worker.stop();
    transport?.close();
    await server?.close();
  }
});

test('while the server is down a pass claims one mail, so a killed broker holds at most one; once it answers, whole batches', async () => {
  const port = await freePort();
  const limits: number[] = [];
  let mostHeld = 0;
  const store = new (class extends MemoryOutbox {
    override async claim(owner: string, now: string, until: string, limit: number) {
      limits.push(limit);
      const rows = await super.claim(owner, now, until, limit);
      mostHeld = Math.max(mostHeld, this.leases.size);
      return rows;
    }
  })();
  for (let i = 0; i < 30; i++) await store.enqueue(mail(`m${i}@customer.example`, `Mail ${i}`));
  const { logger } = memoryLogger();
  const transport = createTransport(`smtp://127.0.0.1:${port}`);
  const worker = startOutboxWorker({ store, transport, from: FROM, logger, pollMs: 20, backoffBaseMs: 30 });
  let server: Awaited<ReturnType<typeof smtpServer>> | null = null;
  try {
    await waitFor('several failed passes', () => limits.length >= 4);
    assert.ok(!limits.some((l) => l !== 1), `one mail a pass while the server is down: ${limits.join()}`);
    assert.equal(mostHeld, 1, 'never more than one mail leased');
    const down = limits.length;
    server = await smtpServer(port);
    await waitFor('all thirty', () => server?.received.length === 30);
    assert.ok(limits.slice(down).includes(20), `whole batches again: ${limits.slice(down).join()}`);
  } finally {
    await worker.stop();
    transport?.close();
    await server?.close();
  }
});

test('a 550 rejection marks the mail failed and it is never retried', async () => {
  let rcptAttempts = 0;
  const server = await smtpServer(0, {
    onRcptTo(_address, _session, callback) {
      rcptAttempts++;
      callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
    },
  });
  const store = new MemoryOutbox();
  await store.enqueue(mail('nobody@customer.example', 'Bounce me'));
  const { logger, entries } = memoryLogger();
  const transport = createTransport(`smtp://127.0.0.1:${server.port}`);
  const worker = startOutboxWorker({ store, transport, from: FROM, logger, pollMs: 30, backoffBaseMs: 50 });
  try {
    await waitFor('the rejection', () => store.row(1).status !== 'pending');
    await sleep(400);
    assert.equal(store.row(1).status, 'failed');
    assert.equal(store.row(1).attempts, 1);
    assert.match(store.row(1).lastError ?? '', /550/);
    assert.equal(rcptAttempts, 1);
    assert.equal(server.received.length, 0);
    assert.ok(entries.some((e) => e.level === 'error' && e.msg === 'mail failed permanently'));
  } finally {
    await worker.stop();
    transport?.close();
    await server.close();
  }
});

test('a mail whose markSent failed is recorded later, never sent twice', async () => {
  const server = await smtpServer();
  const store = new MemoryOutbox();
  store.failMarkSent = 2;
  await store.enqueue(mail('jane@customer.example', 'Once only'));
  const { logger } = memoryLogger();
  const transport = createTransport(`smtp://127.0.0.1:${server.port}`);
  const worker = startOutboxWorker({ store, transport, from: FROM, logger, pollMs: 30 });
  try {
    await waitFor('the mail recorded as sent', () => store.row(1).status === 'sent');
    await sleep(200);
    assert.equal(server.received.length, 1);
  } finally {
    await worker.stop();
    transport?.close();
    await server.close();
  }
});

test('a stored mail with a header injection is failed without being sent', async () => {
  const server = await smtpServer();
  const store = new MemoryOutbox();
  await store.enqueue(mail('jane@customer.example', 'Hi\r\nBcc: x@evil.example'));
  await store.enqueue(mail('joe@customer.example', 'Fine'));
  const { logger } = memoryLogger();
  const transport = createTransport(`smtp://127.0.0.1:${server.port}`);
  const worker = startOutboxWorker({ store, transport, from: FROM, logger, pollMs: 30 });
  try {
    await waitFor('both handled', () => store.rows.every((r) => r.status !== 'pending'));
    assert.equal(store.row(1).status, 'failed');
    assert.equal(store.row(2).status, 'sent');
    assert.equal(server.received.length, 1);
  } finally {
    await worker.stop();
    transport?.close();
    await server.close();
  }
});

test('without a transport the worker leaves the outbox alone', async () => {
  const store = new MemoryOutbox();
  await store.enqueue(mail('jane@customer.example', 'Waiting'));
  const { logger, entries } = memoryLogger();
  const worker = startOutboxWorker({ store, transport: null, from: FROM, logger, pollMs: 10 });
  worker.kick();
  await sleep(100);
  await worker.stop();
  assert.equal(store.row(1).status, 'pending');
  assert.equal(store.row(1).attempts, 0);
  assert.ok(entries.some((e) => e.level === 'warn'));
});

test('an unsafe sender is refused at start', () => {
  const { logger } = memoryLogger();
  assert.throws(
    () =>
      startOutboxWorker({
        store: new MemoryOutbox(),
        transport: null,
        from: 'a@b.example\r\nBcc: x',
        logger,
      }),
    UnsafeHeaderError,
  );
});

test('failures are classified by who is at fault', () => {
  assert.equal(classifyFailure(new UnsafeHeaderError('to')), 'permanent');
  assert.equal(classifyFailure({ code: 'EENVELOPE', responseCode: 550, permanent: true }), 'permanent');
  assert.equal(classifyFailure({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }), 'permanent');
  assert.equal(classifyFailure({ code: 'EENVELOPE', responseCode: 450, permanent: false }), 'mail');
  assert.equal(classifyFailure({ code: 'EENVELOPE', responseCode: 503 }), 'mail');
  assert.equal(classifyFailure({ code: 'EENVELOPE' }), 'permanent');
  assert.equal(classifyFailure({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }), 'server');
  assert.equal(classifyFailure({ code: 'ETIMEDOUT' }), 'server');
  assert.equal(classifyFailure({ code: 'EAUTH', responseCode: 535, permanent: true }), 'server');
  assert.equal(classifyFailure({ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }), 'server');
  assert.equal(classifyFailure({ code: 'EPROTOCOL', responseCode: 421 }), 'server');
  assert.equal(classifyFailure(new Error('something else')), 'mail');
});

test('the message id is stable per outbox mail', () => {
  assert.equal(outboxMessageId({ id: 7, orgId: ORG }, FROM), `<beckon-outbox-7.${ORG}@support.example>`);
  assert.equal(
    outboxMessageId({ id: 7, orgId: ORG }, 'no-reply@a.example'),
    `<beckon-outbox-7.${ORG}@a.example>`,
  );
  assert.equal(outboxMessageId({ id: 7, orgId: ORG }, 'weird'), `<beckon-outbox-7.${ORG}@beckon.invalid>`);
});
