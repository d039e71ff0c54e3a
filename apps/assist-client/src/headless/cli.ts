import { parseArgs } from 'node:util';
import { parseSessionCode } from '@beckon/protocol';
import { parseDeepLink } from '../main/deep-link.ts';

export const USAGE = `usage: beckon-assist --broker <url> (--link <beckon-assist://join/TOKEN> | --code <sXX-XXX-XXX>)

Runs the Beckon assist client without a window, for unattended hosts.
  --broker <url>   the Beckon broker, e.g. https://support.example.com
  --link <link>    a session link: beckon-assist://join/<token>
  --code <code>    a session code: s12345678 or s12-345-678
  -h, --help       show this help`;

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function usageError(io: CliOutput, message: string): number {
  io.err(`beckon-assist: ${message}\n\n${USAGE}`);
  return 2;
}

/** Returns the exit code: 0 help, 1 failure, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliOutput = stdio): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        broker: { type: 'string' },
        link: { type: 'string' },
        code: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.broker) return usageError(io, 'missing --broker');
  if (!URL.canParse(values.broker) || !/^https?:$/.test(new URL(values.broker).protocol)) {
    return usageError(io, `--broker must be an http(s) URL, got ${JSON.stringify(values.broker)}`);
  }
  if (values.link === undefined && values.code === undefined)
    return usageError(io, 'missing --link or --code');
  if (values.link !== undefined && values.code !== undefined)
    return usageError(io, 'give --link or --code, not both');
  if (values.link !== undefined && !parseDeepLink(values.link)) {
    return usageError(io, '--link must look like beckon-assist://join/<token>');
  }
  if (values.code !== undefined && !parseSessionCode(values.code)) {
    return usageError(io, '--code must look like s12345678 or s12-345-678');
  }
  io.err('beckon-assist: the headless host engine is not implemented yet');
  return 1;
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
