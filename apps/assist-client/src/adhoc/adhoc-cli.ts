import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateHostKey } from '../managed/host-key.ts';
import { collectPresence } from '../managed/presence.ts';
import { CLIENT_VERSION } from '../managed/run-host.ts';
import { parseHostConfigFile } from '../managed/service-files.ts';
import { isHttpUrl } from '../shared/http-url.ts';
import { activateWithCode, readActivation, reportToBroker, writeActivation } from './activation.ts';
import { InstallRefused, installTemporaryHost, isInstalled, removeTemporaryHost } from './adhoc-install.ts';
import { adhocPaths } from './adhoc-paths.ts';

export const ADHOC_USAGE = `usage: beckon-assist adhoc <install|activate|run|end> [options]

The temporary support host (ad-hoc support): installed from the mailed link,
activated with the security code, and removed by itself 24 hours after
activation (or when the provider or you end it).
  install   --broker <url> [--prefix <dir>] [--user <user>] [--display <:N>]
            Needs administrator rights; refused where the permanent Beckon host is installed.
  activate  --code <security code> [--prefix <dir>] [--allow <folder>]... [--name <name>]
            Binds this computer to the session and starts the 24-hour clock. The file
            manager may use only the allowed folders (default: your home folder).
  run       --config <file> | --prefix <dir>  [--display <:N>]   (what the service runs)
  end       [--prefix <dir>]   End the session now and remove the temporary host.`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const OPTIONS = {
  config: { type: 'string' },
  broker: { type: 'string' },
  prefix: { type: 'string' },
  user: { type: 'string' },
  display: { type: 'string' },
  code: { type: 'string' },
  allow: { type: 'string', multiple: true },
  name: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The user's own home, also under sudo (the folder they mean, not root's). */
function defaultFolder(): string {
  const sudoUser = process.env.SUDO_USER;
  if (sudoUser && /^[a-z_][a-z0-9_-]*$/.test(sudoUser) && existsSync(`/home/${sudoUser}`))
    return `/home/${sudoUser}`;
  return homedir();
}

/** `beckon-assist adhoc …`: 0 done, 1 failed, 2 usage, 4 refused (no admin rights, permanent host, bad code). */
export async function runAdhocCli(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    io.err(`beckon-assist adhoc: ${(err as Error).message}\n\n${ADHOC_USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const usage = (message: string) => {
    io.err(`beckon-assist adhoc: ${message}\n\n${ADHOC_USAGE}`);
    return 2;
  };
  if (v.help || positionals.length === 0) {
    io.out(ADHOC_USAGE);
    return v.help ? 0 : 2;
  }
  if (v.display !== undefined && !/^[A-Za-z0-9.-]*:\d+(\.\d+)?$/.test(v.display))
    return usage('--display must look like :0 or host:1');
  const file = v.config ? parseHostConfigFile(readFileSync(v.config, 'utf8')) : {};
  const prefix = v.prefix ?? file.BECKON_ADHOC_PREFIX ?? '/';
  const p = adhocPaths(prefix);
  try {
    switch (positionals[0]) {
      case 'install': {
        if (!v.broker || !isHttpUrl(v.broker)) return usage('install needs --broker <http(s) URL>');
        await installTemporaryHost(
          {
            prefix,
            brokerUrl: v.broker,
            user: v.user,
            display: v.display,
            node: process.execPath,
            cli: join(import.meta.dirname, '../../bin/beckon-assist.js'),
          },
          io.out,
        );
        io.out('installed: now activate it with the security code from the mail');
        return 0;
      }
      case 'activate': {
        if (!v.code) return usage('activate needs --code <security code>');
        if (!isInstalled(prefix))
          throw new InstallRefused('not installed: run `beckon-assist adhoc install` first');
        if (readActivation(p.stateDir)) throw new InstallRefused('already activated');
        const conf = parseHostConfigFile(readFileSync(p.config, 'utf8'));
        const brokerUrl = conf.BECKON_BROKER_URL ?? '';
        const folders = (v.allow?.length ? v.allow : [defaultFolder()]).map((f) => resolve(f));
        for (const f of folders)
          if (!isAbsolute(f) || !existsSync(f) || !statSync(f).isDirectory())
            return usage(`--allow ${f}: not a folder on this computer`);
        const key = loadOrCreateHostKey(p.stateDir);
        const activation = await activateWithCode(brokerUrl, {
          securityCode: v.code,
          publicKey: key.publicKey,
          name: v.name ?? (hostname().slice(0, 120) || 'computer'),
          presence: await collectPresence(CLIENT_VERSION),
        }).catch((err: unknown) => {
          throw new InstallRefused((err as Error).message);
        });
        writeActivation(p.stateDir, { brokerUrl, activation, allowedFolders: folders });
        io.out(`activated: the session ends and this program removes itself at ${activation.expiresAt}`);
        return 0;
      }
      case 'run': {
        const { runTemporaryHost } = await import('./run-temporary.ts');
        const timeoutSec = Number(process.env.BECKON_CONSENT_TIMEOUT_SEC);
        const reportSec = Number(process.env.BECKON_ADHOC_REPORT_FOR_SEC);
        return await runTemporaryHost(
          {
            prefix,
            display: v.display ?? file.DISPLAY ?? process.env.DISPLAY,
            consentTimeoutMs: timeoutSec > 0 ? timeoutSec * 1000 : undefined,
            reportForMs: reportSec > 0 ? reportSec * 1000 : undefined,
          },
          io,
        );
      }
      case 'end': {
        const record = readActivation(p.stateDir);
        if (record && !(await reportToBroker(record, 'ended_by_user')))
          io.err('beckon-assist adhoc: the broker could not be told now; the session ends here anyway');
        await removeTemporaryHost(
          prefix,
          ['Beckon temporary support host: removed.', `ended by the user at ${new Date().toISOString()}`],
          io.out,
        );
        if (record) await reportToBroker(record, 'removed');
        return 0;
      }
      default:
        return usage(`unknown command ${JSON.stringify(positionals[0])}`);
    }
  } catch (err) {
    io.err(`beckon-assist adhoc: ${(err as Error).message}`);
    return err instanceof InstallRefused ? 4 : 1;
  }
}
