import { ApiScope, ApiTokenCreateSchema, type ApiToken, type ApiTokenCreated } from '@beckon/protocol';
import { useState, type FormEvent } from 'react';
import { failureOf } from '../api/http.ts';
import { check, problemsOfFailure, type Problems } from '../admin/admin-form.ts';
import { AdminTable } from '../admin/AdminTable.tsx';
import { useFormatTime, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { Field } from '../ui/Field.tsx';
import { useLoad } from '../ui/use-load.ts';
import { SecretOnce } from './SecretOnce.tsx';

const SCOPES = Object.values(ApiScope);

/** API tokens for helpdesks (SC1, SC12): create with scopes, see the secret once, revoke. */
export function TokensPanel() {
  const t = useT();
  const time = useFormatTime('short');
  const { api } = useServices();
  const tokens = useLoad(() => api.helpdesk.listTokens());
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  return (
    <>
      {created && (
        <SecretOnce
          label={t('tokens.secretFor', { name: created.name })}
          secret={{ secret: created.secret }}
          onDone={() => setCreated(null)}
        />
      )}
      <AdminTable<ApiToken>
        label={t('admin.tokens')}
        loaded={tokens}
        rowKey={(k) => k.id}
        columns={[
          t('tokens.name'),
          t('tokens.prefix'),
          t('tokens.scopes'),
          t('tokens.created'),
          t('tokens.lastUsed'),
          t('tokens.activeCases'),
          t('tokens.state'),
        ]}
        row={(k) => [
          k.name,
          <code>{k.prefix}…</code>,
          k.scopes.map((s) => t(`scope.${s}`)).join(', '),
          time(k.createdAt),
          time(k.lastUsedAt) || t('tokens.never'),
          k.activeCases,
          k.revokedAt ? (
            t('tokens.revokedAt', { at: time(k.revokedAt) })
          ) : (
            <Revoke token={k} onRevoked={tokens.reload} />
          ),
        ]}
      />
      <NewToken
        onCreated={(token) => {
          setCreated(token);
          tokens.reload();
        }}
      />
    </>
  );
}

/** Revoke; while its cases are open the broker refuses (409) and offers to close them too. */
function Revoke({ token, onRevoked }: { token: ApiToken; onRevoked: () => void }) {
  const t = useT();
  const { api, toasts } = useServices();
  const [openCases, setOpenCases] = useState(false);
  const revoke = async (closeCases: boolean) => {
    try {
      await api.helpdesk.revokeToken(token.id, closeCases);
      setOpenCases(false);
      toasts.getState().push(t('tokens.revoked', { name: token.name }));
      onRevoked();
    } catch (error) {
      const failure = failureOf(error);
      if (failure.status === 409) setOpenCases(true);
      else toasts.getState().push(failureText(t, failure), 'error');
    }
  };
  if (openCases)
    return (
      <div className="revoke-conflict" role="alert">
        <p>{t('tokens.openCases', { name: token.name })}</p>
        <ConfirmButton
          label={t('tokens.closeAndRevoke')}
          question={t('tokens.closeAndRevokeConfirm', { name: token.name })}
          onConfirm={() => revoke(true)}
        />
        <button type="button" onClick={() => setOpenCases(false)}>
          {t('create.cancel')}
        </button>
      </div>
    );
  return (
    <ConfirmButton
      label={t('tokens.revoke')}
      question={t('tokens.revokeConfirm', { name: token.name })}
      onConfirm={() => revoke(false)}
    />
  );
}

function NewToken({ onCreated }: { onCreated: (token: ApiTokenCreated) => void }) {
  const t = useT();
  const { api } = useServices();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>([ApiScope.CASES_READ, ApiScope.CASES_WRITE]);
  const [problems, setProblems] = useState<Problems>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = check(ApiTokenCreateSchema, { name, scopes });
    if (!checked.ok) return setProblems(checked.problems);
    try {
      const token = await api.helpdesk.createToken(checked.value);
      setProblems({});
      setName('');
      onCreated(token);
    } catch (error) {
      const failure = failureOf(error);
      setProblems(problemsOfFailure(failure, failureText(t, failure)));
    }
  };

  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-label={t('tokens.add')}>
      <h3>{t('tokens.add')}</h3>
      {problems['form'] && (
        <p className="form-error" role="alert">
          {problems['form']}
        </p>
      )}
      <Field label={t('tokens.name')} hint={t('tokens.nameHint')} error={problems['name']}>
        {(p) => <input {...p} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <fieldset className={problems['scopes'] ? 'field has-error' : 'field'}>
        <legend>{t('tokens.scopes')}</legend>
        {SCOPES.map((s) => (
          <label key={s} className="member">
            <input
              type="checkbox"
              checked={scopes.includes(s)}
              onChange={(e) =>
                setScopes((list) => (e.target.checked ? [...list, s] : list.filter((x) => x !== s)))
              }
            />
            {t(`scope.${s}`)} <code>{s}</code>
          </label>
        ))}
        <p className="field-hint">{t('tokens.scopesHint')}</p>
        {problems['scopes'] && <p className="field-error">{problems['scopes']}</p>}
      </fieldset>
      <button type="submit" className="primary">
        {t('tokens.create')}
      </button>
    </form>
  );
}
