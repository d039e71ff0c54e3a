import type { CaptureBackend } from '@beckon/capture';
import type { ConsentGrant, RemotePermission as Permission, SessionStatus } from '@beckon/protocol';
import type { FileTransfers, WebSocketConstructor } from '@beckon/session';
import type { HostRecordSink } from './host-record.ts';
import type { JoinTarget } from './join.ts';
import type { RemoteControl } from './remote-control.ts';

// What the host engine's faces give it and hear from it (host-core.ts holds the engine itself).

/** The `ended` reason when the connection failed its verification exchange. */
export const VERIFICATION_FAILED = 'verification_failed';

/** What every host face needs, whatever runs its peer and its screen capture. */
export interface HostCoreOptions {
  brokerUrl: string;
  target: JoinTarget;
  backend: CaptureBackend;
  downloadDir: string;
  consentTimeoutMs?: number;
  /** 'relay' forces every byte through TURN (a policy some networks require; also how tests prove TURN works). */
  iceTransportPolicy?: 'all' | 'relay';
  WebSocket?: WebSocketConstructor;
  log?: (line: string) => void;
  /** The host's own record of questions, answers and sessions (host-record.ts); none when absent. */
  record?: HostRecordSink;
  /**
   * The grant this host holds, read at each question (a revoked one is gone
   * at once); the consent policy weighs it: a managed host's unattended-access
   * grant for this session, or a temporary host's activated ad-hoc session.
   */
  grant?: () => ConsentGrant | null;
  /**
   * An unattended session (UA7): nobody is there to ask, so a question the
   * grant does not admit is refused at once instead of shown.
   */
  grantOnly?: boolean;
  /** The clock the consent policy reads (a grant's window; tests inject one). */
  now?: () => number;
}

export type HostSessionEvents = {
  /** The request's status as the broker reports it. */
  status: [SessionStatus];
  /** The session is live: the indicator must show who is helping. */
  live: [{ agentName: string; permissions: Permission[]; relayed: boolean; verificationCode: string }];
  /** A problem the person or the log should see (e.g. no TURN relay could be reached). */
  problem: [string];
  /** The remote session ended (Stop, the agent ended it, the connection died); the request may go on. */
  ended: [{ reason: string }];
  consent: [{ granted: boolean; reason: 'user' | 'timeout' | 'grace' | 'grant' }];
  fileSaved: [string];
  /** Left for good: the request is over, or signaling gave up. */
  closed: [{ reason: string }];
};

/** One allowed session, as the core sees it; each face adds its peer and capture. */
export interface LiveBase {
  agentName: string;
  permissions: Permission[];
  control: RemoteControl;
  files: FileTransfers;
}
