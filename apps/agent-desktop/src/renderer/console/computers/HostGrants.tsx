import type { Grant, HostSummary } from '@beckon/protocol';
import { visibleText } from '@beckon/session';
import { useEffect, useState } from 'react';
import { useApp, useFormatTime, useServices, useSession, useT } from '../app-context.ts';

/**
 * A host's unattended-access grants (UA), with Revoke, and the unattended
 * Connect (UA7): a reason is required, and for a grant with credentials at
 * connection, an administrator's user name and password of the computer,
 * which go only over the verified peer connection, never to the broker.
 */
export function HostGrants({
  host,
  canConnect,
  mayList,
}: {
  host: HostSummary;
  canConnect: boolean;
  /** The broker lists a host's grants only to those with the connect right: others do not ask. */
  mayList: boolean;
}) {
  const t = useT();
  const time = useFormatTime();
  const { api, session, toasts } = useServices();
  const me = useApp((s) => s.auth.user);
  const [grants, setGrants] = useState<Grant[]>([]);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  // A grant is asked and answered in a session: read the list again whenever one starts or ends.
  const phase = useSession((s) => s.active?.phase ?? null);

  const load = async () => {
    if (!mayList) return setGrants([]);
    try {
      setGrants(await api.grants.list(host.id));
    } catch {
      setGrants([]);
    }
  };
  useEffect(() => {
    void load();
  }, [host.id, phase, mayList]);

  const mine = grants.filter((g) => g.status === 'active' && g.agent.id === me?.id && g.admitsNow);
  const needsAdmin = mine.length > 0 && mine.every((g) => g.mode === 'at_connection');

  const revoke = async (g: Grant) => {
    try {
      await api.grants.revoke(host.id, g.id);
      toasts.getState().push(t('ua.revoked'), 'info');
    } catch (err) {
      toasts.getState().push((err as Error).message, 'error');
    }
    await load();
  };

  const connect = async () => {
    if (!reason.trim()) return toasts.getState().push(t('ua.reasonRequired'), 'error');
    setBusy(true);
    try {
      const request = await api.grants.connectUnattended(host.id, reason.trim());
      const end = Date.now() + 20_000;
      while ((await api.getRequest(request.id)).status === 'open') {
        if (Date.now() > end) throw new Error(t('computers.why.offline'));
        await new Promise((ok) => setTimeout(ok, 250));
      }
      const credentials = needsAdmin ? { username: user, password } : null;
      setPassword('');
      if (credentials) {
        // Sent once the peer connection is verified and live: over it only.
        const stop = session.subscribe((s) => {
          if (s.active?.requestId !== request.id) return stop();
          if (s.active.phase === 'connected') {
            stop();
            session.getState().send({ type: 'unattended_auth', ...credentials });
          }
        });
      }
      session
        .getState()
        .connect({ id: request.id, recipientName: host.name, permissions: ['view', 'control'] });
      setOpen(false);
    } catch (err) {
      toasts.getState().push(t('computers.connectFailed', { message: (err as Error).message }), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label={t('ua.grants')} data-testid="host-grants">
      <h4>{t('ua.grants')}</h4>
      {grants.length === 0 && <p className="muted">{t('ua.noGrants')}</p>}
      <ul>
        {grants.map((g) => (
          <li key={g.id} data-testid="grant">
            <span>
              {visibleText(g.agent.name)} · {t(`ua.mode.${g.mode}`)} · {t(`ua.status.${g.status}`)}
              {g.status === 'active' && ` · ${t(g.admitsNow ? 'ua.admitsNow' : 'ua.outsideNow')}`}
              {g.verifiedUser && ` · ${t('ua.verifiedBy', { user: visibleText(g.verifiedUser) })}`}
              {g.approvedAt && ` · ${time(g.approvedAt)}`}
            </span>
            {(g.status === 'active' || g.status === 'pending') && (
              <button type="button" onClick={() => void revoke(g)}>
                {t('ua.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {mine.length > 0 && canConnect && !open && (
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          {t('ua.connect')}
        </button>
      )}
      {open && (
        <form
          data-testid="unattended-connect"
          onSubmit={(e) => {
            e.preventDefault();
            void connect();
          }}
        >
          <label>
            {t('ua.reason')}
            <input required value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          {needsAdmin && (
            <>
              <label>
                {t('ua.adminUser')}
                <input autoComplete="off" required value={user} onChange={(e) => setUser(e.target.value)} />
              </label>
              <label>
                {t('ua.adminPassword')}
                <input
                  type="password"
                  autoComplete="off"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </label>
              <p className="hint">{t('ua.adminNote')}</p>
            </>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {t('ua.go')}
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            {t('ua.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
