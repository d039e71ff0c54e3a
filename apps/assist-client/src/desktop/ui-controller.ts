import { z } from 'zod';
import { createConsentGate, type ConsentDecision } from '../main/consent-gate.ts';
import { handleValidated, noArgs, type InvokeRegistry } from '../main/ipc.ts';
import { createObservable } from '../main/observable.ts';
import {
  API_SPECS,
  type ConsentPrompt,
  type FileQuestion,
  type IndicatorStatus,
  type WindowName,
} from '../shared/ipc.ts';
import type { WindowHandle, WindowOpener } from './windows-contract.ts';

const senderOf = z.object({ sender: z.object({ id: z.number() }) });

/**
 * The end user's windows, as main sees them: the consent question, the
 * "session is on" indicator with Stop, and the file confirmation. Each
 * window's IPC answers only that window; every argument is parsed (these
 * channels take none). Closing the consent window denies, closing a file
 * question declines, closing the indicator stops: leaving is never consent.
 */
export class UiController {
  private readonly windows: WindowOpener;
  private readonly open = new Map<WindowName, WindowHandle>();
  private readonly consentGate = createConsentGate();
  private readonly fileGate = createConsentGate<FileQuestion>();
  /** One file question at a time; the next waits for the answer to this one. */
  private fileQueue: Promise<unknown> = Promise.resolve();
  private readonly status = createObservable<IndicatorStatus | null>(null);
  private readonly stopListeners = new Set<() => void>();

  constructor(registry: InvokeRegistry, windows: WindowOpener) {
    this.windows = windows;
    const from = (name: WindowName) => (event: unknown) => {
      const parsed = senderOf.safeParse(event);
      return parsed.success && parsed.data.sender.id === this.open.get(name)?.senderId;
    };
    const { consent, indicator, files } = API_SPECS;
    handleValidated(registry, consent.invoke.request, noArgs, from('consent'), () =>
      this.consentGate.pending(),
    );
    handleValidated(registry, consent.invoke.allow, noArgs, from('consent'), () =>
      this.decideConsent('allow'),
    );
    handleValidated(registry, consent.invoke.deny, noArgs, from('consent'), () => this.decideConsent('deny'));
    handleValidated(registry, indicator.invoke.status, noArgs, from('indicator'), () => this.status.get());
    handleValidated(registry, indicator.invoke.stop, noArgs, from('indicator'), () => this.fireStop());
    handleValidated(registry, files.invoke.request, noArgs, from('files'), () => this.fileGate.pending());
    handleValidated(registry, files.invoke.accept, noArgs, from('files'), () => this.decideFile('allow'));
    handleValidated(registry, files.invoke.decline, noArgs, from('files'), () => this.decideFile('deny'));
    this.status.subscribe((next) => {
      if (next) this.open.get('indicator')?.push(indicator.events.onStatus, next);
    });
  }

  /** Shows the consent window; resolves with the answer. The signal withdraws the question (a deny). */
  askConsent(prompt: ConsentPrompt, signal?: AbortSignal): Promise<ConsentDecision> {
    if (this.consentGate.pending()) return Promise.reject(new Error('a consent prompt is already open'));
    const answer = this.consentGate.ask(prompt);
    this.show('consent', () => this.consentGate.decide('deny'));
    signal?.addEventListener('abort', () => this.decideConsent('deny'), { once: true });
    return answer;
  }

  /** Asks whether to save a file the agent sends; questions queue up, one window at a time. */
  confirmFile(question: FileQuestion): Promise<boolean> {
    const answer = this.fileQueue.then(async () => {
      const decided = this.fileGate.ask(question);
      this.show('files', () => this.fileGate.decide('deny'));
      return (await decided) === 'allow';
    });
    this.fileQueue = answer.catch(() => false);
    return answer;
  }

  /** Shows the always-on-top indicator, or updates it. */
  showIndicator(next: IndicatorStatus): void {
    this.status.set(next);
    if (!this.open.has('indicator')) this.show('indicator', () => this.fireStop());
  }

  hideIndicator(): void {
    this.status.set(null);
    this.closeWindow('indicator');
  }

  /** The person pressed Stop (indicator, tray) or closed the indicator. Returns an unsubscribe. */
  onStop(listener: () => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  fireStop(): void {
    for (const listener of [...this.stopListeners]) listener();
  }

  private show(name: WindowName, onClosedByUser: () => void): void {
    this.closeWindow(name);
    const handle = this.windows.open(name, () => {
      if (this.open.get(name) !== handle) return;
      this.open.delete(name);
      onClosedByUser();
    });
    this.open.set(name, handle);
  }

  private closeWindow(name: WindowName): void {
    const handle = this.open.get(name);
    this.open.delete(name);
    handle?.close();
  }

  private decideConsent(decision: ConsentDecision): void {
    this.consentGate.decide(decision);
    this.closeWindow('consent');
  }

  private decideFile(decision: ConsentDecision): void {
    this.fileGate.decide(decision);
    this.closeWindow('files');
  }
}
