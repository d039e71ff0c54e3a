import { LANGUAGES, type AdhocCreated, type Language } from '@beckon/protocol';
import { visibleText } from '@beckon/session';
import { useState, type FormEvent } from 'react';
import { failureOf } from '../api/http.ts';
import { useFormatTime, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { LANGUAGE_NAMES } from '../i18n/i18n.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { useLoad } from '../ui/use-load.ts';

/**
 * Ad-hoc support (AH1, AH4, AH5, AH7): create a session (the user gets the
 * mail), see the predefined password once, follow each session's status and
 * end it. The password lives only in this component's state until the page
 * is left: it is never stored, and the list never has it.
 */
export function AdhocPage() {
  const t = useT();
  const { api } = useServices();
  const formatTime = useFormatTime();
  const list = useLoad(() => api.adhoc.list());
  const seats = useLoad(() => api.adhoc.seats());
  const [form, setForm] = useState({ userName: '', email: '', language: 'en' as Language, comment: '' });
  const [created, setCreated] = useState<AdhocCreated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const comment = form.comment.trim();
      setCreated(await api.adhoc.create({ ...form, comment: comment || undefined }));
      setForm({ userName: '', email: '', language: form.language, comment: '' });
      list.reload();
      seats.reload();
    } catch (err) {
      setError(failureText(t, failureOf(err)));
    } finally {
      setBusy(false);
    }
  };

  const end = async (id: string) => {
    try {
      await api.adhoc.end(id);
    } catch (err) {
      setError(failureText(t, failureOf(err)));
    }
    list.reload();
    seats.reload();
  };

  return (
    <section className="adhoc" aria-labelledby="adhoc-title">
      <div className="toolbar">
        <h2 id="adhoc-title">{t('adhoc.title')}</h2>
      </div>
      <p>{t('adhoc.intro')}</p>
      {seats.data && (
        <p data-testid="adhoc-seats">
          {t('adhoc.seats', { used: seats.data.used, seats: seats.data.seats, limit: seats.data.orgLimit })}
        </p>
      )}
      <form className="adhoc-form" aria-label={t('adhoc.new')} onSubmit={(e) => void submit(e)}>
        <h3>{t('adhoc.new')}</h3>
        <label>
          {t('adhoc.userName')}
          <input
            required
            maxLength={120}
            value={form.userName}
            onChange={(e) => setForm({ ...form, userName: e.target.value })}
          />
        </label>
        <label>
          {t('adhoc.email')}
          <input
            required
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </label>
        <label>
          {t('adhoc.language')}
          <select
            value={form.language}
            onChange={(e) => setForm({ ...form, language: e.target.value as Language })}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('adhoc.comment')}
          <textarea
            maxLength={1000}
            value={form.comment}
            onChange={(e) => setForm({ ...form, comment: e.target.value })}
          />
        </label>
        <button type="submit" disabled={busy}>
          {t('adhoc.create')}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      {created && (
        <div
          className="adhoc-once"
          role="region"
          aria-label={t('adhoc.created.title')}
          data-testid="adhoc-once"
        >
          <h3>{t('adhoc.created.title')}</h3>
          <p>{t('adhoc.created.body')}</p>
          <dl>
            <dt>{t('adhoc.password')}</dt>
            <dd data-testid="adhoc-password">
              <code>{created.predefinedPassword}</code>
            </dd>
            <dt>{t('adhoc.code')}</dt>
            <dd data-testid="adhoc-code">
              <code>{created.securityCode}</code>
            </dd>
            <dt>{t('adhoc.link')}</dt>
            <dd>
              <code>{visibleText(created.installLink)}</code>
            </dd>
          </dl>
          <button type="button" onClick={() => setCreated(null)}>
            {t('common.close')}
          </button>
        </div>
      )}
      <h3>{t('adhoc.list')}</h3>
      {list.error && <p role="alert">{failureText(t, list.error)}</p>}
      {list.data && list.data.length === 0 && <p>{t('adhoc.empty')}</p>}
      {list.data && list.data.length > 0 && (
        <table aria-label={t('adhoc.list')}>
          <thead>
            <tr>
              <th>{t('adhoc.col.user')}</th>
              <th>{t('adhoc.col.status')}</th>
              <th>{t('adhoc.col.activated')}</th>
              <th>{t('adhoc.col.expires')}</th>
              <th>{t('adhoc.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((s) => (
              <tr key={s.id}>
                <td>
                  {visibleText(s.userName)} &lt;{visibleText(s.email)}&gt;
                </td>
                <td data-testid="adhoc-status">{t(`adhoc.status.${s.status}`)}</td>
                <td>{s.activatedAt ? formatTime(s.activatedAt) : '—'}</td>
                <td>{s.expiresAt ? formatTime(s.expiresAt) : '—'}</td>
                <td>
                  {(s.status === 'created' || s.status === 'activated') && (
                    <ConfirmButton
                      label={t('adhoc.end')}
                      question={`${t('adhoc.end')}?`}
                      onConfirm={() => end(s.id)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
