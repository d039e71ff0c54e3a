import type { RemotePermission } from '@beckon/protocol';
import { useState } from 'react';
import { useServices, useSession, useT } from '../app-context.ts';
import { AGENT_ZONE, buildAsk, INITIAL_FORM, type UnattendedForm } from './unattended-form.ts';

/**
 * UA1–UA5 in the session's tasks: ask the customer for unattended access.
 * Not offered (with the reason) outside a live session or in a view-only one;
 * a missing right or a computer that cannot stay installed is the broker's
 * answer, shown as it says it. The ask is answered when the customer has.
 */
export function UnattendedSection({
  live,
  permissions,
}: {
  live: boolean;
  permissions: readonly RemotePermission[];
}) {
  const t = useT();
  const { api } = useServices();
  const requestId = useSession((s) => s.active?.requestId ?? '');
  const [f, setF] = useState<UnattendedForm>(INITIAL_FORM);
  const [state, setState] = useState<{ kind: 'idle' | 'asking' | 'done' | 'error'; text?: string }>({
    kind: 'idle',
  });
  if (!live) return <p className="muted">{t('ua.why.notLive')}</p>;
  if (!permissions.includes('control')) return <p className="muted">{t('ua.why.viewOnly')}</p>;
  const built = buildAsk(f, permissions);
  const set = (patch: Partial<UnattendedForm>) => setF((old) => ({ ...old, ...patch }));
  const ask = async () => {
    if (!built.ok) return;
    setState({ kind: 'asking' });
    try {
      const grant = await api.grants.ask(requestId, built.ask);
      setState({ kind: 'done', text: t(grant.status === 'active' ? 'ua.granted' : 'ua.denied') });
    } catch (err) {
      setState({ kind: 'error', text: t('ua.failed', { message: (err as Error).message }) });
    }
  };
  return (
    <form
      className="unattended-form"
      data-testid="unattended-form"
      onSubmit={(e) => {
        e.preventDefault();
        void ask();
      }}
    >
      <p className="muted">{t('ua.intro')}</p>
      <label>
        {t('ua.mode')}
        <select value={f.mode} onChange={(e) => set({ mode: e.target.value as UnattendedForm['mode'] })}>
          <option value="at_connection">{t('ua.mode.at_connection')}</option>
          <option value="at_setup">{t('ua.mode.at_setup')}</option>
        </select>
      </label>
      <label>
        {t('ua.duration')}
        <select
          value={f.durationKind}
          onChange={(e) => set({ durationKind: e.target.value as UnattendedForm['durationKind'] })}
        >
          <option value="days">{t('ua.duration.days')}</option>
          <option value="range">{t('ua.duration.range')}</option>
          <option value="unlimited">{t('ua.duration.unlimited')}</option>
        </select>
      </label>
      {f.durationKind === 'days' && (
        <label>
          {t('ua.days')}
          <input type="number" min={1} value={f.days} onChange={(e) => set({ days: e.target.value })} />
        </label>
      )}
      {f.durationKind === 'range' && (
        <>
          <label>
            {t('ua.from')}
            <input type="date" value={f.from} onChange={(e) => set({ from: e.target.value })} />
          </label>
          <label>
            {t('ua.to')}
            <input type="date" value={f.to} onChange={(e) => set({ to: e.target.value })} />
          </label>
        </>
      )}
      <label>
        <input type="checkbox" checked={f.dailyOn} onChange={(e) => set({ dailyOn: e.target.checked })} />
        {t('ua.daily')}
      </label>
      {f.dailyOn && (
        <>
          <input
            aria-label={t('ua.from')}
            type="time"
            value={f.dailyFrom}
            onChange={(e) => set({ dailyFrom: e.target.value })}
          />
          <input
            aria-label={t('ua.to')}
            type="time"
            value={f.dailyTo}
            onChange={(e) => set({ dailyTo: e.target.value })}
          />
        </>
      )}
      <label>
        {t('ua.timeZone')}
        <select value={f.zone} onChange={(e) => set({ zone: e.target.value as UnattendedForm['zone'] })}>
          <option value="mine">{t('ua.zone.mine', { zone: AGENT_ZONE })}</option>
          <option value="customer">{t('ua.zone.customer')}</option>
        </select>
      </label>
      {f.zone === 'customer' && (
        <input
          aria-label={t('ua.zone.customer')}
          placeholder="Europe/Berlin"
          value={f.customerZone}
          onChange={(e) => set({ customerZone: e.target.value })}
        />
      )}
      {!built.ok && (
        <p className="error" role="alert" data-testid="unattended-error">
          {built.error}
        </p>
      )}
      <button type="submit" disabled={!built.ok || state.kind === 'asking'}>
        {state.kind === 'asking' ? t('ua.asking') : t('ua.ask')}
      </button>
      {state.text && (
        <p role="status" data-testid="unattended-result">
          {state.text}
        </p>
      )}
    </form>
  );
}
