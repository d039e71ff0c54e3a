import { PROTOCOL_VERSION, SIGNAL_SUBPROTOCOL } from '@beckon/protocol';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startBroker } from '@beckon/broker/testing';
import { percentile, rssOf, startServer, type Server } from '../lib/server.ts';
import { fmt, printTable } from '../lib/table.ts';

// bench/signaling: relay latency of offer/answer-sized frames through the
// broker's signaling rooms at 1,000 and 5,000 concurrent rooms (every room
// with an agent and an assist client connected and consented), and resident
// memory per idle connection, beside a bare `ws` relay in the same run.
const SCALES = (process.env.BENCH_ROOMS ?? '1000,5000').split(',').map(Number);
// Enough frames that one event-loop stall cannot decide the p99 alone.
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40_000);
const IN_FLIGHT = 20;
const here = new URL('.', import.meta.url).pathname;
/** A real offer is 2–6 KB; answers are a little smaller. */
const PAD = 'a=candidate:1 1 udp 2122260223 192.168.1.2 50000 typ host generation 0\r\n'.repeat(48);

interface Pair {
  a: WebSocket;
  b: WebSocket;
}

/** Loopback source addresses spread the client sockets so ephemeral ports never run out. */
let sourceN = 0;
const nextSource = () => {
  sourceN++;
  return `127.0.${1 + Math.floor(sourceN / 20000)}.${1 + (sourceN % 250)}`;
};

function open(url: string, protocols: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { localAddress: nextSource(), perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function firstFrame(ws: WebSocket, type: string): Promise<unknown> {
  return new Promise((resolve) => {
    const on = (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as { type: string };
      if (m.type === type) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
  });
}

async function inBatches<T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += width) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => fn(i + k)))));
  }
  return out;
}

/** Relays SAMPLES frames, alternating offers (a→b) and answers (b→a), IN_FLIGHT at a time. */
async function measure(
  pairs: Pair[],
  wrap: (sdp: string, kind: 'offer' | 'answer') => string,
): Promise<number[]> {
  const started = new Map<number, number>();
  const waiting = new Map<number, () => void>();
  const latencies: number[] = [];
  const onFrame = (d: WebSocket.RawData) => {
    const seq = Number(/o=- (\d+) /.exec(d.toString())?.[1]);
    const t0 = started.get(seq);
    if (t0 === undefined) return;
    latencies.push(performance.now() - t0);
    waiting.get(seq)?.();
  };
  for (const p of pairs) {
    p.a.on('message', onFrame);
    p.b.on('message', onFrame);
  }
  let seq = 0;
  const lane = async () => {
    while (seq < SAMPLES) {
      const s = seq++;
      const pair = pairs[(s * 7919) % pairs.length]!;
      const kind = s % 2 === 0 ? 'offer' : 'answer';
      const frame = wrap(`v=0\r\no=- ${s} 2 IN IP4 127.0.0.1\r\n${PAD}`, kind);
      await new Promise<void>((resolve) => {
        waiting.set(s, resolve);
        started.set(s, performance.now());
        (kind === 'offer' ? pair.a : pair.b).send(frame);
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  for (const p of pairs) {
    p.a.off('message', onFrame);
    p.b.off('message', onFrame);
  }
  return latencies.sort((x, y) => x - y);
}

/**
 * Once every room is open and idle: resident memory per connection (against
 * `rssBefore`, taken before the sockets opened), then the relay latencies.
 * The same frames go through both servers, so the broker's answer to a valid
 * `signal` frame is byte for byte what the bare relay forwards.
 */
async function settleAndMeasure(pid: number, rssBefore: number, pairs: Pair[]) {
  await new Promise((r) => setTimeout(r, 3000));
  const rssAfter = await rssOf(pid);
  const latencies = await measure(pairs, (sdp, type) =>
    JSON.stringify({ type: 'signal', data: { type, sdp } }),
  );
  for (const p of pairs) {
    p.a.terminate();
    p.b.terminate();
  }
  return { latencies, bytesPerConn: (rssAfter - rssBefore) / (2 * pairs.length) };
}

async function broker(rooms: number) {
  const b = await startBroker();
  const { token } = b;
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${b.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, string>;
    };
    const requests = await inBatches(rooms, 50, () =>
      post('/api/v1/session-requests', { recipientName: 'Bench' }, token),
    );
    const tickets = await inBatches(rooms, 50, async (i) => {
      const linkToken = requests[i]!.customerLink!.split('/j/')[1];
      return ((await post('/api/v1/join', { token: linkToken })) as unknown as { ticket: string }).ticket;
    });
    await new Promise((r) => setTimeout(r, 2000));
    const rssBefore = await rssOf(b.child.pid!);
    const ws = b.url.replace(/^http/, 'ws');
    const pairs = await inBatches(rooms, 100, async (i): Promise<Pair> => {
      const assist = await open(`${ws}/api/v1/signal?ticket=${tickets[i]}`, [SIGNAL_SUBPROTOCOL]);
      assist.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION }));
      await firstFrame(assist, 'welcome');
      const agent = await open(`${ws}/api/v1/signal?request=${requests[i]!.id}`, [
        SIGNAL_SUBPROTOCOL,
        `bearer.${token}`,
      ]);
      agent.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION }));
      await firstFrame(agent, 'welcome');
      const asked = firstFrame(assist, 'consent_request');
      agent.send(JSON.stringify({ type: 'connect', permissions: ['view'] }));
      const { questionId } = (await asked) as { questionId: string };
      const answered = firstFrame(agent, 'consent_result');
      assist.send(JSON.stringify({ type: 'consent', questionId, granted: true }));
      await answered;
      return { a: agent, b: assist };
    });
    return await settleAndMeasure(b.child.pid!, rssBefore, pairs);
  } finally {
    await b.stop();
  }
}

