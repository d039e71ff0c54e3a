export interface Observable<T> {
  get(): T;
  set(value: T): void;
  /** Calls `listener` on every later change. Returns an unsubscribe. */
  subscribe(listener: (value: T) => void): () => void;
}

export function createObservable<T>(initial: T): Observable<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      value = next;
      for (const listener of [...listeners]) listener(next);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
