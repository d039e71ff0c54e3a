import { claimSingleInstance } from '@beckon/electron-shell';
import { CHROMIUM_SWITCHES } from '@beckon/session';
import { app, dialog } from 'electron';
import { clientTitle, loadClientConfig } from '../desktop/client-config.ts';
import { startAssistApp } from './assist-app.ts';
import { DEEP_LINK_SCHEME, parseDeepLink } from './deep-link.ts';
import { downloadedExecutable, resolveJoinTarget, type JoinTarget } from './join-target.ts';

// Before the app is ready, or Chromium ignores them: the screen's video on the low-latency path.
for (const [name, value] of CHROMIUM_SWITCHES.host) app.commandLine.appendSwitch(name, value);

// A link, or the session code in the downloaded file's name.
let pending = resolveJoinTarget(process.argv, downloadedExecutable(process.env, process.execPath));
let joinTarget: ((target: JoinTarget) => Promise<void>) | null = null;
const join = (target: JoinTarget) => (joinTarget ? void joinTarget(target) : (pending = target));

// A second launch (another link) goes to the running instance; macOS uses open-url.
const claimed = claimSingleInstance(app, process, {
  scheme: DEEP_LINK_SCHEME,
  onSecondInstance(argv) {
    const next = resolveJoinTarget(argv, '');
    if (next) join(next);
  },
  onOpenUrl(url) {
    const link = parseDeepLink(url);
    if (link) join({ kind: 'token', token: link.token });
  },
});

if (claimed) {
  void app.whenReady().then(async () => {
    const config = loadClientConfig(process.env, process.resourcesPath);
    if (!config.ok) {
      // A broken configuration is reported and the app ends: it cannot know its broker.
      dialog.showErrorBox(clientTitle(null), config.message);
      return app.quit();
    }
    const title = clientTitle(config.config);
    if (!pending) {
      dialog.showErrorBox(title, 'Open this app from a Beckon session link, or run the downloaded file.');
      return app.quit();
    }
    try {
      joinTarget = (await startAssistApp(config.config)).join;
    } catch (err) {
      dialog.showErrorBox(title, (err as Error).message);
      return app.quit();
    }
    void joinTarget(pending);
  });

  // The tray keeps the app alive between windows; quitting is explicit.
  app.on('window-all-closed', () => {});
}
