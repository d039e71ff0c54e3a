import type { LiveServerMessage } from '@beckon/protocol';
import { createStore, type StoreApi } from 'zustand/vanilla';

/** A security alarm as the live channel brings it (to administrators only). */
export type SecurityAlarmNotice = Extract<LiveServerMessage, { type: 'security_alarm' }>;

/**
 * The security alarms an administrator has been told of and not yet
 * dismissed: one per kind (the broker sends it when it starts and again on
 * connecting while it lasts; the same start is shown once). Cleared on sign-out.
 */
export interface AlarmState {
  readonly alarms: readonly SecurityAlarmNotice[];
  add(alarm: SecurityAlarmNotice): void;
  dismiss(alarm: SecurityAlarmNotice): void;
  reset(): void;
}

export type AlarmStore = StoreApi<AlarmState>;

export function createAlarmStore(): AlarmStore {
  // Dismissed alarms by kind and start: a reconnect that repeats one does not bring it back.
  const dismissed = new Set<string>();
  const key = (a: SecurityAlarmNotice) => `${a.kind}@${a.at}`;
  return createStore<AlarmState>()((set, get) => ({
    alarms: [],
    add(alarm) {
      if (dismissed.has(key(alarm))) return;
      set({ alarms: [...get().alarms.filter((a) => a.kind !== alarm.kind), alarm] });
    },
    dismiss(alarm) {
      dismissed.add(key(alarm));
      set({ alarms: get().alarms.filter((a) => key(a) !== key(alarm)) });
    },
    reset() {
      dismissed.clear();
      set({ alarms: [] });
    },
  }));
}
