import type { HostDetail, HostSummary, SystemInfo } from '@beckon/protocol';
import { visibleText } from '@beckon/session';
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { useApp, useFormatTime, useServices, useT } from '../app-context.ts';
import { isAdmin } from '../store.ts';
import { AddComputer } from './AddComputer.tsx';
import { filterHosts, NO_FILTER, tagsOf, visibleRange, type HostFilter } from './host-filter.ts';
import { HostDetails } from './HostDetails.tsx';

const ROW_HEIGHT = 40;
const VIEWPORT_HEIGHT = 480;

/**
 * Managed hosts (UA, AH): every computer of the organisation with live
 * presence, filtered by text, group and tag. The list draws only the rows in
 * view (fixed row height), so 20,000 computers scroll like 20.
 */
export function ComputersPage() {
  const t = useT();
  const { hosts } = useServices();
  const version = useStore(hosts, (s) => s.version);
  const loading = useStore(hosts, (s) => s.loading);
  const error = useStore(hosts, (s) => s.error);
  const groups = useStore(hosts, (s) => s.groups);
  const admin = useApp((s) => isAdmin(s.auth.user));
  const [filter, setFilter] = useState<HostFilter>(NO_FILTER);
  const [selected, setSelected] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);

  useEffect(() => {
    void hosts.getState().start();
  }, [hosts]);

  // `version` says when the hosts changed in place.
  const all = useMemo(() => [...hosts.getState().byId.values()], [hosts, version]);
  const shown = useMemo(() => filterHosts(all, filter), [all, filter]);
  const tags = useMemo(() => tagsOf(all), [all]);
  const { start, end } = visibleRange(scrollTop, VIEWPORT_HEIGHT, ROW_HEIGHT, shown.length);
  const host = selected ? (hosts.getState().byId.get(selected) ?? null) : null;

  return (
    <section className="computers" aria-labelledby="computers-title">
      <div className="toolbar">
        <h2 id="computers-title">{t('computers.title')}</h2>
        {admin && <AddComputer />}
      </div>
      <div className="filters computers-filters">
        <input
          type="search"
          aria-label={t('computers.search')}
          placeholder={t('computers.search')}
          value={filter.q}
          onChange={(e) => setFilter({ ...filter, q: e.target.value })}
        />
        <label>
          {t('computers.group')}{' '}
          <select value={filter.group} onChange={(e) => setFilter({ ...filter, group: e.target.value })}>
            <option value="">{t('computers.allGroups')}</option>
            <option value="none">{t('computers.noGroup')}</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {visibleText(g.name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('computers.tag')}{' '}
          <select value={filter.tag} onChange={(e) => setFilter({ ...filter, tag: e.target.value })}>
            <option value="">{t('computers.allTags')}</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </label>
        <span role="status" data-testid="computers-count">
          {t('computers.count', { shown: shown.length, total: all.length })}
        </span>
      </div>
      {error && <p className="error">{t('computers.error', { message: error })}</p>}
      {loading && all.length === 0 && <p role="status">{t('computers.loading')}</p>}
      <div className="computers-body">
        <div
          role="table"
          aria-label={t('computers.title')}
          aria-rowcount={shown.length + 1}
          className="host-table"
        >
          <div role="row" className="host-row host-head" aria-rowindex={1}>
            <span role="columnheader">{t('computers.col.name')}</span>
            <span role="columnheader">{t('computers.col.status')}</span>
            <span role="columnheader">{t('computers.col.os')}</span>
            <span role="columnheader">{t('computers.col.user')}</span>
            <span role="columnheader">{t('computers.col.lastSeen')}</span>
          </div>
          <div
            className="host-viewport"
            data-testid="host-viewport"
            style={{ height: VIEWPORT_HEIGHT }}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          >
            <div role="rowgroup" style={{ height: shown.length * ROW_HEIGHT, position: 'relative' }}>
              {shown.slice(start, end).map((h, i) => (
                <HostRow
                  key={h.id}
                  host={h}
                  index={start + i}
                  selected={h.id === selected}
                  onSelect={() => setSelected(h.id)}
                />
              ))}
            </div>
            {!loading && shown.length === 0 && <p>{t('computers.empty')}</p>}
          </div>
        </div>
        {host ? <HostPanel host={host} /> : <p className="host-details">{t('computers.select')}</p>}
      </div>
    </section>
  );
}

function HostRow(props: { host: HostSummary; index: number; selected: boolean; onSelect(): void }) {
  const t = useT();
  const time = useFormatTime('short');
  const h = props.host;
  const user =
    h.presence === null || h.presence.userPresent === null
      ? t('computers.unknown')
      : h.presence.userPresent
        ? h.presence.screenLocked
          ? `${t('computers.userPresent')} · ${t('computers.locked')}`
          : t('computers.userPresent')
        : t('computers.nobody');
  return (
    <div
      role="row"
      aria-rowindex={props.index + 2}
      aria-selected={props.selected}
      className={props.selected ? 'host-row selected' : 'host-row'}
      style={{ position: 'absolute', top: props.index * ROW_HEIGHT, height: ROW_HEIGHT, left: 0, right: 0 }}
      data-host-id={h.id}
      onClick={props.onSelect}
    >
      <span role="cell">
        <button type="button" className="link" onClick={props.onSelect}>
          {visibleText(h.name)}
        </button>
      </span>
      <span role="cell" data-testid="host-status">
        <span className={h.online ? 'dot online' : 'dot offline'} aria-hidden="true" />
        {h.online ? t('computers.online') : t('computers.offline')}
      </span>
      <span role="cell">
        {h.presence ? visibleText(`${h.presence.os} ${h.presence.osVersion ?? ''}`.trim()) : ''}
      </span>
      <span role="cell">{user}</span>
      <span role="cell">{h.online ? '' : h.lastSeenAt ? time(h.lastSeenAt) : t('computers.never')}</span>
    </div>
  );
}

/** The selected host's details, fetched with the caller's rights on it. */
function HostPanel({ host }: { host: HostSummary }) {
  const { api } = useServices();
  const [detail, setDetail] = useState<HostDetail | null>(null);
  const [info, setInfo] = useState<SystemInfo | null>(null);
  useEffect(() => {
    let live = true;
    setDetail(null);
    setInfo(null);
    api.hosts.get(host.id).then(
      (d) => live && setDetail(d),
      () => live && setDetail(null),
    );
    return () => {
      live = false;
    };
  }, [api, host.id]);
  return <HostDetails host={host} rights={detail?.rights ?? null} info={info} onInfo={setInfo} />;
}
