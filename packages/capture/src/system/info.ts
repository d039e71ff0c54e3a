import si from 'systeminformation';
import type { SystemInfo } from '@beckon/protocol';

// "System information" for the agent (SC6): one snapshot of OS, CPU, RAM,
// file systems and network interfaces in the protocol's shape. Every string is
// cut to the schema's limit and every list to 64 entries, so an odd machine
// (long mount paths, dozens of container interfaces) still produces a valid
// message instead of one the agent's side rejects.

export const MAX_LIST = 64;

/** `value` as a string of at most `max` characters (empty for missing values). */
export function clip(value: unknown, max: number): string {
  const s = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return s.length <= max ? s : s.slice(0, max);
}

const nonNegative = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);
const count = (n: unknown): number => Math.floor(nonNegative(n));

export async function collectSystemInfo(): Promise<SystemInfo> {
  // Started together: osInfo and networkInterfaces each spawn helper commands.
  const [os, cpu, mem, fs, net] = await Promise.all([
    si.osInfo(),
    si.cpu(),
    si.mem(),
    si.fsSize().catch(() => []),
    si.networkInterfaces().catch(() => []),
  ]);
  const interfaces = Array.isArray(net) ? net : [net];
  return {
    os: {
      platform: clip(os.platform, 64),
      distro: clip(os.distro, 128),
      release: clip(os.release, 128),
      arch: clip(os.arch, 32),
      hostname: clip(os.hostname, 255),
    },
    cpu: {
      manufacturer: clip(cpu.manufacturer, 128),
      brand: clip(cpu.brand, 256),
      cores: count(cpu.cores),
      physicalCores: count(cpu.physicalCores),
      speedGHz: nonNegative(cpu.speed),
    },
    memory: { totalBytes: nonNegative(mem.total) },
    disks: fs.slice(0, MAX_LIST).map((d) => ({
      device: clip(d.fs, 256),
      mount: clip(d.mount, 1024),
      type: clip(d.type, 64),
      sizeBytes: nonNegative(d.size),
    })),
    network: interfaces.slice(0, MAX_LIST).map((n) => ({
      iface: clip(n.iface, 128),
      ip4: clip(n.ip4, 64),
      ip6: clip(n.ip6, 128),
      mac: clip(n.mac, 64),
    })),
  };
}
