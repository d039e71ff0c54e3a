import type { Language } from '@beckon/protocol';
import { Menu, nativeImage, Tray } from 'electron';
import { assistTexts } from '../shared/i18n.ts';

/** A 16×16 dot drawn in code (BGRA), so the tray needs no image file: red while a session is on. */
function dot(live: boolean): Electron.NativeImage {
  const size = 16;
  const pixels = Buffer.alloc(size * size * 4);
  const [b, g, r] = live ? [0x20, 0x2d, 0xd9] : [0xeb, 0x6f, 0x1f];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const inside = (x - 7.5) ** 2 + (y - 7.5) ** 2 <= 49;
      pixels.set(inside ? [b, g, r, 0xff] : [0, 0, 0, 0], (y * size + x) * 4);
    }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

export interface TrayState {
  agentName: string;
  language: Language;
  live: boolean;
}

/** The tray icon: who is connected (or awaited), Stop while a session is on, and Quit. */
export function createTray(actions: { stop(): void; quit(): void }): {
  update(state: TrayState): void;
  destroy(): void;
} {
  const tray = new Tray(dot(false));
  const update = (state: TrayState) => {
    const t = assistTexts(state.language);
    const line = state.live
      ? t('tray.live', { agent: state.agentName })
      : t('tray.waiting', { agent: state.agentName });
    tray.setImage(dot(state.live));
    tray.setToolTip(line);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: line, enabled: false },
        { type: 'separator' },
        { label: t('tray.stop'), enabled: state.live, click: actions.stop },
        { label: t('tray.quit'), click: actions.quit },
      ]),
    );
  };
  update({ agentName: '…', language: 'en', live: false });
  return { update, destroy: () => tray.destroy() };
}
