import { SESSION_STATUSES, type SessionStatus } from '@beckon/protocol';
import { useEffect, useId, useState } from 'react';
import { useRequests, useT } from '../app-context.ts';
import { DEFAULT_FILTER, filterIsDefault, type RequestFilter } from './request-filter.ts';

const SEARCH_DELAY_MS = 300;

/** SR4 filters; each maps to a query parameter of the broker's list. */
export function RequestFilters() {
  const t = useT();
  const filter = useRequests((s) => s.filter);
  const queues = useRequests((s) => s.queues);
  const setFilter = useRequests((s) => s.setFilter);
  const [q, setQ] = useState(filter.q);
  const ids = { scope: useId(), queue: useId(), when: useId(), search: useId() };

  // Searching waits for a pause in typing: one query per word, not per key.
  useEffect(() => {
    if (q === filter.q) return;
    const timer = setTimeout(() => setFilter({ q }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, filter.q, setFilter]);

  const setScope = (scope: RequestFilter['scope']) =>
    setFilter({
      scope,
      queueId: scope === 'queue' ? (filter.queueId ?? queues[0]?.id ?? null) : filter.queueId,
    });

  const toggleStatus = (status: SessionStatus, on: boolean) => {
    const statuses = on ? [...filter.statuses, status] : filter.statuses.filter((s) => s !== status);
    setFilter({ statuses: SESSION_STATUSES.filter((s) => statuses.includes(s)) });
  };

  return (
    <form className="filters" aria-label={t('filter.label')} onSubmit={(e) => e.preventDefault()}>
      <div className="filter">
        <label htmlFor={ids.scope}>{t('filter.scope')}</label>
        <select
          id={ids.scope}
          value={filter.scope}
          onChange={(e) => setScope(e.target.value as RequestFilter['scope'])}
        >
          <option value="mine">{t('filter.scope.mine')}</option>
          <option value="unassigned">{t('filter.scope.unassigned')}</option>
          <option value="queue" disabled={queues.length === 0}>
            {t('filter.scope.queue')}
          </option>
          <option value="all">{t('filter.scope.all')}</option>
        </select>
      </div>
      {filter.scope === 'queue' && (
        <div className="filter">
          <label htmlFor={ids.queue}>{t('filter.queue')}</label>
          <select
            id={ids.queue}
            value={filter.queueId ?? ''}
            onChange={(e) => setFilter({ queueId: e.target.value })}
          >
            {queues.length === 0 && <option value="">{t('filter.queue.none')}</option>}
            {queues.map((queue) => (
              <option key={queue.id} value={queue.id}>
                {queue.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="filter">
        <label htmlFor={ids.when}>{t('filter.when')}</label>
        <select
          id={ids.when}
          value={filter.when}
          onChange={(e) => setFilter({ when: e.target.value as RequestFilter['when'] })}
        >
          <option value="all">{t('filter.when.all')}</option>
          <option value="past">{t('filter.when.past')}</option>
          <option value="upcoming">{t('filter.when.upcoming')}</option>
        </select>
      </div>
      <fieldset className="filter statuses">
        <legend>{t('filter.status')}</legend>
        {SESSION_STATUSES.map((status) => (
          <label key={status} className={`status-toggle status-${status}`}>
            <input
              type="checkbox"
              checked={filter.statuses.includes(status)}
              onChange={(e) => toggleStatus(status, e.target.checked)}
            />
            {t(`status.${status}`)}
          </label>
        ))}
      </fieldset>
      <div className="filter search">
        <label htmlFor={ids.search}>{t('filter.search')}</label>
        <input
          id={ids.search}
          type="search"
          value={q}
          maxLength={200}
          placeholder={t('filter.search.placeholder')}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <button
        type="button"
        disabled={filterIsDefault(filter) && q === ''}
        onClick={() => {
          setQ('');
          setFilter(DEFAULT_FILTER);
        }}
      >
        {t('filter.clear')}
      </button>
    </form>
  );
}
