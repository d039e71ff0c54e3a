import type { SystemInfo } from '@beckon/protocol';
import { visibleText as shown } from '@beckon/session';
import { useApp, useServices, useT, useTasks } from '../app-context.ts';
import { formatBytes } from './format.ts';

/**
 * The host's answer to `sysinfo_request`: every string in it came from the remote
 * computer, shown as text with invisible and reordering characters marked.
 */
export function SysinfoSection() {
  const t = useT();
  const { tasks } = useServices();
  const { loading, info } = useTasks((s) => s.sysinfo);
  return (
    <>
      <button type="button" disabled={loading} onClick={() => tasks.getState().requestSysinfo()}>
        {loading ? t('tasks.sysinfoLoading') : t('tasks.sysinfoLoad')}
      </button>
      {info && <SysinfoView info={info} />}
    </>
  );
}

function SysinfoView({ info }: { info: SystemInfo }) {
  const t = useT();
  const language = useApp((s) => s.prefs.language);
  const size = (n: number) => formatBytes(n, language);
  const { os, cpu } = info;
  const facts: [string, string][] = [
    [t('sysinfo.host'), shown(os.hostname)],
    [
      t('sysinfo.os'),
      shown([os.distro, os.release, `(${os.platform}, ${os.arch})`].filter(Boolean).join(' ')),
    ],
    [t('sysinfo.cpu'), shown([cpu.manufacturer, cpu.brand].filter(Boolean).join(' '))],
    ['', t('sysinfo.cores', { cores: cpu.cores, physical: cpu.physicalCores, speed: cpu.speedGHz })],
    [t('sysinfo.ram'), size(info.memory.totalBytes)],
  ];
  return (
    <div className="sysinfo" data-testid="sysinfo">
      <dl className="facts compact">
        {facts.map(([label, value], i) => (
          <div key={i}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <table className="mini-table">
        <caption>{t('sysinfo.disks')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sysinfo.device')}</th>
            <th scope="col">{t('sysinfo.mount')}</th>
            <th scope="col">{t('sysinfo.type')}</th>
            <th scope="col">{t('sysinfo.size')}</th>
          </tr>
        </thead>
        <tbody>
          {info.disks.map((d, i) => (
            <tr key={i}>
              <td>{shown(d.device)}</td>
              <td>{shown(d.mount)}</td>
              <td>{shown(d.type)}</td>
              <td>{size(d.sizeBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="mini-table">
        <caption>{t('sysinfo.network')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sysinfo.iface')}</th>
            <th scope="col">{t('sysinfo.addresses')}</th>
            <th scope="col">{t('sysinfo.mac')}</th>
          </tr>
        </thead>
        <tbody>
          {info.network.map((n, i) => (
            <tr key={i}>
              <td>{shown(n.iface)}</td>
              <td>{shown([n.ip4, n.ip6].filter(Boolean).join(', '))}</td>
              <td>{shown(n.mac)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
