import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { writeSecretFile } from './host-key.ts';
import { hostConfigFile, SERVICE_NAME, systemdUnit } from './service-files.ts';

export interface InstallOptions {
  /** `/` for a real install; a temporary directory in tests or for a cautious look. */
  prefix: string;
  dryRun: boolean;
  brokerUrl: string;
  enrolmentCode?: string;
  name?: string;
  node: string;
  cli: string;
  user?: string;
  display?: string;
}

export interface InstallPaths {
  unit: string;
  configDir: string;
  config: string;
  stateDir: string;
  manifest: string;
}

export function installPaths(prefix: string): InstallPaths {
  const root = resolve(prefix);
  const configDir = join(root, 'etc', SERVICE_NAME);
  return {
    unit: join(root, 'etc', 'systemd', 'system', `${SERVICE_NAME}.service`),
    configDir,
    config: join(configDir, 'host.conf'),
    stateDir: join(root, 'var', 'lib', SERVICE_NAME),
    manifest: join(configDir, 'install.json'),
  };
}

/** What install wrote: uninstall removes exactly this, and nothing else. */
const ManifestSchema = z.strictObject({
  files: z.array(z.string()),
  dirs: z.array(z.string()),
  systemctl: z.boolean(),
});

type Exec = (cmd: string, args: string[]) => Promise<void>;
const exec: Exec = (cmd, args) =>
  new Promise((ok, fail) => execFile(cmd, args, (err) => (err ? fail(err) : ok())));

/**
 * Writes the systemd unit and the host's configuration, owner-only (0600 in
 * 0700 directories). With the real prefix `/` it also enables the service;
 * with any other prefix it only writes, and prints the systemctl lines.
 * `dryRun` prints everything and writes nothing.
 */
export async function installHost(
  o: InstallOptions,
  out: (line: string) => void,
  run: Exec = exec,
): Promise<void> {
  const p = installPaths(o.prefix);
  if (existsSync(p.manifest)) throw new Error(`already installed (${p.manifest}); uninstall first`);
  const files: [string, string][] = [
    [
      p.config,
      hostConfigFile({
        BECKON_BROKER_URL: o.brokerUrl,
        BECKON_ENROLMENT_CODE: o.enrolmentCode,
        BECKON_HOST_NAME: o.name,
        BECKON_HOST_STATE_DIR: p.stateDir,
      }),
    ],
    [
      p.unit,
      systemdUnit({ node: o.node, cli: o.cli, configFile: p.config, user: o.user, display: o.display }),
    ],
  ];
  const realRoot = resolve(o.prefix) === '/';
  const commands = [
    ['systemctl', 'daemon-reload'],
    ['systemctl', 'enable', '--now', `${SERVICE_NAME}.service`],
  ];
  for (const [file, text] of files) out(`${o.dryRun ? 'would write' : 'write'} ${file} (0600)\n${text}`);
  out(
    `${o.dryRun ? 'would create' : 'create'} ${p.stateDir} (0700; the host makes its key there on first run)`,
  );
  if (o.dryRun) return;
  // Every directory install makes (and so uninstall may remove), deepest first.
  const dirs = [...new Set([p.configDir, p.stateDir, dirname(p.unit)].flatMap(missingDirs))].sort(
    (a, b) => b.length - a.length,
  );
  for (const [file, text] of files) writeSecretFile(file, text);
  mkdirSync(p.stateDir, { recursive: true, mode: 0o700 });
  writeSecretFile(
    p.manifest,
    JSON.stringify({ files: [...files.map(([f]) => f), p.manifest], dirs, systemctl: realRoot }, null, 2),
  );
  if (realRoot) for (const [cmd, ...args] of commands) await run(cmd as string, args);
  else for (const c of commands) out(`not run (prefix ${o.prefix}): ${c.join(' ')}`);
}

/** `dir` and its ancestors that do not exist yet. */
function missingDirs(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) out.push(d);
  return out;
}

/** Removes everything install wrote, the host's key and state included. */
export async function uninstallHost(
  o: { prefix: string; dryRun: boolean },
  out: (line: string) => void,
  run: Exec = exec,
): Promise<void> {
  const p = installPaths(o.prefix);
  if (!existsSync(p.manifest)) throw new Error(`not installed under ${resolve(o.prefix)} (no ${p.manifest})`);
  const m = ManifestSchema.parse(JSON.parse(readFileSync(p.manifest, 'utf8')));
  if (m.systemctl && !o.dryRun) {
    await run('systemctl', ['disable', '--now', `${SERVICE_NAME}.service`]).catch(() => undefined);
  }
  for (const file of m.files) {
    out(`${o.dryRun ? 'would remove' : 'remove'} ${file}`);
    if (!o.dryRun) rmSync(file, { force: true });
  }
  if (!o.dryRun) rmSync(p.stateDir, { recursive: true, force: true });
  out(`${o.dryRun ? 'would remove' : 'remove'} ${p.stateDir} (the host's key and state)`);
  for (const dir of m.dirs) {
    out(`${o.dryRun ? 'would remove' : 'remove'} ${dir}`);
    if (!o.dryRun && existsSync(dir)) rmdirSync(dir);
  }
  if (m.systemctl && !o.dryRun) await run('systemctl', ['daemon-reload']).catch(() => undefined);
}
