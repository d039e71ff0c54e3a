import type { OsCredentialCheck } from '@beckon/capture';
import type { HostServerMessage } from '@beckon/protocol';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostSession } from '../engine/host-session.ts';
import type { TerminalUi } from '../headless/terminal-ui.ts';
import { askGrant } from './grant-question.ts';
import {
  consentGrantOf,
  heldGrantAdmits,
  readGrants,
  removeGrant,
  watchGrants,
  writeGrants,
  type HeldGrant,
} from './host-grants.ts';
import type { HostLink } from './host-link.ts';
import type { OfferedSessionOptions } from './offered-session.ts';

type GrantRequest = Extract<HostServerMessage, { type: 'grant_request' }>;
type Offer = { requestId: string; code: string; unattended?: { grantId: string; reason: string } };

export const NOTICES_FILE = 'notices.log';

interface Running {
  requestId: string;
  session: HostSession;
  ui: TerminalUi;
  /** Set for an unattended session: which grant, why, and since when (for the notice). */
  unattended: { grant: HeldGrant | null; grantId: string; reason: string; liveSince: number | null } | null;
}

export interface UnattendedOptions {
  stateDir: string;
  link: Pick<HostLink, 'report'>;
  log: (line: string) => void;
  check: OsCredentialCheck | null;
  /** How long the person has to answer a grant request. */
  questionTimeoutMs: number;
  /** The host's clock for grants (tests inject one). */
  now: () => number;
}

/**
 * Unattended access (UA6, UA7) on the managed host: the approval question in
 * the running session, the grants it keeps (its own copy, final), the
 * unattended sessions it admits by them, revocation from either side ending
 * such a session at once, the indicator line while one runs and the notice
 * after it.
 */
export class UnattendedHost {
  private running: Running | null = null;
  private readonly o: UnattendedOptions;
  private readonly unwatch: () => void;
  /** Grants the broker revoked: the file watcher need not report them back. */
  private readonly revokedByBroker = new Set<string>();

  constructor(o: UnattendedOptions) {
    this.o = o;
    // Another process (`host grants revoke`) may remove a grant: this process notices within 100 ms.
    this.unwatch = watchGrants(o.stateDir, (ids) => {
      for (const id of ids) {
        if (!this.revokedByBroker.delete(id)) {
          this.o.log(`grant ${id} revoked on this computer`);
          this.o.link.report({ type: 'grant_revoked', grantId: id });
        }
        this.endUnder(id);
      }
    });
  }

  /** What an offered session needs: for an unattended offer, the grant check and the credential check. */
  sessionOptions(offer: Offer): OfferedSessionOptions['unattended'] {
    if (!offer.unattended) return undefined;
    const grantId = offer.unattended.grantId;
    const held = () => readGrants(this.o.stateDir).find((g) => g.id === grantId) ?? null;
    const first = held();
    const check = this.o.check;
    return {
      // Read at each question, so a revoked grant admits nothing from the moment it is gone.
      grant: () => {
        const g = held();
        return g && heldGrantAdmits(g, this.o.now()) ? consentGrantOf(g) : null;
      },
      adminAuth:
        first?.mode === 'at_connection'
          ? async (user, password) => {
              if (!check) return 'this computer cannot check credentials';
              const r = await check.check(user, password, { requireAdmin: true });
              return r.ok ? null : r.reason;
            }
          : undefined,
    };
  }

  /** The offered session has started: remember it, for grant questions and revocations. */
  track(offer: Offer, session: HostSession, ui: TerminalUi, done: Promise<void>): void {
    const u = offer.unattended;
    const running: Running = {
      requestId: offer.requestId,
      session,
      ui,
      unattended: u
        ? {
            grant: readGrants(this.o.stateDir).find((g) => g.id === u.grantId) ?? null,
            grantId: u.grantId,
            reason: u.reason,
            liveSince: null,
          }
        : null,
    };
    this.running = running;
    if (running.unattended) {
      const ua = running.unattended;
      session.on('live', ({ agentName }) => {
        ua.liveSince ??= Date.now();
        // The indicator where there is no desktop: one line in the host's log while it runs.
        this.o.log(
          `UNATTENDED SESSION RUNNING: ${agentName} (${ua.grant?.orgName ?? ''}), reason: ${ua.reason}`,
        );
      });
      session.on('ended', () => this.notice(ua));
    }
    void done.then(() => {
      if (this.running === running) this.running = null;
    });
  }

  private notice(ua: NonNullable<Running['unattended']>): void {
    if (ua.liveSince === null) return;
    const fmt = (ms: number) => new Date(ms).toISOString();
    const line =
      `${ua.grant?.agentName ?? 'an agent'} of ${ua.grant?.orgName ?? 'their organisation'} accessed this computer ` +
      `from ${fmt(ua.liveSince)} to ${fmt(Date.now())}, reason: ${ua.reason}`;
    ua.liveSince = null;
    this.o.log(`notice: ${line}`);
    appendFileSync(join(this.o.stateDir, NOTICES_FILE), `${line}\n`, { mode: 0o600 });
  }

  /** UA1, UA6: an agent asks for a grant in the running session; only its own agent, only there. */
  async onGrantRequest(m: GrantRequest): Promise<void> {
    const r = this.running;
    if (!r || r.unattended || r.requestId !== m.requestId || r.session.currentAgentId !== m.agentId) {
      this.o.log(`refused a grant request: not from the agent of the session running here`);
      this.o.link.report({ type: 'grant_answer', grantId: m.grantId, approved: false, why: 'no_session' });
      return;
    }
    const outcome = await askGrant(m, r.ui, this.o.check, this.o.questionTimeoutMs, this.o.now());
    if (!outcome.approved) {
      this.o.log(`unattended access not granted (${outcome.why})`);
      this.o.link.report({ type: 'grant_answer', grantId: m.grantId, approved: false, why: outcome.why });
      return;
    }
    const approvedAt = new Date(this.o.now()).toISOString();
    const grant: HeldGrant = {
      id: m.grantId,
      agentId: m.agentId,
      agentName: m.agentName,
      orgName: m.orgName,
      mode: m.mode,
      permissions: m.permissions,
      duration: m.duration,
      daily: m.daily,
      timeZone: m.timeZone,
      approvedAt,
      verifiedUser: outcome.verifiedUser ?? null,
      verifiedAt: outcome.verifiedAt ?? null,
    };
    writeGrants(this.o.stateDir, [...readGrants(this.o.stateDir).filter((g) => g.id !== grant.id), grant]);
    this.o.log(`unattended access granted to ${m.agentName} (${m.mode}, grant ${m.grantId})`);
    this.o.link.report({
      type: 'grant_answer',
      grantId: m.grantId,
      approved: true,
      why: 'user',
      approvedAt,
      verifiedUser: outcome.verifiedUser,
      verifiedAt: outcome.verifiedAt,
    });
  }

  /** The broker says an agent or an admin revoked a grant. */
  onGrantRevoked(grantId: string): void {
    if (removeGrant(this.o.stateDir, grantId)) this.revokedByBroker.add(grantId);
    this.o.log(`grant ${grantId} revoked by the broker`);
    this.endUnder(grantId);
  }

  private endUnder(grantId: string): void {
    const r = this.running;
    if (r?.unattended?.grantId !== grantId) return;
    this.o.log('the grant of the running unattended session was revoked: ending it now');
    r.session.leave('grant revoked');
  }

  stop(): void {
    this.unwatch();
  }
}
