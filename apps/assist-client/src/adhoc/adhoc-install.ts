import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeSecretFile } from '../managed/host-key.ts';
import { installPaths } from '../managed/install.ts';
import { hostConfigFile } from '../managed/service-files.ts';
import { ADHOC_SERVICE, adhocPaths } from './adhoc-paths.ts';

export type Exec = (cmd: string, args: string[]) => Promise<void>;
const exec: Exec = (cmd, args) =>
  new Promise((ok, fail) => execFile(cmd, args, (err) => (err ? fail(err) : ok())));

/** AH6: installing needs administrator rights. On Linux that is root; injectable for tests. */
export function isAdministrator(): boolean {
  return process.getuid?.() === 0;
}

export class InstallRefused extends Error {}

export interface AdhocInstallOptions {
  prefix: string;
  brokerUrl: string;
  node: string;
  cli: string;
  user?: string;
  display?: string;
  isAdmin?: () => boolean;
}

const ManifestSchema = z.strictObject({
  files: z.array(z.string()),
  dirs: z.array(z.string()),
  systemctl: z.boolean(),
});

function unitText(o: AdhocInstallOptions, configFile: string): string {
  const q = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;
  return [
    '[Unit]',
    'Description=Beckon temporary support host (ad-hoc; removes itself 24 hours after activation)',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[o.node, o.cli, 'adhoc', 'run', '--config', configFile].map(q).join(' ')}`,
    ...(o.user ? [`User=${o.user}`] : []),
    ...(o.display ? [`Environment=DISPLAY=${o.display}`] : []),
    // Only a crash brings it back: after its self-removal it exits 0 and stays gone.
    'Restart=on-failure',
    'RestartSec=5',
    'UMask=0077',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * Installs the temporary host (AH2): refuses without administrator rights
 * (AH6) and where the permanent host is installed (AH10), before writing
 * anything, so a refusal leaves nothing behind.
 */
export async function installTemporaryHost(
  o: AdhocInstallOptions,
  out: (line: string) => void,
  run: Exec = exec,
): Promise<void> {
  if (!(o.isAdmin ?? isAdministrator)())
    throw new InstallRefused(
      'installing the temporary support program needs administrator rights: run it again as administrator (sudo)',
    );
  const permanent = installPaths(o.prefix);
  if (existsSync(permanent.manifest) || existsSync(permanent.unit))
    throw new InstallRefused(
      'this computer already runs the permanent Beckon host: ad-hoc support is for computers without it',
    );
  const p = adhocPaths(o.prefix);
  if (existsSync(p.manifest)) throw new InstallRefused(`already installed (${p.manifest})`);
  const files: [string, string][] = [
    [p.config, hostConfigFile({ BECKON_BROKER_URL: o.brokerUrl, BECKON_ADHOC_PREFIX: p.root })],
    [p.unit, unitText(o, p.config)],
  ];
  const dirs = [...new Set([p.configDir, p.stateDir, p.logDir, dirname(p.unit)].flatMap(missingDirs))].sort(
    (a, b) => b.length - a.length,
  );
  for (const [file, text] of files) writeSecretFile(file, text);
  for (const d of [p.stateDir, p.logDir]) mkdirSync(d, { recursive: true, mode: 0o700 });
  const realRoot = p.root === '/';
  writeSecretFile(
    p.manifest,
    JSON.stringify({ files: [...files.map(([f]) => f), p.manifest], dirs, systemctl: realRoot }, null, 2),
  );
  for (const [f] of files) out(`write ${f}`);
  if (realRoot) {
    await run('systemctl', ['daemon-reload']);
    await run('systemctl', ['enable', '--now', `${ADHOC_SERVICE}.service`]);
  } else out(`not run (prefix ${o.prefix}): systemctl enable --now ${ADHOC_SERVICE}.service`);
}

function missingDirs(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) out.push(d);
  return out;
}

export function isInstalled(prefix: string): boolean {
  return existsSync(adhocPaths(prefix).manifest);
}

/**
 * Removes everything install wrote and everything the host made since: the
 * unit, the configuration, the key and activation record, the logs. Leaves
 * only the receipt. Runs on the computer, with or without the broker.
 */
export async function removeTemporaryHost(
  prefix: string,
  receipt: string[],
  out: (line: string) => void,
  run: Exec = exec,
): Promise<void> {
  const p = adhocPaths(prefix);
  const m = existsSync(p.manifest)
    ? ManifestSchema.parse(JSON.parse(readFileSync(p.manifest, 'utf8')))
    : { files: [p.config, p.unit, p.manifest], dirs: [], systemctl: false };
  // Disable, never stop: this process may be the service, and it exits by itself right after.
  if (m.systemctl) await run('systemctl', ['disable', `${ADHOC_SERVICE}.service`]).catch(() => undefined);
  for (const file of m.files) rmSync(file, { force: true });
  rmSync(p.stateDir, { recursive: true, force: true });
  rmSync(p.logDir, { recursive: true, force: true });
  for (const dir of m.dirs) {
    try {
      if (existsSync(dir)) rmdirSync(dir);
    } catch {
      // Not empty: something else lives there now, and it is not ours to remove.
    }
  }
  if (m.systemctl) await run('systemctl', ['daemon-reload']).catch(() => undefined);
  mkdirSync(dirname(p.receipt), { recursive: true });
  writeFileSync(p.receipt, `${receipt.join('\n')}\n`, { mode: 0o644 });
  out(`removed; receipt at ${p.receipt}`);
}
