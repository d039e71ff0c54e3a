import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import wrtc from '@roamhq/wrtc';
import { FILE_CHUNK_BYTES, type SignalData } from '@beckon/protocol';
import {
  FileTransfers,
  Peer,
  bytesSource,
  type FileTransport,
  type RtcImplementation,
} from '@beckon/session';
import { TerminalUi } from '../headless/terminal-ui.ts';
import { fileInbox } from './file-inbox.ts';

// An agent floods the host with file offers while the person reads the first
// question: real wrtc peers, the real `files` channel, the host's real
// FileTransfers + fileInbox writing to a real folder, and the terminal face
// read and answered through its streams as a person at a terminal would.

process.once('beforeExit', () => process.exit());
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FLOOD = 20_000;
/** Flood offers that also push a chunk of data: none of it may be kept. */
const WITH_DATA = 300;
const MiB = 1024 * 1024;

let agent: Peer;
let host: Peer;
const dir = mkdtempSync(join(tmpdir(), 'beckon-flood-'));

before(async () => {
  const rtc = wrtc as unknown as RtcImplementation;
  // Back to back, in order, asynchronously: what the broker's relay does for signals.
  const relay = (to: () => Peer) => (data: SignalData) => void setTimeout(() => to().signal(data), 1);
  host = new Peer({ initiator: false, wrtc: rtc, onSignal: relay(() => agent), iceRestart: false });
  agent = new Peer({ initiator: true, wrtc: rtc, onSignal: relay(() => host), iceRestart: false });
  await Promise.all([agent, host].map((p) => new Promise((r) => p.once('connected', r))));
});
after(() => {
  agent.close();
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function heap(): number {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** What a hostile agent does: offers written straight onto the channel, paced only by its buffer. */
async function flood(raw: FileTransport): Promise<string[]> {
  const ids: string[] = [];
  const chunk = Buffer.from(randomBytes(FILE_CHUNK_BYTES)).toString('base64');
  for (let i = 0; i < FLOOD; i++) {
    const transferId = randomUUID();
    ids.push(transferId);
    raw.send({ type: 'file_offer', transferId, name: `flood-${i}.bin`, size: FILE_CHUNK_BYTES });
    if (i < WITH_DATA) raw.send({ type: 'file_chunk', transferId, seq: 0, data: chunk });
    if (i % 200 === 0) await raw.waitForBufferedAmount(256 * 1024);
  }
  return ids;
}

test('20,000 offers: one question on screen, a bounded queue, flat memory, "yes" saves the file it names', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString()));
  const ui = new TerminalUi(input, output);
  const saved: string[] = [];
  const receiver = new FileTransfers(host.filesTransport(), {
    onOffer: fileInbox(
      dir,
      (offer, withdrawn) => ui.confirmFile(offer, withdrawn),
      (p) => saved.push(p),
    ),
  });

  // The file the person will read about, sent by a well-behaved sender.
  const wanted = new Uint8Array(randomBytes(200_000));
  const sender = new FileTransfers(agent.filesTransport());
  const transfer = sender.send({ name: 'wanted.pdf', source: bytesSource(wanted) });
  const question = /"wanted\.pdf" \(200000 bytes\)\. Accept\?/;
  await until(() => question.test(printed), 'the question about wanted.pdf');
  const baseline = heap();

  // While it is on screen, the flood.
  const raw = agent.filesTransport();
  const refusals = new Map<string, string | undefined>();
  const off = raw.onMessage((m) => {
    if (m.type === 'file_answer' && !m.accepted) refusals.set(m.transferId, m.reason);
  });
  const ids = await flood(raw);
  // The person can hold at most 16: the wanted file and 15 of the flood; every other offer is refused.
  await until(() => refusals.size >= FLOOD - 15, `${FLOOD - 15} refusals (got ${refusals.size})`);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(refusals.size, FLOOD - 15);
  assert.deepEqual(new Set(refusals.values()), new Set(['too many pending files']));
  assert.ok(
    ids.slice(0, 15).every((id) => !refusals.has(id)),
    'the first 15 flood offers wait their turn',
  );

  // One question on screen, the one the person is reading; the rest bounded.
  assert.equal(printed.match(/Accept\?/g)?.length, 1, printed.slice(-2000));
  assert.equal(ui.fileQuestions.shown()?.name, 'wanted.pdf');
  assert.equal(ui.fileQuestions.pending, 16);
  assert.equal(printed.match(/Declined a file from the agent/g)?.length, 1, 'one line for the refusals');
  const growth = heap() - baseline;
  assert.ok(growth < 16 * MiB, `heap grew by ${(growth / MiB).toFixed(1)} MiB`);

  // "yes" saves exactly the file the question names, with its bytes.
  input.write('yes\n');
  const done = await transfer.done;
  assert.equal(done.size, wanted.length);
  await until(() => saved.length === 1, 'wanted.pdf saved');
  assert.deepEqual(saved, [join(dir, 'wanted.pdf')]);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'wanted.pdf'))), wanted);
  // The next question is the oldest waiting one, not the newest.
  await until(() => printed.match(/Accept\?/g)?.length === 2, 'the next question');
  assert.equal(ui.fileQuestions.shown()?.name, 'flood-0.bin');
  assert.deepEqual(
    readdirSync(dir).filter((n) => !n.startsWith('.')),
    ['wanted.pdf'],
    'no flood file was written',
  );

  off();
  ui.close();
  receiver.dispose();
  sender.dispose();
  assert.equal(ui.fileQuestions.pending, 0);
});
