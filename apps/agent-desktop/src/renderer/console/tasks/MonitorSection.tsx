import { visibleText } from '@beckon/session';
import { useApp, useServices, useT, useTasks } from '../app-context.ts';
import { chartRuns, formatBytes, monitorSeries, percentOf } from './format.ts';
import { MONITOR_KEEP } from './tasks-store.ts';

const W = 240;
const H = 48;

/** Live CPU, RAM and storage from `monitor_sample`s: the current value and the last minute as a line. */
export function MonitorSection() {
  const t = useT();
  const { tasks } = useServices();
  const language = useApp((s) => s.prefs.language);
  const { running, samples } = useTasks((s) => s.monitor);
  const last = samples.at(-1);
  const series = monitorSeries(samples);
  const pct = (v: number) => t('monitor.percent', { value: Math.round(v) });
  return (
    <>
      <button
        type="button"
        aria-pressed={running}
        onClick={() => (running ? tasks.getState().stopMonitor() : tasks.getState().startMonitor())}
      >
        {running ? t('tasks.monitorStop') : t('tasks.monitorStart')}
      </button>
      {running && !last && <p className="muted">{t('monitor.waiting')}</p>}
      {last && (
        <div className="monitor" data-testid="monitor">
          <Meter label={t('monitor.cpu')} value={pct(last.cpuPercent)} values={series.cpu} testId="cpu" />
          <Meter
            label={t('monitor.ram')}
            value={t('monitor.used', {
              used: formatBytes(last.memUsedBytes, language),
              total: formatBytes(last.memTotalBytes, language),
              percent: Math.round(percentOf(last.memUsedBytes, last.memTotalBytes)),
            })}
            values={series.ram}
            testId="ram"
          />
          {series.disks.map((d) => (
            <Meter
              key={d.mount}
              label={t('monitor.disk', { mount: visibleText(d.mount) })}
              value={pct(d.values.at(-1) ?? 0)}
              values={d.values}
            />
          ))}
        </div>
      )}
    </>
  );
}

function Meter({
  label,
  value,
  values,
  testId,
}: {
  label: string;
  value: string;
  values: readonly number[];
  testId?: string;
}) {
  const t = useT();
  return (
    <figure className="meter">
      <figcaption>
        <span>{label}</span> <strong data-testid={testId}>{value}</strong>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={t('monitor.chart', { label })}
        preserveAspectRatio="none"
      >
        <line x1="0" y1={H / 2} x2={W} y2={H / 2} className="grid" />
        {chartRuns(values, MONITOR_KEEP, W, H).map((points, i) => (
          <polyline key={i} points={points} />
        ))}
      </svg>
    </figure>
  );
}
