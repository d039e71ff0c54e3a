import { FILE_CHUNK_BYTES, type DataChannelMessage } from '@beckon/protocol';
import { base64ToBytes, bytesToBase64 } from './base64.ts';
import { Emitter } from './emitter.ts';
import { sanitizeFileName } from './file-names.ts';
import { Sha256 } from './sha256.ts';
import {
  FileTransferError,
  newTransferId,
  type FileMessage,
  type FileSink,
  type FileSource,
  type FileTransferEvents,
  type FileTransfersOptions,
  type FileTransport,
  type IncomingOffer,
  type OfferDecision,
  type OutgoingTransfer,
  type TransferDone,
} from './file-transfer-types.ts';

/**
 * File transfer over the `files` channel:
 *
 *   sender                         receiver
 *   file_offer  ─────────────────▶ (asks its app: a sink, or no)
 *               ◀───────────────── file_answer accepted
 *   file_chunk seq 0…n-1 ────────▶ written in order, hashed
 *               ◀───────────────── file_ack seq k   (every ACK_EVERY chunks: flow control)
 *   file_complete sha256 ────────▶ size and hash checked, sink closed
 *               ◀───────────────── file_ack seq n   (n = chunk count: "landed and verified")
 *
 * Either side may send file_cancel at any point. Two limits keep memory flat:
 * the channel's `bufferedAmount` stays under `maxBufferedBytes` (the sender
 * waits for `bufferedamountlow`), and at most `windowChunks` chunks are
 * unacknowledged, so a receiver with a slow disk holds back the sender rather
 * than a queue growing in the receiver's memory. On the receiving side at
 * most `maxPendingOffers` offers wait for a decision; more are declined at
 * once ("too many pending files"), and chunks of an offer nobody accepted
 * are dropped, so offers alone cannot grow the receiver's memory either.
 */

/** The receiver acknowledges every this many chunks; senders keep a window of several of these. */
const ACK_EVERY = 4;

interface Sending {
  id: string;
  answer: ((accepted: boolean, reason?: string) => void) | null;
  acked: number;
  /** The chunk count, once file_complete is out: the ack that carries it ends the transfer. */
  finalAck: number | null;
  ackWaiter: (() => void) | null;
  finished: ((err: FileTransferError | null) => void) | null;
  cancelled: FileTransferError | null;
}

interface Receiving {
  offer: IncomingOffer;
  /** Aborted when the offer ends before it was decided: the app withdraws its question. */
  withdraw: AbortController;
  sink: FileSink | null;
  nextSeq: number;
  bytes: number;
  hash: Sha256;
  writes: Promise<void>;
  over: boolean;
}

export class FileTransfers extends Emitter<FileTransferEvents> {
  /** The reason an offer past the bound is declined with; apps that queue questions use it too. */
  static readonly TOO_MANY_PENDING = 'too many pending files';
  private readonly transport: FileTransport;
  private readonly onOffer: (offer: IncomingOffer, withdrawn: AbortSignal) => Promise<OfferDecision>;
  private readonly maxPendingOffers: number;
  /** Offers handed to `onOffer` and not decided yet. */
  private undecided = 0;
  private readonly maxBuffered: number;
  private readonly lowWater: number;
  private readonly windowChunks: number;
  private readonly sending = new Map<string, Sending>();
  private readonly receiving = new Map<string, Receiving>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeClose: () => void;

  constructor(transport: FileTransport, options: FileTransfersOptions = {}) {
    super();
    this.transport = transport;
    this.onOffer = options.onOffer ?? (async () => ({ accept: false, reason: 'not accepting files' }));
    this.maxPendingOffers = Math.max(1, options.maxPendingOffers ?? 32);
    this.maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    this.lowWater = options.lowWaterBytes ?? 256 * 1024;
    this.windowChunks = Math.max(2 * ACK_EVERY, options.windowChunks ?? 16);
    this.unsubscribe = transport.onMessage((message) => this.onMessage(message));
    // Without this a sender would wait forever for the ack of a peer that is gone.
    this.unsubscribeClose = transport.onClose?.(() => this.dispose('connection closed')) ?? (() => {});
  }

  /** Offers a file; the bytes only flow once the receiver accepted. */
  send(file: { name: string; source: FileSource; mime?: string }): OutgoingTransfer {
    const id = newTransferId();
    const state: Sending = {
      id,
      answer: null,
      acked: -1,
      finalAck: null,
      ackWaiter: null,
      finished: null,
      cancelled: null,
    };
    this.sending.set(id, state);
    const done = this.runSend(state, file).finally(() => this.sending.delete(id));
    // Apps may follow a transfer by its events alone: an unawaited rejection must not crash them.
    done.catch(() => {});
    return { transferId: id, done, cancel: (reason = 'cancelled') => this.cancel(id, reason) };
  }

