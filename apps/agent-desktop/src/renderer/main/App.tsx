import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { AppStore } from './store.ts';

export function App({ store }: { store: AppStore }) {
  const shell = useStore(store, (s) => s.shell);
  const openRequestId = useStore(store, (s) => s.openRequestId);
  const signIn = useStore(store, (s) => s.signIn);
  const submitSignIn = useStore(store, (s) => s.submitSignIn);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submitSignIn({ email, password });
  };

  return (
    <main className="app">
      <header>
        <h1>Beckon</h1>
        <p className="shell">{shell === 'desktop' ? 'Agent desktop' : 'Web console'}</p>
      </header>
      {openRequestId && (
        <p className="notice" role="status">
          Session request {openRequestId} will open after you sign in.
        </p>
      )}
      <form className="sign-in" onSubmit={onSubmit} aria-label="Sign in">
        <h2>Sign in</h2>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit">Sign in</button>
        {signIn.message && (
          <p className={`message ${signIn.status}`} role="alert">
            {signIn.message}
          </p>
        )}
      </form>
    </main>
  );
}
