import type { DataChannelMessage } from '@beckon/protocol';
import type { FileMessage, FileTransport } from '@beckon/session';

/**
 * The `files` channel as main sees it when the peer lives in the host
 * window: incoming file messages are handed in by the bridge, outgoing ones
 * (answers and acks; the host never sends files) go back out through it.
 * The same `FileTransfers` and `fileInbox` the headless engine uses run on top.
 */
export class BridgedFileTransport implements FileTransport {
  private readonly out: (message: FileMessage) => void;
  private readonly listeners = new Set<(message: DataChannelMessage) => void>();
  private readonly closeListeners = new Set<() => void>();
  private open = true;

  constructor(out: (message: FileMessage) => void) {
    this.out = out;
  }

  send(message: FileMessage): boolean {
    if (!this.open) return false;
    this.out(message);
    return true;
  }

  // Only small answers and acks leave this side; the renderer's channel buffers them.
  bufferedAmount(): number {
    return 0;
  }

  async waitForBufferedAmount(): Promise<void> {}

  onMessage(listener: (message: DataChannelMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isOpen(): boolean {
    return this.open;
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** A file message the peer received. */
  deliver(message: DataChannelMessage): void {
    if (this.open) for (const listener of [...this.listeners]) listener(message);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const listener of [...this.closeListeners]) listener();
  }
}
