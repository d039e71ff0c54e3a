// Records the getStats() fixtures stats.test.ts computes from: two samples a
// second apart on each side of a real wrtc connection carrying video.
// Run: node packages/session/src/testing/record-stats-fixtures.ts
import { writeFileSync } from 'node:fs';
import { snapshotOf, type StatsSnapshot } from '../stats.ts';
import { makePair, next, solidColourSource } from './pair.ts';

const video = solidColourSource(320, 240);
const p = makePair({ host: { videoTrack: video.track } });
await Promise.all([next(p.agent, 'connected'), next(p.agent, 'stream')]);
await new Promise((r) => setTimeout(r, 1500));
const samples: { agent: StatsSnapshot[]; host: StatsSnapshot[] } = { agent: [], host: [] };
// Codec and certificate entries are bulky and never read.
const lean = (s: StatsSnapshot): StatsSnapshot => ({
  at: s.at,
  records: s.records.filter((r) => r.type !== 'codec' && r.type !== 'certificate'),
});
for (let i = 0; i < 2; i++) {
  samples.agent.push(lean(snapshotOf(await p.agent.getStats())));
  samples.host.push(lean(snapshotOf(await p.host.getStats())));
  await new Promise((r) => setTimeout(r, 1000));
}
const dir = new URL('../fixtures/', import.meta.url);
writeFileSync(new URL('stats-wrtc-agent.json', dir), `${JSON.stringify(samples.agent, null, 1)}\n`);
writeFileSync(new URL('stats-wrtc-host.json', dir), `${JSON.stringify(samples.host, null, 1)}\n`);
p.close();
video.stop();
