import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { findCookie } from './xauth.ts';

// A minimal X11 protocol client over the display socket: connection setup,
// requests with or without replies, error and event framing. It exists because
// libnut can neither read the keyboard mapping nor type arbitrary characters,
// and because opening a display that is gone makes libnut crash the whole
// process; talking the wire protocol directly costs no native dependency.

export interface X11Setup {
  /** 0: pixels in images are least significant byte first (BGRA in memory for 24-bit colour). */
  readonly imageByteOrder: number;
  readonly minKeycode: number;
  readonly maxKeycode: number;
  readonly root: number;
  /** Where this client's resource ids (XIDs) come from: base | (n & mask). */
  readonly resourceIdBase: number;
  readonly resourceIdMask: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly vendor: string;
}

export interface X11Error {
  readonly code: number;
  readonly sequence: number;
  readonly majorOpcode: number;
  readonly minorOpcode: number;
  readonly value: number;
}

export class X11ProtocolError extends Error {
  readonly x11: X11Error;
  constructor(error: X11Error) {
    super(
      `X11 error ${error.code} for request ${error.majorOpcode}.${error.minorOpcode} (value ${error.value})`,
    );
    this.x11 = error;
  }
}

interface ParsedName {
  readonly host: string;
  readonly number: number;
}

/** Splits `host:display.screen` (the `DISPLAY` format); undefined when malformed. */
export function parseDisplayName(name: string): ParsedName | undefined {
  const m = /^([^:]*):(\d+)(?:\.\d+)?$/.exec(name);
  if (!m) return undefined;
  return { host: m[1] ?? '', number: Number(m[2]) };
}

