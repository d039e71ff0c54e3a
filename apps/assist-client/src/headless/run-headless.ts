import { selectBackend } from '@beckon/capture';
import { parseSessionCode } from '@beckon/protocol';
import wrtc from '@roamhq/wrtc';
import { HostRecord } from '../engine/host-record.ts';
import { HostSession } from '../engine/host-session.ts';
import { JoinError } from '../engine/join.ts';
import type { HeadlessArgs } from './args.ts';
import type { CliOutput } from './cli.ts';
import { DialogUi, type DialogTool } from './dialog-ui.ts';
import { TerminalUi } from './terminal-ui.ts';

/**
 * The headless assist client: the host engine with the terminal as its face.
 * The indicator is a printed line; Ctrl-C stops the session and quits.
 */
export async function runHeadless(
  args: HeadlessArgs,
  io: CliOutput,
  opts: { downloadDir: string; dialog?: DialogTool | undefined; recordFile: string },
): Promise<number> {
  const selected = await selectBackend(process.platform, args.display ? { display: args.display } : {});
  if (!selected.ok) {
    io.err(`beckon-assist: ${selected.error.message}`);
    return 1;
  }
  const backend = selected.backend;
  // A window when the bundle was started from the desktop and knows its session;
  // the terminal otherwise (it is also where a code is typed).
  const ui =
    opts.dialog && args.target ? new DialogUi(opts.dialog) : new TerminalUi(process.stdin, process.stdout);
  let target = args.target;
  while (!target && ui instanceof TerminalUi) {
    const code = parseSessionCode(await ui.ask('Enter the session code you were given (like s12-345-678):'));
    if (code) target = { kind: 'code', code };
    else ui.print('That is not a session code.');
  }
  if (!target) return 2;
  const session = new HostSession({
    brokerUrl: args.brokerUrl,
    target,
    backend,
    wrtc: wrtc as unknown as ConstructorParameters<typeof HostSession>[0]['wrtc'],
    ui,
    downloadDir: opts.downloadDir,
    record: new HostRecord(opts.recordFile, (line) => io.err(`beckon-assist: ${line}`)),
    log: (line) => io.err(`beckon-assist: ${line}`),
  });
  session.on('status', (s) => ui.print(`status: ${s}`));
  session.on('consent', (c) => ui.print(c.granted ? `allowed (${c.reason})` : `denied (${c.reason})`));
  session.on('live', (l) => {
    const line = `● You are being helped by ${l.agentName} (${l.permissions.join(', ')}) — verification code ${l.verificationCode}.`;
    ui.print(`${line} Type "stop" or press Ctrl-C to stop.`);
    if (ui instanceof DialogUi) ui.showIndicator(line);
  });
  session.on('ended', (e) => {
    if (ui instanceof DialogUi) ui.hideIndicator();
    // Its transfers are gone: a file question left open would ask about nothing.
    ui.fileQuestions.withdrawAll();
    ui.print(`session ended: ${e.reason}`);
  });
  session.on('fileSaved', (p) => ui.print(`file saved: ${p}`));

  const done = new Promise<string>((resolve) => session.on('closed', (c) => resolve(c.reason)));
  const quit = (reason: string) => {
    session.stop();
    session.leave(reason);
  };
  ui.onCommand = (command) => (command === 'stop' ? session.stop() : quit('quit'));
  process.once('SIGINT', () => quit('interrupted'));
  process.once('SIGTERM', () => quit('terminated'));
  try {
    const summary = await session.start();
    ui.print(
      `Joined ${summary.displayCode} for ${summary.recipientName}: ${summary.agentName} from ${summary.organisation}` +
        `${summary.comment ? ` (“${summary.comment}”)` : ''}. Waiting for the agent…`,
    );
  } catch (err) {
    io.err(
      `beckon-assist: ${err instanceof JoinError ? `${err.message} (${err.code})` : (err as Error).message}`,
    );
    ui.close();
    await backend.close();
    return 1;
  }
  const reason = await done;
  ui.print(`left: ${reason}`);
  ui.close();
  await backend.close();
  return 0;
}
