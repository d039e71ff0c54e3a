export interface IceRestartOptions {
  /** How long `disconnected` may last before a restart (it often heals by itself). */
  disconnectedMs?: number;
  /** How long a restart may take before the next one. */
  retryMs?: number;
  /** Restarts in a row without reaching `connected` before giving up. */
  maxAttempts?: number;
}

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Decides when to restart ICE from the connection state alone, so the rule is
 * testable with a fake clock: at once on `failed`, after a grace period on
 * `disconnected` (a short Wi-Fi hiccup recovers without one), again if a
 * restart has not led back to `connected`, and never more than `maxAttempts`
 * times in a row.
 */
export class IceWatchdog {
  private readonly onRestart: (attempt: number) => void;
  private readonly onGiveUp: () => void;
  private readonly disconnectedMs: number;
  private readonly retryMs: number;
  private readonly maxAttempts: number;
  private readonly timers: Timers;
  private timer: unknown = undefined;
  private attemptsInRow = 0;
  private restarting = false;
  private stopped = false;
  private state: RTCPeerConnectionState = 'new';

  constructor(
    options: IceRestartOptions & {
      onRestart: (attempt: number) => void;
      onGiveUp?: () => void;
      timers?: Timers;
    },
  ) {
    this.onRestart = options.onRestart;
    this.onGiveUp = options.onGiveUp ?? (() => {});
    this.disconnectedMs = options.disconnectedMs ?? 3000;
    this.retryMs = options.retryMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.timers = options.timers ?? realTimers;
  }

  get attempts(): number {
    return this.attemptsInRow;
  }

  update(state: RTCPeerConnectionState): void {
    if (this.stopped) return;
    this.state = state;
    if (state === 'connected') {
      this.clear();
      this.attemptsInRow = 0;
      this.restarting = false;
    } else if (state === 'closed') {
      this.stop();
    } else if (this.restarting) {
      // A restart is under way; its own retry timer decides what happens next.
    } else if (state === 'failed') {
      this.clear();
      this.restart();
    } else if (state === 'disconnected' && this.timer === undefined) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        if (this.state === 'disconnected' || this.state === 'failed') this.restart();
      }, this.disconnectedMs);
    }
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private restart(): void {
    if (this.attemptsInRow >= this.maxAttempts) {
      this.restarting = false;
      this.stop();
      this.onGiveUp();
      return;
    }
    this.attemptsInRow += 1;
    this.restarting = true;
    this.onRestart(this.attemptsInRow);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.state !== 'connected') this.restart();
    }, this.retryMs);
  }

  private clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
