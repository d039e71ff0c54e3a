import { visibleText } from '@beckon/session';
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useApp, useT } from '../app-context.ts';
import { formatBytes } from '../tasks/format.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import type { FmStore } from './fm-store.ts';

/**
 * A temporary host's file manager and process list (AH8), once it accepted
 * the predefined password. Everything the host sends is shown as text.
 */
export function FileManagerPanel({
  store,
  files,
  sysinfo,
}: {
  store: FmStore;
  files: boolean;
  sysinfo: boolean;
}) {
  const t = useT();
  const s = useStore(store);
  const language = useApp((a) => a.prefs.language);
  const size = (n: number) => formatBytes(n, language);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  useEffect(() => {
    if (files) store.getState().open();
  }, [store, files]);
  return (
    <section className="adhoc-fm" aria-label={t('adhoc.fm.title')}>
      {files && (
        <>
          <h3>{t('adhoc.fm.title')}</h3>
          <div className="toolbar">
            <select
              aria-label={t('adhoc.fm.folder')}
              value={s.root}
              onChange={(e) => store.getState().setRoot(Number(e.target.value))}
            >
              {s.roots.map((r, i) => (
                <option key={r} value={i}>
                  {visibleText(r)}
                </option>
              ))}
            </select>
            <button type="button" disabled={s.path.length === 0} onClick={() => store.getState().up()}>
              {t('adhoc.fm.up')}
            </button>
            <span data-testid="fm-path">/{s.path.map((p) => visibleText(p)).join('/')}</span>
          </div>
          {s.error && (
            <p role="alert" className="error">
              {visibleText(s.error)}
            </p>
          )}
          {s.entries && (
            <table aria-label={t('adhoc.fm.title')}>
              <tbody>
                {s.entries.map((e) => (
                  <tr key={e.name}>
                    <td>
                      {e.kind === 'dir' ? (
                        <button type="button" className="link" onClick={() => store.getState().enter(e.name)}>
                          {visibleText(e.name)}/
                        </button>
                      ) : (
                        visibleText(e.name)
                      )}
                    </td>
                    <td>{e.kind === 'file' ? size(e.size) : t(`adhoc.fm.kind.${e.kind}`)}</td>
                    <td>
                      {e.kind === 'file' && (
                        <button type="button" onClick={() => store.getState().download(e.name)}>
                          {t('adhoc.fm.download')}
                        </button>
                      )}
                      {renaming?.from === e.name ? (
                        <form
                          className="inline"
                          onSubmit={(ev) => {
                            ev.preventDefault();
                            store.getState().rename(renaming.from, renaming.to);
                            setRenaming(null);
                          }}
                        >
                          <input
                            aria-label={t('adhoc.fm.newName')}
                            value={renaming.to}
                            onChange={(ev) => setRenaming({ ...renaming, to: ev.target.value })}
                          />
                          <button type="submit">{t('adhoc.fm.rename')}</button>
                        </form>
                      ) : (
                        <button type="button" onClick={() => setRenaming({ from: e.name, to: e.name })}>
                          {t('adhoc.fm.rename')}
                        </button>
                      )}
                      <ConfirmButton
                        label={t('adhoc.fm.delete')}
                        question={t('adhoc.fm.deleteConfirm', { name: visibleText(e.name) })}
                        onConfirm={() => store.getState().remove(e.name)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {s.truncated && <p className="muted">{t('adhoc.fm.truncated')}</p>}
        </>
      )}
      {sysinfo && (
        <>
          <h3>{t('adhoc.proc.title')}</h3>
          <button type="button" onClick={() => store.getState().loadProcesses()}>
            {t('adhoc.proc.load')}
          </button>
          {s.processes && (
            <table aria-label={t('adhoc.proc.title')}>
              <thead>
                <tr>
                  <th>PID</th>
                  <th>{t('adhoc.proc.name')}</th>
                  <th>CPU %</th>
                  <th>RAM</th>
                  <th>{t('adhoc.proc.user')}</th>
                </tr>
              </thead>
              <tbody>
                {s.processes.slice(0, 50).map((p) => (
                  <tr key={p.pid}>
                    <td>{p.pid}</td>
                    <td>{visibleText(p.name)}</td>
                    <td>{p.cpuPercent.toFixed(1)}</td>
                    <td>{size(p.memBytes)}</td>
                    <td>{visibleText(p.user)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
