// What a grant is, apart from how the consent policy weighs it: the policy
// (consent-policy.ts) and each kind's rule (adhoc-grant.ts) both read it.
import type { GrantWindow } from './grants.ts';
import type { RemotePermission } from './permissions.ts';

/**
 * The kinds of standing permission a managed host may hold (UA unattended
 * access, AH ad-hoc support). A new kind of grant goes here, with its rule in
 * `grantApplies` and its rows in consent-policy.test.ts: nothing else decides.
 */
export const GrantKind = { UNATTENDED: 'unattended', AD_HOC: 'ad_hoc' } as const;
export type GrantKind = (typeof GrantKind)[keyof typeof GrantKind];

/** A grant as the deciding side holds it: for one agent (by user id), some permissions, in a window. */
export interface ConsentGrant {
  kind: GrantKind;
  agentId: string;
  permissions: readonly RemotePermission[];
  /** When it admits, read in its own zone by `grantAdmits` (grants.ts). */
  window: GrantWindow;
  /**
   * A hard end, if the grant has one: an ad-hoc session's expiry (its own
   * activation record). Unattended grants end by their window alone.
   */
  notAfterMs?: number;
}
