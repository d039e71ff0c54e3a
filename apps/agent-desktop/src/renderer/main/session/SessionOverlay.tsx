import { useServices, useSession, useT } from '../app-context.ts';
import { RemoteView } from '../remote/RemoteView.tsx';
import { UNAVAILABLE_REASON } from './session-connector.ts';

/** The active remote session: its progress, then the remote view; or why it ended. */
export function SessionOverlay() {
  const t = useT();
  const { session } = useServices();
  const active = useSession((s) => s.active);
  if (!active) return null;
  const name = active.recipientName;
  const { end, dismiss, send, toggleViewOnly } = session.getState();

  if (active.phase === 'failed' || active.phase === 'ended') {
    const message =
      active.phase === 'ended'
        ? t('session.ended', { name })
        : active.reason === UNAVAILABLE_REASON
          ? t('session.unavailable')
          : t('session.failed', { reason: active.reason ?? '' });
    return (
      <div className="session-banner" role="alert">
        <span>{message}</span>
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
  return (
    <div className="session-overlay" role="region" aria-label={progress}>
      <p className="session-progress" role="status">
        {progress}
      </p>
      <RemoteView
        stream={active.stream}
        send={send}
        viewOnly={active.viewOnly}
        stats={active.stats ?? undefined}
        verificationCode={active.verificationCode ?? undefined}
        onToggleViewOnly={toggleViewOnly}
        onEnd={end}
      />
    </div>
  );
}
