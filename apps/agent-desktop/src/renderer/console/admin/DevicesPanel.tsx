import type { AgentDevice } from '@beckon/protocol';
import { useFormatTime, useServices, useT } from '../app-context.ts';
import { useLoad } from '../ui/use-load.ts';
import { AdminTable } from './AdminTable.tsx';

/** Agent devices requests can be assigned to (agents register their own in Settings). */
export function DevicesPanel() {
  const t = useT();
  const time = useFormatTime();
  const { api } = useServices();
  const devices = useLoad(() => api.listDevices());
  const users = useLoad(() => api.listUsers());
  const owner = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;
  return (
    <AdminTable<AgentDevice>
      label={t('admin.devices')}
      loaded={devices}
      rowKey={(d) => d.id}
      columns={[
        t('devices.name'),
        t('devices.owner'),
        t('devices.platform'),
        t('devices.created'),
        t('devices.lastSeen'),
      ]}
      row={(d) => [d.name, owner(d.userId), d.platform, time(d.createdAt), time(d.lastSeenAt)]}
    />
  );
}
