import type { DataChannelMessage } from '@beckon/protocol';

/** The pieces of a file transfer an app touches: what it plugs in, and what it hears back. */

export type FileMessage = Extract<
  DataChannelMessage,
  { type: 'file_offer' | 'file_answer' | 'file_chunk' | 'file_ack' | 'file_complete' | 'file_cancel' }
>;

/** The `files` channel as seen by a transfer; `Peer.filesTransport()` provides it. */
export interface FileTransport {
  send(message: FileMessage): boolean;
  bufferedAmount(): number;
  waitForBufferedAmount(lowWater: number): Promise<void>;
  onMessage(listener: (message: DataChannelMessage) => void): () => void;
  isOpen(): boolean;
  /** When the connection under the channel ends for good: every transfer on it is cancelled. */
  onClose?(listener: () => void): () => void;
}

/** Where outgoing bytes come from; `bytesSource` and `blobSource` cover the usual cases. */
export interface FileSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Where incoming bytes go: the host app writes a file, the agent UI builds a Blob. */
export interface FileSink {
  write(chunk: Uint8Array): Promise<void>;
  /** All bytes arrived and the hash matched. */
  close(): Promise<void>;
  /** The transfer was cancelled or failed: discard what was written. */
  abort(reason: string): Promise<void>;
}

export interface IncomingOffer {
  transferId: string;
  /** As the sender named it; never use it as a path. */
  name: string;
  /** `sanitizeFileName(name)`: safe as the last component of a path. */
  safeName: string;
  size: number;
  mime: string | undefined;
}

export type OfferDecision = { accept: true; sink: FileSink } | { accept: false; reason?: string };

export interface TransferProgress {
  transferId: string;
  direction: 'send' | 'receive';
  bytes: number;
  total: number;
}

export interface TransferDone {
  transferId: string;
  direction: 'send' | 'receive';
  name: string;
  size: number;
  sha256: string;
}

export interface TransferEnded {
  transferId: string;
  direction: 'send' | 'receive';
  /** `local`: this side cancelled or failed it; `remote`: the other side did. */
  by: 'local' | 'remote';
  reason: string;
}

export type FileTransferEvents = {
  offer: [IncomingOffer];
  progress: [TransferProgress];
  complete: [TransferDone];
  cancelled: [TransferEnded];
};

export class FileTransferError extends Error {
  override readonly name = 'FileTransferError';
  readonly by: 'local' | 'remote';
  constructor(message: string, by: 'local' | 'remote') {
    super(message);
    this.by = by;
  }
}

export interface OutgoingTransfer {
  readonly transferId: string;
  /** Resolves when the receiver confirmed size and hash; rejects with a FileTransferError. */
  readonly done: Promise<TransferDone>;
  cancel(reason?: string): void;
}

export interface FileTransfersOptions {
  /**
   * Decides about an incoming offer; without one every offer is declined.
   * `withdrawn` aborts when the offer goes away before the decision (the
   * sender cancelled it, the session ended): a question about it can go too.
   */
  onOffer?: (offer: IncomingOffer, withdrawn: AbortSignal) => Promise<OfferDecision>;
  /**
   * Offers awaiting a decision at once (default 32); any further one is
   * declined at once with `FileTransfers.TOO_MANY_PENDING`, keeping nothing
   * of it, so a flood of offers costs neither memory nor questions.
   */
  maxPendingOffers?: number;
  /** The channel's `bufferedAmount` never grows past this (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Sending resumes once `bufferedAmount` drained to this (default 256 KiB). */
  lowWaterBytes?: number;
  /**
   * Unacknowledged chunks allowed (default 16, about 1 MiB of base64): bounds
   * the memory a slow receiver's sink can make it hold, and bounds what is in
   * flight even where `bufferedAmount` does not count the SCTP send buffer.
   */
  windowChunks?: number;
}

export function bytesSource(bytes: Uint8Array): FileSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

export function blobSource(blob: Blob): FileSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** A v4 UUID from getRandomValues, which unlike randomUUID works outside secure contexts. */
export function newTransferId(): string {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
