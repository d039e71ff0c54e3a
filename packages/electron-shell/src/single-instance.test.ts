import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { App } from 'electron';
import { claimSingleInstance, firstLink } from './single-instance.ts';

function fakeApp(lock: boolean) {
  const emitter = new EventEmitter();
  const calls: unknown[][] = [];
  const app = Object.assign(emitter, {
    requestSingleInstanceLock: () => lock,
    quit: () => calls.push(['quit']),
    setAsDefaultProtocolClient: (...args: unknown[]) => (calls.push(['protocol', ...args]), true),
  });
  return { app: app as unknown as Parameters<typeof claimSingleInstance>[0] & App, emitter, calls };
}

const noLinks = { scheme: 'beckon', onSecondInstance: () => {}, onOpenUrl: () => {} };

describe('claimSingleInstance', () => {
  it('a second instance quits and registers nothing', () => {
    const { app, calls } = fakeApp(false);
    assert.equal(
      claimSingleInstance(app, { argv: ['/opt/beckon'], execPath: '/opt/beckon' }, noLinks),
      false,
    );
    assert.deepEqual(calls, [['quit']]);
  });

  it('registers the scheme, with the app path in development', () => {
    const packaged = fakeApp(true);
    claimSingleInstance(packaged.app, { argv: ['/opt/beckon'], execPath: '/opt/beckon' }, noLinks);
    assert.deepEqual(packaged.calls, [['protocol', 'beckon']]);
    const dev = fakeApp(true);
    claimSingleInstance(
      dev.app,
      { argv: ['/usr/bin/electron', '/src/app'], execPath: '/usr/bin/electron', defaultApp: true },
      noLinks,
    );
    assert.deepEqual(dev.calls, [['protocol', 'beckon', '/usr/bin/electron', ['/src/app']]]);
  });

  it('routes second launches and macOS open-url to the handlers', () => {
    const { app, emitter } = fakeApp(true);
    const seen: unknown[] = [];
    claimSingleInstance(
      app,
      { argv: [], execPath: '/opt/beckon' },
      {
        scheme: 'beckon',
        onSecondInstance: (argv) => seen.push(['argv', argv]),
        onOpenUrl: (url) => seen.push(['url', url]),
      },
    );
    emitter.emit('second-instance', {}, ['/opt/beckon', 'beckon://x']);
    let prevented = false;
    emitter.emit('open-url', { preventDefault: () => (prevented = true) }, 'beckon://y');
    assert.deepEqual(seen, [
      ['argv', ['/opt/beckon', 'beckon://x']],
      ['url', 'beckon://y'],
    ]);
    assert.equal(prevented, true);
  });
});

describe('firstLink', () => {
  it('returns the first argument the parser accepts', () => {
    const parse = (raw: string) => (raw.startsWith('x:') ? raw.slice(2) : null);
    assert.equal(firstLink(['--flag', 'x:one', 'x:two'], parse), 'one');
    assert.equal(firstLink(['--flag'], parse), null);
  });
});
