import {
  ASSIST_PLATFORMS,
  LANGUAGES,
  assistArtifactName,
  type AssistPlatform,
  type Language,
} from '@beckon/protocol';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The visitor's desktop OS from the User-Agent, or null (a phone, a tablet,
 * or a browser that does not say). Only a guess to pick the first button:
 * every platform's download stays offered.
 */
export function platformFromUserAgent(ua: string | undefined): AssistPlatform | null {
  if (!ua || ua.length > 1024) return null;
  if (/Android|iPhone|iPad|iPod|Mobile/i.test(ua)) return null;
  if (/Windows NT|Win64|Win32/i.test(ua)) return 'windows';
  if (/Macintosh|Mac OS X/i.test(ua)) return 'mac';
  if (/X11|Linux/i.test(ua)) return 'linux';
  return null;
}

/** The first language of an Accept-Language header that Beckon speaks, by quality; else English. */
export function languageFromHeader(header: string | undefined): Language {
  if (!header || header.length > 512) return 'en';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? '1',
      );
      return { primary: tag.toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { primary } of ranked)
    if ((LANGUAGES as readonly string[]).includes(primary)) return primary as Language;
  return 'en';
}

/**
 * The installers in the configured artifacts folder (`BeckonAssist.exe`,
 * `.dmg`, `.AppImage`). Looked up on every use, so an admin can drop a new
 * build in without restarting the broker.
 */
export class Artifacts {
  readonly dir: string | undefined;
  readonly bundleFile: string | undefined;
  constructor(dir: string | undefined, bundleFile?: string) {
    this.dir = dir;
    this.bundleFile = bundleFile;
  }

  /** The Linux assist bundle's path and size, or null when it is not built. */
  async bundle(): Promise<{ path: string; size: number } | null> {
    return this.bundleFile ? fileInfo(this.bundleFile) : null;
  }

  /** The installer's path and size, or null when it is not there. */
  async find(platform: AssistPlatform): Promise<{ path: string; size: number } | null> {
    return this.dir ? fileInfo(join(this.dir, assistArtifactName(platform))) : null;
  }

  async available(): Promise<Record<AssistPlatform, boolean>> {
    const found = await Promise.all(ASSIST_PLATFORMS.map(async (p) => [p, (await this.find(p)) !== null]));
    return Object.fromEntries(found) as Record<AssistPlatform, boolean>;
  }
}

async function fileInfo(path: string): Promise<{ path: string; size: number } | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size } : null;
  } catch {
    return null;
  }
}
