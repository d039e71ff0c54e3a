import { Emitter } from './emitter.ts';

/** One entry of an `RTCStatsReport`, as a plain object (what fixtures record). */
export type StatsRecord = { id: string; type: string; timestamp: number } & Record<string, unknown>;

/** A `getStats()` result frozen into plain records, so two can be compared later. */
export interface StatsSnapshot {
  /** Milliseconds (the report's own clock). */
  at: number;
  records: StatsRecord[];
}

/** What the UIs show about the live connection; null where the report says nothing. */
export interface SessionStats {
  at: number;
  /** Which video the media numbers describe: the one we receive (agent) or send (host). */
  direction: 'inbound' | 'outbound' | null;
  fps: number | null;
  bitrateKbps: number | null;
  rttMs: number | null;
  packetLossPct: number | null;
  relayed: boolean | null;
  framesDecoded: number | null;
  framesEncoded: number | null;
  framesDropped: number | null;
  frameWidth: number | null;
  frameHeight: number | null;
  /** Everything over the selected transport, media and data channels together. */
  bytesReceived: number | null;
  bytesSent: number | null;
  availableOutgoingKbps: number | null;
}

export function snapshotOf(report: RTCStatsReport): StatsSnapshot {
  const records: StatsRecord[] = [];
  let at = 0;
  report.forEach((value: unknown) => {
    const record = { ...(value as StatsRecord) };
    records.push(record);
    if (typeof record.timestamp === 'number' && record.timestamp > at) at = record.timestamp;
  });
  return { at, records };
}

