import type { OutboxMail } from '@beckon/protocol';
import { useFormatTime, useServices, useT } from '../app-context.ts';
import { useLoad } from '../ui/use-load.ts';
import { AdminTable } from './AdminTable.tsx';

/** The newest mails of the outbox (SR5): what was sent, what waits, what failed and why. */
export function OutboxPanel() {
  const t = useT();
  const time = useFormatTime();
  const { api } = useServices();
  const outbox = useLoad(() => api.listOutbox());
  return (
    <AdminTable<OutboxMail>
      label={t('admin.outbox')}
      loaded={outbox}
      rowKey={(m) => m.id}
      columns={[
        t('outbox.created'),
        t('outbox.to'),
        t('outbox.subject'),
        t('outbox.kind'),
        t('outbox.language'),
        t('outbox.status'),
        t('outbox.attempts'),
        t('outbox.lastError'),
        t('outbox.sent'),
      ]}
      row={(m) => [
        time(m.createdAt),
        m.to,
        m.subject,
        m.kind,
        m.language,
        t(`mailStatus.${m.status}`),
        m.attempts,
        m.lastError ?? '',
        time(m.sentAt),
      ]}
    />
  );
}