  /** Cancels a transfer in either direction and tells the other side. */
  cancel(transferId: string, reason = 'cancelled'): void {
    const out = this.sending.get(transferId);
    if (out && !out.cancelled) {
      this.transport.send({ type: 'file_cancel', transferId, reason });
      this.abortSend(out, new FileTransferError(reason, 'local'));
    }
    const inc = this.receiving.get(transferId);
    if (inc && !inc.over) {
      this.transport.send({ type: 'file_cancel', transferId, reason });
      void this.abortReceive(inc, reason, 'local');
    }
  }

  /** Stops listening and cancels what is under way (call it when the peer closes). */
  dispose(reason = 'session ended'): void {
    this.unsubscribe();
    this.unsubscribeClose();
    for (const out of this.sending.values()) this.abortSend(out, new FileTransferError(reason, 'local'));
    for (const inc of this.receiving.values()) void this.abortReceive(inc, reason, 'local');
  }

  private async runSend(state: Sending, file: { name: string; source: FileSource; mime?: string }) {
    const { id } = state;
    const { source } = file;
    const finished = new Promise<FileTransferError | null>((resolve) => (state.finished = resolve));
    const answered = new Promise<{ accepted: boolean; reason?: string }>((resolve) => {
      state.answer = (accepted, reason) => resolve({ accepted, reason });
    });
    const offer: FileMessage = { type: 'file_offer', transferId: id, name: file.name, size: source.size };
    if (file.mime) offer.mime = file.mime;
    if (!this.transport.send(offer)) throw new FileTransferError('file channel is not open', 'local');

    const answer = await Promise.race([
      answered,
      finished.then((err) => ({ accepted: false, reason: err?.message, err })),
    ]);
    if ('err' in answer && answer.err) throw answer.err;
    if (!answer.accepted) {
      this.abortSend(state, new FileTransferError(answer.reason ?? 'declined', 'remote'));
      throw state.cancelled;
    }

    const hash = new Sha256();
    let seq = 0;
    for (let offset = 0; offset < source.size; offset += FILE_CHUNK_BYTES, seq++) {
      // Both limits before each chunk: the channel's buffer and the receiver's window.
      while (!state.cancelled && seq - state.acked > this.windowChunks) {
        await new Promise<void>((resolve) => (state.ackWaiter = resolve));
      }
      if (!state.cancelled && this.transport.bufferedAmount() + FILE_CHUNK_BYTES * 2 > this.maxBuffered) {
        await this.transport.waitForBufferedAmount(this.lowWater);
      }
      if (state.cancelled) throw state.cancelled;
      const chunk = await source.read(offset, Math.min(FILE_CHUNK_BYTES, source.size - offset));
      if (state.cancelled) throw state.cancelled;
      hash.update(chunk);
      const sent = this.transport.send({
        type: 'file_chunk',
        transferId: id,
        seq,
        data: bytesToBase64(chunk),
      });
      if (!sent) {
        this.abortSend(state, new FileTransferError('file channel closed', 'local'));
        throw state.cancelled;
      }
      this.emit('progress', {
        transferId: id,
        direction: 'send',
        bytes: offset + chunk.length,
        total: source.size,
      });
    }
    const sha256 = hash.hex();
    state.finalAck = seq;
    this.transport.send({ type: 'file_complete', transferId: id, sha256 });
    const err = await finished;
    if (err) throw err;
    const done: TransferDone = {
      transferId: id,
      direction: 'send',
      name: file.name,
      size: source.size,
      sha256,
    };
    this.emit('complete', done);
    return done;
  }

  private abortSend(state: Sending, err: FileTransferError): void {
    if (state.cancelled) return;
    state.cancelled = err;
    state.ackWaiter?.();
    state.answer?.(false, err.message);
    state.finished?.(err);
    this.emit('cancelled', { transferId: state.id, direction: 'send', by: err.by, reason: err.message });
  }

  private onMessage(message: DataChannelMessage): void {
    switch (message.type) {
      case 'file_offer':
        void this.onIncomingOffer(message);
        return;
      case 'file_answer':
        this.sending.get(message.transferId)?.answer?.(message.accepted, message.reason);
        return;
      case 'file_ack': {
        const out = this.sending.get(message.transferId);
        if (!out) return;
        out.acked = Math.max(out.acked, message.seq);
        const waiter = out.ackWaiter;
        out.ackWaiter = null;
        waiter?.();
        if (message.seq === out.finalAck) out.finished?.(null);
        return;
      }
      case 'file_chunk':
        this.onChunk(message.transferId, message.seq, message.data);
        return;
      case 'file_complete':
        this.onComplete(message.transferId, message.sha256);
        return;
      case 'file_cancel': {
        const out = this.sending.get(message.transferId);
        if (out) this.abortSend(out, new FileTransferError(message.reason, 'remote'));
        const inc = this.receiving.get(message.transferId);
        if (inc) void this.abortReceive(inc, message.reason, 'remote');
        return;
      }
      default:
        return;
    }
  }