const num = (record: StatsRecord | undefined, key: string): number | null => {
  const value = record?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

function byId(snapshot: StatsSnapshot, id: unknown): StatsRecord | undefined {
  return typeof id === 'string' ? snapshot.records.find((r) => r.id === id) : undefined;
}

/**
 * The candidate pair in use: Chromium and libwebrtc name it on the transport,
 * Firefox flags it `selected`; a nominated succeeded pair is the last resort.
 */
export function selectedCandidatePair(snapshot: StatsSnapshot): StatsRecord | undefined {
  for (const transport of snapshot.records.filter((r) => r.type === 'transport')) {
    const pair = byId(snapshot, transport.selectedCandidatePairId);
    if (pair) return pair;
  }
  const pairs = snapshot.records.filter((r) => r.type === 'candidate-pair');
  return (
    pairs.find((p) => p.selected === true) ??
    pairs.find((p) => p.nominated === true && p.state === 'succeeded')
  );
}

/** Whether the selected pair goes through a TURN relay on either end; null before one is selected. */
export function isRelayed(snapshot: StatsSnapshot): boolean | null {
  const pair = selectedCandidatePair(snapshot);
  if (!pair) return null;
  const local = byId(snapshot, pair.localCandidateId);
  const remote = byId(snapshot, pair.remoteCandidateId);
  return local?.candidateType === 'relay' || remote?.candidateType === 'relay';
}

/** The video RTP stream of one direction carrying the most bytes (a paused one may linger). */
function videoStream(snapshot: StatsSnapshot, type: 'inbound-rtp' | 'outbound-rtp'): StatsRecord | undefined {
  const bytesKey = type === 'inbound-rtp' ? 'bytesReceived' : 'bytesSent';
  let best: StatsRecord | undefined;
  for (const r of snapshot.records) {
    if (r.type !== type || (r.kind ?? r.mediaType) !== 'video') continue;
    if (!best || (num(r, bytesKey) ?? 0) > (num(best, bytesKey) ?? 0)) best = r;
  }
  return best;
}

/** `(cur − prev) / seconds` for a counter, or null when either side lacks it or time did not move. */
function rate(
  prev: StatsRecord | undefined,
  cur: StatsRecord | undefined,
  key: string,
  seconds: number,
): number | null {
  const a = num(prev, key);
  const b = num(cur, key);
  if (a === null || b === null || seconds <= 0 || b < a) return null;
  return (b - a) / seconds;
}

const round = (value: number | null, digits = 1): number | null =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Turns two consecutive snapshots into rates. Counters in a report are totals
 * since the start, so fps, bitrate and loss are only meaningful as deltas; the
 * first sample (no `prev`) falls back to what the report itself estimates.
 */
export function computeStats(prev: StatsSnapshot | null, cur: StatsSnapshot): SessionStats {
  const inbound = videoStream(cur, 'inbound-rtp');
  const outbound = videoStream(cur, 'outbound-rtp');
  const direction = inbound ? 'inbound' : outbound ? 'outbound' : null;
  const stream = inbound ?? outbound;
  const prevStream = stream && prev ? prev.records.find((r) => r.id === stream.id) : undefined;
  const seconds =
    stream && prevStream
      ? (stream.timestamp - prevStream.timestamp) / 1000
      : prev
        ? (cur.at - prev.at) / 1000
        : 0;

  let fps: number | null = null;
  let bitrateKbps: number | null = null;
  let packetLossPct: number | null = null;
  if (direction === 'inbound') {
    fps = rate(prevStream, stream, 'framesDecoded', seconds) ?? num(stream, 'framesPerSecond');
    const bps = rate(prevStream, stream, 'bytesReceived', seconds);
    bitrateKbps = bps === null ? null : (bps * 8) / 1000;
    const lost = rate(prevStream, stream, 'packetsLost', 1);
    const received = rate(prevStream, stream, 'packetsReceived', 1);
    if (lost !== null && received !== null) {
      packetLossPct = lost + received > 0 ? (100 * lost) / (lost + received) : 0;
    }
  } else if (direction === 'outbound') {
    fps = rate(prevStream, stream, 'framesEncoded', seconds) ?? num(stream, 'framesPerSecond');
    const bps = rate(prevStream, stream, 'bytesSent', seconds);
    bitrateKbps = bps === null ? null : (bps * 8) / 1000;
    // The sender learns about loss from the receiver's RTCP reports.
    const remote = cur.records.find((r) => r.type === 'remote-inbound-rtp' && r.localId === stream?.id);
    const fraction = num(remote, 'fractionLost');
    packetLossPct = fraction === null ? null : fraction * 100;
  }

  const pair = selectedCandidatePair(cur);
  const pairRtt = num(pair, 'currentRoundTripTime');
  const remoteRtt = num(
    cur.records.find((r) => r.type === 'remote-inbound-rtp'),
    'roundTripTime',
  );
  const rtt = pairRtt ?? remoteRtt;
  const transport = cur.records.find((r) => r.type === 'transport');
  const outgoing = num(pair, 'availableOutgoingBitrate');

  return {
    at: cur.at,
    direction,
    fps: round(fps),
    bitrateKbps: round(bitrateKbps),
    rttMs: rtt === null ? null : round(rtt * 1000),
    packetLossPct: round(packetLossPct, 2),
    relayed: isRelayed(cur),
    framesDecoded: num(inbound, 'framesDecoded'),
    framesEncoded: num(outbound, 'framesEncoded'),
    framesDropped: num(inbound, 'framesDropped'),
    frameWidth: num(stream, 'frameWidth'),
    frameHeight: num(stream, 'frameHeight'),
    bytesReceived: num(transport, 'bytesReceived') ?? num(pair, 'bytesReceived'),
    bytesSent: num(transport, 'bytesSent') ?? num(pair, 'bytesSent'),
    availableOutgoingKbps: outgoing === null ? null : round(outgoing / 1000),
  };
}

export interface StatsSource {
  getStats(): Promise<RTCStatsReport>;
}

export type StatsSamplerEvents = { sample: [SessionStats]; error: [unknown] };

/** Samples a connection every `intervalMs` and emits rates computed from consecutive samples. */
export class StatsSampler extends Emitter<StatsSamplerEvents> {
  private readonly source: StatsSource;
  private readonly intervalMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private previous: StatsSnapshot | null = null;
  private running = false;
  private latestSample: SessionStats | null = null;

  constructor(source: StatsSource, options: { intervalMs?: number } = {}) {
    super();
    this.source = source;
    this.intervalMs = options.intervalMs ?? 1000;
  }

  get latest(): SessionStats | null {
    return this.latestSample;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Takes one sample now (also what the timer does). */
  async sample(): Promise<SessionStats> {
    const snapshot = snapshotOf(await this.source.getStats());
    const stats = computeStats(this.previous, snapshot);
    this.previous = snapshot;
    this.latestSample = stats;
    return stats;
  }

  private async tick(): Promise<void> {
    try {
      const stats = await this.sample();
      if (this.running) this.emit('sample', stats);
    } catch (err) {
      if (this.running) this.emit('error', err);
    }
    // Scheduled after the sample, never overlapping a slow getStats().
    if (this.running) this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }
}
