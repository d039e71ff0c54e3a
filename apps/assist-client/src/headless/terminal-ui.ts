import { spawnSync } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ConsentAnswer, ConsentQuestion } from '../engine/consent.ts';
import {
  FileQuestions,
  type FileQuestionEnd,
  type FileQuestionsOptions,
  type ShownFileQuestion,
} from '../engine/file-questions.ts';
import type { HostUi } from '../engine/host-session.ts';

type FileOffer = { name: string; size: number };

export interface TerminalUiOptions {
  files?: FileQuestionsOptions;
  /**
   * A bare "yes"/"no" that comes this soon after a file question left the
   * screen is not taken for the next one (default 1 s): it was most likely
   * typed for the one that just left, and must not land on a file nobody read.
   */
  settleMs?: number;
  /**
   * Turns the terminal's echo off and on around a secret (a password for the OS check). The
   * default uses `stty` when the input is a terminal and does nothing otherwise (a pipe has no echo).
   */
  echo?: (on: boolean) => void;
}

function sttyEcho(input: Readable): (on: boolean) => void {
  if (input !== process.stdin || !process.stdin.isTTY) return () => {};
  return (on) => void spawnSync('stty', [on ? 'echo' : '-echo'], { stdio: ['inherit', 'ignore', 'ignore'] });
}

