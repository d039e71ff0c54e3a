import {
  ReportGroupBySchema,
  type ReportGroupBy,
  type ReportRow,
  type SessionReport,
} from '@beckon/protocol';
import { useState, type FormEvent } from 'react';
import { failureOf } from '../api/http.ts';
import { problemsOfFailure, type Problems } from '../admin/admin-form.ts';
import { useApp, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { formatNumber, type MessageKey } from '../i18n/i18n.ts';
import { Field } from '../ui/Field.tsx';
import { useLoad } from '../ui/use-load.ts';
import { bars, csvFileName, defaultRange, formatDuration } from './helpdesk-format.ts';

const GROUPS = ReportGroupBySchema.options;
const BAR_WIDTH = 200;
const LABEL_WIDTH = 130;
/** Labels longer than this are cut in the chart; the table beside it has them whole. */
const LABEL_CHARS = 18;
const cut = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);

/** Session reports (SC8): a range in an explicit time zone, per technician, with breakdowns and CSV. */
export function ReportsPanel() {
  const t = useT();
  const { api } = useServices();
  const zone = useApp((s) => s.prefs.timeZone);
  const users = useLoad(() => api.listUsers());
  const [range] = useState(() => defaultRange(new Date(), zone));
  const [query, setQuery] = useState({
    ...range,
    tz: zone,
    technician: '',
    groupBy: 'technician' as ReportGroupBy,
  });
  const [report, setReport] = useState<SessionReport | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const asked = () => ({ ...query, technician: query.technician || undefined });

  const fail = (error: unknown) => {
    const failure = failureOf(error);
    setProblems(problemsOfFailure(failure, failureText(t, failure)));
  };
  const run = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setReport(await api.helpdesk.report(asked()));
      setProblems({});
    } catch (error) {
      fail(error);
    }
  };
  const download = async () => {
    try {
      const csv = await api.helpdesk.reportCsv(asked());
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = csvFileName(query.from, query.to);
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      fail(error);
    }
  };
  const set = (change: Partial<typeof query>) => setQuery((q) => ({ ...q, ...change }));

  return (
    <>
      <form className="admin-form report-form" onSubmit={run} noValidate aria-label={t('reports.query')}>
        {problems['form'] && (
          <p className="form-error" role="alert">
            {problems['form']}
          </p>
        )}
        <Field label={t('reports.from')} error={problems['from']}>
          {(p) => (
            <input {...p} type="date" value={query.from} onChange={(e) => set({ from: e.target.value })} />
          )}
        </Field>
        <Field label={t('reports.to')} error={problems['to']}>
          {(p) => <input {...p} type="date" value={query.to} onChange={(e) => set({ to: e.target.value })} />}
        </Field>
        <Field label={t('reports.tz')} hint={t('reports.tzHint')} error={problems['tz']}>
          {(p) => <input {...p} value={query.tz} onChange={(e) => set({ tz: e.target.value })} />}
        </Field>
        <Field label={t('reports.technician')} error={problems['technician']}>
          {(p) => (
            <select {...p} value={query.technician} onChange={(e) => set({ technician: e.target.value })}>
              <option value="">{t('reports.everyone')}</option>
              {users.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('reports.groupBy')} error={problems['groupBy']}>
          {(p) => (
            <select
              {...p}
              value={query.groupBy}
              onChange={(e) => set({ groupBy: e.target.value as ReportGroupBy })}
            >
              {GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`reports.by.${g}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="primary">
            {t('reports.run')}
          </button>
          <button type="button" onClick={() => void download()}>
            {t('reports.csv')}
          </button>
        </div>
      </form>
      {report && <ReportView report={report} />}
    </>
  );
}

function ReportView({ report: r }: { report: SessionReport }) {
  const t = useT();
  const language = useApp((s) => s.prefs.language);
  const fixed: [ReportGroupBy, readonly ReportRow[]][] = [
    ['technician', r.byTechnician],
    ['category', r.byCategory],
    ['type', r.byType],
    ['priority', r.byPriority],
    ['source', r.bySource],
  ];
  // The chosen grouping comes first; a time grouping (day, week, month) adds its own section.
  const sections: [MessageKey, readonly ReportRow[]][] = [
    [`reports.by.${r.groupBy}`, r.groups],
    ...fixed
      .filter(([g]) => g !== r.groupBy)
      .map(([g, rows]): [MessageKey, readonly ReportRow[]] => [`reports.by.${g}`, rows]),
  ];
  return (
    <section className="report" aria-label={t('reports.result')} data-testid="report">
      <dl className="report-totals">
        <div>
          <dt>{t('reports.sessions')}</dt>
          <dd data-testid="total-sessions">{formatNumber(r.totals.sessions, language)}</dd>
        </div>
        <div>
          <dt>{t('reports.total')}</dt>
          <dd data-testid="total-duration">{formatDuration(r.totals.totalDurationSec)}</dd>
        </div>
        <div>
          <dt>{t('reports.average')}</dt>
          <dd data-testid="average-duration">{formatDuration(r.totals.averageDurationSec)}</dd>
        </div>
      </dl>
      {sections.map(([title, rows], i) => (
        <Breakdown key={i} title={t(title)} rows={rows} main={i === 0} />
      ))}
    </section>
  );
}

function Breakdown({ title, rows, main }: { title: string; rows: readonly ReportRow[]; main: boolean }) {
  const t = useT();
  const chart = bars(rows, 'sessions', BAR_WIDTH);
  const rowHeight = 18;
  return (
    <figure className={main ? 'breakdown main' : 'breakdown'}>
      <figcaption>{title}</figcaption>
      {rows.length === 0 ? (
        <p className="muted">{t('reports.none')}</p>
      ) : (
        <>
          <svg
            role="img"
            aria-label={t('reports.chart', { title })}
            width={LABEL_WIDTH + BAR_WIDTH + 40}
            height={chart.length * rowHeight}
            viewBox={`0 0 ${LABEL_WIDTH + BAR_WIDTH + 40} ${chart.length * rowHeight}`}
          >
            {chart.map((b, i) => (
              <g key={i} transform={`translate(0 ${i * rowHeight})`}>
                <text x="0" y={rowHeight - 5} className="bar-label">
                  {cut(b.label)}
                </text>
                <rect x={LABEL_WIDTH} y="3" width={b.width} height={rowHeight - 6} rx="2" />
                <text x={LABEL_WIDTH + b.width + 4} y={rowHeight - 5}>
                  {b.value}
                </text>
              </g>
            ))}
          </svg>
          <table className="mini-table" aria-label={title}>
            <thead>
              <tr>
                <th scope="col">{t('reports.group')}</th>
                <th scope="col">{t('reports.sessions')}</th>
                <th scope="col">{t('reports.total')}</th>
                <th scope="col">{t('reports.average')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  <td>{row.label}</td>
                  <td>{row.sessions}</td>
                  <td>{formatDuration(row.totalDurationSec)}</td>
                  <td>{formatDuration(row.averageDurationSec)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </figure>
  );
}
