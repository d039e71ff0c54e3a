import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { FILE_CHUNK_BYTES, type DataChannelMessage } from '@beckon/protocol';
import { bytesToBase64 } from './base64.ts';
import {
  FileTransferError,
  bytesSource,
  type FileSink,
  type FileTransport,
  type IncomingOffer,
  type TransferProgress,
} from './file-transfer-types.ts';
import { FileTransfers } from './file-transfer.ts';
import { next, until, type Pair } from './testing/pair.ts';
import { makeRelayedPair, type RelayedPair } from './testing/relayed-pair.ts';

const MiB = 1024 * 1024;
let relayed: RelayedPair;
let p: Pair;
const disposers: (() => void)[] = [];
before(async () => {
  // A 4 MB/s path: slower than the peers can write, so the send buffer really fills.
  relayed = makeRelayedPair({ rateBytesPerSec: 4_000_000 });
  p = relayed.pair;
  await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
});
afterEach(() => {
  for (const d of disposers.splice(0)) d();
});
after(() => relayed.close());

function randomBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(size, i + 65536)));
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A sink that keeps the bytes in memory, like the agent UI building a Blob. */
function memorySink() {
  const chunks: Uint8Array[] = [];
  const state = { closed: false, aborted: null as string | null };
  const sink: FileSink = {
    write: async (chunk) => void chunks.push(chunk.slice()),
    close: async () => void (state.closed = true),
    abort: async (reason) => void (state.aborted = reason),
  };
  const bytes = () => {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
  return { sink, state, bytes };
}

/** The real files transport, watched: records the largest bufferedAmount after any send. */
function watched(transport: FileTransport) {
  const seen = { maxBuffered: 0, sends: 0 };
  const wrapped: FileTransport = {
    ...transport,
    send: (m) => {
      const ok = transport.send(m);
      seen.sends += 1;
      seen.maxBuffered = Math.max(seen.maxBuffered, transport.bufferedAmount());
      return ok;
    },
  };
  return { wrapped, seen };
}

function ends(transfers: FileTransfers) {
  const progress: TransferProgress[] = [];
  const cancelled: { by: string; reason: string }[] = [];
  transfers.on('progress', (e) => progress.push(e));
  transfers.on('cancelled', (e) => cancelled.push({ by: e.by, reason: e.reason }));
  return { progress, cancelled };
}

function setup(
  onOffer: (
    offer: IncomingOffer,
  ) => Promise<{ accept: true; sink: FileSink } | { accept: false; reason?: string }>,
  windowChunks?: number,
) {
  const { wrapped, seen } = watched(p.agent.filesTransport());
  const sender = new FileTransfers(wrapped, { windowChunks });
  const receiver = new FileTransfers(p.host.filesTransport(), { onOffer });
  disposers.push(
    () => sender.dispose(),
    () => receiver.dispose(),
  );
  return { sender, receiver, seen };
}

test('5 MiB over real peers: hash matches, progress is monotonic, the buffer stays under 1 MiB', async () => {
  const data = randomBytes(5 * MiB);
  const memory = memorySink();
  const offers: IncomingOffer[] = [];
  // A window so wide it never binds: the channel's buffer is the only brake here.
  const { sender, receiver, seen } = setup(async (offer) => {
    offers.push(offer);
    return { accept: true, sink: memory.sink };
  }, 10_000);
  const out = ends(sender);
  const inc = ends(receiver);
  const received = next(receiver, 'complete', 60_000);
  const transfer = sender.send({ name: '../../etc/passwd', source: bytesSource(data), mime: 'text/plain' });
  const done = await transfer.done;
  const [landed] = await received;

  const expected = await sha256Hex(data);
  assert.equal(done.sha256, expected);
  assert.equal(landed.sha256, expected);
  assert.equal(landed.name, 'passwd', 'the receiver reports the sanitized name');
  assert.deepEqual(
    { name: offers[0]?.name, safeName: offers[0]?.safeName, size: offers[0]?.size, mime: offers[0]?.mime },
    { name: '../../etc/passwd', safeName: 'passwd', size: data.length, mime: 'text/plain' },
  );
  assert.ok(memory.state.closed);
  assert.deepEqual(memory.bytes(), data);

  for (const list of [out.progress, inc.progress]) {
    for (let i = 1; i < list.length; i++) assert.ok(list[i]!.bytes > list[i - 1]!.bytes, 'monotonic');
    assert.equal(list.at(-1)?.bytes, data.length);
  }
  assert.ok(seen.sends > (5 * MiB) / FILE_CHUNK_BYTES);
  assert.ok(seen.maxBuffered > 256 * 1024, `the buffer was really used (peak ${seen.maxBuffered})`);
  assert.ok(seen.maxBuffered <= MiB, `bufferedAmount peaked at ${seen.maxBuffered}`);
});

test('the sender cancels mid-way: both sides stop and the sink discards', async () => {
  const memory = memorySink();
  const { sender, receiver } = setup(async () => ({ accept: true, sink: memory.sink }));
  const inc = ends(receiver);
  const transfer = sender.send({ name: 'big.bin', source: bytesSource(randomBytes(8 * MiB)) });
  await until(() => inc.progress.some((e) => e.bytes > MiB), 20_000, 'a megabyte received');
  transfer.cancel('changed my mind');
  await assert.rejects(transfer.done, (err: unknown) => {
    assert.ok(err instanceof FileTransferError);
    assert.equal(err.by, 'local');
    return true;
  });
  await until(() => memory.state.aborted !== null, 5000, 'sink aborted');
  assert.equal(memory.state.aborted, 'changed my mind');
  assert.deepEqual(inc.cancelled, [{ by: 'remote', reason: 'changed my mind' }]);
  assert.equal(memory.state.closed, false);
  assert.ok(memory.bytes().length < 8 * MiB);
});

test('the receiver cancels mid-way: the sender stops with a remote error', async () => {
  const memory = memorySink();
  let id = '';
  const { sender, receiver } = setup(async (offer) => {
    id = offer.transferId;
    return { accept: true, sink: memory.sink };
  });
  const inc = ends(receiver);
  const transfer = sender.send({ name: 'big.bin', source: bytesSource(randomBytes(8 * MiB)) });
  await until(() => inc.progress.some((e) => e.bytes > MiB), 20_000, 'a megabyte received');
  receiver.cancel(id, 'disk full');
  await assert.rejects(transfer.done, (err: unknown) => {
    assert.ok(err instanceof FileTransferError);
    assert.equal(err.by, 'remote');
    assert.equal(err.message, 'disk full');
    return true;
  });
  assert.equal(memory.state.aborted, 'disk full');
});

test('a declined offer sends nothing; an empty file completes', async () => {
  const { sender } = setup(async () => ({ accept: false, reason: 'not now' }));
  await assert.rejects(sender.send({ name: 'x', source: bytesSource(randomBytes(100)) }).done, /not now/);
  for (const d of disposers.splice(0)) d();

  const memory = memorySink();
  const second = setup(async () => ({ accept: true, sink: memory.sink }));
  const done = await second.sender.send({ name: 'empty.txt', source: bytesSource(new Uint8Array()) }).done;
  assert.equal(done.sha256, await sha256Hex(new Uint8Array()));
  assert.ok(memory.state.closed);
});

test('a lying sender is caught: wrong hash, chunk out of order, more bytes than offered', async () => {
  // The sender here is the bare channel, writing the messages a broken or hostile peer might.
  const transport = p.agent.filesTransport();
  const cases: { name: string; script: (id: string) => DataChannelMessage[]; reason: RegExp }[] = [
    {
      name: 'hash',
      script: (id) => [
        { type: 'file_chunk', transferId: id, seq: 0, data: bytesToBase64(new Uint8Array([1, 2, 3])) },
        { type: 'file_complete', transferId: id, sha256: '0'.repeat(64) },
      ],
      reason: /checksum/,
    },
    {
      name: 'order',
      script: (id) => [
        { type: 'file_chunk', transferId: id, seq: 1, data: bytesToBase64(new Uint8Array([1])) },
      ],
      reason: /out of order/,
    },
    {
      name: 'size',
      script: (id) => [
        { type: 'file_chunk', transferId: id, seq: 0, data: bytesToBase64(new Uint8Array([1, 2, 3, 4])) },
      ],
      reason: /more bytes/,
    },
  ];
  for (const c of cases) {
    const memory = memorySink();
    const receiver = new FileTransfers(p.host.filesTransport(), {
      onOffer: async () => ({ accept: true, sink: memory.sink }),
    });
    disposers.push(() => receiver.dispose());
    const id = crypto.randomUUID();
    const replies: DataChannelMessage[] = [];
    const off = transport.onMessage((m) => replies.push(m));
    disposers.push(off);
    transport.send({ type: 'file_offer', transferId: id, name: c.name, size: 3 });
    await until(() => replies.some((m) => m.type === 'file_answer'), 5000, 'answer');
    for (const m of c.script(id)) transport.send(m as never);
    await until(() => replies.some((m) => m.type === 'file_cancel'), 5000, `${c.name}: cancel`);
    const cancel = replies.find((m) => m.type === 'file_cancel');
    assert.ok(
      cancel?.type === 'file_cancel' && c.reason.test(cancel.reason),
      `${c.name}: ${JSON.stringify(cancel)}`,
    );
    assert.match(memory.state.aborted ?? '', c.reason);
    assert.equal(memory.state.closed, false);
    for (const d of disposers.splice(0)) d();
  }
});

test('a peer that goes away mid-transfer fails the transfer instead of leaving it hanging', async () => {
  // A pair of its own, since this one gets closed.
  const own = makeRelayedPair({ rateBytesPerSec: 2_000_000 });
  disposers.push(() => own.close());
  await Promise.all([next(own.pair.agent, 'connected'), next(own.pair.host, 'connected')]);
  const memory = memorySink();
  const sender = new FileTransfers(own.pair.agent.filesTransport());
  const receiver = new FileTransfers(own.pair.host.filesTransport(), {
    onOffer: async () => ({ accept: true, sink: memory.sink }),
  });
  const inc = ends(receiver);
  const transfer = sender.send({ name: 'x.bin', source: bytesSource(randomBytes(4 * MiB)) });
  await until(() => inc.progress.length > 2, 10_000, 'some progress');
  own.pair.host.close();
  await assert.rejects(transfer.done, /connection closed|file channel/);
  assert.match(memory.state.aborted ?? '', /connection closed/);
});

test('offers past maxPendingOffers are declined at once; a cancelled offer withdraws its question', async () => {
  // The sender is the bare channel: a flood of offers, as a hostile peer would write them.
  const transport = p.agent.filesTransport();
  const asked: { offer: IncomingOffer; withdrawn: AbortSignal }[] = [];
  const receiver = new FileTransfers(p.host.filesTransport(), {
    maxPendingOffers: 4,
    // The person never answers: every offer asked about stays pending.
    onOffer: (offer, withdrawn) => {
      asked.push({ offer, withdrawn });
      return new Promise(() => {});
    },
  });
  disposers.push(() => receiver.dispose());
  const answers = new Map<string, string | undefined>();
  disposers.push(
    transport.onMessage((m) => {
      if (m.type === 'file_answer') answers.set(m.transferId, m.accepted ? 'accepted' : m.reason);
    }),
  );
  const ids = Array.from({ length: 50 }, () => crypto.randomUUID());
  for (const [i, id] of ids.entries())
    transport.send({ type: 'file_offer', transferId: id, name: `f${i}`, size: 1 });
  await until(() => answers.size === 46, 5000, '46 answers');
  assert.deepEqual(
    asked.map((a) => a.offer.name),
    ['f0', 'f1', 'f2', 'f3'],
  );
  assert.deepEqual(new Set(answers.values()), new Set([FileTransfers.TOO_MANY_PENDING]));
  assert.ok(ids.slice(0, 4).every((id) => !answers.has(id)));

  // The sender cancels one: its question is withdrawn. Disposing withdraws the rest.
  transport.send({ type: 'file_cancel', transferId: ids[1]!, reason: 'never mind' });
  await until(() => asked[1]!.withdrawn.aborted, 5000, 'f1 withdrawn');
  assert.equal(asked[1]!.withdrawn.reason, 'never mind');
  assert.deepEqual(
    asked.map((a) => a.withdrawn.aborted),
    [false, true, false, false],
  );
  receiver.dispose('session ended');
  assert.ok(asked.every((a) => a.withdrawn.aborted));
});
