import { FileTransfers } from '@beckon/session';

/** A question as a face shows it: its own id (never the sender's transfer id) and when it times out. */
export type ShownFileQuestion<Q> = Q & { readonly id: string; readonly deadline: number };

/** Why a question left the screen. */
export type FileQuestionEnd = 'yes' | 'no' | 'timeout' | 'withdrawn';

/** What a face does with questions: the terminal prints them, the Electron client opens a window. */
export interface FileQuestionFace<Q> {
  /** Puts `question` on screen; `waiting` more are queued behind it. Never two at once. */
  show(question: ShownFileQuestion<Q>, waiting: number): void;
  /** Takes it off screen again. */
  hide(question: ShownFileQuestion<Q>, end: FileQuestionEnd): void;
  /** An offer was refused unasked: the queue is full. */
  refused?(question: Q): void;
}

export interface FileQuestionsOptions {
  /** Questions waiting at once, the one on screen included (default 16); any more are refused. */
  maxPending?: number;
  /** How long a question is on screen before it counts as a "no" (default 60 s). */
  answerTimeoutMs?: number;
}

/** An offer refused without asking: the person already has `maxPending` questions to answer. */
export class FileOfferRefused extends Error {
  override readonly name = 'FileOfferRefused';
  constructor() {
    super(FileTransfers.TOO_MANY_PENDING);
  }
}

interface Entry<Q> {
  readonly question: Q;
  readonly resolve: (yes: boolean) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
  shown: ShownFileQuestion<Q> | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * The person's file questions, one at a time, for either face. Each offer
 * becomes a question with an id; only the question on screen can be
 * answered, and only by its id, so an answer given to one file never lands
 * on another that arrived meanwhile. The rest wait in a bounded queue; past
 * the bound an offer is refused at once, so a flood of offers is a handful of
 * questions and a few refusals, never a pile of prompts or of memory.
 *
 * The clock runs only for the question on screen, from when it is shown: a
 * queued question has not been seen, so time spent queued is not time the
 * person could use to answer it. Its wait is still bounded (at most
 * `maxPending - 1` questions ahead, each gone within `answerTimeoutMs`), and
 * the sender can withdraw it meanwhile (its `signal`).
 */
export class FileQuestions<Q> {
  private readonly face: FileQuestionFace<Q>;
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  private readonly waiting: Entry<Q>[] = [];
  private current: Entry<Q> | null = null;
  private lastId = 0;

  constructor(face: FileQuestionFace<Q>, options: FileQuestionsOptions = {}) {
    this.face = face;
    this.maxPending = Math.max(1, options.maxPending ?? 16);
    this.timeoutMs = options.answerTimeoutMs ?? 60_000;
  }

  /**
   * Asks about one file: true only for a "yes" to this very question. A
   * timeout or a withdrawal (`signal`) is a "no"; past the bound it rejects
   * with `FileOfferRefused` and nothing is asked.
   */
  ask(question: Q, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.pending >= this.maxPending) {
      this.face.refused?.(question);
      return Promise.reject(new FileOfferRefused());
    }
    return new Promise<boolean>((resolve) => {
      const entry: Entry<Q> = {
        question,
        resolve,
        signal,
        onAbort: () => this.settle(entry, 'withdrawn'),
        shown: null,
        timer: null,
      };
      signal?.addEventListener('abort', entry.onAbort, { once: true });
      this.waiting.push(entry);
      this.showNext();
    });
  }

  /** Answers the question on screen if its id is `id`; false (and nothing happens) otherwise. */
  answer(id: string, yes: boolean): boolean {
    const entry = this.current;
    if (!entry?.shown || entry.shown.id !== id) return false;
    this.settle(entry, yes ? 'yes' : 'no');
    return true;
  }

  /** The question on screen, if any. */
  shown(): ShownFileQuestion<Q> | null {
    return this.current?.shown ?? null;
  }

  /** Questions not answered yet, the one on screen included. */
  get pending(): number {
    return this.waiting.length + (this.current ? 1 : 0);
  }

  /** Withdraws every question (the face is closing): each counts as a "no". */
  withdrawAll(): void {
    for (const entry of [...this.waiting]) this.settle(entry, 'withdrawn');
    if (this.current) this.settle(this.current, 'withdrawn');
  }

  private showNext(): void {
    if (this.current) return;
    const entry = this.waiting.shift();
    if (!entry) return;
    const shown: ShownFileQuestion<Q> = {
      ...entry.question,
      id: String(++this.lastId),
      deadline: Date.now() + this.timeoutMs,
    };
    entry.shown = shown;
    entry.timer = setTimeout(() => this.settle(entry, 'timeout'), this.timeoutMs);
    // A question must not keep a process alive that has nothing else to do.
    entry.timer.unref?.();
    this.current = entry;
    this.face.show(shown, this.waiting.length);
  }

  private settle(entry: Entry<Q>, end: FileQuestionEnd): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.signal?.removeEventListener('abort', entry.onAbort);
    if (this.current === entry) {
      this.current = null;
      if (entry.shown) this.face.hide(entry.shown, end);
    } else {
      const at = this.waiting.indexOf(entry);
      if (at < 0) return;
      this.waiting.splice(at, 1);
    }
    entry.resolve(end === 'yes');
    this.showNext();
  }
}
