import { canConnect, type SessionRequestSummary } from '@beckon/protocol';
import { useServices, useT } from '../app-context.ts';
import { copyText } from '../ui/clipboard.ts';

/** Connect, copy link, copy code: the actions a row and the detail view share. */
export function RequestActions({
  request,
  compact = false,
}: {
  request: SessionRequestSummary;
  compact?: boolean;
}) {
  const t = useT();
  const { session, toasts } = useServices();
  const connectable = canConnect(request.status);

  const copy = async (text: string) => {
    const ok = await copyText(text);
    toasts
      .getState()
      .push(ok ? t('action.copied', { text }) : t('action.copyFailed', { text }), ok ? 'info' : 'error');
  };

  return (
    <div className={compact ? 'actions compact' : 'actions'}>
      <button
        type="button"
        className="primary"
        disabled={!connectable}
        title={connectable ? undefined : t('action.connectHint')}
        onClick={() => session.getState().connect(request)}
      >
        {t('action.connect')}
      </button>
      <button type="button" onClick={() => void copy(request.customerLink)}>
        {t('action.copyLink')}
      </button>
      <button type="button" onClick={() => void copy(request.displayCode)}>
        {t('action.copyCode')}
      </button>
    </div>
  );
}
