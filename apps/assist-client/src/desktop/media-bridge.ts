import {
  DataChannelMessageSchema,
  SignalDataSchema,
  type DataChannelMessage,
  type SignalData,
} from '@beckon/protocol';
import { handleValidated, noArgs, type InvokeRegistry } from '@beckon/electron-shell';
import { Emitter } from '@beckon/session';
import { z } from 'zod';
import { API_SPECS, type HostStart } from '../shared/ipc.ts';
import type { HostMedia, HostMediaEvents } from './host-media.ts';
import type { WindowHandle } from './windows-contract.ts';

const session = z.number().int().min(1);
const LabelSchema = z.enum(['control', 'pointer', 'files']);
const PeerReportSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('connected'),
    relayed: z.boolean(),
    verificationCode: z.string().max(16),
  }),
  z.strictObject({ state: z.enum(['disconnected', 'failed', 'closed']) }),
  z.strictObject({ state: z.literal('unverified'), reason: z.string().max(1000) }),
]);
const CaptureReportSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    width: z.number().int().min(0).max(16384),
    height: z.number().int().min(0).max(16384),
    label: z.string().max(256),
  }),
  z.strictObject({ ok: z.literal(false), reason: z.string().max(1000) }),
]);
const senderOf = z.object({ sender: z.object({ id: z.number() }) });

export type MediaBridgeEvents = HostMediaEvents & { ready: [] };

/**
 * Main's end of the host window, where the WebRTC peer and the screen capture
 * run (Chromium's own encoder: the fast path). What the renderer hands over is
 * parsed here again (signals, data-channel messages, reports) before anything
 * in main acts on it, so a confused or compromised renderer can reach no more
 * than the agent could: the same permission checks apply after this point.
 */
export class MediaBridge extends Emitter<MediaBridgeEvents> implements HostMedia {
  /** Chromium captures on a timer: at 60, half the wait for the next frame (bench/glass: p50 29 ms at 60 fps, 36 ms at 30). */
  readonly frameRate = 60;
  private window: WindowHandle | null = null;
  private isReady = false;
  /** Pushes made before the window's script listens, delivered once it says it is ready. */
  private queued: [string, unknown][] = [];

  constructor(registry: InvokeRegistry) {
    super();
    const { invoke } = API_SPECS.host;
    const fromHost = (event: unknown) => {
      const parsed = senderOf.safeParse(event);
      return parsed.success && parsed.data.sender.id === this.window?.senderId;
    };
    handleValidated(registry, invoke.ready, noArgs, fromHost, () => {
      this.isReady = true;
      for (const [channel, payload] of this.queued.splice(0)) this.window?.push(channel, payload);
      this.emit('ready');
    });
    handleValidated(registry, invoke.signal, z.tuple([session, SignalDataSchema]), fromHost, ([s, data]) =>
      this.emit('signal', s, data),
    );
    handleValidated(
      registry,
      invoke.message,
      z.tuple([session, LabelSchema, DataChannelMessageSchema]),
      fromHost,
      ([s, label, message]) => this.emit('message', s, label, message),
    );
    handleValidated(registry, invoke.peer, z.tuple([session, PeerReportSchema]), fromHost, ([s, report]) =>
      this.emit('peer', s, report),
    );
    handleValidated(
      registry,
      invoke.capture,
      z.tuple([session, CaptureReportSchema]),
      fromHost,
      ([s, report]) => this.emit('capture', s, report),
    );
  }

  /** The host window (re)opened; it calls `ready` once its script runs. */
  attach(window: WindowHandle | null): void {
    this.window = window;
    this.isReady = false;
    this.queued = [];
  }

  get ready(): boolean {
    return this.isReady;
  }

  start(start: HostStart): void {
    this.push(API_SPECS.host.events.onStart, start);
  }

  signal(s: number, data: SignalData): void {
    this.push(API_SPECS.host.events.onSignal, { session: s, data });
  }

  send(s: number, message: DataChannelMessage): void {
    this.push(API_SPECS.host.events.onSend, { session: s, message });
  }

  stop(s: number): void {
    this.push(API_SPECS.host.events.onStop, { session: s });
  }

  private push(channel: string, payload: unknown): void {
    if (this.isReady) this.window?.push(channel, payload);
    else this.queued.push([channel, payload]);
  }
}
