import { connect, type Socket } from 'node:net';

/**
 * A minimal RFB 3.8 client (the VNC protocol), enough to watch one pixel:
 * security type None, 32-bit true colour, Raw encoding, and an incremental
 * update request after every update, as noVNC does. The bench's no-browser
 * floor beside the real noVNC: what x11vnc's pixels cost before any browser
 * decodes or shows them; it decodes nothing it does not have to.
 */
export class RfbWatcher {
  private readonly socket: Socket;
  private buffer = Buffer.alloc(0);
  private stage: 'version' | 'security' | 'result' | 'init' | 'normal' = 'version';
  private width = 0;
  private height = 0;
  private readonly watch: { x: number; y: number };
  private readonly onPixel: (rgb: [number, number, number], at: number) => void;
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private rejectReady!: (err: Error) => void;

  constructor(
    host: string,
    port: number,
    watch: { x: number; y: number },
    onPixel: (rgb: [number, number, number], at: number) => void,
  ) {
    this.watch = watch;
    this.onPixel = onPixel;
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.socket = connect(port, host);
    this.socket.setNoDelay(true);
    this.socket.on('data', (d) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      try {
        while (this.step());
      } catch (err) {
        this.rejectReady(err as Error);
        this.socket.destroy();
      }
    });
    this.socket.on('error', (err) => this.rejectReady(err));
  }

  close(): void {
    this.socket.destroy();
  }

  private take(n: number): Buffer | null {
    if (this.buffer.length < n) return null;
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  private request(incremental: boolean): void {
    const m = Buffer.alloc(10);
    m.writeUInt8(3, 0);
    m.writeUInt8(incremental ? 1 : 0, 1);
    m.writeUInt16BE(this.width, 6);
    m.writeUInt16BE(this.height, 8);
    this.socket.write(m);
  }

  /** Parses one protocol step; false when it needs more bytes. */
  private step(): boolean {
    switch (this.stage) {
      case 'version': {
        const v = this.take(12);
        if (!v) return false;
        if (!v.toString('latin1').startsWith('RFB 003.'))
          throw new Error(`not an RFB server: ${v.toString('latin1')}`);
        this.socket.write('RFB 003.008\n');
        this.stage = 'security';
        return true;
      }
      case 'security': {
        const count = this.buffer[0];
        if (count === undefined || this.buffer.length < 1 + count) return false;
        const types = this.take(1 + count)!.subarray(1);
        if (!types.includes(1)) throw new Error(`the server offers no "None" security (${[...types]})`);
        this.socket.write(Buffer.from([1]));
        this.stage = 'result';
        return true;
      }
      case 'result': {
        const r = this.take(4);
        if (!r) return false;
        if (r.readUInt32BE(0) !== 0) throw new Error('security handshake failed');
        this.socket.write(Buffer.from([1])); // ClientInit: shared
        this.stage = 'init';
        return true;
      }
      case 'init': {
        if (this.buffer.length < 24) return false;
        const nameLength = this.buffer.readUInt32BE(20);
        const init = this.take(24 + nameLength);
        if (!init) return false;
        this.width = init.readUInt16BE(0);
        this.height = init.readUInt16BE(2);
        // SetPixelFormat: 32 bpp, depth 24, little endian, true colour, 8 bits a channel, RGB at 16/8/0.
        const pf = Buffer.alloc(20);
        pf.writeUInt8(0, 0);
        Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]).copy(pf, 4);
        // SetEncodings: Raw only.
        const enc = Buffer.alloc(8);
        enc.writeUInt8(2, 0);
        enc.writeUInt16BE(1, 2);
        enc.writeInt32BE(0, 4);
        this.socket.write(Buffer.concat([pf, enc]));
        this.request(false);
        this.stage = 'normal';
        this.resolveReady();
        return true;
      }
      case 'normal':
        return this.message();
    }
  }

  private message(): boolean {
    const type = this.buffer[0];
    if (type === undefined) return false;
    if (type === 0) return this.update();
    if (type === 2) return this.take(1) !== null; // bell
    if (type === 3) {
      if (this.buffer.length < 8) return false;
      return this.take(8 + this.buffer.readUInt32BE(4)) !== null; // server cut text
    }
    if (type === 1) {
      if (this.buffer.length < 6) return false;
      return this.take(6 + this.buffer.readUInt16BE(4) * 6) !== null; // colour map
    }
    throw new Error(`unexpected server message ${type}`);
  }

  /** A whole FramebufferUpdate, parsed only once all of it has arrived. */
  private update(): boolean {
    if (this.buffer.length < 4) return false;
    const rects = this.buffer.readUInt16BE(2);
    let offset = 4;
    const found: [number, number, number][] = [];
    for (let i = 0; i < rects; i++) {
      if (this.buffer.length < offset + 12) return false;
      const x = this.buffer.readUInt16BE(offset);
      const y = this.buffer.readUInt16BE(offset + 2);
      const w = this.buffer.readUInt16BE(offset + 4);
      const h = this.buffer.readUInt16BE(offset + 6);
      const encoding = this.buffer.readInt32BE(offset + 8);
      offset += 12;
      if (encoding !== 0) throw new Error(`unexpected encoding ${encoding}`);
      const bytes = w * h * 4;
      if (this.buffer.length < offset + bytes) return false;
      const { x: px, y: py } = this.watch;
      if (px >= x && px < x + w && py >= y && py < y + h) {
        const at = offset + ((py - y) * w + (px - x)) * 4;
        // Little-endian 0x00RRGGBB: bytes B, G, R.
        found.push([this.buffer[at + 2]!, this.buffer[at + 1]!, this.buffer[at]!]);
      }
      offset += bytes;
    }
    const now = Date.now();
    this.take(offset);
    this.request(true);
    for (const rgb of found) this.onPixel(rgb, now);
    return true;
  }
}