/** "yes", "no", "y", "n", optionally with the question's number: "yes 3". */
const FILE_ANSWER = /^(yes|y|no|n)(?:\s+#?(\d+))?$/;

const PERMISSION_WORDS: Record<string, string> = {
  view: 'see your screen',
  control: 'control your mouse and keyboard',
  file_transfer: 'send and receive files',
  system_info: 'read system information',
};

type Pending =
  | { kind: 'line'; resolve: (line: string) => void }
  | { kind: 'consent'; resolve: (a: ConsentAnswer) => void };

/**
 * The headless face: questions are printed, answers are lines on standard
 * input. Anything but a clear "allow" is not an Allow, and only "yes" saves
 * a file. File questions come one at a time (`FileQuestions`), each printed
 * with its number, file and size; "yes"/"no" answer the one printed last,
 * "yes 3" only question 3. Lines that answer no question are commands
 * (`stop`, `quit`).
 */
export class TerminalUi implements HostUi {
  private readonly rl: Interface;
  private readonly out: Writable;
  private pending: Pending | null = null;
  readonly fileQuestions: FileQuestions<FileOffer>;
  private readonly settleMs: number;
  private readonly answerSec: number;
  private readonly echo: (on: boolean) => void;
  /** When a file question last left the screen. */
  private fileGoneAt = -Infinity;
  /** A refusal was printed since the last question was shown: a flood is one line, not thousands. */
  private refusalSaid = false;
  onCommand: (command: 'stop' | 'quit') => void = () => {};

  constructor(input: Readable, out: Writable, options: TerminalUiOptions = {}) {
    this.out = out;
    this.settleMs = options.settleMs ?? 1000;
    this.echo = options.echo ?? sttyEcho(input);
    this.answerSec = Math.ceil((options.files?.answerTimeoutMs ?? 60_000) / 1000);
    const maxPending = options.files?.maxPending ?? 16;
    this.fileQuestions = new FileQuestions<FileOffer>(
      {
        show: (q, waiting) => this.showFile(q, waiting),
        hide: (q, end) => this.hideFile(q, end),
        refused: () => {
          if (this.refusalSaid) return;
          this.refusalSaid = true;
          this.print(
            `Declined a file from the agent: ${maxPending} files are already waiting for an answer.`,
          );
        },
      },
      options.files,
    );
    this.rl = createInterface({ input, terminal: false });
    this.rl.on('line', (line) => {
      const p = this.pending;
      if (p?.kind === 'line') {
        this.pending = null;
        return p.resolve(line.trim());
      }
      this.onLine(line.trim().toLowerCase());
    });
  }

  print(line: string): void {
    this.out.write(`${line}\n`);
  }

  /** Prints `question` and resolves with the next line typed (as typed, trimmed); '' once `signal` aborts. */
  ask(question: string, signal?: AbortSignal): Promise<string> {
    this.print(question);
    return new Promise((resolve) => {
      this.pending = { kind: 'line', resolve };
      signal?.addEventListener('abort', () => {
        if (this.pending?.resolve === resolve) this.pending = null;
        resolve('');
      });
    });
  }

  /** As `ask`, with the terminal's echo off until the line is in: what is typed is not shown. */
  async askSecret(question: string, signal?: AbortSignal): Promise<string> {
    this.echo(false);
    try {
      return await this.ask(question, signal);
    } finally {
      this.echo(true);
      this.out.write('\n');
    }
  }

  askConsent(q: ConsentQuestion, signal: AbortSignal): Promise<ConsentAnswer> {
    const wants = q.permissions.map((p) => PERMISSION_WORDS[p] ?? p).join(', ');
    this.print(`\n${q.agentName} from ${q.orgName} asks to ${wants}.`);
    if (q.comment) this.print(`Comment: ${q.comment}`);
    this.print(
      `Type "allow" to allow${q.permissions.includes('control') ? ', "view" to allow viewing only' : ''}, or "deny". ` +
        `No answer within ${q.timeoutSec} s is a deny.`,
    );
    return new Promise((resolve) => {
      this.pending = { kind: 'consent', resolve };
      signal.addEventListener('abort', () => {
        if (this.pending?.resolve === resolve) {
          this.pending = null;
          this.print('The question was withdrawn (no answer in time: denied).');
        }
        resolve({ allow: false });
      });
    });
  }

  /** Queues a question about one file; `withdrawn` takes it back (the sender cancelled, the session ended). */
  confirmFile(offer: FileOffer, withdrawn?: AbortSignal): Promise<boolean> {
    return this.fileQuestions.ask({ name: offer.name, size: offer.size }, withdrawn);
  }

  private showFile(q: ShownFileQuestion<FileOffer>, waiting: number): void {
    this.refusalSaid = false;
    this.print(
      `\nFile question ${q.id}: the agent sends the file "${q.name}" (${q.size} bytes). Accept? ` +
        `Type "yes" or "no"; no answer within ${this.answerSec} s is a no.` +
        (waiting ? ` (${waiting} more waiting)` : ''),
    );
  }

  private hideFile(q: ShownFileQuestion<FileOffer>, end: FileQuestionEnd): void {
    this.fileGoneAt = Date.now();
    if (end === 'timeout') this.print(`No answer about "${q.name}" in ${this.answerSec} s: declined.`);
    else if (end === 'withdrawn') this.print(`The file "${q.name}" was withdrawn.`);
    else this.print(`${end === 'yes' ? 'Accepted' : 'Declined'}: "${q.name}".`);
  }

  /** True when `line` was a file answer (taken or not); false when it is something else. */
  private onFileAnswer(line: string): boolean {
    const shown = this.fileQuestions.shown();
    const m = FILE_ANSWER.exec(line);
    if (!shown || !m) return false;
    const yes = m[1]!.startsWith('y');
    const id = m[2];
    if (id !== undefined && id !== shown.id) {
      this.print(`File question ${id} is not open; question ${shown.id} is about "${shown.name}".`);
    } else if (id === undefined && Date.now() - this.fileGoneAt < this.settleMs) {
      this.print(
        `The file question just changed: question ${shown.id} is about "${shown.name}" (${shown.size} bytes). ` +
          `Answer it again, or type "${yes ? 'yes' : 'no'} ${shown.id}".`,
      );
    } else {
      this.fileQuestions.answer(shown.id, yes);
    }
    return true;
  }

  private onLine(line: string): void {
    if (this.onFileAnswer(line)) return;
    const p = this.pending;
    if (p?.kind === 'consent') {
      if (!['allow', 'view', 'deny'].includes(line))
        return this.print('Please type "allow", "view" or "deny".');
      this.pending = null;
      p.resolve(
        line === 'deny'
          ? { allow: false }
          : line === 'view'
            ? { allow: true, permissions: ['view'] }
            : { allow: true },
      );
      return;
    }
    if (line === 'stop' || line === 'quit') return this.onCommand(line);
    const shown = this.fileQuestions.shown();
    if (shown) this.print(`Please type "yes" or "no" for the file "${shown.name}".`);
  }

  close(): void {
    this.fileQuestions.withdrawAll();
    this.rl.close();
  }
}
