import { useEffect } from 'react';
import { useStore } from 'zustand';
import { AdminPage } from './admin/AdminPage.tsx';
import { AdhocPage } from './adhoc/AdhocPage.tsx';
import { ComputersPage } from './computers/ComputersPage.tsx';
import { ServicesContext, useApp, useServices, useT, type Services } from './app-context.ts';
import { Header } from './Header.tsx';
import { RequestDetail } from './requests/RequestDetail.tsx';
import { RequestsTab } from './requests/RequestsTab.tsx';
import { SessionOverlay } from './session/SessionOverlay.tsx';
import { SettingsPage } from './settings/SettingsPage.tsx';
import { SignIn } from './SignIn.tsx';
import { AlarmBanner } from './ui/AlarmBanner.tsx';

export function App({ services }: { services: Services }) {
  return (
    <ServicesContext value={services}>
      <Shell />
    </ServicesContext>
  );
}

function Shell() {
  const t = useT();
  const status = useApp((s) => s.auth.status);
  const language = useApp((s) => s.prefs.language);

  // Screen readers and fonts (CJK glyph choice) follow the page's language.
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  return (
    <div className={status === 'signed_in' ? 'app signed-in' : 'app'}>
      <Header />
      <main>
        {status === 'checking' && <p role="status">{t('signIn.checking')}</p>}
        {status === 'signed_out' && <SignIn />}
        {status === 'signed_in' && <AlarmBanner />}
        {status === 'signed_in' && <Page />}
      </main>
      <SessionOverlay />
      <Toasts />
    </div>
  );
}

function Page() {
  const route = useApp((s) => s.route);
  switch (route.name) {
    case 'request':
      return <RequestDetail id={route.id} />;
    case 'admin':
      return <AdminPage section={route.section} />;
    case 'settings':
      return <SettingsPage />;
    case 'computers':
      return <ComputersPage />;
    case 'adhoc':
      return <AdhocPage />;
    case 'requests':
      return <RequestsTab />;
  }
}

function Toasts() {
  const { toasts } = useServices();
  const list = useStore(toasts, (s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {list.map((toast) => (
        <p key={toast.id} className={`toast ${toast.kind}`}>
          {toast.text}
        </p>
      ))}
    </div>
  );
}
