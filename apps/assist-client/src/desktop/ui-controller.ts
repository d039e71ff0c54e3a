import { handleValidated, noArgs, type InvokeRegistry } from '@beckon/electron-shell';
import { z } from 'zod';
import { FileQuestions, type FileQuestionsOptions } from '../engine/file-questions.ts';
import {
  API_SPECS,
  type ConsentPrompt,
  type FileQuestion,
  type IndicatorStatus,
  type WindowName,
} from '../shared/ipc.ts';
import { createConsentGate, type ConsentDecision } from './consent-gate.ts';
import { createObservable } from './observable.ts';
import type { WindowHandle, WindowOpener } from './windows-contract.ts';

const senderOf = z.object({ sender: z.object({ id: z.number() }) });
/** The id of the file question answered: the files window says which one it shows. */
const questionId = z.tuple([z.string().min(1).max(32)]);

/**
 * The customer's windows, as main sees them: the consent question, the
 * "session is on" indicator with Stop, and the file confirmation. Each
 * window's IPC answers only that window; every argument is parsed. Closing
 * the consent window denies, closing a file question declines, closing the
 * indicator stops: leaving is never consent. File questions come one window
 * at a time from a bounded queue (`FileQuestions`), answered by id.
 */
export class UiController {
  private readonly windows: WindowOpener;
  private readonly open = new Map<WindowName, WindowHandle>();
  private readonly consentGate = createConsentGate();
  private readonly fileQuestions: FileQuestions<FileQuestion>;
  private readonly status = createObservable<IndicatorStatus | null>(null);
  private readonly stopListeners = new Set<() => void>();

  constructor(registry: InvokeRegistry, windows: WindowOpener, fileOptions: FileQuestionsOptions = {}) {
    this.windows = windows;
    this.fileQuestions = new FileQuestions<FileQuestion>(
      {
        // A new window per question: a click meant for the last one cannot reach this one.
        show: (q) => this.show('files', () => this.fileQuestions.answer(q.id, false)),
        hide: () => this.closeWindow('files'),
      },
      fileOptions,
    );
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
    handleValidated(registry, files.invoke.request, noArgs, from('files'), () => this.fileQuestions.shown());
    handleValidated(registry, files.invoke.accept, questionId, from('files'), ([id]) => {
      this.fileQuestions.answer(id, true);
    });
    handleValidated(registry, files.invoke.decline, questionId, from('files'), ([id]) => {
      this.fileQuestions.answer(id, false);
    });
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

  /**
   * Asks whether to save a file the agent sends; questions queue up (bounded:
   * past it this rejects with `FileOfferRefused`), one window at a time, and
   * one shown for a minute without an answer is a decline. `withdrawn` takes
   * the question back (the sender cancelled, the session ended).
   */
  confirmFile(question: FileQuestion, withdrawn?: AbortSignal): Promise<boolean> {
    return this.fileQuestions.ask(question, withdrawn);
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
}
