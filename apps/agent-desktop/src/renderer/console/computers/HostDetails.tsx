import type { HostRights, HostSummary, SystemInfo } from '@beckon/protocol';
import { visibleText } from '@beckon/session';
import { useState } from 'react';
import { useStore } from 'zustand';
import { isAdmin } from '../store.ts';
import { useApp, useFormatTime, useServices, useT } from '../app-context.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { HostGrants } from './HostGrants.tsx';

/** Why Connect is disabled, or null when it is not. */
export function connectBlocker(host: HostSummary, rights: HostRights | null): MessageKey | null {
  // The lasting reason first: a host coming online does not give the right.
  if (!rights?.connect) return 'computers.why.noRight';
  if (!host.online) return 'computers.why.offline';
  return null;
}

const GIB = 1024 ** 3;

export function HostDetails(props: {
  host: HostSummary;
  rights: HostRights | null;
  info: SystemInfo | null;
  onInfo(info: SystemInfo): void;
}) {
  const t = useT();
  const time = useFormatTime();
  const { api, session, toasts, hosts } = useServices();
  const admin = useApp((s) => isAdmin(s.auth.user));
  const groups = useStore(hosts, (s) => s.groups);
  const [busy, setBusy] = useState(false);
  const h = props.host;
  const blocker = connectBlocker(h, props.rights);
  const infoAllowed = h.online && (props.rights?.systemInfo ?? false);
  const language = useApp((s) => s.prefs.language);

  const connect = async () => {
    setBusy(true);
    try {
      const request = await api.hosts.connect(h.id);
      // The host joins the offered request by itself; Connect once it is there.
      const end = Date.now() + 20_000;
      for (;;) {
        const r = await api.getRequest(request.id);
        if (r.status === 'waiting' || r.status === 'ready' || r.status === 'in_session') break;
        if (Date.now() > end) throw new Error(t('computers.why.offline'));
        await new Promise((ok) => setTimeout(ok, 250));
      }
      session.getState().connect({ id: request.id, recipientName: h.name, permissions: request.permissions });
    } catch (err) {
      toasts.getState().push(t('computers.connectFailed', { message: (err as Error).message }), 'error');
    } finally {
      setBusy(false);
    }
  };

  const move = async (groupId: string) => {
    try {
      // The change comes back on the live channel like any other.
      await api.hosts.patch(h.id, { groupId: groupId || null });
    } catch (err) {
      toasts.getState().push((err as Error).message, 'error');
    }
  };

  const loadInfo = async () => {
    try {
      props.onInfo(await api.hosts.systemInfo(h.id));
    } catch (err) {
      toasts.getState().push((err as Error).message, 'error');
    }
  };

  return (
    <aside className="host-details" aria-label={visibleText(h.name)} data-testid="host-details">
      <h3>{visibleText(h.name)}</h3>
      <dl>
        <dt>{t('computers.col.status')}</dt>
        <dd>{h.online ? t('computers.online') : t('computers.offline')}</dd>
        <dt>{t('computers.hostname')}</dt>
        <dd>{h.presence ? visibleText(h.presence.hostname) : ''}</dd>
        <dt>{t('computers.col.os')}</dt>
        <dd>
          {h.presence
            ? visibleText(`${h.presence.os} ${h.presence.osVersion ?? ''} ${h.presence.arch ?? ''}`)
            : ''}
        </dd>
        <dt>{t('computers.col.lastSeen')}</dt>
        <dd>{h.lastSeenAt ? time(h.lastSeenAt) : t('computers.never')}</dd>
        <dt>{t('computers.enrolled')}</dt>
        <dd>{time(h.enrolledAt)}</dd>
        <dt>{t('computers.group')}</dt>
        <dd>
          {admin ? (
            <select
              aria-label={t('computers.moveTo')}
              value={h.groupId ?? ''}
              onChange={(e) => void move(e.target.value)}
            >
              <option value="">{t('computers.noGroup')}</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {visibleText(g.name)}
                </option>
              ))}
            </select>
          ) : (
            visibleText(groups.find((g) => g.id === h.groupId)?.name ?? t('computers.noGroup'))
          )}
        </dd>
        <dt>{t('computers.tags')}</dt>
        <dd>{h.tags.join(', ')}</dd>
        <dt>{t('computers.fingerprint')}</dt>
        <dd>
          <code>{h.keyFingerprint}</code>
        </dd>
      </dl>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={blocker !== null || busy}
          title={blocker ? t(blocker) : undefined}
          aria-describedby={`why-${h.id}`}
          onClick={() => void connect()}
        >
          {busy ? t('computers.connecting') : t('computers.connect')}
        </button>
        <button
          type="button"
          disabled={!infoAllowed}
          title={
            infoAllowed ? undefined : t(h.online ? 'computers.why.noSystemInfo' : 'computers.why.offline')
          }
          onClick={() => void loadInfo()}
        >
          {t('computers.loadSystemInfo')}
        </button>
      </div>
      <p id={`why-${h.id}`} className="hint" data-testid="connect-why">
        {blocker ? t(blocker) : t('computers.asksPerson')}
      </p>
      <HostGrants
        host={h}
        canConnect={h.online && (props.rights?.connect ?? false)}
        mayList={props.rights?.connect ?? false}
      />
      {props.info && (
        <section aria-label={t('computers.systemInfo')}>
          <h4>{t('computers.systemInfo')}</h4>
          <dl lang={language}>
            <dt>{t('computers.col.os')}</dt>
            <dd>{visibleText(`${props.info.os.distro} ${props.info.os.release} (${props.info.os.arch})`)}</dd>
            <dt>{t('computers.cpu')}</dt>
            <dd>{visibleText(`${props.info.cpu.brand} × ${props.info.cpu.cores}`)}</dd>
            <dt>{t('computers.memory')}</dt>
            <dd>{(props.info.memory.totalBytes / GIB).toFixed(1)} GiB</dd>
          </dl>
        </section>
      )}
    </aside>
  );
}
