import { selectBackend, type CaptureBackend } from '@beckon/capture';
import { startXvfb } from '@beckon/capture/testing';
import wrtc from '@roamhq/wrtc';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { solidPng } from '../testing/images.ts';
import { API_SPECS, type ConsentPrompt } from '../shared/ipc.ts';
import { TestAgent } from '../testing/agent.ts';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { brandForSession } from './brand.ts';
import { CLIENT_CONFIG_FILE, loadClientConfig, type BakedBrand } from './client-config.ts';
import { DesktopHost } from './desktop-host.ts';
import { MediaBridge } from './media-bridge.ts';
import { FakeRegistry, FakeWindows } from '../testing/desktop-doubles.ts';
import { UiController } from './ui-controller.ts';

// Which branding the consent window shows, on real parts: a broker process
// whose admins set their own branding, the Electron client's main-process
// modules (DesktopHost, UiController, MediaBridge) in this process, a Node
// agent on wrtc pressing Connect. Only Electron stands in: the windows and
// ipcMain are the recording doubles of testing/desktop-doubles.ts.

let broker: TestBroker;
let backend: CaptureBackend;
const downloads = mkdtempSync(join(tmpdir(), 'beckon-baked-'));
const resources = mkdtempSync(join(tmpdir(), 'beckon-baked-resources-'));
const LOGO = solidPng(32, 32, [0, 160, 80]);
const BROKER_LOGO = solidPng(32, 32, [255, 0, 0]);

before(async () => {
  const xvfb = await startXvfb({ width: 640, height: 480 });
  const selected = await selectBackend('linux', { display: xvfb.display });
  if (!selected.ok) throw new Error(selected.error.message);
  backend = selected.backend;
  broker = await startBroker({ BECKON_ORG_NAME: 'Broker Org' });
  // What the broker would hand a client that has nothing baked.
  await broker.api.request('PUT', '/api/v1/admin/branding', {
    displayName: 'Relabelled By The Broker',
    color: '#ff0000',
    message: 'from the broker',
  });
  await broker.api.request('PUT', '/api/v1/admin/branding/logo', {
    contentType: 'image/png',
    data: BROKER_LOGO.toString('base64'),
  });
  // What the organisation's build baked in (the files package-assist writes).
  writeFileSync(
    join(resources, CLIENT_CONFIG_FILE),
    JSON.stringify({
      brokerUrl: broker.url,
      branding: { orgName: 'Acme Baked', color: '#00a050', message: 'Baked in.', logo: 'logo.png' },
    }),
  );
  writeFileSync(join(resources, 'logo.png'), LOGO);
});
after(async () => {
  await broker.stop();
  await backend.close();
  rmSync(downloads, { recursive: true, force: true });
  rmSync(resources, { recursive: true, force: true });
});

/** Joins a fresh request as the Electron client would, lets the agent press Connect, returns what the consent window asks main for. */
async function consentPromptFor(bakedBrand: BakedBrand | null): Promise<ConsentPrompt> {
  const request = await broker.api.createRequest();
  const ipc = new FakeRegistry();
  const windows = new FakeWindows();
  const ui = new UiController(ipc, windows);
  const media = new MediaBridge(ipc);
  media.attach(windows.open('host', () => {}));
  const host = new DesktopHost({
    brokerUrl: broker.url,
    target: { kind: 'token', token: request.customerLink.split('/j/')[1]! },
    bakedBrand,
    backend,
    ui,
    media,
    downloadDir: downloads,
  });
  const agent = new TestAgent(broker.url, broker.token, request.id, wrtc);
  try {
    await host.start();
    await broker.api.waitForStatus(request.id, 'waiting');
    await agent.start();
    const mark = agent.connect(['view']);
    const end = Date.now() + 15_000;
    while (!windows.opened.some((w) => w.name === 'consent')) {
      if (Date.now() > end) throw new Error('no consent window');
      await new Promise((r) => setTimeout(r, 20));
    }
    const consent = windows.last('consent');
    const prompt = (await ipc.invoke(API_SPECS.consent.invoke.request, consent.senderId)) as ConsentPrompt;
    ipc.invoke(API_SPECS.consent.invoke.deny, consent.senderId);
    assert.equal((await agent.next('consent_result', mark)).granted, false);
    return prompt;
  } finally {
    agent.close();
    host.leave('test over');
  }
}

describe('baked branding (SR8)', () => {
  it("the consent window shows the build's branding, not the broker's", async () => {
    const loaded = loadClientConfig({}, resources);
    assert.ok(loaded.ok && loaded.config.branding);
    const prompt = await consentPromptFor(loaded.config.branding);
    assert.equal(prompt.organisationName, 'Acme Baked');
    assert.deepEqual(prompt.brand, {
      color: '#00a050',
      message: 'Baked in.',
      logo: `data:image/png;base64,${LOGO.toString('base64')}`,
    });
  });

  it("a build without branding shows the broker's, fetched after joining", async () => {
    const prompt = await consentPromptFor(null);
    assert.equal(prompt.organisationName, 'Relabelled By The Broker');
    assert.deepEqual(prompt.brand, {
      color: '#ff0000',
      message: 'from the broker',
      logo: `data:image/png;base64,${BROKER_LOGO.toString('base64')}`,
    });
  });

  it('baked branding costs no network round-trip; only an unbranded build asks the broker', async () => {
    const loaded = loadClientConfig({}, resources);
    assert.ok(loaded.ok && loaded.config.branding);
    const request = await broker.api.createRequest();
    const target = { kind: 'token', token: request.customerLink.split('/j/')[1]! } as const;
    // The real fetch, with a note of every URL it is asked for.
    const asked: string[] = [];
    const counting: typeof fetch = (input, init) => {
      asked.push(String(input));
      return fetch(input, init);
    };
    const baked = await brandForSession(loaded.config.branding, broker.url, target, counting);
    assert.equal(baked.orgName, 'Acme Baked');
    assert.deepEqual(asked, []);
    const fetched = await brandForSession(null, broker.url, target, counting);
    assert.equal(fetched.orgName, 'Relabelled By The Broker');
    assert.deepEqual(
      asked.map((u) => new URL(u).pathname.replace(/[0-9a-f]{64}$/, '<sha256>')),
      ['/api/v1/join/branding', '/branding/logo/<sha256>'],
    );
  });
});
