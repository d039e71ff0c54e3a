import si from 'systeminformation';
import { MAX_PROCESSES, type ProcessInfo } from '@beckon/protocol';
import { clip } from './info.ts';

/**
 * The running processes for the ad-hoc dashboard (AH8): the busiest first
 * (CPU, then memory), at most MAX_PROCESSES so the list fits one message.
 */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const { list } = await si.processes();
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  return list
    .map((p) => ({
      pid: Math.floor(n(p.pid)),
      name: clip(p.name, 256),
      cpuPercent: n(p.cpu),
      // systeminformation reports resident memory in KiB.
      memBytes: n(p.memRss) * 1024,
      user: clip(p.user, 64),
    }))
    .sort((a, b) => b.cpuPercent - a.cpuPercent || b.memBytes - a.memBytes)
    .slice(0, MAX_PROCESSES);
}
