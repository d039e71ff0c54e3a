import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isHttpUrl } from '../shared/http-url.ts';
import { installHost, uninstallHost } from './install.ts';
import { parseHostConfigFile } from './service-files.ts';

export const HOST_USAGE = `usage: beckon-assist host <run|install|uninstall> [options]

A managed host: stays installed and connected to the broker, known by a key
made on this computer. Agents connect through the same consent question.
  run        --config <file> | --broker <url> --state-dir <dir>
             [--name <name>] [--display <:N>] [--rotate-key]
             The enrolment code comes from BECKON_ENROLMENT_CODE (environment or config file).
  install    --broker <url> [--enrolment-code <code>] [--name <name>] [--user <user>]
             [--display <:N>] [--prefix <dir>] [--dry-run]
             Writes a systemd unit and the host's configuration (owner-only). Under a
             --prefix other than / nothing is enabled; --dry-run writes nothing.
  uninstall  [--prefix <dir>] [--dry-run]   Removes everything install wrote, the key included.`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const OPTIONS = {
  config: { type: 'string' },
  broker: { type: 'string' },
  'state-dir': { type: 'string' },
  name: { type: 'string' },
  display: { type: 'string' },
  'rotate-key': { type: 'boolean' },
  'enrolment-code': { type: 'string' },
  user: { type: 'string' },
  prefix: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `beckon-assist host …`: exit code 0 done, 1 failed, 2 usage, 3 refused by the broker. */
export async function runHostCli(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    io.err(`beckon-assist host: ${(err as Error).message}\n\n${HOST_USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const usage = (message: string) => {
    io.err(`beckon-assist host: ${message}\n\n${HOST_USAGE}`);
    return 2;
  };
  if (v.help || positionals.length === 0) {
    io.out(HOST_USAGE);
    return v.help ? 0 : 2;
  }
  if (v.display !== undefined && !/^[A-Za-z0-9.-]*:\d+(\.\d+)?$/.test(v.display))
    return usage('--display must look like :0 or host:1');
  const file = v.config ? parseHostConfigFile(readFileSync(v.config, 'utf8')) : {};
  const broker = v.broker ?? file.BECKON_BROKER_URL;
  if (broker !== undefined && !isHttpUrl(broker)) return usage('--broker must be an http(s) URL');
  try {
    switch (positionals[0]) {
      case 'run': {
        const stateDir = v['state-dir'] ?? file.BECKON_HOST_STATE_DIR;
        if (!broker || !stateDir) return usage('run needs --config, or --broker and --state-dir');
        const timeoutSec = Number(file.BECKON_CONSENT_TIMEOUT_SEC ?? process.env.BECKON_CONSENT_TIMEOUT_SEC);
        const { runHost } = await import('./run-host.ts');
        return await runHost(
          {
            brokerUrl: broker,
            stateDir,
            name: v.name ?? file.BECKON_HOST_NAME,
            enrolmentCode: process.env.BECKON_ENROLMENT_CODE ?? file.BECKON_ENROLMENT_CODE,
            display: v.display ?? file.DISPLAY ?? process.env.DISPLAY,
            consentTimeoutMs: timeoutSec > 0 ? timeoutSec * 1000 : undefined,
            rotateKey: v['rotate-key'],
          },
          io,
        );
      }
      case 'install':
        if (!broker) return usage('install needs --broker');
        await installHost(
          {
            prefix: v.prefix ?? '/',
            dryRun: v['dry-run'] ?? false,
            brokerUrl: broker,
            enrolmentCode: v['enrolment-code'] ?? process.env.BECKON_ENROLMENT_CODE,
            name: v.name,
            user: v.user,
            display: v.display,
            node: process.execPath,
            cli: join(import.meta.dirname, '../../bin/beckon-assist.js'),
          },
          io.out,
        );
        return 0;
      case 'uninstall':
        await uninstallHost({ prefix: v.prefix ?? '/', dryRun: v['dry-run'] ?? false }, io.out);
        return 0;
      default:
        return usage(`unknown command ${JSON.stringify(positionals[0])}`);
    }
  } catch (err) {
    io.err(`beckon-assist host: ${(err as Error).message}`);
    return 1;
  }
}
