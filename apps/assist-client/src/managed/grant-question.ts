import type { OsCredentialCheck } from '@beckon/capture';
import type { HostServerMessage } from '@beckon/protocol';
import { describeWindow } from './host-grants.ts';

type GrantRequest = Extract<HostServerMessage, { type: 'grant_request' }>;

/** Where the question is asked: the running session's terminal (the Electron client's window would be another). */
export interface GrantQuestionUi {
  print(line: string): void;
  /** The next line typed; '' once `signal` aborts. */
  ask(question: string, signal: AbortSignal): Promise<string>;
  /** As `ask`, with what is typed not shown (a password). */
  askSecret(question: string, signal: AbortSignal): Promise<string>;
}

export type GrantOutcome =
  | { approved: true; verifiedUser?: string; verifiedAt?: string }
  | { approved: false; why: 'user' | 'timeout' | 'credentials' };

export const MAX_CREDENTIAL_TRIES = 3;

const PERMISSION_WORDS: Record<string, string> = {
  view: 'see your screen',
  control: 'control your mouse and keyboard',
  file_transfer: 'send and receive files',
  system_info: 'read system information',
};

/**
 * UA6: the person at the computer approves or refuses unattended access.
 * They are told exactly who (agent, organisation), what (rights), for how
 * long (the window in their own time zone) and in which mode. At connection
 * the answer is a typed "allow"; at setup it is their own OS user name and
 * password, checked by the OS (three wrong tries end the question). The
 * password goes only to the OS check: it is neither sent nor kept. Silence
 * is a deny.
 */
export async function askGrant(
  req: GrantRequest,
  ui: GrantQuestionUi,
  check: OsCredentialCheck | null,
  timeoutMs: number,
  nowMs: number,
): Promise<GrantOutcome> {
  const wants = req.permissions.map((p) => PERMISSION_WORDS[p] ?? p).join(', ');
  ui.print(`\n${req.agentName} from ${req.orgName} asks for UNATTENDED ACCESS to this computer:`);
  ui.print(`to ${wants} later, while nobody is here, ${describeWindow(req, nowMs)}.`);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const secs = Math.round(timeoutMs / 1000);
  try {
    if (req.mode === 'at_connection') {
      ui.print(
        'Every such session will need the user name and password of an administrator of this computer.',
      );
      for (;;) {
        const line = (
          await ui.ask(
            `Type "allow" to allow unattended access, or "deny". No answer within ${secs} s is a deny.`,
            abort.signal,
          )
        ).toLowerCase();
        if (abort.signal.aborted) return { approved: false, why: 'timeout' };
        if (line === 'allow') return { approved: true };
        if (line === 'deny') return { approved: false, why: 'user' };
      }
    }
    ui.print(
      'To allow it, type your own user name and password of this computer: they are checked by the ' +
        'operating system here, never sent anywhere and never stored (the password is not shown as you ' +
        'type). An empty user name denies.',
    );
    if (!check) {
      ui.print('This computer cannot check a password: unattended access is refused.');
      return { approved: false, why: 'credentials' };
    }
    for (let attempt = 1; attempt <= MAX_CREDENTIAL_TRIES; attempt++) {
      const user = await ui.ask(`User name (${secs} s to answer):`, abort.signal);
      if (abort.signal.aborted) return { approved: false, why: 'timeout' };
      if (!user) return { approved: false, why: 'user' };
      const password = await ui.askSecret('Password:', abort.signal);
      if (abort.signal.aborted) return { approved: false, why: 'timeout' };
      const result = await check.check(user, password);
      if (result.ok) {
        ui.print(`Unattended access allowed, authorised by ${result.user}.`);
        return { approved: true, verifiedUser: result.user, verifiedAt: result.verifiedAt };
      }
      ui.print(
        attempt < MAX_CREDENTIAL_TRIES
          ? `Wrong user name or password (${attempt} of ${MAX_CREDENTIAL_TRIES} tries).`
          : `Wrong user name or password, ${MAX_CREDENTIAL_TRIES} times: unattended access refused.`,
      );
    }
    return { approved: false, why: 'credentials' };
  } finally {
    clearTimeout(timer);
  }
}
