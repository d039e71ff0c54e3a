import type { ConsentGrant } from './consent-grant.ts';
import { RemotePermission } from './permissions.ts';

/**
 * The ad-hoc rule of the consent policy (AH8): an activated ad-hoc session
 * lets its provider in without anyone at the computer, as often as needed,
 * until the session's end. `grantApplies` has already checked what every
 * grant must meet (this provider by user id, inside its window and before
 * `notAfterMs`, nothing beyond the grant's permissions); the host builds the grant only from its
 * own activation record, never from what the broker says later.
 *
 * Admission is not yet access: the host still shows no frame and takes no
 * input until the provider's console presented the predefined password over
 * the peer connection and the host checked it against its verifier.
 */
export function adhocGrantAdmits(grant: ConsentGrant): boolean {
  // An ad-hoc grant without an end would be unattended access by another name.
  return grant.kind === 'ad_hoc' && grant.notAfterMs !== undefined && grant.notAfterMs > 0;
}

/**
 * An activated ad-hoc session as a grant: its provider, every permission,
 * from the activation until the session's end. The host builds it from its
 * own activation record; the broker from its copy, only to accept the host's
 * `grant` answer. One builder, so both read the same grant.
 */
export function adhocGrant(providerId: string, activatedAt: string, expiresAt: string): ConsentGrant {
  return {
    kind: 'ad_hoc',
    agentId: providerId,
    permissions: Object.values(RemotePermission),
    // The window only bounds the start; the end is the session's own.
    window: {
      startsAtMs: Date.parse(activatedAt),
      duration: { kind: 'unlimited' },
      daily: null,
      timeZone: 'UTC',
    },
    notAfterMs: Date.parse(expiresAt),
  };
}
