import type { ConsentGrant } from './consent-policy.ts';

/**
 * The ad-hoc rule of the consent policy (AH8): an activated ad-hoc session
 * lets its provider in without anyone at the computer, as often as needed,
 * until the session's end. `grantAdmits` has already checked what every
 * grant must meet (this provider by user id, before `notAfterMs`, nothing
 * beyond the grant's permissions); the host builds the grant only from its
 * own activation record, never from what the broker says later.
 *
 * Admission is not yet access: the host still shows no frame and takes no
 * input until the provider's console presented the predefined password over
 * the peer connection and the host checked it against its verifier.
 */
export function adhocGrantAdmits(grant: ConsentGrant): boolean {
  return grant.kind === 'ad_hoc' && grant.notAfterMs > 0;
}
