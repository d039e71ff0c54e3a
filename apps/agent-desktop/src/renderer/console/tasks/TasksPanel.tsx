import type { RemotePermission } from '@beckon/protocol';
import { visibleText } from '@beckon/session';
import type { ReactNode } from 'react';
import { useT, useTasks } from '../app-context.ts';
import { copyText } from '../ui/clipboard.ts';
import { FilesSection } from './FilesSection.tsx';
import { MonitorSection } from './MonitorSection.tsx';
import { SysinfoSection } from './SysinfoSection.tsx';
import { UnattendedSection } from './UnattendedSection.tsx';

/**
 * Beside the remote view: files both ways, system information and the live
 * monitor, each only where the customer allowed it. Everything the host sends
 * is shown as text.
 */
export function TasksPanel({
  live,
  permissions,
}: {
  live: boolean;
  permissions: readonly RemotePermission[];
}) {
  const t = useT();
  const clipboard = useTasks((s) => s.remoteClipboard);
  const gate = (permission: RemotePermission, content: ReactNode) =>
    !permissions.includes(permission) ? (
      <p className="muted">{t('tasks.notAllowed')}</p>
    ) : !live ? (
      <p className="muted">{t('tasks.notLive')}</p>
    ) : (
      content
    );
  return (
    <aside className="tasks-panel" aria-label={t('tasks.title')}>
      <h2>{t('tasks.title')}</h2>
      <section aria-labelledby="tasks-files">
        <h3 id="tasks-files">{t('tasks.files')}</h3>
        {gate('file_transfer', <FilesSection />)}
      </section>
      <section aria-labelledby="tasks-sysinfo">
        <h3 id="tasks-sysinfo">{t('tasks.sysinfo')}</h3>
        {gate('system_info', <SysinfoSection />)}
      </section>
      <section aria-labelledby="tasks-monitor">
        <h3 id="tasks-monitor">{t('tasks.monitor')}</h3>
        {gate('system_info', <MonitorSection />)}
      </section>
      <section aria-labelledby="tasks-unattended">
        <h3 id="tasks-unattended">{t('ua.title')}</h3>
        <UnattendedSection live={live} permissions={permissions} />
      </section>
      {clipboard !== null && (
        <section aria-labelledby="tasks-clipboard">
          <h3 id="tasks-clipboard">{t('tasks.clipboard')}</h3>
          {/* Shown with hidden characters marked; Copy takes the text as the host sent it. */}
          <p className="pre remote-clipboard">{visibleText(clipboard, { multiline: true })}</p>
          <button type="button" onClick={() => void copyText(clipboard)}>
            {t('tasks.clipboardCopy')}
          </button>
        </section>
      )}
    </aside>
  );
}
