import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { App, HandlerDetails, Session, WebContents, WindowOpenHandlerResponse } from 'electron';
import { hardenContents } from './harden.ts';

// The Electron binary cannot run here, so these are Electron's objects as far
// as the shell touches them: `app` emits `web-contents-created` for every new
// window; a page's own navigation emits `will-navigate` and goes ahead unless
// a listener prevents it; `window.open` and target=_blank ask the window open
// handler; a `<webview>` is attached unless `will-attach-webview` is prevented.

class NavigationEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

class FakeContents extends EventEmitter {
  private openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  url = 'file:///app/out/renderer/consent/index.html';

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  /** The page sets `location`, submits a form or follows a link: true if it left. */
  navigate(url: string): boolean {
    const event = new NavigationEvent();
    this.emit('will-navigate', event, url);
    if (!event.defaultPrevented) this.url = url;
    return !event.defaultPrevented;
  }
  /** The page calls `window.open(url)`: true if a window opened. */
  open(url: string): boolean {
    const details = { url, frameName: '', features: '', disposition: 'new-window', referrer: {} };
    const answer = this.openHandler?.(details as unknown as HandlerDetails) ?? { action: 'allow' };
    return answer.action === 'allow';
  }
  /** The page adds a `<webview src=url>`: true if it was attached. */
  attachWebview(url: string): boolean {
    const event = new NavigationEvent();
    this.emit('will-attach-webview', event, {}, { src: url });
    return !event.defaultPrevented;
  }
}

type RequestHandler = (
  contents: WebContents,
  permission: string,
  callback: (granted: boolean) => void,
) => void;

function fakeElectron() {
  const app = new EventEmitter();
  const handlers: { request: RequestHandler | null; check: unknown } = { request: null, check: null };
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler) => (handlers.request = handler),
    setPermissionCheckHandler: (handler: unknown) => (handlers.check = handler),
  };
  return {
    app: app as unknown as Pick<App, 'on'>,
    session: session as unknown as Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
    handlers,
    /** Electron creates a window's contents. */
    newWindow(): FakeContents {
      const contents = new FakeContents();
      app.emit('web-contents-created', {}, contents);
      return contents;
    },
    ask(contents: FakeContents, permission: string): boolean {
      let granted: boolean | null = null;
      handlers.request?.(contents as unknown as WebContents, permission, (g) => (granted = g));
      assert.notEqual(granted, null, 'the request handler answered');
      return granted === true;
    },
  };
}

const ELSEWHERE = [
  'file:///etc/passwd',
  'file:///app/out/renderer/files/index.html',
  'https://attacker.example/phish',
  'http://127.0.0.1:8080/console/',
  'javascript:alert(1)',
  'data:text/html,<script>1</script>',
  'beckon://requests/00000000-0000-4000-8000-000000000000',
];

describe('navigation security of every shell window', () => {
  it('a fake window without the shell does navigate and open windows (the test can fail)', () => {
    const contents = new FakeContents();
    assert.equal(contents.navigate('https://attacker.example/'), true);
    assert.equal(contents.open('https://attacker.example/'), true);
    assert.equal(contents.attachWebview('https://attacker.example/'), true);
  });

  it('cannot navigate away: not to file:, not to a foreign or even the same origin', () => {
    const electron = fakeElectron();
    hardenContents(electron.app, electron.session);
    const contents = electron.newWindow();
    const start = contents.url;
    for (const url of ELSEWHERE) assert.equal(contents.navigate(url), false, url);
    assert.equal(contents.url, start);
  });

  it('cannot open new windows, to anywhere', () => {
    const electron = fakeElectron();
    hardenContents(electron.app, electron.session);
    const contents = electron.newWindow();
    for (const url of [...ELSEWHERE, 'about:blank', '']) assert.equal(contents.open(url), false, url);
  });

  it('cannot attach a <webview>', () => {
    const electron = fakeElectron();
    hardenContents(electron.app, electron.session);
    assert.equal(electron.newWindow().attachWebview('https://attacker.example/'), false);
  });

  it('guards every window, also those opened later', () => {
    const electron = fakeElectron();
    hardenContents(electron.app, electron.session);
    const windows = [electron.newWindow(), electron.newWindow(), electron.newWindow()];
    for (const contents of windows) {
      assert.equal(contents.navigate('file:///etc/passwd'), false);
      assert.equal(contents.open('https://attacker.example/'), false);
    }
  });

  it('grants no permission by default and leaves checks to Electron', () => {
    const electron = fakeElectron();
    hardenContents(electron.app, electron.session);
    const contents = electron.newWindow();
    for (const permission of ['media', 'display-capture', 'notifications', 'geolocation', 'openExternal'])
      assert.equal(electron.ask(contents, permission), false, permission);
    assert.equal(electron.handlers.check, null);
  });

  it("grants only what the app's policy grants, to the window it names", () => {
    const electron = fakeElectron();
    const host = electron.newWindow();
    hardenContents(electron.app, electron.session, {
      request: (contents, permission) => contents === (host as unknown) && permission === 'media',
      check: () => false,
    });
    const other = electron.newWindow();
    assert.equal(electron.ask(host, 'media'), true);
    assert.equal(electron.ask(host, 'geolocation'), false);
    assert.equal(electron.ask(other, 'media'), false);
    assert.equal(typeof electron.handlers.check, 'function');
  });
});
