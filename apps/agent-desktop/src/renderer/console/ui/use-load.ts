import { useCallback, useEffect, useState } from 'react';
import { failureOf, type ApiFailure } from '../api/http.ts';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: ApiFailure | null;
  readonly loading: boolean;
  reload(): void;
}

/** Loads once on mount and on `reload()`; an answer to an older load is dropped. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiFailure | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((s) => ({ ...s, error: failureOf(error), loading: false })),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure every render; `round` is what asks for a load.
  }, [round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
