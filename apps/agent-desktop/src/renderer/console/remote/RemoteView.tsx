import type { DataChannelMessage } from '@beckon/protocol';
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { useT } from '../app-context.ts';
import type { SessionStats } from '../session/session-connector.ts';
import { ClipboardSender } from './ClipboardSender.tsx';
import { KEY_COMBOS, comboMessages } from './key-combos.ts';
import { createHeldKeys, keyMessage } from './keyboard-mapping.ts';
import {
  buttonName,
  toRemote,
  wheelMessage,
  type ScaleMode,
  type Size,
  type ViewGeometry,
} from './pointer-mapping.ts';

export interface RemoteViewProps {
  stream: MediaStream | null;
  send(message: DataChannelMessage): void;
  viewOnly: boolean;
  /** False when control was not granted (or a browser host cannot take it): no "take control" button. */
  canControl?: boolean;
  stats?: SessionStats | undefined;
  verificationCode?: string | undefined;
  onToggleViewOnly(): void;
  onEnd(): void;
}

/**
 * The remote screen: shows the stream, maps the agent's pointer and keys to
 * protocol messages, and offers scaling, full screen, view-only, key
 * combinations and clipboard. All mapping lives in plain, tested modules.
 */
export function RemoteView({
  stream,
  send,
  viewOnly,
  canControl = true,
  stats,
  verificationCode,
  onToggleViewOnly,
  onEnd,
}: RemoteViewProps) {
  const t = useT();
  const rootRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [mode, setMode] = useState<ScaleMode>('fit');
  const [frame, setFrame] = useState<Size>({ width: 0, height: 0 });
  const [fullscreen, setFullscreen] = useState(false);
  const held = useRef(createHeldKeys());
  const last = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    if (videoRef.current) videoRef.current.srcObject = stream;
  }, [stream]);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === rootRef.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  // Buttons pressed on the remote side: only those get a release, even one
  // that happens outside the picture (where the pointer last was).
  const pressed = useRef(new Set<'left' | 'middle' | 'right'>());

  // Keys and buttons still down when input stops (view-only, focus lost,
  // unmount) are released remotely, so nothing stays stuck there.
  const releaseAll = useCallback(() => {
    held.current.releaseAll().forEach(send);
    const at = last.current;
    for (const button of pressed.current)
      if (at) send({ type: 'pointer_button', button, action: 'up', x: at.x, y: at.y });
    pressed.current.clear();
  }, [send]);
  useEffect(() => {
    if (viewOnly) releaseAll();
  }, [viewOnly, releaseAll]);
  useEffect(() => releaseAll, [releaseAll]);

  const geometry = (): ViewGeometry | null => {
    const el = viewportRef.current;
    if (!el) return null;
    return {
      mode,
      viewport: { width: el.clientWidth, height: el.clientHeight },
      scroll: { left: el.scrollLeft, top: el.scrollTop },
      frame,
    };
  };

  const remotePoint = (e: { clientX: number; clientY: number }) => {
    const el = viewportRef.current;
    const g = geometry();
    if (!el || !g) return null;
    const box = el.getBoundingClientRect();
    return toRemote({ x: e.clientX - box.left - el.clientLeft, y: e.clientY - box.top - el.clientTop }, g);
  };

  const onPointerMove = (e: ReactPointerEvent) => {
    if (viewOnly) return;
    const p = remotePoint(e);
    if (!p || (last.current && last.current.x === p.x && last.current.y === p.y)) return;
    last.current = p;
    send({ type: 'pointer_move', x: p.x, y: p.y });
  };

  const onPointerButton = (e: ReactPointerEvent, action: 'down' | 'up') => {
    if (viewOnly) return;
    const button = buttonName(e.button);
    if (!button) return;
    if (action === 'up' && !pressed.current.delete(button)) return;
    const p = remotePoint(e) ?? (action === 'up' ? last.current : null);
    if (!p) return;
    e.preventDefault();
    if (action === 'down') {
      pressed.current.add(button);
      viewportRef.current?.focus();
      viewportRef.current?.setPointerCapture(e.pointerId);
    }
    last.current = p;
    send({ type: 'pointer_button', button, action, x: p.x, y: p.y });
  };

  // React's wheel listener is passive; the page must not scroll under a remote wheel.
  useEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (viewOnly) return;
      e.preventDefault();
      const message = wheelMessage(e);
      if (message) send(message);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [viewOnly, send]);

  const onKey = (e: ReactKeyboardEvent) => {
    if (viewOnly) return;
    const message = keyMessage(e.nativeEvent);
    if (!message) return;
    // Every key goes to the remote side, including Tab and browser shortcuts.
    e.preventDefault();
    send(held.current.track(message));
  };

  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void rootRef.current?.requestFullscreen();
  };

  const videoStyle =
    mode === 'actual' && frame.width > 0 ? { width: frame.width, height: frame.height } : undefined;

  return (
    <div ref={rootRef} className="remote-view" data-mode={mode}>
      <div className="remote-toolbar" role="toolbar" aria-label={t('remote.label')}>
        <button
          type="button"
          aria-pressed={mode === 'fit'}
          onClick={() => setMode(mode === 'fit' ? 'actual' : 'fit')}
        >
          {mode === 'fit' ? t('remote.actual') : t('remote.fit')}
        </button>
        <button type="button" aria-pressed={fullscreen} onClick={toggleFullscreen}>
          {fullscreen ? t('remote.exitFullscreen') : t('remote.fullscreen')}
        </button>
        {canControl && (
          <button type="button" aria-pressed={viewOnly} onClick={onToggleViewOnly}>
            {viewOnly ? t('remote.control') : t('remote.viewOnly')}
          </button>
        )}
        <select
          aria-label={t('remote.keys')}
          value=""
          disabled={viewOnly}
          onChange={(e) => {
            const combo = KEY_COMBOS.find((c) => c.id === e.target.value);
            if (combo) comboMessages(combo.keys).forEach(send);
            viewportRef.current?.focus();
          }}
        >
          <option value="">{t('remote.keys')}</option>
          {KEY_COMBOS.map((c) => (
            <option key={c.id} value={c.id}>
              {t(c.label)}
            </option>
          ))}
        </select>
        <ClipboardSender disabled={viewOnly} send={send} />
        {verificationCode && (
          <span className="verification" role="note">
            {t('remote.verification', { code: verificationCode })}
          </span>
        )}
        <button type="button" className="danger" onClick={onEnd}>
          {t('remote.end')}
        </button>
      </div>
      {viewOnly && <p className="remote-notice">{t('remote.viewOnlyNotice')}</p>}
      <div
        ref={viewportRef}
        className="remote-viewport"
        tabIndex={0}
        // Every key goes to the remote computer: "application" tells a screen reader to pass
        // keys through instead of reading with them, and lets the box carry its name.
        role="application"
        aria-label={t('remote.label')}
        onPointerMove={onPointerMove}
        onPointerDown={(e) => onPointerButton(e, 'down')}
        onPointerUp={(e) => onPointerButton(e, 'up')}
        onContextMenu={(e) => e.preventDefault()}
        onKeyDown={onKey}
        onKeyUp={onKey}
        onBlur={releaseAll}
      >
        <video
          ref={videoRef}
          autoPlay
          playsInline
          muted
          style={videoStyle}
          onLoadedMetadata={(e) =>
            setFrame({ width: e.currentTarget.videoWidth, height: e.currentTarget.videoHeight })
          }
          onResize={(e) =>
            setFrame({ width: e.currentTarget.videoWidth, height: e.currentTarget.videoHeight })
          }
        />
        {!stream && <p className="remote-waiting">{t('remote.noVideo')}</p>}
      </div>
      {stats && (
        <p className="remote-stats" aria-live="off">
          {t('remote.stats', {
            fps: Math.round(stats.fps),
            bitrate: Math.round(stats.bitrateKbps),
            rtt: Math.round(stats.rttMs),
            loss: stats.packetLossPct.toFixed(1),
          })}{' '}
          · {stats.relayed ? t('remote.relayed') : t('remote.direct')}
        </p>
      )}
    </div>
  );
}
