import { BrowserHost } from '@beckon/session';

// The landing page's "Share my screen from this browser" (built into
// /landing/share.js by scripts/build-share.ts). Words come from the page's
// #share-texts block; this file only shows, hides and fills in text. Nothing
// is shared before the person presses Allow here and then picks what to share
// in the browser's own picker; Stop (here, or the browser's bar) ends it.

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;
const section = byId<HTMLElement>('share');
const textsBlock = byId<HTMLScriptElement>('share-texts');
const start = byId<HTMLButtonElement>('share-start');
const state = byId<HTMLParagraphElement>('share-state');
const askBox = byId<HTMLDivElement>('share-ask');
const question = byId<HTMLParagraphElement>('share-question');
const allow = byId<HTMLButtonElement>('share-allow');
const deny = byId<HTMLButtonElement>('share-deny');
const stop = byId<HTMLButtonElement>('share-stop');

if (
  section &&
  textsBlock &&
  start &&
  state &&
  askBox &&
  question &&
  allow &&
  deny &&
  stop &&
  typeof navigator.mediaDevices?.getDisplayMedia === 'function'
) {
  const texts = JSON.parse(textsBlock.textContent || '{}') as Record<string, string>;
  const text = (key: string, fill: Record<string, string> = {}) =>
    (texts[key] ?? '').replace(/\{(code|reason)\}/g, (whole, name: string) => fill[name] ?? whole);
  section.hidden = false;
  let host: BrowserHost | null = null;

  const ask = (withdrawn: AbortSignal, words: string) =>
    new Promise<MediaStreamTrack | null>((resolve) => {
      question.textContent = words;
      askBox.hidden = false;
      allow.focus();
      const done = (track: MediaStreamTrack | null) => {
        askBox.hidden = true;
        allow.onclick = deny.onclick = null;
        resolve(track);
      };
      withdrawn.addEventListener('abort', () => done(null), { once: true });
      deny.onclick = () => done(null);
      // The click is the user activation getDisplayMedia needs: the picker opens from it.
      allow.onclick = () => {
        askBox.hidden = true;
        navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }).then(
          (stream) => done(stream.getVideoTracks()[0] ?? null),
          (err: unknown) => {
            state.textContent = text('failed', { reason: err instanceof Error ? err.message : String(err) });
            done(null);
          },
        );
      };
    });

  start.addEventListener('click', () => {
    if (host) return;
    start.disabled = true;
    const h = new BrowserHost({
      brokerUrl: window.location.origin,
      token: section.dataset['token'] ?? '',
      ask: (_q, withdrawn) => ask(withdrawn, texts['asks'] ?? ''),
    });
    host = h;
    h.on('live', ({ verificationCode }) => {
      state.textContent = text('live', { code: verificationCode });
      stop.hidden = false;
      stop.focus();
    });
    h.on('ended', () => {
      stop.hidden = true;
      state.textContent = text('stopped');
    });
    h.on('closed', () => {
      stop.hidden = true;
      askBox.hidden = true;
    });
    h.start().then(
      () => {
        start.hidden = true;
        state.textContent = text('waiting');
      },
      (err: unknown) => {
        host = null;
        start.disabled = false;
        state.textContent = text('failed', { reason: err instanceof Error ? err.message : String(err) });
      },
    );
  });
  stop.addEventListener('click', () => host?.stop());
  window.addEventListener('pagehide', () => host?.leave('page closed'));
}
