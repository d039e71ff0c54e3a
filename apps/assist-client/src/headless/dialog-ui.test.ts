import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
import { DialogUi, findDialogTool } from './dialog-ui.ts';

// The bundle's windowed face with a real dialog tool: xmessage (from x11-utils,
// which setup installs) on a private Xvfb, answered with the keyboard through
// xdotool as a person would: Return presses the first button (Allow, Stop).

let xvfb: Xvfb;
let env: NodeJS.ProcessEnv;
before(async () => {
  xvfb = await startXvfb({ width: 1024, height: 768 });
  env = { PATH: '/usr/bin:/bin', DISPLAY: xvfb.display };
});

const question = {
  agentName: 'Ada <b>Admin</b>',
  orgName: 'Acme',
  comment: 'printer',
  permissions: ['view', 'control'] as ('view' | 'control')[],
  timeoutSec: 30,
};

/** Waits for the dialog window, then presses Return in it. */
async function pressReturn(): Promise<void> {
  const x = { env: { ...process.env, DISPLAY: xvfb.display } };
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      const id = execFileSync('xdotool', ['search', '--name', '^Beckon Assist$'], x)
        .toString()
        .trim()
        .split('\n')[0]!;
      execFileSync('xdotool', ['windowfocus', '--sync', id], x);
      // XTEST, as a keyboard would: the toolkit ignores synthetic (sent) key events.
      execFileSync('xdotool', ['key', 'Return'], x);
      return;
    } catch {
      if (Date.now() > end) throw new Error('no Beckon Assist dialog appeared');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const windows = () => {
  try {
    return execFileSync('xdotool', ['search', '--name', '^Beckon Assist$'], {
      env: { ...process.env, DISPLAY: xvfb.display },
    })
      .toString()
      .trim()
      .split('\n').length;
  } catch {
    return 0;
  }
};

test('finds a dialog tool on a bare PATH', () => {
  assert.ok(['zenity', 'xmessage'].includes(findDialogTool(env) ?? ''));
  assert.equal(findDialogTool({ PATH: '/nonexistent' }), null);
});

test('the consent question in a window: Return is Allow; a withdrawn question closes it and denies', async () => {
  const ui = new DialogUi('xmessage', env);
  const allowed = ui.askConsent(question, new AbortController().signal);
  await pressReturn();
  assert.deepEqual(await allowed, { allow: true });

  const withdraw = new AbortController();
  const asked = ui.askConsent(question, withdraw.signal);
  const end = Date.now() + 10_000;
  while (windows() === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  assert.equal(windows(), 1);
  withdraw.abort();
  assert.deepEqual(await asked, { allow: false });
  while (windows() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  assert.equal(windows(), 0);
});

test('the indicator stays up during a session and its Stop stops it', async () => {
  const ui = new DialogUi('xmessage', env);
  const stopped = new Promise<string>((resolve) => (ui.onCommand = resolve));
  ui.showIndicator('You are being helped by Ada.');
  await pressReturn();
  assert.equal(await stopped, 'stop');
  ui.showIndicator('You are being helped by Ada.');
  ui.hideIndicator();
  const end = Date.now() + 5000;
  while (windows() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  assert.equal(windows(), 0);
  ui.close();
});
