import { LANGUAGES, type Language } from '@beckon/protocol';
import { useId } from 'react';
import { useApp, useRequests, useT } from './app-context.ts';
import { LANGUAGE_NAMES } from './i18n/i18n.ts';
import { formatRoute } from './routes.ts';
import { isAdmin } from './store.ts';

/** Brand, navigation, live status, language and the signed-in agent. */
export function Header() {
  const t = useT();
  const shell = useApp((s) => s.shell);
  const user = useApp((s) => s.auth.user);
  const route = useApp((s) => s.route);
  const language = useApp((s) => s.prefs.language);
  const setPrefs = useApp((s) => s.setPrefs);
  const signOut = useApp((s) => s.signOut);
  const live = useRequests((s) => s.live);
  const languageId = useId();

  const current = (name: string) =>
    route.name === name || (name === 'requests' && route.name === 'request') ? 'page' : undefined;

  return (
    <header className="app-header">
      <div className="brand">
        <h1>{t('app.name')}</h1>
        <p className="shell">{shell === 'desktop' ? t('shell.desktop') : t('shell.browser')}</p>
      </div>
      {user && (
        <nav aria-label={t('nav.main')} className="main-nav">
          <a href={formatRoute({ name: 'requests' })} aria-current={current('requests')}>
            {t('nav.requests')}
          </a>
          <a href={formatRoute({ name: 'computers' })} aria-current={current('computers')}>
            {t('nav.computers')}
          </a>
          <a href={formatRoute({ name: 'adhoc' })} aria-current={current('adhoc')}>
            {t('nav.adhoc')}
          </a>
          {isAdmin(user) && (
            <a href={formatRoute({ name: 'admin', section: 'users' })} aria-current={current('admin')}>
              {t('nav.admin')}
            </a>
          )}
          <a href={formatRoute({ name: 'settings' })} aria-current={current('settings')}>
            {t('nav.settings')}
          </a>
        </nav>
      )}
      <div className="header-end">
        {user && (
          <span className={`live live-${live}`} role="status" data-testid="live-status">
            {t(`live.${live}`)}
          </span>
        )}
        <label htmlFor={languageId} className="visually-hidden">
          {t('settings.language')}
        </label>
        <select
          id={languageId}
          value={language}
          onChange={(e) => setPrefs({ language: e.target.value as Language })}
        >
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
        {user && (
          <>
            <span className="who">{t('nav.signedInAs', { name: user.name })}</span>
            <button type="button" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          </>
        )}
      </div>
    </header>
  );
}