  private async onIncomingOffer(message: Extract<FileMessage, { type: 'file_offer' }>): Promise<void> {
    const id = message.transferId;
    if (this.receiving.has(id) || this.sending.has(id)) return;
    if (this.undecided >= this.maxPendingOffers) {
      // Declined before any state exists: a flood of offers leaves nothing behind but these answers.
      this.transport.send({
        type: 'file_answer',
        transferId: id,
        accepted: false,
        reason: FileTransfers.TOO_MANY_PENDING,
      });
      return;
    }
    const offer: IncomingOffer = {
      transferId: id,
      name: message.name,
      safeName: sanitizeFileName(message.name),
      size: message.size,
      mime: message.mime,
    };
    const state: Receiving = {
      offer,
      withdraw: new AbortController(),
      sink: null,
      nextSeq: 0,
      bytes: 0,
      hash: new Sha256(),
      writes: Promise.resolve(),
      over: false,
    };
    this.receiving.set(id, state);
    this.emit('offer', offer);
    let decision: OfferDecision;
    this.undecided += 1;
    try {
      decision = await this.onOffer(offer, state.withdraw.signal);
    } catch (err) {
      decision = { accept: false, reason: err instanceof Error ? err.message.slice(0, 200) : 'refused' };
    } finally {
      this.undecided -= 1;
    }
    if (state.over) {
      // The sender cancelled while the person was deciding.
      if (decision.accept) await decision.sink.abort('cancelled by sender');
      return;
    }
    if (!decision.accept) {
      this.receiving.delete(id);
      const answer: FileMessage = { type: 'file_answer', transferId: id, accepted: false };
      if (decision.reason) answer.reason = decision.reason.slice(0, 200);
      this.transport.send(answer);
      return;
    }
    state.sink = decision.sink;
    this.transport.send({ type: 'file_answer', transferId: id, accepted: true });
  }

  private onChunk(id: string, seq: number, data: string): void {
    const state = this.receiving.get(id);
    if (!state || state.over || !state.sink) return;
    if (seq !== state.nextSeq) return this.failReceive(state, `chunk ${seq} out of order`);
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(data);
    } catch {
      return this.failReceive(state, 'chunk is not base64');
    }
    if (bytes.length > FILE_CHUNK_BYTES || state.bytes + bytes.length > state.offer.size) {
      return this.failReceive(state, 'more bytes than offered');
    }
    state.nextSeq += 1;
    state.bytes += bytes.length;
    state.hash.update(bytes);
    const sink = state.sink;
    const progress = state.bytes;
    state.writes = state.writes.then(async () => {
      if (state.over) return;
      await sink.write(bytes);
      if (state.over) return;
      this.emit('progress', {
        transferId: id,
        direction: 'receive',
        bytes: progress,
        total: state.offer.size,
      });
      if ((seq + 1) % ACK_EVERY === 0) this.transport.send({ type: 'file_ack', transferId: id, seq });
    });
    state.writes.catch((err: unknown) =>
      this.failReceive(state, `write failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private onComplete(id: string, sha256: string): void {
    const state = this.receiving.get(id);
    if (!state || state.over || !state.sink) return;
    const chunks = state.nextSeq;
    const sink = state.sink;
    void state.writes.then(async () => {
      if (state.over) return;
      if (state.bytes !== state.offer.size) return this.failReceive(state, 'size mismatch');
      const actual = state.hash.hex();
      if (actual !== sha256) return this.failReceive(state, 'checksum mismatch');
      state.over = true;
      this.receiving.delete(id);
      try {
        await sink.close();
      } catch (err) {
        this.transport.send({ type: 'file_cancel', transferId: id, reason: 'could not save the file' });
        this.emit('cancelled', {
          transferId: id,
          direction: 'receive',
          by: 'local',
          reason: err instanceof Error ? err.message : 'could not save the file',
        });
        return;
      }
      this.transport.send({ type: 'file_ack', transferId: id, seq: chunks });
      this.emit('complete', {
        transferId: id,
        direction: 'receive',
        name: state.offer.safeName,
        size: state.bytes,
        sha256: actual,
      });
    });
  }

  private failReceive(state: Receiving, reason: string): void {
    if (state.over) return;
    this.transport.send({ type: 'file_cancel', transferId: state.offer.transferId, reason });
    void this.abortReceive(state, reason, 'local');
  }

  private async abortReceive(state: Receiving, reason: string, by: 'local' | 'remote'): Promise<void> {
    if (state.over) return;
    state.over = true;
    this.receiving.delete(state.offer.transferId);
    state.withdraw.abort(reason);
    this.emit('cancelled', { transferId: state.offer.transferId, direction: 'receive', by, reason });
    try {
      await state.sink?.abort(reason);
    } catch {
      // Nothing more to do: the transfer is already reported as cancelled.
    }
  }
}
