import type { SessionStatus } from '@beckon/protocol';
import { visibleText } from '@beckon/session';
import { useRequests, useServices, useSession, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { AdhocPasswordPrompt, AdhocRefusedNote } from '../adhoc/AdhocPasswordPrompt.tsx';
import { AdhocAccess } from '../adhoc/AdhocAccess.tsx';
import { RemoteView } from '../remote/RemoteView.tsx';
import { StatusBadge } from '../requests/StatusBadge.tsx';
import { TasksPanel } from '../tasks/TasksPanel.tsx';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { UNAVAILABLE_REASON } from './session-connector.ts';
import { reasonKey } from './session-reasons.ts';

/** The active remote session: its progress, then the remote view and its tasks; or why it ended. */
export function SessionOverlay() {
  const t = useT();
  const { session, requests, toasts, adhocAuth, fileManager } = useServices();
  const active = useSession((s) => s.active);
  const requestId = active?.requestId ?? '';
  // The request's status as the live channel reports it (list row, or the open detail).
  const status = useRequests(
    (s): SessionStatus | undefined =>
      s.list.byId.get(requestId)?.status ??
      (s.detail?.id === requestId ? s.detail.request?.status : undefined),
  );
  if (!active) return null;
  const name = active.recipientName;
  const { end, dismiss, send, toggleViewOnly } = session.getState();
  const key = reasonKey(active.reason);
  // An unknown reason may be the host's own words (its Stop message): marked like its other text.
  const because = key ? t(key, { name }) : visibleText(active.reason ?? '');

  if (active.phase === 'failed' || active.phase === 'ended') {
    const message =
      active.phase === 'ended'
        ? t('session.ended', { name })
        : active.reason === UNAVAILABLE_REASON
          ? t('session.unavailable')
          : key
            ? because
            : t('session.failed', { reason: because });
    return (
      <div
        className="session-banner"
        role="alert"
        data-phase={active.phase}
        data-reason={active.reason ?? ''}
      >
        <span>{message}</span>
        {active.phase === 'ended' && because && <span className="muted">{because}</span>}
        {adhocAuth && <AdhocRefusedNote store={adhocAuth} />}
        <button type="button" onClick={dismiss}>
          {t('session.dismiss')}
        </button>
      </div>
    );
  }

  const progress =
    active.phase === 'connecting'
      ? t('session.connecting', { name })
      : active.phase === 'awaiting_consent'
        ? t('session.awaitingConsent', { name })
        : t('session.connected', { name });
  const closeRequest = async () => {
    const result = await requests.getState().close(active.requestId);
    if (!result.ok) toasts.getState().push(failureText(t, result.failure), 'error');
  };
  return (
    <div className="session-overlay" role="region" aria-label={progress} data-phase={active.phase}>
      <header className="session-header">
        <p className="session-progress" role="status">
          {progress}
        </p>
        {status && (
          <span className="session-status" aria-label={t('session.status')} data-testid="session-status">
            <StatusBadge status={status} />
          </span>
        )}
        {active.phase === 'connected' && (
          <span className="muted">
            {t('session.allowed', {
              permissions: active.permissions.map((p) => t(`permission.${p}`)).join(', '),
            })}
          </span>
        )}
        <ConfirmButton
          label={t('action.close')}
          question={t('action.closeConfirm', { name })}
          onConfirm={closeRequest}
        />
      </header>
      {active.host === 'browser' && (
        <p className="remote-notice" data-testid="browser-host" role="note">
          {t('session.browserHost', { name })}
        </p>
      )}
      {adhocAuth && <AdhocPasswordPrompt store={adhocAuth} />}
      <div className="session-body">
        <RemoteView
          stream={active.stream}
          send={send}
          viewOnly={active.viewOnly}
          canControl={active.host !== 'browser' && active.permissions.includes('control')}
          stats={active.stats ?? undefined}
          verificationCode={active.verificationCode ?? undefined}
          onToggleViewOnly={toggleViewOnly}
          onEnd={end}
        />
        <TasksPanel live={active.phase === 'connected'} permissions={active.permissions} />
        {adhocAuth && fileManager && (
          <AdhocAccess auth={adhocAuth} fm={fileManager} permissions={active.permissions} />
        )}
      </div>
    </div>
  );
}
