/**
 * The console's places, kept in the URL hash: the broker serves one static
 * page under /console/, and the request links it hands out are
 * `/console/#/requests/<id>` (protocol `consoleLink`).
 */
export const ADMIN_SECTIONS = [
  'users',
  'queues',
  'devices',
  'outbox',
  'branding',
  // The helpdesk integration.
  'tokens',
  'webhooks',
  'templates',
  'reports',
  // The tamper-evident audit log.
  'audit',
  // Managed hosts: their groups and the agents' rights on them.
  'host-groups',
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type Route =
  | { readonly name: 'requests' }
  | { readonly name: 'request'; readonly id: string }
  | { readonly name: 'admin'; readonly section: AdminSection }
  | { readonly name: 'computers' }
  | { readonly name: 'adhoc' }
  | { readonly name: 'settings' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [head, arg] = parts;
  if (head === 'requests' && arg && parts.length === 2) {
    const id = arg.toLowerCase();
    if (UUID.test(id)) return { name: 'request', id };
  }
  if (head === 'admin' && parts.length <= 2) {
    const section = (ADMIN_SECTIONS as readonly string[]).includes(arg ?? '')
      ? (arg as AdminSection)
      : 'users';
    return { name: 'admin', section };
  }
  if (head === 'settings' && parts.length === 1) return { name: 'settings' };
  if (head === 'computers' && parts.length === 1) return { name: 'computers' };
  if (head === 'adhoc' && parts.length === 1) return { name: 'adhoc' };
  return { name: 'requests' };
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'requests':
      return '#/requests';
    case 'request':
      return `#/requests/${route.id}`;
    case 'admin':
      return `#/admin/${route.section}`;
    case 'settings':
      return '#/settings';
    case 'computers':
      return '#/computers';
    case 'adhoc':
      return '#/adhoc';
  }
}
