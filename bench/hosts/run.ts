import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import WebSocket from 'ws';
import { startBroker } from '@beckon/broker/testing';
import { percentile, rssOf } from '../lib/server.ts';
import { fmt, printTable } from '../lib/table.ts';
import { BenchHost, heartbeats, hostKeys } from './fleet.ts';

// bench/hosts: N idle managed hosts (lightweight protocol clients, each with
// its own Ed25519 key, not N wrtc peers) on one broker process: memory per
// host, broker CPU while idle, time for all to be back online after a broker
// SIGKILL and restart, and presence change → console (live channel) p99.
// Targets: 20,000 hosts at ≤ 16 KiB each and ≤ 5 % of a core idle, all back
// within 60 s with none lost, presence p99 ≤ 1 s.
const N = Number(process.env.BENCH_HOSTS ?? 20_000);
const HEARTBEAT_MS = Number(process.env.BENCH_HEARTBEAT_MS ?? 15_000);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 30_000);
const PRESENCE_SAMPLES = Number(process.env.BENCH_PRESENCE_SAMPLES ?? 300);

/** User + system CPU time of a process, in ms (Linux /proc, clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number): Promise<number | null> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) return null;
    await sleep(20);
  }
  return Date.now() - t0;
}

const broker = await startBroker({ BECKON_HOST_HEARTBEAT_MS: String(HEARTBEAT_MS) });
const { url, dataDir, token } = broker;
const fleet: BenchHost[] = [];
let stopBeats = () => {};
let live: WebSocket | undefined;
try {
  console.log(`hosts: ${N} idle managed hosts, heartbeat ${HEARTBEAT_MS} ms, node ${process.version}`);

  // Enrolled straight into the database (each through the API would be a code and an enrolment).
  const keys = hostKeys(N);
  const ids = keys.map(() => randomUUID());
  const db = new DatabaseSync(join(dataDir, 'beckon.sqlite'));
  db.exec('PRAGMA busy_timeout = 5000');
  const org = db.prepare('SELECT id FROM orgs LIMIT 1').get() as { id: string };
  const insert = db.prepare(
    `INSERT INTO managed_hosts (id, org_id, name, tags, public_key, enrolled_at) VALUES (?, ?, ?, '[]', ?, ?)`,
  );
  const now = new Date().toISOString();
  db.exec('BEGIN');
  keys.forEach((k, i) => insert.run(ids[i]!, org.id, `bench-${i}`, k.publicKey, now));
  db.exec('COMMIT');
  db.close();

  await sleep(2000);
  const rssBefore = await rssOf(broker.child.pid!);
  // The broker's own timers with no host connected: what the per-host cost is measured against.
  const baseWindow = Math.min(IDLE_MS, 10_000);
  const base0 = cpuMsOf(broker.child.pid!);
  await sleep(baseWindow);
  const baseCpu = (cpuMsOf(broker.child.pid!) - base0) / baseWindow;
  const wsUrl = `${url.replace(/^http/, 'ws')}/api/v1/host`;
  let welcomed = 0;
  const t0 = Date.now();
  for (let i = 0; i < N; i++) {
    const h = new BenchHost(ids[i]!, keys[i]!, wsUrl, () => welcomed++);
    fleet.push(h);
    h.connect();
    if (i % 200 === 199) await sleep(20); // a fleet coming up, not one SYN flood
  }
  const firstUp = await until(() => fleet.every((h) => h.online), 300_000);
  console.log(`all ${N} online ${firstUp === null ? 'NOT within 300 s' : `in ${Date.now() - t0} ms`}`);
  stopBeats = heartbeats(fleet, HEARTBEAT_MS);

  // Idle: memory per host and CPU over the window.
  await sleep(3000);
  const rssIdle = await rssOf(broker.child.pid!);
  const cpu0 = cpuMsOf(broker.child.pid!);
  await sleep(IDLE_MS);
  const idleCpu = (cpuMsOf(broker.child.pid!) - cpu0) / IDLE_MS;
  const perHost = (rssIdle - rssBefore) / N;

  // Presence change → the console's live channel.
  live = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`, ['beckon.v1', `bearer.${token}`]);
  const pending = new Map<string, number>();
  const presence: number[] = [];
  live.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { type: string; host?: { id: string } };
    const t = m.host && pending.get(m.host.id);
    if (m.type === 'host_changed' && t !== undefined && m.host) {
      presence.push(performance.now() - t);
      pending.delete(m.host.id);
    }
  });
  await new Promise((r) => live!.once('open', r));
  for (let s = 0; s < PRESENCE_SAMPLES; s++) {
    const h = fleet[(s * 7919) % fleet.length]!;
    pending.set(h.id, performance.now());
    h.send({
      type: 'presence',
      info: { hostname: h.id.slice(0, 8), os: 'linux', userPresent: s % 2 === 0, screenLocked: s % 3 === 0 },
    });
    await sleep(10);
  }
  await until(() => pending.size === 0, 10_000);
  const lostPresence = pending.size;
  presence.sort((a, b) => a - b);

  // SIGKILL and restart: every host back by itself, none lost.
  const welcomesBefore = fleet.map((h) => h.welcomes);
  await broker.kill();
  await sleep(1000);
  await broker.restart();
  const restartedAt = Date.now();
  const back = await until(() => fleet.every((h, i) => h.online && h.welcomes > welcomesBefore[i]!), 120_000);
  const backCount = fleet.filter((h, i) => h.online && h.welcomes > welcomesBefore[i]!).length;
  console.log(
    `back online: ${backCount}/${N} ${back === null ? 'NOT within 120 s' : `in ${Date.now() - restartedAt} ms`}`,
  );

  printTable(
    'Managed hosts on one broker process (loopback; the bench clients share the machine). Targets: ≤ 16 KiB/host, ≤ 5 % core idle, all back ≤ 60 s, presence p99 ≤ 1 s',
    [
      'hosts',
      'KiB/host',
      'idle CPU % core',
      'of it 0 hosts',
      'back online s',
      'lost',
      'presence p50 ms',
      'presence p99 ms',
    ],
    [
      [
        N,
        fmt(perHost / 1024),
        fmt(idleCpu * 100, 2),
        fmt(baseCpu * 100, 2),
        back === null ? '> 120' : fmt(back / 1000),
        N - backCount + lostPresence,
        fmt(percentile(presence, 50), 1),
        fmt(percentile(presence, 99), 1),
      ],
      ['MeshCentral (published)', '—', '—', '—', '—', '—', '—', '14,000 devices on 2 vCPU'],
    ],
  );
  if (N < 20_000)
    console.log(`\nNote: run at N=${N}; the targets are stated for 20,000 (BENCH_HOSTS=20000).`);
} finally {
  stopBeats();
  live?.terminate();
  for (const h of fleet) h.stop();
  await broker.stop();
}
