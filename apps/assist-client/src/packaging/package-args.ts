import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isHttpUrl } from '../shared/http-url.ts';
import { PLATFORMS, type Platform } from './builder-config.ts';

export const USAGE = `usage: scripts/beckon package-assist --broker <url> [--token <token>] [--out <dir>]
                                [--platform linux|win|mac] [--inputs-only]

Builds the assist client for one organisation (SR8): its broker, name, logo and
colours are baked in, and electron-builder signs it where signing is set up.
  --broker <url>     the organisation's broker, e.g. https://support.example.com
  --token <token>    an administrator's sign-in token (POST /api/v1/auth/login);
                     better: set BECKON_ADMIN_TOKEN, which other users cannot see in ps
  --out <dir>        where the inputs and installers go
                     (default: apps/assist-client/dist/<organisation>)
  --platform <p>     linux, win or mac (default: this machine's)
  --inputs-only      write the inputs and print the commands; build nothing
  -h, --help         show this help

Signing: electron-builder reads CSC_LINK + CSC_KEY_PASSWORD (Windows, macOS),
CSC_NAME, APPLE_* for notarization; see build/assist-client.electron-builder.yml.
Exit status: 0 built (or inputs only), 1 failed, 2 usage, 3 inputs written but
installers cannot be built on this machine (the reason is printed).`;

export interface PackageArgs {
  brokerUrl: string;
  token: string;
  out?: string | undefined;
  platform: Platform;
  inputsOnly: boolean;
}

export type ParsedPackageArgs =
  { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; args: PackageArgs };

const ArgsSchema = z.strictObject({
  brokerUrl: z
    .url({ error: '--broker must be a URL like https://support.example.com' })
    .refine((u) => !URL.canParse(u) || isHttpUrl(u), '--broker must be http(s)'),
  token: z
    .string({ error: 'no administrator token: pass --token or set BECKON_ADMIN_TOKEN' })
    .min(1, 'no administrator token: pass --token or set BECKON_ADMIN_TOKEN')
    .max(128, 'the token is longer than any Beckon token')
    .regex(/^[\x21-\x7e]+$/, 'the token must be printable ASCII without spaces'),
  out: z.string().min(1, '--out must name a folder').optional(),
  platform: z.enum(PLATFORMS, { error: '--platform must be linux, win or mac' }),
  inputsOnly: z.boolean(),
});

const HOST_PLATFORM: Partial<Record<NodeJS.Platform, Platform>> = {
  linux: 'linux',
  win32: 'win',
  darwin: 'mac',
};

/** Parses the command line strictly; nothing from it is used before it passed. */
export function parsePackageArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  host: NodeJS.Platform = process.platform,
): ParsedPackageArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        broker: { type: 'string' },
        token: { type: 'string' },
        out: { type: 'string' },
        platform: { type: 'string' },
        'inputs-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };
  if (values.broker === undefined) return { kind: 'error', message: '--broker is required' };
  const parsed = ArgsSchema.safeParse({
    brokerUrl: values.broker,
    token: values.token ?? env['BECKON_ADMIN_TOKEN'],
    out: values.out,
    platform: values.platform ?? HOST_PLATFORM[host] ?? 'linux',
    inputsOnly: values['inputs-only'] ?? false,
  });
  if (!parsed.success)
    return { kind: 'error', message: parsed.error.issues.map((i) => i.message).join('; ') };
  return { kind: 'run', args: { ...parsed.data, brokerUrl: parsed.data.brokerUrl.replace(/\/+$/, '') } };
}
