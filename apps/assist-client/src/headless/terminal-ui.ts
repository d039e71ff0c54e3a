import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ConsentAnswer, ConsentQuestion } from '../engine/consent.ts';
import type { HostUi } from '../engine/host-session.ts';

const PERMISSION_WORDS: Record<string, string> = {
  view: 'see your screen',
  control: 'control your mouse and keyboard',
  file_transfer: 'send and receive files',
  system_info: 'read system information',
};

type Pending =
  | { kind: 'line'; resolve: (line: string) => void }
  | { kind: 'consent'; resolve: (a: ConsentAnswer) => void }
  | { kind: 'file'; resolve: (ok: boolean) => void };

/**
 * The headless face: questions are printed, answers are lines on standard
 * input. Anything but a clear "allow" is not an Allow. Lines that answer no
 * question are commands (`stop`, `quit`).
 */
export class TerminalUi implements HostUi {
  private readonly rl: Interface;
  private readonly out: Writable;
  private pending: Pending | null = null;
  onCommand: (command: 'stop' | 'quit') => void = () => {};

  constructor(input: Readable, out: Writable) {
    this.out = out;
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

  /** Prints `question` and resolves with the next line typed (as typed, trimmed). */
  ask(question: string): Promise<string> {
    this.print(question);
    return new Promise((resolve) => {
      this.pending = { kind: 'line', resolve };
    });
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

  confirmFile(offer: { name: string; size: number }): Promise<boolean> {
    this.print(`The agent sends the file "${offer.name}" (${offer.size} bytes). Accept? Type "yes" or "no".`);
    return new Promise((resolve) => {
      this.pending = { kind: 'file', resolve };
    });
  }

  private onLine(line: string): void {
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
    if (p?.kind === 'file') {
      this.pending = null;
      p.resolve(line === 'yes' || line === 'y');
      return;
    }
    if (line === 'stop' || line === 'quit') this.onCommand(line);
  }

  close(): void {
    this.rl.close();
  }
}