async function bare(rooms: number) {
  const s: Server = await startServer([join(here, 'bare-relay.ts')], {}, /(ws:\/\/\S+)/);
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const rssBefore = await rssOf(s.child.pid!);
    const pairs = await inBatches(rooms, 100, async (i) => ({
      a: await open(`${s.url}/?room=${i}&side=a`, []),
      b: await open(`${s.url}/?room=${i}&side=b`, []),
    }));
    return await settleAndMeasure(s.child.pid!, rssBefore, pairs);
  } finally {
    s.child.kill();
  }
}

console.log(
  `signaling: ${SAMPLES} frames of ~${PAD.length + 40} bytes, ${IN_FLIGHT} in flight, node ${process.version}`,
);
const rows: string[][] = [];
for (const rooms of SCALES) {
  const ours = await broker(rooms);
  const peer = await bare(rooms);
  const p = (l: number[], q: number) => percentile(l, q);
  rows.push([
    String(rooms),
    fmt(p(ours.latencies, 50), 2),
    fmt(p(ours.latencies, 99), 2),
    fmt(p(peer.latencies, 50), 2),
    fmt(p(peer.latencies, 99), 2),
    `${fmt(p(ours.latencies, 99) / p(peer.latencies, 99), 2)}×`,
    fmt(ours.bytesPerConn / 1024),
    fmt(peer.bytesPerConn / 1024),
    `${fmt(ours.bytesPerConn / peer.bytesPerConn, 2)}×`,
  ]);
}
printTable(
  'Signaling relay vs bare ws relay (same run, loopback); targets: p99 ≤ 2× bare at 5,000 rooms, ≤ 50 KiB per idle connection',
  [
    'rooms',
    'beckon p50 ms',
    'beckon p99 ms',
    'bare p50 ms',
    'bare p99 ms',
    'p99 ratio',
    'beckon KiB/conn',
    'bare KiB/conn',
    'memory ratio',
  ],
  rows,
);
