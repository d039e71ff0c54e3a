import { isFinal, type RequestEvent, type SessionRequest } from '@beckon/protocol';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useApp, useFormatTime, useRequests, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { LANGUAGE_NAMES, type Translate } from '../i18n/i18n.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { assigneeLabel } from './assignee-label.ts';
import { RequestActions } from './RequestActions.tsx';
import { StatusBadge } from './StatusBadge.tsx';

/** One request with its links, its actions and its whole history (SR4). */
export function RequestDetail({ id }: { id: string }) {
  const t = useT();
  const { requests } = useServices();
  const navigate = useApp((s) => s.navigate);
  const detail = useRequests((s) => (s.detail?.id === id ? s.detail : null));

  useEffect(() => {
    void requests.getState().openDetail(id);
    return () => requests.getState().closeDetail();
  }, [id, requests]);

  const back = (
    <button type="button" className="link" onClick={() => navigate({ name: 'requests' })}>
      ← {t('detail.back')}
    </button>
  );
  if (!detail?.request) {
    return (
      <section className="detail">
        {back}
        {detail?.error ? (
          <p role="alert" className="error">
            {failureText(t, detail.error)}
          </p>
        ) : (
          <p>{t('detail.loading')}</p>
        )}
      </section>
    );
  }
  return <Loaded request={detail.request} back={back} />;
}

function Loaded({ request: r, back }: { request: SessionRequest; back: ReactNode }) {
  const t = useT();
  const time = useFormatTime();
  const none = t('detail.none');
  const rows: [string, ReactNode][] = [
    [t('detail.code'), <span className="mono">{r.displayCode}</span>],
    [t('detail.status'), <StatusBadge status={r.status} />],
    [t('detail.email'), r.recipientEmail ?? none],
    [t('detail.language'), LANGUAGE_NAMES[r.language]],
    [t('detail.comment'), r.comment ? <span className="pre">{r.comment}</span> : none],
    [t('detail.scheduled'), time(r.scheduledAt) || none],
    [t('detail.expires'), time(r.expiresAt)],
    [t('detail.assignee'), assigneeLabel(t, r.assignee)],
    [t('detail.permissions'), r.permissions.map((p) => t(`permission.${p}`)).join(', ')],
    [t('detail.customerLink'), <code>{r.customerLink}</code>],
    [t('detail.assistLink'), <code>{r.assistLink}</code>],
    [t('detail.supporterLink'), <code>{r.supporterLink}</code>],
    [t('detail.createdBy'), r.createdBy.name ?? none],
    [t('detail.created'), time(r.createdAt)],
    [t('detail.updated'), time(r.updatedAt)],
    [t('detail.closedAt'), time(r.closedAt) || none],
    [t('detail.timeZone'), r.timeZone],
  ];
  if (r.ticket) rows.push([t('detail.ticket'), `${r.ticket.system} ${r.ticket.ticketId}`]);
  return (
    <section className="detail" aria-labelledby="detail-title">
      {back}
      <header className="detail-header">
        <h2 id="detail-title">{t('detail.title', { name: r.recipientName })}</h2>
        <StatusBadge status={r.status} />
      </header>
      <div className="detail-actions">
        <RequestActions request={r} />
        {!isFinal(r.status) && <LiveActions request={r} />}
      </div>
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3>{t('detail.history')}</h3>
      <History events={r.events} t={t} time={time} />
    </section>
  );
}

/** Resend the invite (to the stored or another address) and close. */
function LiveActions({ request: r }: { request: SessionRequest }) {
  const t = useT();
  const { requests, toasts } = useServices();
  const [email, setEmail] = useState(r.recipientEmail ?? '');
  const [error, setError] = useState<string | null>(null);
  const emailId = useId();

  const resend = async (e: FormEvent) => {
    e.preventDefault();
    const result = await requests.getState().resendInvite(r.id, email.trim() || undefined);
    if (result.ok) {
      setError(null);
      toasts.getState().push(t('action.resent', { email: email.trim() || (r.recipientEmail ?? '') }));
    } else setError(result.failure.issues[0]?.message ?? failureText(t, result.failure));
  };
  const close = async () => {
    const result = await requests.getState().close(r.id);
    toasts
      .getState()
      .push(
        result.ok ? t('action.closed', { name: r.recipientName }) : failureText(t, result.failure),
        result.ok ? 'info' : 'error',
      );
  };

  return (
    <>
      <form className="resend" onSubmit={resend}>
        <label htmlFor={emailId}>{t('detail.resendTo')}</label>
        <input
          id={emailId}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={Boolean(error)}
        />
        <button type="submit">{t('action.resend')}</button>
        {error && <p className="field-error">{error}</p>}
      </form>
      <ConfirmButton
        label={t('action.close')}
        question={t('action.closeConfirm', { name: r.recipientName })}
        onConfirm={close}
      />
    </>
  );
}

function actorName(t: Translate, e: RequestEvent): string {
  if (e.actor.type === 'user') return t('actor.user', { name: e.actor.name ?? '' });
  if (e.actor.type === 'api_token') return t('actor.api_token', { name: e.actor.name ?? '' });
  return t(`actor.${e.actor.type}`);
}

function History({
  events,
  t,
  time,
}: {
  events: readonly RequestEvent[];
  t: Translate;
  time: (iso: string) => string;
}) {
  return (
    <table className="history">
      <thead>
        <tr>
          <th scope="col">{t('history.at')}</th>
          <th scope="col">{t('history.event')}</th>
          <th scope="col">{t('history.change')}</th>
          <th scope="col">{t('history.actor')}</th>
          <th scope="col">{t('history.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td>{time(e.at)}</td>
            <td>{t(`event.${e.kind}`)}</td>
            <td>
              {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus
                ? `${t(`status.${e.fromStatus}`)} → ${t(`status.${e.toStatus}`)}`
                : e.toStatus
                  ? t(`status.${e.toStatus}`)
                  : ''}
            </td>
            <td>{actorName(t, e)}</td>
            <td>{e.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
