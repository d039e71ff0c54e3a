/** An attack on the broker as a whole, as administrators are told of it. */
export interface SecurityAlarm {
  kind: 'join_guessing';
  /** When it started (ISO). */
  at: string;
}

/**
 * The broker's security alarms, between what raises them (the join throttle)
 * and who shows them (the live channel, to administrators). An alarm is
 * announced once when it starts; `active()` is what still holds now, so an
 * administrator who signs in during an attack sees it too.
 */
export class SecurityAlarms {
  private readonly listeners = new Set<(alarm: SecurityAlarm) => void>();
  private readonly sources: (() => SecurityAlarm | null)[] = [];

  /** A source of an alarm's state now (null: not active). */
  addSource(source: () => SecurityAlarm | null): void {
    this.sources.push(source);
  }

  active(): SecurityAlarm[] {
    return this.sources.map((s) => s()).filter((a): a is SecurityAlarm => a !== null);
  }

  raise(alarm: SecurityAlarm): void {
    for (const listener of this.listeners) listener(alarm);
  }

  onAlarm(listener: (alarm: SecurityAlarm) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
