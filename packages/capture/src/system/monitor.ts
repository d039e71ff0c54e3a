import si from 'systeminformation';
import type { MonitorSample } from '@beckon/protocol';
import type { Monitor, MonitorOptions } from '../types.ts';
import { clip, MAX_LIST } from './info.ts';

// Live CPU / RAM / storage monitoring (SC6). CPU load is measured between two
// consecutive samples (systeminformation keeps the previous tick counts), so
// the first reading is taken at start and only primes the counter. Storage is
// re-read at most every DISK_REFRESH_MS: it spawns `df` and barely changes.

export const MIN_INTERVAL_MS = 250;
const DISK_REFRESH_MS = 10_000;

type Disks = MonitorSample['disks'];

export async function sampleOnce(disks?: Disks): Promise<MonitorSample> {
  const [load, mem, fs] = await Promise.all([
    si.currentLoad(),
    si.mem(),
    disks ? Promise.resolve(undefined) : si.fsSize().catch(() => []),
  ]);
  const cpu = Number.isFinite(load.currentLoad) ? load.currentLoad : 0;
  return {
    type: 'monitor_sample',
    at: new Date().toISOString(),
    cpuPercent: Math.min(100, Math.max(0, cpu)),
    // "active" is used memory without buffers and page cache, as `free` counts it.
    memUsedBytes: Math.max(0, mem.active),
    memTotalBytes: Math.max(0, mem.total),
    disks:
      disks ??
      (fs ?? []).slice(0, MAX_LIST).map((d) => ({
        mount: clip(d.mount, 1024),
        usedBytes: Math.max(0, d.used || 0),
        sizeBytes: Math.max(0, d.size || 0),
      })),
  };
}

/**
 * Calls `onSample` every `intervalMs` (at least MIN_INTERVAL_MS) until
 * stopped. A slow sample delays the next one rather than overlapping it.
 */
export function startMonitor(options: MonitorOptions): Monitor {
  const interval = Math.max(MIN_INTERVAL_MS, options.intervalMs);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let disks: Disks | undefined;
  let disksAt = 0;
  const tick = async () => {
    try {
      const fresh = Date.now() - disksAt >= DISK_REFRESH_MS;
      const sample = await sampleOnce(fresh ? undefined : disks);
      if (fresh) {
        disks = sample.disks;
        disksAt = Date.now();
      }
      if (!stopped) options.onSample(sample);
    } catch (err) {
      if (!stopped) options.onError?.(err);
    }
    if (!stopped) timer = setTimeout(tick, interval);
  };
  // Prime the CPU counters so the first sample covers one interval, not the uptime.
  void si
    .currentLoad()
    .catch(() => undefined)
    .then(() => {
      if (!stopped) timer = setTimeout(tick, interval);
    });
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
