import { homedir } from 'node:os';
import { join } from 'node:path';
import { formatHostRecord, HOST_RECORD_FILE, readHostRecord, userDataDir } from '../engine/host-record.ts';
import { parseHeadlessArgs, USAGE, type HeadlessArgs } from './args.ts';
import type { DialogTool } from './dialog-ui.ts';

export { USAGE };

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Returns the exit code: 0 done or help, 1 failure, 2 usage error. */
export async function runCli(
  argv: readonly string[],
  io: CliOutput = stdio,
  programPath = process.argv[1] ?? '',
  face: { dialog?: DialogTool | undefined } = {},
): Promise<number> {
  if (argv[0] === 'host') {
    // The managed host's own commands (long-running mode, install, uninstall).
    const { runHostCli } = await import('../managed/host-cli.ts');
    return runHostCli(argv.slice(1), io);
  }
  if (argv[0] === 'adhoc') {
    // The temporary host of ad-hoc support (install, activate, run, end).
    const { runAdhocCli } = await import('../adhoc/adhoc-cli.ts');
    return runAdhocCli(argv.slice(1), io);
  }
  const parsed = parseHeadlessArgs(argv, programPath);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`beckon-assist: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.kind === 'history') {
    const file = join(parsed.dataDir ?? userDataDir(), HOST_RECORD_FILE);
    const { entries, unreadable } = readHostRecord(file);
    io.out(`Questions, answers and sessions on this computer (${file}):`);
    for (const line of formatHostRecord(entries)) io.out(line);
    if (entries.length === 0) io.out('(none yet)');
    if (unreadable > 0) io.err(`beckon-assist: ${unreadable} line(s) of the record could not be read`);
    return 0;
  }
  // The engine loads native modules (wrtc, libnut): only once the arguments are sound.
  const { runHeadless } = await import('./run-headless.ts');
  return runHeadless(parsed.args satisfies HeadlessArgs, io, {
    downloadDir: parsed.args.downloadDir ?? join(homedir(), 'Downloads', 'Beckon'),
    dialog: face.dialog,
    recordFile: join(parsed.args.dataDir ?? userDataDir(), HOST_RECORD_FILE),
  });
}

if (import.meta.main) {
  // process.exit, not exitCode: @roamhq/wrtc crashes Node's own teardown once a track was used.
  process.exit(await runCli(process.argv.slice(2)));
}
