import type { SessionStatus } from '@beckon/protocol';
import { useT } from '../app-context.ts';

/**
 * SR3: every status has its own icon and colour, and always its label too, so
 * nobody has to tell statuses apart by colour alone.
 */
const ICONS: Record<SessionStatus, string> = {
  open: '○',
  waiting: '◔',
  ready: '●',
  in_session: '▶',
  closed: '■',
  expired: '⌛',
};

export function StatusBadge({ status }: { status: SessionStatus }) {
  const t = useT();
  return (
    <span className={`status status-${status}`} title={t(`status.${status}.hint`)} data-status={status}>
      <span className="status-icon" aria-hidden="true">
        {ICONS[status]}
      </span>
      <span className="status-label">{t(`status.${status}`)}</span>
    </span>
  );
}
