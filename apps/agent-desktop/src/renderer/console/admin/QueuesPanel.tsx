import { QueueCreateSchema, type Queue } from '@beckon/protocol';
import { useState, type FormEvent } from 'react';
import { failureOf } from '../api/http.ts';
import { useFormatTime, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { Field } from '../ui/Field.tsx';
import { useLoad } from '../ui/use-load.ts';
import { check, problemsOfFailure, type Problems } from './admin-form.ts';
import { AdminTable } from './AdminTable.tsx';

/** Queues requests can be assigned to, and who is in them. */
export function QueuesPanel() {
  const t = useT();
  const time = useFormatTime();
  const { api, requests } = useServices();
  const queues = useLoad(() => api.listQueues());
  const users = useLoad(() => api.listUsers());
  const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;
  const created = () => {
    queues.reload();
    // The create dialogs and filters offer queues too.
    void requests.getState().loadTargets();
  };
  return (
    <>
      <AdminTable<Queue>
        label={t('admin.queues')}
        loaded={queues}
        rowKey={(q) => q.id}
        columns={[t('queues.name'), t('queues.members'), t('queues.created')]}
        row={(q) => [q.name, q.memberIds.map(nameOf).join(', '), time(q.createdAt)]}
      />
      <NewQueue users={users.data ?? []} onCreated={created} />
    </>
  );
}

function NewQueue({
  users,
  onCreated,
}: {
  users: readonly { id: string; name: string }[];
  onCreated: () => void;
}) {
  const t = useT();
  const { api, toasts } = useServices();
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const [problems, setProblems] = useState<Problems>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = check(QueueCreateSchema, { name, memberIds: members });
    if (!checked.ok) return setProblems(checked.problems);
    try {
      const queue = await api.createQueue(checked.value);
      setProblems({});
      setName('');
      setMembers([]);
      toasts.getState().push(t('admin.created', { name: queue.name }));
      onCreated();
    } catch (error) {
      const failure = failureOf(error);
      setProblems(problemsOfFailure(failure, failureText(t, failure)));
    }
  };

  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-label={t('queues.add')}>
      <h3>{t('queues.add')}</h3>
      {problems['form'] && (
        <p className="form-error" role="alert">
          {problems['form']}
        </p>
      )}
      <Field label={t('queues.name')} error={problems['name']}>
        {(p) => <input {...p} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <fieldset className={problems['memberIds'] ? 'field has-error' : 'field'}>
        <legend>{t('queues.members')}</legend>
        {users.map((u) => (
          <label key={u.id} className="member">
            <input
              type="checkbox"
              checked={members.includes(u.id)}
              onChange={(e) =>
                setMembers((m) => (e.target.checked ? [...m, u.id] : m.filter((id) => id !== u.id)))
              }
            />
            {u.name}
          </label>
        ))}
        {problems['memberIds'] && <p className="field-error">{problems['memberIds']}</p>}
      </fieldset>
      <button type="submit" className="primary">
        {t('queues.create')}
      </button>
    </form>
  );
}
