import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_SPECS, type ConsentPrompt, type ShownFileQuestion } from '../shared/ipc.ts';
import { FakeRegistry, FakeWindows } from '../testing/desktop-doubles.ts';
import { UiController } from './ui-controller.ts';

const prompt: ConsentPrompt = {
  agentName: 'Ada',
  organisationName: 'Acme',
  comment: null,
  permissions: ['view'],
  deadline: 0,
  language: 'en',
  brand: null,
};
const { consent, indicator, files } = API_SPECS;

function setup() {
  const ipc = new FakeRegistry();
  const windows = new FakeWindows();
  return { ipc, windows, ui: new UiController(ipc, windows) };
}

describe('UiController', () => {
  it('answers the consent window only, with the pending prompt, and closes it on an answer', async () => {
    const { ipc, windows, ui } = setup();
    const answer = ui.askConsent(prompt);
    const w = windows.last('consent');
    assert.deepEqual(ipc.invoke(consent.invoke.request, w.senderId), prompt);
    assert.throws(() => ipc.invoke(consent.invoke.allow, 99), /sender not allowed/);
    assert.throws(() => ipc.invoke(consent.invoke.allow, w.senderId, 'extra'), /invalid arguments/);
    ipc.invoke(consent.invoke.allow, w.senderId);
    assert.equal(await answer, 'allow');
    assert.equal(w.closed, true);
    // A closed window's id is not trusted any more.
    assert.throws(() => ipc.invoke(consent.invoke.request, w.senderId), /sender not allowed/);
  });

  it('closing the consent window, or withdrawing the question, denies', async () => {
    const { windows, ui } = setup();
    const first = ui.askConsent(prompt);
    windows.last('consent').userClose();
    assert.equal(await first, 'deny');
    const controller = new AbortController();
    const second = ui.askConsent(prompt, controller.signal);
    controller.abort();
    assert.equal(await second, 'deny');
    assert.equal(windows.last('consent').closed, true);
  });

  it('asks about files one window at a time, answered by id; closing the question declines', async () => {
    const { ipc, windows, ui } = setup();
    const q = { agentName: 'Ada', name: 'a.txt', size: 3, language: 'en' } as const;
    const a = ui.confirmFile(q);
    const b = ui.confirmFile({ ...q, name: 'b.txt' });
    const first = windows.last('files');
    assert.equal(windows.opened.filter((w) => w.name === 'files').length, 1);
    const shown = ipc.invoke(files.invoke.request, first.senderId) as ShownFileQuestion;
    assert.deepEqual([shown.name, shown.size, shown.id], ['a.txt', 3, '1']);
    assert.throws(() => ipc.invoke(files.invoke.accept, first.senderId), /invalid arguments/);
    // An id that is not the one shown (b's, before it is shown) does nothing.
    ipc.invoke(files.invoke.accept, first.senderId, '2');
    assert.equal(first.closed, false);
    ipc.invoke(files.invoke.accept, first.senderId, shown.id);
    assert.equal(await a, true);
    const second = windows.last('files');
    assert.notEqual(second, first);
    assert.equal(first.closed, true);
    assert.equal((ipc.invoke(files.invoke.request, second.senderId) as ShownFileQuestion).name, 'b.txt');
    second.userClose();
    assert.equal(await b, false);
  });

  it('file questions: a bounded queue, and one shown too long declines and closes', async () => {
    const ipc = new FakeRegistry();
    const windows = new FakeWindows();
    const ui = new UiController(ipc, windows, { maxPending: 2, answerTimeoutMs: 100 });
    const q = { agentName: 'Ada', name: 'a.txt', size: 3, language: 'en' } as const;
    const a = ui.confirmFile(q);
    const b = ui.confirmFile({ ...q, name: 'b.txt' });
    await assert.rejects(ui.confirmFile({ ...q, name: 'c.txt' }), /too many pending files/);
    assert.equal(await a, false);
    assert.equal(windows.opened[0]?.closed, true);
    const withdraw = new AbortController();
    const c = ui.confirmFile({ ...q, name: 'c.txt' }, withdraw.signal);
    withdraw.abort();
    assert.equal(await c, false);
    assert.equal(await b, false);
    assert.deepEqual(
      windows.opened.map((w) => [w.name, w.closed]),
      [
        ['files', true],
        ['files', true],
      ],
    );
  });

  it('shows the indicator, pushes changes to it, and Stop or closing it stops', () => {
    const { ipc, windows, ui } = setup();
    let stops = 0;
    ui.onStop(() => stops++);
    const status = {
      phase: 'connecting',
      agentName: 'Ada',
      language: 'en',
      verificationCode: null,
      permissions: ['view'],
    } as const;
    ui.showIndicator(status);
    const w = windows.last('indicator');
    assert.deepEqual(ipc.invoke(indicator.invoke.status, w.senderId), status);
    ui.showIndicator({ ...status, phase: 'live', verificationCode: '123 456' });
    assert.equal(windows.opened.filter((x) => x.name === 'indicator').length, 1);
    assert.deepEqual(w.pushes.at(-1)?.[0], indicator.events.onStatus);
    ipc.invoke(indicator.invoke.stop, w.senderId);
    w.userClose();
    assert.equal(stops, 2);
    ui.showIndicator(status);
    ui.hideIndicator();
    assert.equal(windows.last('indicator').closed, true);
    assert.equal(stops, 2);
  });
});
