import type { DesktopApi } from '../../shared/ipc.ts';
import type { Services } from './app-context.ts';
import { createBrokerApi } from './api/broker-api.ts';
import { createHttpClient } from './api/http.ts';
import { createLiveClient, type SocketLike } from './api/live-client.ts';
import { translate } from './i18n/i18n.ts';
import { browserNotifier, desktopNotifier } from './notify/notifier.ts';
import { createWaitingWatch } from './notify/waiting-watch.ts';
import { createRequestsStore } from './requests/requests-store.ts';
import { parseRoute } from './routes.ts';
import type { SessionConnector } from './session/session-connector.ts';
import { createSessionStore } from './session/session-store.ts';
import { connectBridge, createAppStore, storedToken, type AppStore } from './store.ts';
import { createTasksStore } from './tasks/tasks-store.ts';
import { createAlarmStore } from './ui/alarms.ts';
import { createToastStore } from './ui/toasts.ts';
import { createAdhocAuthStore } from './adhoc/adhoc-auth-store.ts';
import { createFmStore } from './adhoc/fm-store.ts';
import { createHostsStore } from './computers/hosts-store.ts';

/** Every few failed reconnects, ask whether the session itself is gone (a 401 signs out). */
const CHECK_SESSION_EVERY = 3;

/** `http://host/x` → `ws://host/x/api/v1/live`; '' → this page's origin. */
export function liveUrl(base: string, location: { protocol: string; host: string }): string {
  if (base) return `${base.replace(/^http/, 'ws')}/api/v1/live`;
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/live`;
}

/** What the remote-session engine needs from the shell: where the broker is and how to sign in. */
export interface BrokerAccess {
  brokerUrl(): string;
  /** The desktop app's bearer token; undefined in the web console (its cookie signs in). */
  token(): string | undefined;
}

/**
 * Creates the services and connects them: sign-in starts the live channel and
 * the list, sign-out stops them; the URL hash is the route; live frames feed
 * the list and the notifications. `makeConnector` builds the remote-session engine.
 */
export function createServices(
  win: Window & typeof globalThis,
  bridge: DesktopApi | undefined,
  makeConnector: (access: BrokerAccess) => SessionConnector,
) {
  const desktop = Boolean(bridge);
  const tokenStorage = safeStorage(() => win.sessionStorage);
  const token = () => (desktop ? storedToken(tokenStorage) : null);
  // Closures below run only after `appStore` exists (on the first call, not now).
  const baseUrl = () => (desktop ? appStore.getState().prefs.brokerUrl : '');

  const http = createHttpClient({
    baseUrl,
    token,
    fetch: (input, init) => win.fetch(input, init),
    onUnauthenticated: () => appStore.getState().sessionLost(),
  });
  const api = createBrokerApi(http);
  const appStore: AppStore = createAppStore({
    bridge,
    api,
    storage: safeStorage(() => win.localStorage),
    tokenStorage,
    env: { languages: win.navigator.languages, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
    setHash: (hash) => {
      if (win.location.hash !== hash) win.location.hash = hash;
    },
  });
  const requests = createRequestsStore(api);
  const hosts = createHostsStore(api.hosts);
  const connector = makeConnector({
    brokerUrl: () => baseUrl() || win.location.origin,
    token: () => token() ?? undefined,
  });
  const tasks = createTasksStore({
    send: (message) => session.getState().send(message),
    createUrl: (blob) => win.URL.createObjectURL(blob),
    revokeUrl: (url) => win.URL.revokeObjectURL(url),
  });
  const adhocAuth = createAdhocAuthStore((message) => session.getState().send(message));
  const fileManager = createFmStore((message) => session.getState().send(message));
  const session = createSessionStore(connector, {
    started: () => {
      tasks.getState().reset();
      adhocAuth.getState().reset();
      fileManager.getState().reset();
    },
    message: (message) => {
      tasks.getState().receive(message);
      adhocAuth.getState().receive(message);
      fileManager.getState().receive(message);
    },
    files: (transport) => tasks.getState().attach(transport),
  });
  const toasts = createToastStore();
  const alarms = createAlarmStore();
  const notifier = bridge
    ? desktopNotifier(bridge)
    : browserNotifier(win, (id) => appStore.getState().openRequest(id));
  const watch = createWaitingWatch();

  const live = createLiveClient({
    url: () => liveUrl(baseUrl(), win.location),
    // Browsers cannot set headers on a WebSocket: the desktop app's token rides as a subprotocol.
    protocols: () => ['beckon.v1', ...(token() ? [`bearer.${token()}`] : [])],
    createSocket: (url, protocols) => new win.WebSocket(url, protocols) as unknown as SocketLike,
    onMessage(message) {
      if (message.type === 'security_alarm') return alarms.getState().add(message);
      requests.getState().applyLive(message);
      hosts.getState().applyLive(message);
      const { prefs } = appStore.getState();
      const { viewer, queues } = requests.getState();
      const me = viewer ? { ...viewer, queues } : null;
      const r = watch.decide(message, me, {
        enabled: prefs.notifications,
        includeQueues: prefs.notifyQueues,
      });
      if (r)
        notifier.show({
          title: translate(prefs.language, 'notify.waitingTitle', { name: r.recipientName }),
          body: translate(prefs.language, 'notify.waitingBody', { code: r.displayCode }),
          requestId: r.id,
        });
    },
    onStatus(status, attempt) {
      requests.getState().setLive(status);
      if (status === 'offline' && attempt % CHECK_SESSION_EVERY === 0) void api.me().catch(() => {});
    },
    // Signed out elsewhere, disabled, or a permission gone: ask the broker who we are now
    // (a 401 signs the app out; new permissions restart the lists with what is still allowed).
    onCredentialClosed: () => void appStore.getState().restoreSession(),
  });

  appStore.subscribe((state, before) => {
    if (state.auth.status === before.auth.status) return;
    if (state.auth.status === 'signed_in' && state.auth.user) {
      void requests.getState().start(state.auth.user);
      live.start();
    } else if (before.auth.status === 'signed_in') {
      live.stop();
      requests.getState().reset();
      alarms.getState().reset();
      hosts.getState().reset();
      session.getState().dismiss();
    }
  });

  const onHash = () => appStore.setState({ route: parseRoute(win.location.hash) });
  const onOnline = () => live.reconnectNow();
  win.addEventListener('hashchange', onHash);
  win.addEventListener('online', onOnline);
  onHash();
  const disconnectBridge = connectBridge(appStore, bridge);
  void appStore.getState().restoreSession();

  const services: Services = {
    app: appStore,
    requests,
    session,
    tasks,
    toasts,
    alarms,
    api,
    notifier,
    hosts,
    adhocAuth,
    fileManager,
  };
  return {
    services,
    dispose() {
      live.stop();
      disconnectBridge();
      win.removeEventListener('hashchange', onHash);
      win.removeEventListener('online', onOnline);
    },
  };
}

/** Web Storage, or undefined where the browser refuses it (some privacy modes throw on access). */
function safeStorage(get: () => Storage): Storage | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}
