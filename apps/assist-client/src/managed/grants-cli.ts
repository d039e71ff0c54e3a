import { describeWindow, readGrants, removeGrant } from './host-grants.ts';

interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `beckon-assist host grants list|revoke <id>`: the customer's own view of
 * the unattended access this computer allows, and their way to end it. A
 * running host notices the revocation within a fraction of a second, ends a
 * session under it and tells the broker. Null for a usage error.
 */
export function grantsCommand(stateDir: string, args: string[], io: Io): number | null {
  const [command, id] = args;
  if (command === 'list' && id === undefined) {
    const grants = readGrants(stateDir);
    if (grants.length === 0) io.out('No unattended access is allowed on this computer.');
    for (const g of grants) {
      const who = `${g.agentName} of ${g.orgName}`;
      const mode =
        g.mode === 'at_setup'
          ? `authorised by ${g.verifiedUser ?? '?'}`
          : 'administrator credentials at each connection';
      io.out(
        `${g.id}  ${who}: ${g.permissions.join(', ')}, ${describeWindow(g, Date.parse(g.approvedAt))}; ${mode}`,
      );
    }
    return 0;
  }
  if (command === 'revoke' && id) {
    if (!removeGrant(stateDir, id)) {
      io.err(`no grant ${id} on this computer`);
      return 1;
    }
    io.out(`Revoked ${id}.`);
    return 0;
  }
  return null;
}
