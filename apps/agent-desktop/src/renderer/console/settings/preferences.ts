import { LanguageSchema, type Language } from '@beckon/protocol';
import { z } from 'zod';
import { checkTimeZone, detectLanguage } from '../i18n/i18n.ts';

/**
 * What an agent chooses on this computer, kept in localStorage. Local only:
 * nothing here is sent anywhere, so it is not a wire type.
 */
export interface Preferences {
  readonly language: Language;
  readonly timeZone: string;
  /** Desktop notification when one of my requests turns `waiting`. */
  readonly notifications: boolean;
  /** …and also for requests in queues I am a member of (SC11). */
  readonly notifyQueues: boolean;
  /** The broker the desktop app talks to; the web console always uses its own origin. */
  readonly brokerUrl: string;
  /**
   * Set after a sign-in, cleared on sign-out. The session cookie is httpOnly, so
   * the page cannot see it; this hint spares a pointless `/me` (and its 401) on
   * every first visit.
   */
  readonly signedIn: boolean;
}

/** The slice of the Web Storage API used here; a Map-backed fake in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const PREFERENCES_KEY = 'beckon.preferences.v1';

// Each field is parsed on its own: one bad value must not reset all the others.
const StoredSchema = z.object({
  language: LanguageSchema.optional().catch(undefined),
  timeZone: z.string().max(64).optional().catch(undefined),
  notifications: z.boolean().optional().catch(undefined),
  notifyQueues: z.boolean().optional().catch(undefined),
  brokerUrl: z.string().max(2048).optional().catch(undefined),
  signedIn: z.boolean().optional().catch(undefined),
});

export interface Environment {
  /** navigator.languages */
  readonly languages: readonly string[];
  /** The system's zone (Intl.DateTimeFormat().resolvedOptions().timeZone). */
  readonly timeZone: string;
}

export function defaultPreferences(env: Environment): Preferences {
  return {
    language: detectLanguage(env.languages),
    timeZone: checkTimeZone(env.timeZone) ?? 'UTC',
    notifications: false,
    notifyQueues: false,
    brokerUrl: '',
    signedIn: false,
  };
}

export function loadPreferences(store: KeyValueStore | undefined, env: Environment): Preferences {
  const defaults = defaultPreferences(env);
  let raw: unknown;
  try {
    raw = JSON.parse(store?.getItem(PREFERENCES_KEY) ?? 'null');
  } catch {
    return defaults;
  }
  const parsed = StoredSchema.safeParse(raw);
  if (!parsed.success) return defaults;
  const stored = parsed.data;
  const zone = stored.timeZone ? checkTimeZone(stored.timeZone) : null;
  return {
    language: stored.language ?? defaults.language,
    timeZone: zone ?? defaults.timeZone,
    notifications: stored.notifications ?? defaults.notifications,
    notifyQueues: stored.notifyQueues ?? defaults.notifyQueues,
    brokerUrl: stored.brokerUrl ?? defaults.brokerUrl,
    signedIn: stored.signedIn ?? defaults.signedIn,
  };
}

export function savePreferences(store: KeyValueStore | undefined, prefs: Preferences): void {
  try {
    store?.setItem(PREFERENCES_KEY, JSON.stringify(prefs));
  } catch {
    // Storage full or disabled (private mode): the choice lasts for this page only.
  }
}

/** `https://host[:port][/path]` without a trailing slash, or null. Only http(s) brokers exist. */
export function normaliseBrokerUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
