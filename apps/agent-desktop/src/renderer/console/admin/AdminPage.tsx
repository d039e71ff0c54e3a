import { useApp, useT } from '../app-context.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { ADMIN_SECTIONS, formatRoute, type AdminSection } from '../routes.ts';
import { isAdmin } from '../store.ts';
import { AuditPanel } from './AuditPanel.tsx';
import { BrandingPanel } from './BrandingPanel.tsx';
import { DevicesPanel } from './DevicesPanel.tsx';
import { HostGroupsPanel } from './HostGroupsPanel.tsx';
import { OutboxPanel } from './OutboxPanel.tsx';
import { QueuesPanel } from './QueuesPanel.tsx';
import { UsersPanel } from './UsersPanel.tsx';
import { ReportsPanel } from '../helpdesk/ReportsPanel.tsx';
import { TemplatesPanel } from '../helpdesk/TemplatesPanel.tsx';
import { TokensPanel } from '../helpdesk/TokensPanel.tsx';
import { WebhooksPanel } from '../helpdesk/WebhooksPanel.tsx';

const TITLES: Record<AdminSection, MessageKey> = {
  users: 'admin.users',
  queues: 'admin.queues',
  devices: 'admin.devices',
  outbox: 'admin.outbox',
  branding: 'admin.branding',
  tokens: 'admin.tokens',
  webhooks: 'admin.webhooks',
  templates: 'admin.templates',
  reports: 'admin.reports',
  audit: 'admin.audit',
  'host-groups': 'admin.hostGroups',
};

/** Administration (admins only; the broker enforces it too). */
export function AdminPage({ section }: { section: AdminSection }) {
  const t = useT();
  const admin = useApp((s) => isAdmin(s.auth.user));
  if (!admin)
    return (
      <p role="alert" className="error">
        {t('admin.forbidden')}
      </p>
    );
  return (
    <section className="admin" aria-labelledby="admin-title">
      <h2 id="admin-title">{t('admin.title')}</h2>
      <nav className="subnav" aria-label={t('admin.title')}>
        {ADMIN_SECTIONS.map((s) => (
          <a
            key={s}
            href={formatRoute({ name: 'admin', section: s })}
            aria-current={s === section ? 'page' : undefined}
          >
            {t(TITLES[s])}
          </a>
        ))}
      </nav>
      <h3 className="visually-hidden">{t(TITLES[section])}</h3>
      {section === 'users' && <UsersPanel />}
      {section === 'queues' && <QueuesPanel />}
      {section === 'devices' && <DevicesPanel />}
      {section === 'outbox' && <OutboxPanel />}
      {section === 'branding' && <BrandingPanel />}
      {section === 'tokens' && <TokensPanel />}
      {section === 'webhooks' && <WebhooksPanel />}
      {section === 'templates' && <TemplatesPanel />}
      {section === 'reports' && <ReportsPanel />}
      {section === 'audit' && <AuditPanel />}
      {section === 'host-groups' && <HostGroupsPanel />}
    </section>
  );
}
