import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '@beckon/protocol';
import { visibleText } from '@beckon/session';
import { useEffect, useState, type FormEvent } from 'react';
import { failureOf, type ApiFailure } from '../api/http.ts';
import { useApp, useFormatTime, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { Field } from '../ui/Field.tsx';
import type { AuditFilters } from './audit-api.ts';
import { auditCsvFileName, dayStartIn, detailsLine, nextDay } from './audit-format.ts';

interface Form {
  action: AuditAction | '';
  actor: string;
  target: string;
  from: string;
  to: string;
}
const EMPTY: Form = { action: '', actor: '', target: '', from: '', to: '' };

/**
 * The tamper-evident audit log: newest first, filtered by action,
 * actor, target and days (in the user's time zone), a page at a time, and
 * the whole selection as CSV.
 */
export function AuditPanel() {
  const t = useT();
  const time = useFormatTime();
  const zone = useApp((s) => s.prefs.timeZone);
  const { api } = useServices();
  const [form, setForm] = useState<Form>(EMPTY);
  const [shown, setShown] = useState<{
    filters: AuditFilters;
    items: AuditEntry[];
    next: number | null;
  } | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(false);

  const filtersOf = (f: Form): AuditFilters => ({
    action: f.action,
    actor: f.actor,
    target: f.target,
    from: f.from ? dayStartIn(f.from, zone) : undefined,
    to: f.to ? dayStartIn(nextDay(f.to), zone) : undefined,
  });
  const load = async (filters: AuditFilters, more: boolean) => {
    setLoading(true);
    try {
      const page = await api.audit.page(filters, more ? shown?.next : null);
      setShown((s) => ({
        filters,
        items: more && s ? [...s.items, ...page.items] : page.items,
        next: page.nextCursor,
      }));
      setError(null);
    } catch (e) {
      setError(failureOf(e));
    } finally {
      setLoading(false);
    }
  };
  // The newest entries, unfiltered, when the page opens.
  useEffect(() => {
    void load(filtersOf(EMPTY), false);
  }, []);
  const search = (e: FormEvent) => {
    e.preventDefault();
    void load(filtersOf(form), false);
  };
  const download = async () => {
    try {
      const csv = await api.audit.csv(filtersOf(form));
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = auditCsvFileName(new Date());
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(failureOf(e));
    }
  };
  const set = (change: Partial<Form>) => setForm((f) => ({ ...f, ...change }));

  return (
    <>
      <form
        className="admin-form report-form audit-form"
        onSubmit={search}
        noValidate
        aria-label={t('audit.filters')}
      >
        <Field label={t('audit.action')}>
          {(p) => (
            <select
              {...p}
              value={form.action}
              onChange={(e) => set({ action: e.target.value as AuditAction })}
            >
              <option value="">{t('audit.anyAction')}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`audit.action.${a}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('audit.actor')} hint={t('audit.idHint')}>
          {(p) => <input {...p} value={form.actor} onChange={(e) => set({ actor: e.target.value })} />}
        </Field>
        <Field label={t('audit.target')} hint={t('audit.idHint')}>
          {(p) => <input {...p} value={form.target} onChange={(e) => set({ target: e.target.value })} />}
        </Field>
        <Field label={t('audit.from')}>
          {(p) => (
            <input {...p} type="date" value={form.from} onChange={(e) => set({ from: e.target.value })} />
          )}
        </Field>
        <Field label={t('audit.to')}>
          {(p) => <input {...p} type="date" value={form.to} onChange={(e) => set({ to: e.target.value })} />}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={loading}>
            {t('audit.search')}
          </button>
          <button type="button" onClick={() => void download()}>
            {t('audit.csv')}
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="error">
          {failureText(t, error)}
        </p>
      )}
      <div className="admin-table">
        <table aria-label={t('admin.audit')}>
          <thead>
            <tr>
              {(
                ['audit.seq', 'audit.at', 'audit.action', 'audit.actor', 'audit.target', 'audit.ip'] as const
              ).map((k) => (
                <th key={k} scope="col">
                  {t(k)}
                </th>
              ))}
              <th scope="col">{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {shown?.items.map((e) => (
              <tr key={e.seq} title={e.hash}>
                <td>{e.seq}</td>
                <td>{time(e.at)}</td>
                <td>{t(`audit.action.${e.action}`)}</td>
                <td>{visibleText(e.actor.name ?? e.actor.id ?? t(`audit.actorType.${e.actor.type}`))}</td>
                <td>{e.target ? `${e.target.type} ${e.target.id ?? ''}` : ''}</td>
                <td>{e.ip ?? ''}</td>
                <td className="audit-details">{visibleText(detailsLine(e.details))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown?.items.length === 0 && <p className="empty">{t('admin.empty')}</p>}
        {shown?.next !== null && shown !== null && (
          <button type="button" onClick={() => void load(shown.filters, true)} disabled={loading}>
            {t('audit.more')}
          </button>
        )}
      </div>
    </>
  );
}
