import { createContext, useContext, useMemo } from 'react';
import { useStore } from 'zustand';
import type { BrokerApi } from './api/broker-api.ts';
import type { AdhocAuthStore } from './adhoc/adhoc-auth-store.ts';
import type { FmStore } from './adhoc/fm-store.ts';
import type { HostsStore } from './computers/hosts-store.ts';
import { formatDateTime, translator, type Translate } from './i18n/i18n.ts';
import type { Notifier } from './notify/notifier.ts';
import type { RequestsState, RequestsStore } from './requests/requests-store.ts';
import type { SessionState, SessionStore } from './session/session-store.ts';
import type { AppState, AppStore } from './store.ts';
import type { TasksState, TasksStore } from './tasks/tasks-store.ts';
import type { ToastStore } from './ui/toasts.ts';
import type { AlarmStore } from './ui/alarms.ts';

/** Everything the views use, created once in main.tsx (fakes can be passed in tests). */
export interface Services {
  readonly app: AppStore;
  readonly requests: RequestsStore;
  readonly session: SessionStore;
  readonly tasks: TasksStore;
  readonly toasts: ToastStore;
  /** Security alarms for administrators (the live channel's `security_alarm`). */
  readonly alarms: AlarmStore;
  /** Managed hosts for the Computers page. */
  readonly hosts: HostsStore;
  /** The predefined password a temporary host asks for (ad-hoc support); absent in test harnesses. */
  readonly adhocAuth?: AdhocAuthStore;
  /** A temporary host's file manager and process list; absent in test harnesses. */
  readonly fileManager?: FmStore;
  readonly api: BrokerApi;
  readonly notifier: Notifier;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('ServicesContext is missing');
  return services;
}

export const useApp = <T>(selector: (s: AppState) => T): T => useStore(useServices().app, selector);
export const useRequests = <T>(selector: (s: RequestsState) => T): T =>
  useStore(useServices().requests, selector);
export const useSession = <T>(selector: (s: SessionState) => T): T =>
  useStore(useServices().session, selector);
export const useTasks = <T>(selector: (s: TasksState) => T): T => useStore(useServices().tasks, selector);

/** The agent's `t()`: every UI text goes through it. */
export function useT(): Translate {
  const language = useApp((s) => s.prefs.language);
  return useMemo(() => translator(language), [language]);
}

/** Wire timestamps in the agent's language and time zone (`short` for table cells). */
export function useFormatTime(style: 'medium' | 'short' = 'medium'): (iso: string | null) => string {
  const language = useApp((s) => s.prefs.language);
  const timeZone = useApp((s) => s.prefs.timeZone);
  return useMemo(
    () => (iso: string | null) => formatDateTime(iso, language, timeZone, style),
    [language, timeZone, style],
  );
}
