import { fmt } from '../lib/table.ts';
import type { Condition } from './net.ts';
import type { PathResult } from './paths.ts';
import { latency } from './receiver.ts';
import { pct } from './report.ts';

// The WAN targets for each condition, checked row by row: every Beckon
// path against its own figures and against noVNC's in the same condition.

export interface Figures {
  p50: number;
  p95: number;
  p99: number;
  shownPerSecond: number;
  longestGapMs: number;
}

export function figures(r: PathResult): Figures {
  const l = r.flips.map(latency);
  return {
    p50: pct(l, 0.5),
    p95: pct(l, 0.95),
    p99: pct(l, 0.99),
    shownPerSecond: r.motion.shownPerSecond,
    longestGapMs: r.motion.longestGapMs,
  };
}

interface Check {
  label: string;
  ok: (f: Figures, peer: Figures | null) => boolean;
}

const ahead: Check[] = [
  { label: 'p50 below noVNC’s', ok: (f, p) => p !== null && f.p50 < p.p50 },
  { label: 'p99 below noVNC’s', ok: (f, p) => p !== null && f.p99 < p.p99 },
];

/** The targets for `c` (LAN has none of its own: loopback's, plus its one-way delay). */
export function checks(c: Condition): Check[] {
  const d = c.delayMs;
  if (c.name.startsWith('broadband'))
    return [
      { label: `p50 ≤ ${fmt(d + 20)} ms`, ok: (f) => f.p50 <= d + 20 },
      { label: 'p99 ≤ 120 ms', ok: (f) => f.p99 <= 120 },
      { label: 'no freeze over 500 ms', ok: (f) => f.longestGapMs <= 500 },
      ...ahead,
    ];
  if (c.name.startsWith('poor mobile'))
    return [
      { label: `p50 ≤ ${fmt(d + 60)} ms`, ok: (f) => f.p50 <= d + 60 },
      // "Frames keep coming": no gap of a second or more while the screen moves.
      { label: 'frames keep coming (no gap ≥ 1 s)', ok: (f) => f.longestGapMs < 1000 },
      ...ahead,
    ];
  return [
    { label: `p50 ≤ ${fmt(20 + d)} ms`, ok: (f) => f.p50 <= 20 + d },
    { label: `p99 ≤ ${fmt(40 + d)} ms`, ok: (f) => f.p99 <= 40 + d },
  ];
}

/** One line per Beckon path: each target met or NOT met. */
export function targetLines(
  c: Condition,
  results: Map<string, PathResult | Error>,
  peerName: string,
): string[] {
  const peer = results.get(peerName);
  const peerFigures = peer && !(peer instanceof Error) ? figures(peer) : null;
  const out: string[] = [];
  for (const [name, r] of results) {
    if (!name.startsWith('Beckon')) continue;
    if (r instanceof Error) {
      out.push(`- ${name}: failed, NOT met`);
      continue;
    }
    const f = figures(r);
    const parts = checks(c).map((k) => `${k.label}: ${k.ok(f, peerFigures) ? 'met' : 'NOT met'}`);
    out.push(`- ${name}: ${parts.join('; ')}`);
  }
  return out;
}
