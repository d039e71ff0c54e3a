import { NO_HOST_RIGHTS, type HostGroup, type HostRights, type User } from '@beckon/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import { useFormatTime, useServices, useT } from '../app-context.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { useLoad } from '../ui/use-load.ts';
import { AdminTable } from './AdminTable.tsx';

const RIGHTS: readonly (keyof HostRights)[] = ['connect', 'control', 'files', 'systemInfo', 'unattended'];
const RIGHT_LABEL: Record<keyof HostRights, MessageKey> = {
  connect: 'hostRights.connect',
  control: 'hostRights.control',
  files: 'hostRights.files',
  systemInfo: 'hostRights.systemInfo',
  unattended: 'hostRights.unattended',
};

/** Computer groups and what each agent may do on the computers of each (managed hosts). */
export function HostGroupsPanel() {
  const t = useT();
  const time = useFormatTime();
  const { api, hosts } = useServices();
  const groups = useLoad(() => api.hosts.groups());
  const users = useLoad(() => api.listUsers());
  const [selected, setSelected] = useState('');
  const reload = () => {
    groups.reload();
    // The Computers page offers groups in its filter.
    void hosts.getState().start();
  };
  return (
    <>
      <AdminTable<HostGroup>
        label={t('admin.hostGroups')}
        loaded={groups}
        rowKey={(g) => g.id}
        columns={[t('hostGroups.name'), t('hostGroups.created')]}
        row={(g) => [g.name, time(g.createdAt)]}
      />
      <NewGroup onCreated={reload} />
      <label>
        {t('hostGroups.rightsIn')}{' '}
        <select value={selected} onChange={(e) => setSelected(e.target.value)}>
          <option value="">—</option>
          {(groups.data ?? []).map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
      {selected && <RightsTable groupId={selected} users={users.data ?? []} />}
    </>
  );
}

function NewGroup({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const { api, toasts } = useServices();
  const [name, setName] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    try {
      const group = await api.hosts.createGroup(name.trim());
      setName('');
      toasts.getState().push(t('admin.created', { name: group.name }));
      onCreated();
    } catch (err) {
      toasts.getState().push((err as Error).message, 'error');
    }
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-label={t('hostGroups.add')}>
      <h3>{t('hostGroups.add')}</h3>
      <label>
        {t('hostGroups.name')}{' '}
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
      </label>
      <button type="submit" className="primary">
        {t('hostGroups.create')}
      </button>
    </form>
  );
}

function RightsTable({ groupId, users }: { groupId: string; users: readonly User[] }) {
  const t = useT();
  const { api, toasts } = useServices();
  const [rights, setRights] = useState<Record<string, HostRights>>({});
  useEffect(() => {
    let live = true;
    api.hosts.groupRights(groupId).then(
      (list) => live && setRights(Object.fromEntries(list.items.map((i) => [i.userId, i.rights]))),
      () => live && setRights({}),
    );
    return () => {
      live = false;
    };
  }, [api, groupId]);
  const save = async (user: User, next: HostRights) => {
    const before = rights[user.id] ?? NO_HOST_RIGHTS;
    // Shown at once; the broker's answer (which clears everything without connect) replaces it.
    setRights((r) => ({ ...r, [user.id]: next }));
    try {
      const saved = await api.hosts.setRights(groupId, user.id, next);
      setRights((r) => ({ ...r, [user.id]: saved }));
      toasts.getState().push(t('hostGroups.saved', { name: user.name }));
    } catch (err) {
      setRights((r) => ({ ...r, [user.id]: before }));
      toasts.getState().push((err as Error).message, 'error');
    }
  };
  return (
    <table aria-label={t('hostGroups.rightsIn')}>
      <thead>
        <tr>
          <th scope="col">{t('hostGroups.agent')}</th>
          {RIGHTS.map((r) => (
            <th key={r} scope="col">
              {t(RIGHT_LABEL[r])}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {users
          .filter((u) => u.role !== 'admin')
          .map((u) => {
            const current = rights[u.id] ?? NO_HOST_RIGHTS;
            return (
              <tr key={u.id}>
                <th scope="row">{u.name}</th>
                {RIGHTS.map((r) => (
                  <td key={r}>
                    <input
                      type="checkbox"
                      aria-label={`${t(RIGHT_LABEL[r])}: ${u.name}`}
                      checked={current[r] ?? false}
                      // Without connect nothing else means anything: the broker clears the rest.
                      disabled={r !== 'connect' && !current.connect}
                      onChange={(e) => void save(u, { ...current, [r]: e.target.checked })}
                    />
                  </td>
                ))}
              </tr>
            );
          })}
      </tbody>
    </table>
  );
}
