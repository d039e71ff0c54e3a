import type { Language, MonitorSample } from '@beckon/protocol';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** 1536 → "1.5 kB" in the agent's language (decimal units, as disks and networks count). */
export function formatBytes(bytes: number, language: Language): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.max(0, (100 * part) / whole)) : 0;
}

/** The series a chart draws, in percent: CPU, RAM, and each disk by its mount point. */
export interface MonitorSeries {
  readonly cpu: number[];
  readonly ram: number[];
  readonly disks: { readonly mount: string; readonly values: number[] }[];
}

export function monitorSeries(samples: readonly MonitorSample[]): MonitorSeries {
  const disks = new Map<string, number[]>();
  samples.forEach((s, i) => {
    for (const d of s.disks) {
      let values = disks.get(d.mount);
      if (!values) {
        // A disk that appears later starts with gaps, so its line ends where the others do.
        values = new Array<number>(i).fill(Number.NaN);
        disks.set(d.mount, values);
      }
      values.push(percentOf(d.usedBytes, d.sizeBytes));
    }
  });
  return {
    cpu: samples.map((s) => s.cpuPercent),
    ram: samples.map((s) => percentOf(s.memUsedBytes, s.memTotalBytes)),
    disks: [...disks].map(([mount, values]) => ({ mount, values })),
  };
}

/**
 * SVG polyline points for values in 0–100, newest at the right edge: `slots`
 * samples span the width, so the line scrolls left as samples arrive. Gaps
 * (NaN) split the line into several runs.
 */
export function chartRuns(values: readonly number[], slots: number, width: number, height: number): string[] {
  const step = slots > 1 ? width / (slots - 1) : width;
  const start = width - step * (values.length - 1);
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      return;
    }
    const x = start + step * i;
    const y = height - (Math.min(100, Math.max(0, v)) / 100) * height;
    run.push(`${round(x)},${round(y)}`);
  });
  if (run.length) runs.push(run.join(' '));
  return runs;
}

const round = (n: number) => Math.round(n * 10) / 10;
