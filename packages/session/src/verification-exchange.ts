import type { DataChannelMessage, VerifyMessage } from '@beckon/protocol';
import { commitment, randomNonce, verificationCodeFrom, type DtlsFingerprints } from './verification.ts';

/** The exchange failed: a reveal that does not match its commitment, a message out of turn, silence. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
}

const VERIFY_TYPES: ReadonlySet<string> = new Set(['verify_commit', 'verify_nonce', 'verify_reveal']);

export function isVerifyMessage(message: DataChannelMessage): message is VerifyMessage {
  return VERIFY_TYPES.has(message.type);
}

export interface VerificationExchangeOptions {
  /** The agent (offerer) commits and reveals; the host answers with its nonce and checks. */
  initiator: boolean;
  /** Sends on `control`; false if the channel is not open. */
  send(message: VerifyMessage): boolean;
  /** Both fingerprints of the live connection, read when needed; throws if there are none. */
  fingerprints(): DtlsFingerprints;
  /** How long after `start` the other side has to finish its part. */
  timeoutMs?: number;
  /** A failure, or a verification message after the exchange ended, for the app's log. */
  onError?(error: VerificationError): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * One run of the commit-then-reveal exchange (see verification.ts for why).
 * The agent: on `start`, sends `verify_commit` = H(nonce_A, fingerprints);
 * on `verify_nonce`, reveals nonce_A and has its code. The host: once it holds
 * a commitment and has started, sends its nonce_B (never before a commitment:
 * that order is what stops a relay from choosing nonce_A knowing nonce_B); on
 * `verify_reveal`, checks the nonce against the commitment over the
 * fingerprints it sees itself, and only then has its code. Anything out of
 * turn ends the exchange without a code: there is never a second try on one
 * connection.
 */
export class VerificationExchange {
  /** Settles once: the code, or the reason there is none. */
  readonly code: Promise<string>;
  private readonly opts: VerificationExchangeOptions;
  private resolveCode!: (code: string) => void;
  private rejectCode!: (error: Error) => void;
  private settled = false;
  private started = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly ownNonce = randomNonce();
  /** The message this side takes next; null: none until this side acts. */
  private expected: VerifyMessage['type'] | null;
  /** Host: the agent's commitment, kept until it is checked. */
  private commit: string | null = null;

  constructor(opts: VerificationExchangeOptions) {
    this.opts = opts;
    this.expected = opts.initiator ? null : 'verify_commit';
    this.code = new Promise<string>((resolve, reject) => {
      this.resolveCode = resolve;
      this.rejectCode = reject;
    });
    // A caller may never ask for the code; its failure is reported through onError.
    this.code.catch(() => {});
  }

  /** The connection is up (channels open): the agent commits, the host answers a commitment it holds. */
  start(): void {
    if (this.started || this.settled) return;
    this.started = true;
    const ms = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timer = setTimeout(
      () =>
        this.fail(`no verification code within ${ms / 1000} s: the other side did not finish the exchange`),
      ms,
    );
    if (this.opts.initiator) {
      const fingerprints = this.guard(() => this.opts.fingerprints());
      if (!fingerprints) return;
      this.expected = 'verify_nonce';
      this.transmit({ type: 'verify_commit', commit: commitment(this.ownNonce, fingerprints) });
    } else if (this.commit !== null) {
      this.answerCommit();
    }
  }

  receive(message: VerifyMessage): void {
    if (this.settled) {
      this.opts.onError?.(new VerificationError(`${message.type} after the verification ended: ignored`));
      return;
    }
    if (message.type !== this.expected) {
      this.fail(`${message.type} out of turn: no verification code for this connection`);
      return;
    }
    this.expected = null;
    switch (message.type) {
      case 'verify_commit':
        this.commit = message.commit;
        if (this.started) this.answerCommit();
        return;
      case 'verify_nonce': {
        if (!this.transmit({ type: 'verify_reveal', nonce: this.ownNonce })) return;
        const fingerprints = this.guard(() => this.opts.fingerprints());
        if (fingerprints) this.succeed(verificationCodeFrom(fingerprints, this.ownNonce, message.nonce));
        return;
      }
      case 'verify_reveal': {
        const fingerprints = this.guard(() => this.opts.fingerprints());
        if (!fingerprints) return;
        // Over the fingerprints this side sees: a relay's leg shows other ones.
        if (commitment(message.nonce, fingerprints) !== this.commit) {
          this.fail(
            'the agent revealed a nonce that does not match its commitment: someone may be between the peers',
          );
          return;
        }
        this.succeed(verificationCodeFrom(fingerprints, message.nonce, this.ownNonce));
        return;
      }
    }
  }

  /** The connection ended: no code any more, if there was none yet. */
  close(): void {
    this.settle(() =>
      this.rejectCode(new VerificationError('the connection closed before a code was agreed')),
    );
  }

  private answerCommit(): void {
    this.expected = 'verify_reveal';
    this.transmit({ type: 'verify_nonce', nonce: this.ownNonce });
  }

  private transmit(message: VerifyMessage): boolean {
    if (this.opts.send(message)) return true;
    this.fail(`could not send ${message.type}: the control channel is not open`);
    return false;
  }

  private guard<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  private succeed(code: string): void {
    this.settle(() => this.resolveCode(code));
  }

  private fail(reason: string): void {
    const error = new VerificationError(`verification failed: ${reason}`);
    if (this.settle(() => this.rejectCode(error))) this.opts.onError?.(error);
  }

  private settle(action: () => void): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.expected = null;
    clearTimeout(this.timer);
    action();
    return true;
  }
}
