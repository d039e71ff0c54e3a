import type { HostOs, HostPresenceInfo } from '@beckon/protocol';
import { execFile } from 'node:child_process';
import { arch, hostname, release } from 'node:os';

type Run = (cmd: string, args: string[]) => Promise<string | null>;

/** Runs a tool if it is there; null if it is missing, fails or takes too long. */
const run: Run = (cmd, args) =>
  new Promise((resolve) => {
    execFile(cmd, args, { timeout: 2000, encoding: 'utf8' }, (err, stdout) => resolve(err ? null : stdout));
  });

export function hostOs(platform: NodeJS.Platform = process.platform): HostOs {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'macos' : 'linux';
}

/**
 * Whether someone is logged in and whether their screen is locked, as far
 * as this computer tells: on Linux from logind (`loginctl`), or `who` for
 * the login alone. Null where it cannot tell; Windows and macOS report null
 * here (not run in this project's tests).
 */
export async function loginState(
  platform: NodeJS.Platform = process.platform,
  exec: Run = run,
): Promise<{ userPresent: boolean | null; screenLocked: boolean | null }> {
  if (platform !== 'linux') return { userPresent: null, screenLocked: null };
  const sessions = await exec('loginctl', ['list-sessions', '--no-legend']);
  if (sessions !== null) {
    const ids = sessions
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0])
      .filter((id): id is string => !!id);
    let locked: boolean | null = null;
    for (const id of ids) {
      const out = await exec('loginctl', ['show-session', id, '-p', 'Type', '-p', 'LockedHint']);
      if (!out || !/Type=(x11|wayland)/.test(out)) continue;
      locked = /LockedHint=yes/.test(out);
      if (!locked) break;
    }
    return { userPresent: ids.length > 0, screenLocked: locked };
  }
  const who = await exec('who', []);
  return { userPresent: who === null ? null : who.trim().length > 0, screenLocked: null };
}

export async function collectPresence(clientVersion: string): Promise<HostPresenceInfo> {
  const login = await loginState();
  return {
    hostname: hostname().slice(0, 255) || 'unknown',
    os: hostOs(),
    osVersion: release().slice(0, 120),
    arch: arch(),
    ...login,
    clientVersion,
  };
}
