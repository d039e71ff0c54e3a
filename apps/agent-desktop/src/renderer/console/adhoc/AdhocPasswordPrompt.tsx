import { useState } from 'react';
import { useStore } from 'zustand';
import { useT } from '../app-context.ts';
import type { AdhocAuthStore } from './adhoc-auth-store.ts';

/** Asks the provider for the session's predefined password when a temporary host wants it. */
export function AdhocPasswordPrompt({ store }: { store: AdhocAuthStore }) {
  const t = useT();
  const phase = useStore(store, (s) => s.phase);
  const [password, setPassword] = useState('');
  if (phase === 'none' || phase === 'accepted') return null;
  if (phase === 'refused')
    return (
      <p role="alert" className="error">
        {t('adhoc.auth.refused')}
      </p>
    );
  return (
    <form
      className="adhoc-auth"
      aria-label={t('adhoc.auth.title')}
      onSubmit={(e) => {
        e.preventDefault();
        store.getState().submit(password);
        setPassword('');
      }}
    >
      <label>
        {t('adhoc.auth.label')}
        <input
          type="password"
          autoComplete="off"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" disabled={phase === 'checking' || password.length === 0}>
        {t('adhoc.auth.submit')}
      </button>
    </form>
  );
}

/** Why the last connection ended, when it was the predefined password (shown with the ended banner). */
export function AdhocRefusedNote({ store }: { store: AdhocAuthStore }) {
  const t = useT();
  const refused = useStore(store, (s) => s.phase === 'refused');
  return refused ? <span className="error">{t('adhoc.auth.refused')}</span> : null;
}
