import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { formatRoute } from '../routes.ts';
import { useApp, useFormatTime, useRequests, useT } from '../app-context.ts';
import { formatNumber } from '../i18n/i18n.ts';
import { failureText } from '../i18n/failure-text.ts';
import { assigneeLabel } from './assignee-label.ts';
import { RequestActions } from './RequestActions.tsx';
import { StatusBadge } from './StatusBadge.tsx';

const ROW_HEIGHT = 52;
/** Start loading the next page this many rows before the end comes into view. */
const PREFETCH_ROWS = 40;

/**
 * The filtered requests as a virtualized ARIA table: only the rows in view (and
 * a few around them) exist in the DOM, so 10,000 loaded rows scroll like 20.
 * Pages load as the end comes near (cursor pagination on the broker).
 */
export function RequestTable() {
  const t = useT();
  const time = useFormatTime('short');
  const language = useApp((s) => s.prefs.language);
  const list = useRequests((s) => s.list);
  const loading = useRequests((s) => s.loading);
  const error = useRequests((s) => s.error);
  const loadMore = useRequests((s) => s.loadMore);
  const reload = useRequests((s) => s.reload);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: list.ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => list.ids[index] ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (list.nextCursor !== null && lastIndex >= list.ids.length - PREFETCH_ROWS) void loadMore();
  }, [lastIndex, list.ids.length, list.nextCursor, loadMore]);

  const count = list.ids.length;
  const summary =
    loading === 'first' && !list.loaded
      ? t('list.loading')
      : t(list.nextCursor === null ? 'list.count' : 'list.countMore', {
          count: formatNumber(count, language),
        });

  return (
    <section className="request-table-wrap">
      <div role="table" aria-label={t('table.label')} aria-rowcount={count + 1} className="request-table">
        <div role="rowgroup" className="thead">
          <div role="row" aria-rowindex={1} className="tr">
            <span role="columnheader">{t('table.status')}</span>
            <span role="columnheader">{t('table.recipient')}</span>
            <span role="columnheader">{t('table.code')}</span>
            <span role="columnheader">{t('table.assignee')}</span>
            <span role="columnheader">{t('table.scheduled')}</span>
            <span role="columnheader">{t('table.expires')}</span>
            <span role="columnheader">{t('table.created')}</span>
            <span role="columnheader">{t('table.actions')}</span>
          </div>
        </div>
        <div role="rowgroup" className="tbody" ref={scrollRef} data-testid="request-scroll">
          <div className="tbody-sizer" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const r = list.byId.get(list.ids[item.index] ?? '');
              if (!r) return null;
              return (
                <div
                  role="row"
                  aria-rowindex={item.index + 2}
                  key={item.key}
                  className="tr"
                  data-request-id={r.id}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                >
                  <span role="cell">
                    <StatusBadge status={r.status} />
                  </span>
                  <span role="cell" className="recipient">
                    <a href={formatRoute({ name: 'request', id: r.id })}>{r.recipientName}</a>
                    {r.recipientEmail && <span className="sub">{r.recipientEmail}</span>}
                  </span>
                  <span role="cell" className="mono">
                    {r.displayCode}
                  </span>
                  <span role="cell">{assigneeLabel(t, r.assignee)}</span>
                  <span role="cell">{time(r.scheduledAt)}</span>
                  <span role="cell">{time(r.expiresAt)}</span>
                  <span role="cell">{time(r.createdAt)}</span>
                  <span role="cell">
                    <RequestActions request={r} compact />
                  </span>
                </div>
              );
            })}
          </div>
          {list.loaded && count === 0 && <p className="empty">{t('list.empty')}</p>}
        </div>
      </div>
      <footer className="table-footer">
        <span role="status" data-testid="list-count">
          {summary}
        </span>
        {loading === 'more' && <span>{t('list.loading')}</span>}
        {error && (
          <span className="error" role="alert">
            {t('list.error', { message: failureText(t, error) })}{' '}
            <button
              type="button"
              onClick={() => void (list.loaded && list.nextCursor ? loadMore() : reload())}
            >
              {t('list.retry')}
            </button>
          </span>
        )}
      </footer>
    </section>
  );
}
