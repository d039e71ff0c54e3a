import { RoleSchema, UserCreateSchema, type Role, type User } from '@beckon/protocol';
import { useState, type FormEvent } from 'react';
import { failureOf } from '../api/http.ts';
import { useFormatTime, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { Field } from '../ui/Field.tsx';
import { useLoad } from '../ui/use-load.ts';
import { check, problemsOfFailure, type Problems } from './admin-form.ts';
import { AdminTable } from './AdminTable.tsx';

/** Users and their roles (SR7); admins add users here (the broker has no edit route yet). */
export function UsersPanel() {
  const t = useT();
  const time = useFormatTime();
  const { api } = useServices();
  const users = useLoad(() => api.listUsers());
  return (
    <>
      <AdminTable<User>
        label={t('admin.users')}
        loaded={users}
        rowKey={(u) => u.id}
        columns={[
          t('users.name'),
          t('users.email'),
          t('users.role'),
          t('users.permissions'),
          t('users.state'),
          t('users.created'),
        ]}
        row={(u) => [
          u.name,
          u.email,
          t(`role.${u.role}`),
          u.permissions.map((p) => t(`accountPermission.${p}`)).join(', '),
          u.disabled ? t('users.disabled') : t('users.active'),
          time(u.createdAt),
        ]}
      />
      <NewUser onCreated={users.reload} />
    </>
  );
}

function NewUser({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const { api, toasts } = useServices();
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'support_agent' as Role });
  const [problems, setProblems] = useState<Problems>({});
  const [pending, setPending] = useState(false);
  const edit = (change: Partial<typeof form>) => setForm((f) => ({ ...f, ...change }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = check(UserCreateSchema, { ...form, email: form.email.trim() });
    if (!checked.ok) return setProblems(checked.problems);
    setPending(true);
    try {
      const user = await api.createUser(checked.value);
      setProblems({});
      setForm({ email: '', name: '', password: '', role: 'support_agent' });
      toasts.getState().push(t('admin.created', { name: user.name }));
      onCreated();
    } catch (error) {
      const failure = failureOf(error);
      setProblems(problemsOfFailure(failure, failureText(t, failure)));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-label={t('users.add')}>
      <h3>{t('users.add')}</h3>
      {problems['form'] && (
        <p className="form-error" role="alert">
          {problems['form']}
        </p>
      )}
      <Field label={t('users.email')} error={problems['email']}>
        {(p) => (
          <input {...p} type="email" value={form.email} onChange={(e) => edit({ email: e.target.value })} />
        )}
      </Field>
      <Field label={t('users.name')} error={problems['name']}>
        {(p) => <input {...p} value={form.name} onChange={(e) => edit({ name: e.target.value })} />}
      </Field>
      <Field label={t('users.password')} error={problems['password']}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => edit({ password: e.target.value })}
          />
        )}
      </Field>
      <Field label={t('users.role')} error={problems['role']}>
        {(p) => (
          <select {...p} value={form.role} onChange={(e) => edit({ role: e.target.value as Role })}>
            {RoleSchema.options.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="primary" disabled={pending}>
        {t('users.create')}
      </button>
    </form>
  );
}
