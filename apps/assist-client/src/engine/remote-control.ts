import {
  collectSystemInfo,
  createInputDispatcher,
  startMonitor,
  type CaptureBackend,
  type InputDispatcher,
  type Monitor,
} from '@beckon/capture';
import {
  INPUT_MESSAGE_TYPES,
  RemotePermission,
  type DataChannelMessage,
  type RemotePermission as Permission,
} from '@beckon/protocol';

export interface RemoteControlCounters {
  injected: number;
  /** Input messages dropped because `control` was not granted. */
  dropped: number;
  refused: number;
}

/**
 * What the agent's data-channel messages may do on this computer. Permissions
 * are checked on every message, not once per session (RustDesk's rule): a
 * view-only grant drops every input message; system information answers only
 * with `system_info`. The caller gives it only messages the session parsed.
 */
export class RemoteControl {
  readonly counters: RemoteControlCounters = { injected: 0, dropped: 0, refused: 0 };
  private readonly permissions: ReadonlySet<Permission>;
  private readonly backend: CaptureBackend;
  private readonly dispatcher: InputDispatcher;
  private readonly reply: (message: DataChannelMessage) => void;
  private readonly log: (line: string) => void;
  private monitor: Monitor | null = null;

  constructor(opts: {
    permissions: readonly Permission[];
    backend: CaptureBackend;
    reply: (message: DataChannelMessage) => void;
    log: (line: string) => void;
  }) {
    this.permissions = new Set(opts.permissions);
    this.backend = opts.backend;
    this.reply = opts.reply;
    this.log = opts.log;
    this.dispatcher = createInputDispatcher(opts.backend.input, {
      onError: (err, m) => this.log(`input ${m.type} not applied: ${(err as Error).message}`),
    });
  }

  allows(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  handle(message: DataChannelMessage): void {
    if (INPUT_MESSAGE_TYPES.has(message.type)) {
      if (!this.allows(RemotePermission.CONTROL)) {
        this.counters.dropped++;
        // One line for the first drop and then every 100th, so a flood cannot flood the log.
        if (this.counters.dropped % 100 === 1) {
          this.log(`view only: dropped ${this.counters.dropped} input message(s) from the agent`);
        }
        return;
      }
      if (message.type === 'clipboard') {
        // Clipboard access needs a desktop session's clipboard owner; the
        // headless host has none, and the Electron client handles it in main.
        this.counters.refused++;
        return;
      }
      this.counters.injected++;
      void this.dispatcher.dispatch(message as Parameters<InputDispatcher['dispatch']>[0]);
      return;
    }
    switch (message.type) {
      case 'sysinfo_request':
        if (!this.allows(RemotePermission.SYSTEM_INFO)) return this.refuse('sysinfo_request');
        void collectSystemInfo().then(
          (info) => this.reply({ type: 'sysinfo_snapshot', info }),
          (err: unknown) => this.log(`system information failed: ${(err as Error).message}`),
        );
        return;
      case 'monitor_start':
        if (!this.allows(RemotePermission.SYSTEM_INFO)) return this.refuse('monitor_start');
        this.monitor?.stop();
        this.monitor = startMonitor({
          intervalMs: message.intervalMs,
          onSample: (sample) => this.reply(sample),
          onError: (err) => this.log(`monitoring failed: ${(err as Error).message}`),
        });
        return;
      case 'monitor_stop':
        this.monitor?.stop();
        this.monitor = null;
        return;
      default:
        // hello, file_* (the file transfers handle them), stop (the session handles it).
        return;
    }
  }

  private refuse(what: string): void {
    this.counters.refused++;
    this.log(`refused ${what}: not granted`);
  }

  /** Session over: nothing stays pressed, nothing keeps sampling. */
  async close(): Promise<void> {
    this.monitor?.stop();
    this.monitor = null;
    await this.dispatcher.idle();
    await this.backend.input.releaseAll();
  }
}