function socketFor(name: ParsedName): Socket {
  if (name.host === '' || name.host === 'unix') {
    const path = `/tmp/.X11-unix/X${name.number}`;
    // Linux servers also listen on the abstract namespace, which works when
    // /tmp is not shared (containers, sandboxes).
    return connect(existsSync(path) || process.platform !== 'linux' ? path : `\0${path}`);
  }
  return connect(6000 + name.number, name.host);
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

export const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/**
 * A request: opcode, one data byte (an extension's minor opcode), then the body
 * (a multiple of 4 bytes).
 */
export function x11Request(opcode: number, data: number, ...body: Buffer[]): Buffer {
  const req = Buffer.concat([Buffer.alloc(4), ...body]);
  req[0] = opcode;
  req[1] = data;
  req.writeUInt16LE(req.length / 4, 2);
  return req;
}

/** Where a large reply's data goes: called with the 32-byte header and the data's length. */
export type ReplySink = (header: Buffer, length: number) => Uint8Array;

type Pending = { resolve: (reply: Buffer) => void; reject: (error: Error) => void; sink?: ReplySink };

/** A reply whose data is being copied into its sink as it arrives. */
type Streaming = {
  dest: Uint8Array;
  offset: number;
  remaining: number;
  done: () => void;
  fail: (error: Error) => void;
};

export class X11Connection {
  readonly setup: X11Setup;
  readonly displayName: string;
  /** Over a Unix socket, so the server runs on this machine (MIT-SHM can work). */
  readonly local: boolean;
  private readonly socket: Socket;
  private sequence = 0;
  private idsUsed = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly errors: X11Error[] = [];
  private inbox: Buffer = Buffer.alloc(0);
  private streaming: Streaming | undefined;
  private closedError: Error | undefined;
  /** Each is called with the code of every event the server sends (e.g. 34, MappingNotify). */
  private readonly eventListeners = new Set<(code: number, event: Buffer) => void>();

  private constructor(socket: Socket, setup: X11Setup, displayName: string, local: boolean, rest: Buffer) {
    this.socket = socket;
    this.setup = setup;
    this.displayName = displayName;
    this.local = local;
    this.inbox = rest;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error(`X11 connection to ${displayName} closed`)));
    if (rest.length > 0) this.receive(Buffer.alloc(0));
  }

  /** Connects and authenticates (MIT-MAGIC-COOKIE-1 from XAUTHORITY when one matches). */
  static open(displayName: string, timeoutMs = 3000): Promise<X11Connection> {
    const parsed = parseDisplayName(displayName);
    if (!parsed) return Promise.reject(new Error(`"${displayName}" is not an X display name`));
    const cookie = findCookie(parsed.host, parsed.number);
    return new Promise((resolve, reject) => {
      const socket = socketFor(parsed);
      let received = Buffer.alloc(0);
      const timer = setTimeout(() => done(new Error(`no answer from X display ${displayName}`)), timeoutMs);
      const done = (err: Error | undefined, setup?: X11Setup, rest?: Buffer) => {
        clearTimeout(timer);
        // Detach the handshake's listeners before the connection attaches its own.
        socket.removeAllListeners('data');
        socket.removeAllListeners('error');
        if (err || !setup || !rest) {
          socket.destroy();
          reject(err ?? new Error('X11 handshake failed'));
        } else {
          const local = parsed.host === '' || parsed.host === 'unix';
          resolve(new X11Connection(socket, setup, displayName, local, rest));
        }
      };
      socket.on('error', (err) => done(new Error(`cannot reach X display ${displayName}: ${err.message}`)));
      socket.on('connect', () => {
        const authName = Buffer.from(cookie ? 'MIT-MAGIC-COOKIE-1' : '');
        const authData = cookie ?? Buffer.alloc(0);
        const head = Buffer.alloc(12);
        head.write('l', 0); // little-endian requests and replies
        head.writeUInt16LE(11, 2);
        head.writeUInt16LE(0, 4);
        head.writeUInt16LE(authName.length, 6);
        head.writeUInt16LE(authData.length, 8);
        socket.write(
          Buffer.concat([
            head,
            authName,
            Buffer.alloc(pad4(authName.length)),
            authData,
            Buffer.alloc(pad4(authData.length)),
          ]),
        );
      });
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length < 8) return;
        const total = 8 + received.readUInt16LE(6) * 4;
        if (received.length < total) return;
        if (received[0] !== 1) {
          const reason = received.subarray(8, 8 + (received[1] ?? 0)).toString('latin1');
          done(new Error(`X display ${displayName} refused the connection: ${reason || 'authorization'}`));
          return;
        }
        done(undefined, parseSetup(received), received.subarray(total));
      });
    });
  }

  /** Calls `listener` with every event the server sends; returns the way to stop. */
  onEvent(listener: (code: number, event: Buffer) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** A new resource id (XID) for this client, never handed out twice on this connection. */
  newId(): number {
    const { resourceIdBase: base, resourceIdMask: mask } = this.setup;
    // Ids step by the mask's lowest bit; the server checks they lie inside base | mask.
    const step = mask & -mask;
    const n = ++this.idsUsed * step;
    if (n > mask) throw new Error('X11 resource ids exhausted');
    return (base | n) >>> 0;
  }

  /** Sends a request that has no reply. Errors surface at the next `sync()`. */
  send(request: Buffer): void {
    if (this.closedError) throw this.closedError;
    this.sequence = (this.sequence + 1) & 0xffff;
    this.socket.write(request);
  }

  /** Sends a request and resolves with its reply (32 bytes or more). */
  request(request: Buffer): Promise<Buffer> {
    this.send(request);
    return new Promise((resolve, reject) => this.pending.set(this.sequence, { resolve, reject }));
  }

  /**
   * Sends a request whose reply data (after the 32-byte header) is copied
   * straight into the buffer `sink` returns, as it arrives: a 1920x1080 image
   * is 8 MB, which would otherwise be gathered chunk by chunk and copied again.
   * Resolves with the header.
   */
  requestInto(request: Buffer, sink: ReplySink): Promise<Buffer> {
    this.send(request);
    return new Promise((resolve, reject) => this.pending.set(this.sequence, { resolve, reject, sink }));
  }

  /**
   * Round trip (GetInputFocus): when it resolves, the server has processed
   * every earlier request. Rejects with the first error those requests caused.
   */
  async sync(): Promise<void> {
    const req = Buffer.alloc(4);
    req[0] = 43;
    req.writeUInt16LE(1, 2);
    await this.request(req);
    const error = this.errors.shift();
    this.errors.length = 0;
    if (error) throw new X11ProtocolError(error);
  }

  /** The major opcode of an extension, or undefined when the server lacks it. */
  async extensionOpcode(name: string): Promise<number | undefined> {
    return (await this.extension(name))?.opcode;
  }

  /** An extension's major opcode and first event code, or undefined when the server lacks it. */
  async extension(name: string): Promise<{ opcode: number; firstEvent: number } | undefined> {
    const bytes = Buffer.from(name, 'latin1');
    const req = Buffer.alloc(8 + bytes.length + pad4(bytes.length));
    req[0] = 98;
    req.writeUInt16LE(req.length / 4, 2);
    req.writeUInt16LE(bytes.length, 4);
    bytes.copy(req, 8);
    const reply = await this.request(req);
    return reply[8] === 1 ? { opcode: reply[9]!, firstEvent: reply[10]! } : undefined;
  }

  close(): void {
    this.fail(new Error(`X11 connection to ${this.displayName} closed`));
    this.socket.destroy();
  }

  private fail(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.streaming?.fail(err);
    this.streaming = undefined;
  }

  private receive(chunk: Buffer): void {
    let data = chunk;
    const s = this.streaming;
    if (s) {
      const n = Math.min(data.length, s.remaining);
      s.dest.set(data.subarray(0, n), s.offset);
      s.offset += n;
      s.remaining -= n;
      data = data.subarray(n);
      if (s.remaining === 0) {
        this.streaming = undefined;
        s.done();
      }
      if (data.length === 0) return;
    }
    this.inbox = this.inbox.length === 0 ? data : Buffer.concat([this.inbox, data]);
    let at = 0;
    while (this.inbox.length - at >= 32) {
      const kind = this.inbox[at]! & 0x7f;
      const sink = kind === 1 ? this.pending.get(this.inbox.readUInt16LE(at + 2))?.sink : undefined;
      if (sink) {
        at = this.startStreaming(at, sink);
        if (this.streaming) break;
        continue;
      }
      // Replies (1) and generic events (35) carry extra 4-byte units; the rest are 32 bytes.
      const size = kind === 1 || kind === 35 ? 32 + this.inbox.readUInt32LE(at + 4) * 4 : 32;
      if (this.inbox.length - at < size) break;
      const message = this.inbox.subarray(at, at + size);
      at += size;
      const sequence = message.readUInt16LE(2);
      if (kind === 1) {
        const p = this.pending.get(sequence);
        this.pending.delete(sequence);
        p?.resolve(Buffer.from(message));
      } else if (kind === 0) {
        const error: X11Error = {
          code: message[1]!,
          sequence,
          value: message.readUInt32LE(4),
          minorOpcode: message.readUInt16LE(8),
          majorOpcode: message[10]!,
        };
        const p = this.pending.get(sequence);
        this.pending.delete(sequence);
        if (p) p.reject(new X11ProtocolError(error));
        else this.errors.push(error);
      } else {
        for (const listener of this.eventListeners) listener(kind, message);
      }
    }
    this.inbox = at === this.inbox.length ? Buffer.alloc(0) : this.inbox.subarray(at);
  }

  /** Hands a sink reply's data to its sink; returns where the inbox continues. */
  private startStreaming(at: number, sink: ReplySink): number {
    const header = Buffer.from(this.inbox.subarray(at, at + 32));
    const sequence = header.readUInt16LE(2);
    const p = this.pending.get(sequence)!;
    this.pending.delete(sequence);
    const length = header.readUInt32LE(4) * 4;
    let dest: Uint8Array;
    try {
      dest = sink(header, length);
      if (dest.length < length) throw new Error(`reply of ${length} bytes does not fit ${dest.length}`);
    } catch (err) {
      // Drain the reply into a scratch buffer so the stream stays in step.
      dest = new Uint8Array(length);
      const failed = err as Error;
      p.resolve = () => p.reject(failed);
    }
    const available = Math.min(length, this.inbox.length - at - 32);
    dest.set(this.inbox.subarray(at + 32, at + 32 + available), 0);
    const done = () => p.resolve(header);
    if (available === length) done();
    else this.streaming = { dest, offset: available, remaining: length - available, done, fail: p.reject };
    return at + 32 + available;
  }
}

function parseSetup(b: Buffer): X11Setup {
  const vendorLength = b.readUInt16LE(24);
  const formats = b[29]!;
  const screen = 40 + vendorLength + pad4(vendorLength) + formats * 8;
  return {
    imageByteOrder: b[30]!,
    minKeycode: b[34]!,
    maxKeycode: b[35]!,
    vendor: b.subarray(40, 40 + vendorLength).toString('latin1'),
    root: b.readUInt32LE(screen),
    resourceIdBase: b.readUInt32LE(12),
    resourceIdMask: b.readUInt32LE(16),
    widthPx: b.readUInt16LE(screen + 20),
    heightPx: b.readUInt16LE(screen + 22),
  };
}
