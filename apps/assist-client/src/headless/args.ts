import { parseArgs } from 'node:util';
import {
  brokerUrlFromCustomerLink,
  parseJoinLink,
  parseSessionCode,
  sessionCodeFromFileName,
} from '@beckon/protocol';
import type { JoinTarget } from '../engine/join.ts';
import { isHttpUrl } from '../shared/http-url.ts';

export const USAGE = `usage: beckon-assist [--broker <url>] (--link <link> | --code <sXX-XXX-XXX>) [--display :N]
       beckon-assist --history [--data-dir <dir>]

Runs the Beckon assist client without a window, for unattended hosts.
  --broker <url>        the Beckon broker, e.g. https://support.example.com
                        (not needed with a customer link https://…/j/<token>)
  --link <link>         a session link: https://<broker>/j/<token> or beckon-assist://join/<token>
  --code <code>         a session code: s12345678 or s12-345-678
  --display <:N>        the X display to share (default: $DISPLAY)
  --download-dir <dir>  where accepted files go (default: ~/Downloads/Beckon)
  --data-dir <dir>      where this computer's own record of questions, answers and sessions is kept
                        (default: ~/.local/share/beckon; the file is readable by you only)
  --history             print that record and exit
  -h, --help            show this help

The consent question is printed here; answer with a line "allow", "view" or "deny".
Type "stop" to end a session; Ctrl-C stops and quits.`;

export interface HeadlessArgs {
  brokerUrl: string;
  /** Null: ask for the code on the terminal. */
  target: JoinTarget | null;
  display: string | undefined;
  downloadDir: string | undefined;
  dataDir: string | undefined;
}

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'history'; dataDir: string | undefined }
  | { kind: 'run'; args: HeadlessArgs };

/**
 * Parses the command line strictly; nothing from it is used before it passed.
 * Without --link or --code the code comes from the program's own file name
 * (`BeckonAssist-s12345678`), or else the person is asked for it.
 */
export function parseHeadlessArgs(argv: readonly string[], programPath = ''): ParsedArgs {
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
        display: { type: 'string' },
        'download-dir': { type: 'string' },
        'data-dir': { type: 'string' },
        history: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  // Reading the record needs no broker: it is this computer's own.
  if (values.history) return { kind: 'history', dataDir: values['data-dir'] };
  if (values.link !== undefined && values.code !== undefined)
    return { kind: 'error', message: 'give --link or --code, not both' };
  if (values.broker !== undefined && !isHttpUrl(values.broker)) {
    return {
      kind: 'error',
      message: `--broker must be an http(s) URL, got ${JSON.stringify(values.broker)}`,
    };
  }
  if (values.display !== undefined && !/^[A-Za-z0-9.-]*:\d+(\.\d+)?$/.test(values.display)) {
    return { kind: 'error', message: '--display must look like :0 or host:1' };
  }
  let target: JoinTarget | null;
  let brokerUrl = values.broker;
  if (values.link === undefined && values.code === undefined) {
    const fromName = sessionCodeFromFileName(programPath);
    target = fromName ? { kind: 'code', code: fromName } : null;
  } else if (values.link !== undefined) {
    const token = parseJoinLink(values.link);
    if (!token)
      return {
        kind: 'error',
        message: '--link must look like https://<broker>/j/<token> or beckon-assist://join/<token>',
      };
    target = { kind: 'token', token };
    brokerUrl ??= brokerUrlFromCustomerLink(values.link) ?? undefined;
  } else {
    const code = parseSessionCode(values.code ?? '');
    if (!code) return { kind: 'error', message: '--code must look like s12345678 or s12-345-678' };
    target = { kind: 'code', code };
  }
  if (!brokerUrl) return { kind: 'error', message: 'missing --broker' };
  return {
    kind: 'run',
    args: {
      brokerUrl,
      target,
      display: values.display,
      downloadDir: values['download-dir'],
      dataDir: values['data-dir'],
    },
  };
}
