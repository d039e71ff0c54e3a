import { visibleText } from '@beckon/session';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useApp, useServices, useT, useTasks } from '../app-context.ts';
import type { Translate } from '../i18n/i18n.ts';
import { formatBytes } from './format.ts';
import type { TransferItem } from './tasks-store.ts';

/** Files both ways: a drop zone (and a file picker) to send, a list with progress to follow. */
export function FilesSection() {
  const t = useT();
  const { tasks } = useServices();
  const transfers = useTasks((s) => s.transfers);
  // The files channel is handed over a moment after the session goes live.
  const connected = useTasks((s) => s.connected);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();

  const accepts = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    tasks.getState().sendFiles([...e.dataTransfer.files]);
  };

  return (
    <>
      {!connected && <p className="muted">{t('tasks.notLive')}</p>}
      <div
        hidden={!connected}
        className={over ? 'drop-zone over' : 'drop-zone'}
        role="group"
        aria-label={t('tasks.dropZone')}
        aria-describedby={hintId}
        data-testid="drop-zone"
        onDragEnter={(e) => accepts(e) && (e.preventDefault(), setOver(true))}
        onDragOver={(e) => {
          if (!accepts(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span id={hintId}>{t('tasks.dropHint')}</span>{' '}
        <button type="button" className="link" onClick={() => input.current?.click()}>
          {t('tasks.choose')}
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            tasks.getState().sendFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
      {transfers.length > 0 && (
        <ul className="transfers">
          {transfers.map((item) => (
            <Transfer key={item.id} item={item} t={t} />
          ))}
        </ul>
      )}
    </>
  );
}

function Transfer({ item, t }: { item: TransferItem; t: Translate }) {
  const { tasks } = useServices();
  const language = useApp((s) => s.prefs.language);
  const size = (n: number) => formatBytes(n, language);
  const { id, state } = item;
  // The host chose the name and any reason it gave: shown with its invisible and
  // reordering characters marked, so "invoice\u202Egpj.exe" cannot pass for a picture.
  const name = visibleText(item.name);
  const progress =
    state === 'running' || state === 'waiting' ? (
      <progress max={Math.max(1, item.size)} value={item.bytes} aria-label={name} />
    ) : null;
  let line: string;
  switch (state) {
    case 'asking':
      line = t('transfer.offered', { size: size(item.size) });
      break;
    case 'waiting':
      line = t('transfer.waiting');
      break;
    case 'running':
      line = t('transfer.progress', { done: size(item.bytes), total: size(item.size) });
      break;
    case 'done':
      line = t(item.direction === 'send' ? 'transfer.delivered' : 'transfer.received', {
        size: size(item.size),
      });
      break;
    case 'cancelled':
      line = t(/declined/i.test(item.reason ?? '') ? 'transfer.declined' : 'transfer.cancelled', {
        reason: visibleText(item.reason ?? ''),
      });
      break;
  }
  return (
    <li className={`transfer transfer-${state}`} data-transfer-state={state}>
      <span className="transfer-direction">
        {item.direction === 'send' ? `↑ ${t('transfer.toRemote')}` : `↓ ${t('transfer.fromRemote')}`}
      </span>
      <bdi className="transfer-name">{name}</bdi>
      {progress}
      <span className="transfer-line" role="status">
        {line}
      </span>
      <span className="transfer-actions">
        {state === 'asking' && (
          <>
            <button type="button" className="primary" onClick={() => tasks.getState().accept(id)}>
              {t('transfer.accept')}
            </button>
            <button type="button" onClick={() => tasks.getState().decline(id)}>
              {t('transfer.decline')}
            </button>
          </>
        )}
        {(state === 'waiting' || state === 'running') && (
          <button type="button" onClick={() => tasks.getState().cancel(id)}>
            {t('transfer.cancel')}
          </button>
        )}
        {state === 'done' && item.url && (
          <a className="button" href={item.url} download={item.saveAs}>
            {t('transfer.save')}
          </a>
        )}
      </span>
    </li>
  );
}
