import { useState, type FormEvent } from 'react';
import { useApp, useT } from './app-context.ts';
import { failureText } from './i18n/failure-text.ts';
import { Field } from './ui/Field.tsx';

/** Sign-in (SR7: agents must sign in). The desktop app also asks which broker. */
export function SignIn() {
  const t = useT();
  const shell = useApp((s) => s.shell);
  const signIn = useApp((s) => s.signIn);
  const expired = useApp((s) => s.auth.expired);
  const openRequestId = useApp((s) => s.openRequestId);
  const savedBroker = useApp((s) => s.prefs.brokerUrl);
  const submitSignIn = useApp((s) => s.submitSignIn);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [brokerUrl, setBrokerUrl] = useState(savedBroker);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void submitSignIn({ email, password, brokerUrl });
  };

  const message = signIn.problem ? t(signIn.problem) : signIn.failure ? failureText(t, signIn.failure) : null;
  return (
    <>
      {openRequestId && (
        <p className="notice" role="status">
          {t('signIn.deepLink', { id: openRequestId })}
        </p>
      )}
      {expired && (
        <p className="notice" role="status">
          {t('signIn.expired')}
        </p>
      )}
      <form className="sign-in" onSubmit={onSubmit} aria-label={t('signIn.title')} noValidate>
        <h2>{t('signIn.title')}</h2>
        {shell === 'desktop' && (
          <Field label={t('signIn.brokerUrl')}>
            {(p) => (
              <input
                {...p}
                type="url"
                name="brokerUrl"
                placeholder="https://support.example.com"
                value={brokerUrl}
                onChange={(e) => setBrokerUrl(e.target.value)}
              />
            )}
          </Field>
        )}
        <Field label={t('signIn.email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('signIn.password')}>
          {(p) => (
            <input
              {...p}
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={signIn.status === 'pending'}>
          {signIn.status === 'pending' ? t('signIn.pending') : t('signIn.submit')}
        </button>
        {message && (
          <p className={`message ${signIn.status}`} role="alert">
            {message}
          </p>
        )}
      </form>
    </>
  );
}
