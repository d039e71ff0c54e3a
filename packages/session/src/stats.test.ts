import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, test } from 'node:test';
import { StatsSampler, computeStats, isRelayed, type SessionStats, type StatsSnapshot } from './stats.ts';
import { makePair, next, solidColourSource, until } from './testing/pair.ts';

// Recorded from a real wrtc connection by src/testing/record-stats-fixtures.ts.
const load = (name: string): StatsSnapshot[] =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as StatsSnapshot[];
const [agent0, agent1] = load('stats-wrtc-agent.json') as [StatsSnapshot, StatsSnapshot];
const [host0, host1] = load('stats-wrtc-host.json') as [StatsSnapshot, StatsSnapshot];

const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

/** A deep copy with one record changed. */
function edit(s: StatsSnapshot, type: string, change: Record<string, unknown>): StatsSnapshot {
  return { at: s.at, records: s.records.map((r) => (r.type === type ? { ...r, ...change } : { ...r })) };
}

test('the receiving side: fps and bitrate from deltas, rtt from the selected pair', () => {
  const s = computeStats(agent0, agent1);
  assert.equal(s.direction, 'inbound');
  // 45 → 76 frames decoded over 1.0026 s; 2326 → 3730 bytes.
  assert.equal(s.fps, 30.9);
  assert.equal(s.bitrateKbps, 11.2);
  assert.equal(s.packetLossPct, 0);
  assert.equal(s.relayed, false);
  assert.equal(s.framesDecoded, 76);
  assert.equal(s.frameWidth, 320);
  assert.equal(s.frameHeight, 240);
  assert.equal(typeof s.rttMs, 'number');
  assert.equal(s.bytesReceived, 7731);
});

test('the sending side: fps from frames encoded, loss from the receiver report', () => {
  const s = computeStats(host0, host1);
  assert.equal(s.direction, 'outbound');
  assert.equal(s.fps, 29.9);
  assert.equal(s.bitrateKbps, 11.2);
  assert.equal(s.packetLossPct, 0);
  assert.equal(s.framesEncoded, 76);
  assert.equal(s.framesDecoded, null);
  const lossy = edit(host1, 'remote-inbound-rtp', { fractionLost: 0.0625 });
  assert.equal(computeStats(host0, lossy).packetLossPct, 6.25);
});

test('the first sample uses the report estimates; packet loss and relays are read right', () => {
  const first = computeStats(null, agent1);
  assert.equal(first.fps, 31, "the report's own framesPerSecond");
  assert.equal(first.bitrateKbps, null, 'no rate without a previous sample');

  // 30 packets lost of 60 between samples.
  const lossy = edit(agent1, 'inbound-rtp', { packetsLost: 30, packetsReceived: 76 });
  const lossy0 = edit(agent0, 'inbound-rtp', { packetsLost: 0, packetsReceived: 46 });
  assert.equal(computeStats(lossy0, lossy).packetLossPct, 50);

  assert.equal(isRelayed(agent1), false);
  const relayed = edit(agent1, 'local-candidate', { candidateType: 'relay' });
  assert.equal(isRelayed(relayed), true);
  assert.equal(computeStats(agent0, relayed).relayed, true);
  assert.equal(isRelayed({ at: 0, records: [] }), null, 'nothing selected yet');
  // A counter reset (a new stream under the same id) gives no rate rather than a negative one.
  const reset = edit(agent1, 'inbound-rtp', {
    framesDecoded: 3,
    bytesReceived: 10,
    framesPerSecond: undefined,
  });
  assert.equal(computeStats(agent0, reset).fps, null);
  assert.equal(computeStats(agent0, reset).bitrateKbps, null);
});

test('live: the sampler reports the frames of a real video track', async () => {
  const video = solidColourSource(320, 240);
  open.push({ close: video.stop });
  const p = makePair({ host: { videoTrack: video.track } });
  open.push(p);
  await next(p.agent, 'stream');
  const sampler = new StatsSampler(p.agent, { intervalMs: 300 });
  open.push({ close: () => sampler.stop() });
  const samples: SessionStats[] = [];
  sampler.on('sample', (s) => samples.push(s));
  sampler.start();
  await until(() => samples.length >= 4, 10_000, 'four samples');
  sampler.stop();
  const last = samples.at(-1)!;
  assert.equal(last.direction, 'inbound');
  assert.equal(last.relayed, false);
  assert.ok(last.fps !== null && last.fps > 15 && last.fps < 45, `fps ${last.fps}`);
  assert.ok((last.bitrateKbps ?? 0) > 0);
  assert.ok((samples.at(-1)!.framesDecoded ?? 0) > (samples[0]!.framesDecoded ?? 0));
  assert.equal(sampler.latest, last);
});
