import { GrantAskSchema, grantCapViolation, type GrantAsk, type RemotePermission } from '@beckon/protocol';

/** The "Unattended access" dialog's fields, as typed. */
export interface UnattendedForm {
  mode: 'at_connection' | 'at_setup';
  durationKind: 'days' | 'range' | 'unlimited';
  days: string;
  from: string;
  to: string;
  dailyOn: boolean;
  dailyFrom: string;
  dailyTo: string;
  /** 'mine' is the agent's own zone; anything else is the zone typed for the customer. */
  zone: 'mine' | 'customer';
  customerZone: string;
}

export const AGENT_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export const INITIAL_FORM: UnattendedForm = {
  mode: 'at_connection',
  durationKind: 'days',
  days: '7',
  from: '',
  to: '',
  dailyOn: false,
  dailyFrom: '09:00',
  dailyTo: '17:00',
  zone: 'mine',
  customerZone: '',
};

/**
 * The ask the form describes, or why it cannot be sent. The two-week cap at
 * setup (UA5) is the protocol's own check, so the dialog and the broker say
 * the same thing.
 */
export function buildAsk(
  f: UnattendedForm,
  permissions: readonly RemotePermission[],
): { ok: true; ask: GrantAsk } | { ok: false; error: string } {
  const duration =
    f.durationKind === 'unlimited'
      ? { kind: 'unlimited' as const }
      : f.durationKind === 'days'
        ? { kind: 'days' as const, days: Number(f.days) }
        : { kind: 'range' as const, from: f.from, to: f.to };
  const candidate = {
    mode: f.mode,
    permissions: permissions.filter((p) => p === 'view' || p === 'control'),
    duration,
    daily: f.dailyOn ? { from: f.dailyFrom, to: f.dailyTo } : null,
    timeZone: f.zone === 'mine' ? AGENT_ZONE : f.customerZone.trim(),
  };
  const parsed = GrantAskSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  const tooLong = grantCapViolation(parsed.data);
  return tooLong ? { ok: false, error: tooLong } : { ok: true, ask: parsed.data };
}
