import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { ConsentAnswer, ConsentQuestion } from '../engine/consent.ts';
import {
  FileQuestions,
  type FileQuestionsOptions,
  type ShownFileQuestion,
} from '../engine/file-questions.ts';
import type { HostUi } from '../engine/host-session.ts';

/**
 * The desktop's own dialog tool, for the Linux bundle started without a
 * terminal: zenity (GNOME and most desktops; `--no-markup`, so names are text)
 * or, where only the X11 basics exist, xmessage. Both take the text as an
 * argument, never through a shell.
 */
export type DialogTool = 'zenity' | 'xmessage';

/** The first dialog tool on PATH, or null. */
export function findDialogTool(env: Record<string, string | undefined> = process.env): DialogTool | null {
  for (const tool of ['zenity', 'xmessage'] as const) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { env: { PATH: env['PATH'] ?? '' } });
    if (found.status === 0) return tool;
  }
  return null;
}

const PERMISSION_WORDS: Record<string, string> = {
  view: 'see your screen',
  control: 'control your mouse and keyboard',
  file_transfer: 'send and receive files',
  system_info: 'read system information',
};

const TITLE = 'Beckon Assist';

/** One dialog's answer: which button (by its index in `buttons`), or null when it was closed or timed out. */
function dialog(
  tool: DialogTool,
  text: string,
  buttons: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutSec?: number,
): { child: ChildProcess; answer: Promise<number | null> } {
  let args: string[];
  if (tool === 'zenity') {
    // --question: OK is buttons[0], Cancel the last; a middle one is an extra button, printed on stdout.
    args = ['--question', '--no-markup', `--title=${TITLE}`, `--text=${text}`, `--ok-label=${buttons[0]}`];
    if (buttons.length > 1) args.push(`--cancel-label=${buttons[buttons.length - 1]}`);
    for (const extra of buttons.slice(1, -1)) args.push(`--extra-button=${extra}`);
    if (buttons.length === 1)
      args = ['--info', '--no-markup', `--title=${TITLE}`, `--text=${text}`, `--ok-label=${buttons[0]}`];
    if (timeoutSec) args.push(`--timeout=${timeoutSec}`);
  } else {
    // xmessage: each button exits with its own code; Return presses the default (the first).
    args = [
      '-title',
      TITLE,
      '-center',
      '-buttons',
      buttons.map((b, i) => `${b}:${10 + i}`).join(','),
      '-default',
      buttons[0]!,
    ];
    if (timeoutSec) args.push('-timeout', String(timeoutSec));
    args.push(text);
  }
  const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const answer = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', (code) => {
      if (tool === 'xmessage') return resolve(code !== null && code >= 10 ? code - 10 : null);
      const extra = buttons.indexOf(out.trim());
      if (extra > 0) return resolve(extra);
      if (code === 0) return resolve(0);
      // 1 is Cancel (the last button); 5 a timeout, -1 or a signal a closed dialog.
      return resolve(code === 1 && buttons.length > 1 ? buttons.length - 1 : null);
    });
  });
  return { child, answer };
}

/**
 * The bundle's windowed face (SR6: asked in a window where a desktop and a
 * dialog tool exist): the consent question, each file, and while a session
 * runs an indicator window whose Stop ends it, shown again if it is closed.
 * Deny by default, as everywhere: a closed or timed-out question is a deny.
 */
export class DialogUi implements HostUi {
  private readonly tool: DialogTool;
  private readonly env: NodeJS.ProcessEnv;
  private indicator: ChildProcess | null = null;
  private fileDialog: ChildProcess | null = null;
  readonly fileQuestions: FileQuestions<{ name: string; size: number }>;
  onCommand: (command: 'stop' | 'quit') => void = () => {};

  constructor(tool: DialogTool, env: NodeJS.ProcessEnv = process.env, files?: FileQuestionsOptions) {
    this.tool = tool;
    this.env = env;
    this.fileQuestions = new FileQuestions(
      {
        show: (q) => this.showFile(q),
        hide: () => {
          this.fileDialog?.kill();
          this.fileDialog = null;
        },
      },
      files,
    );
  }

  print(line: string): void {
    process.stdout.write(`${line}\n`);
  }

  askConsent(q: ConsentQuestion, signal: AbortSignal): Promise<ConsentAnswer> {
    const wants = q.permissions.map((p) => PERMISSION_WORDS[p] ?? p).join(', ');
    const text =
      `${q.agentName} from ${q.orgName} asks to ${wants}.` +
      (q.comment ? `\n\nComment: ${q.comment}` : '') +
      `\n\nNothing is shared until you press Allow. No answer within ${q.timeoutSec} s is a deny.`;
    const viewOnly = q.permissions.includes('control');
    const buttons = viewOnly ? ['Allow', 'View only', 'Deny'] : ['Allow', 'Deny'];
    const shown = dialog(this.tool, text, buttons, this.env, q.timeoutSec);
    const close = () => shown.child.kill();
    signal.addEventListener('abort', close, { once: true });
    return shown.answer.then((i) => {
      signal.removeEventListener('abort', close);
      if (signal.aborted || i === null || buttons[i] === 'Deny') return { allow: false };
      return buttons[i] === 'View only' ? { allow: true, permissions: ['view'] } : { allow: true };
    });
  }

  confirmFile(offer: { name: string; size: number }, withdrawn?: AbortSignal): Promise<boolean> {
    return this.fileQuestions.ask(offer, withdrawn);
  }

  private showFile(q: ShownFileQuestion<{ name: string; size: number }>): void {
    const shown = dialog(
      this.tool,
      `The agent sends you the file "${q.name}" (${q.size} bytes). Save it?`,
      ['Save file', 'Decline'],
      this.env,
    );
    this.fileDialog = shown.child;
    void shown.answer.then((i) => {
      if (this.fileDialog === shown.child) this.fileQuestions.answer(q.id, i === 0);
    });
  }

  /** The indicator: on screen for the whole session; its Stop ends it, and closing it shows it again. */
  showIndicator(text: string): void {
    this.hideIndicator();
    const shown = dialog(this.tool, `${text}\n\nPress Stop to end the session at once.`, ['Stop'], this.env);
    this.indicator = shown.child;
    void shown.answer.then((i) => {
      if (this.indicator !== shown.child) return;
      this.indicator = null;
      if (i === 0) this.onCommand('stop');
      else this.showIndicator(text);
    });
  }

  hideIndicator(): void {
    const child = this.indicator;
    this.indicator = null;
    child?.kill();
  }

  close(): void {
    this.hideIndicator();
    this.fileQuestions.withdrawAll();
  }
}
