import { isFinal, type LandingStatusEvent, type SessionStatus } from '@beckon/protocol';
import type { ServerResponse } from 'node:http';

/** Open pages per request, and in all: a page is cheap, a million of them are not. */
const MAX_PER_REQUEST = 16;
const MAX_TOTAL = 10_000;
/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 20_000;

/**
 * The landing pages' live status: one server-sent-event stream per open page,
 * fed by the request service's change feed (no polling anywhere). Watching
 * is read-only; only the assist client joining changes a status.
 */
export class StatusStreams {
  private readonly byRequest = new Map<string, Set<ServerResponse>>();
  private total = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.each((res) => res.write(': ping\n\n')), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Whether one more page of this request may listen. */
  hasRoom(requestId: string): boolean {
    return this.total < MAX_TOTAL && (this.byRequest.get(requestId)?.size ?? 0) < MAX_PER_REQUEST;
  }

  /** Starts the stream on `res` with the status now; a final status ends it at once. */
  open(requestId: string, res: ServerResponse, status: SessionStatus): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Reverse proxies (nginx) would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    send(res, status);
    if (isFinal(status)) {
      res.end();
      return;
    }
    let set = this.byRequest.get(requestId);
    if (!set) this.byRequest.set(requestId, (set = new Set()));
    set.add(res);
    this.total++;
    res.on('close', () => this.remove(requestId, res));
  }

  /** A request's status changed: every page watching it hears it; a final status ends their streams. */
  push(requestId: string, status: SessionStatus): void {
    const set = this.byRequest.get(requestId);
    if (!set) return;
    for (const res of [...set]) {
      send(res, status);
      if (isFinal(status)) res.end();
    }
  }

  get size(): number {
    return this.total;
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.each((res) => res.end());
  }

  private each(fn: (res: ServerResponse) => void): void {
    for (const set of this.byRequest.values()) for (const res of [...set]) fn(res);
  }

  private remove(requestId: string, res: ServerResponse): void {
    const set = this.byRequest.get(requestId);
    if (!set?.delete(res)) return;
    this.total--;
    if (set.size === 0) this.byRequest.delete(requestId);
  }
}

function send(res: ServerResponse, status: SessionStatus): void {
  const event: LandingStatusEvent = { status };
  res.write(`event: status\ndata: ${JSON.stringify(event)}\n\n`);
}
