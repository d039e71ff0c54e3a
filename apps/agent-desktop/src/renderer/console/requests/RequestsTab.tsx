import { AccountPermission } from '@beckon/protocol';
import { useState } from 'react';
import { useApp, useT } from '../app-context.ts';
import { QuickRequestDialog } from './QuickRequestDialog.tsx';
import { RequestFilters } from './RequestFilters.tsx';
import { RequestTable } from './RequestTable.tsx';
import { ScheduledRequestDialog } from './ScheduledRequestDialog.tsx';

/** SR1–SR4: create, filter and follow session requests live. */
export function RequestsTab() {
  const t = useT();
  const canEdit = useApp((s) => s.auth.user?.permissions.includes(AccountPermission.REQUESTS_EDIT) ?? false);
  const [dialog, setDialog] = useState<'quick' | 'scheduled' | null>(null);
  const close = () => setDialog(null);
  return (
    <section className="requests-tab" aria-labelledby="requests-title">
      <div className="toolbar">
        <h2 id="requests-title">{t('requests.title')}</h2>
        {canEdit && (
          <div className="toolbar-buttons">
            <button type="button" className="primary" onClick={() => setDialog('quick')}>
              {t('requests.newQuick')}
            </button>
            <button type="button" onClick={() => setDialog('scheduled')}>
              {t('requests.newScheduled')}
            </button>
          </div>
        )}
      </div>
      <RequestFilters />
      <RequestTable />
      {dialog === 'quick' && <QuickRequestDialog onClose={close} />}
      {dialog === 'scheduled' && <ScheduledRequestDialog onClose={close} />}
    </section>
  );
}
