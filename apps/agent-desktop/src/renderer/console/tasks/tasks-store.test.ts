import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataChannelMessage, MonitorSample } from '@beckon/protocol';
import { FileTransfers, bytesSource, type FileTransport } from '@beckon/session';
import { createTasksStore, MONITOR_KEEP, type TasksStore } from './tasks-store.ts';

/** Two ends of a files channel in memory; messages arrive in order, a task later. */
function transportPair(): { a: FileTransport; b: FileTransport; close(): void } {
  const listeners = {
    a: new Set<(m: DataChannelMessage) => void>(),
    b: new Set<(m: DataChannelMessage) => void>(),
  };
  const closers = new Set<() => void>();
  let open = true;
  const end = (me: 'a' | 'b'): FileTransport => ({
    send(message) {
      if (!open) return false;
      const to = listeners[me === 'a' ? 'b' : 'a'];
      // A structured copy, as a channel would deliver: nobody shares objects across it.
      const copy = JSON.parse(JSON.stringify(message)) as DataChannelMessage;
      setTimeout(() => to.forEach((l) => l(copy)), 0);
      return true;
    },
    bufferedAmount: () => 0,
    waitForBufferedAmount: async () => {},
    onMessage(listener) {
      listeners[me].add(listener);
      return () => listeners[me].delete(listener);
    },
    isOpen: () => open,
    onClose(listener) {
      closers.add(listener);
      return () => closers.delete(listener);
    },
  });
  return {
    a: end('a'),
    b: end('b'),
    close() {
      open = false;
      closers.forEach((c) => c());
    },
  };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), `timed out waiting for ${what}`);
};

function setup() {
  const sent: DataChannelMessage[] = [];
  const urls: Blob[] = [];
  const revoked: string[] = [];
  const store: TasksStore = createTasksStore({
    send: (m) => sent.push(m),
    createUrl: (blob) => {
      urls.push(blob);
      return `blob:${urls.length}`;
    },
    revokeUrl: (u) => revoked.push(u),
  });
  return { store, sent, urls, revoked };
}

describe('remote tasks', () => {
  it('sends a dropped file; the host accepts; progress ends in delivered', async () => {
    const { store } = setup();
    const pair = transportPair();
    const saved: Uint8Array[] = [];
    const host = new FileTransfers(pair.b, {
      onOffer: async () => ({
        accept: true,
        sink: {
          write: async (c) => void saved.push(c.slice()),
          close: async () => {},
          abort: async () => {},
        },
      }),
    });
    store.getState().attach(pair.a);
    assert.equal(store.getState().connected, true);
    const bytes = new Uint8Array(120_000).map((_, i) => i % 251);
    store.getState().sendFiles([new File([bytes], '<b>report</b>.bin')]);
    assert.equal(store.getState().transfers[0]?.state, 'waiting');
    await until(() => store.getState().transfers[0]?.state === 'done', 'delivered');
    const item = store.getState().transfers[0];
    assert.equal(item?.name, '<b>report</b>.bin');
    assert.equal(item?.bytes, 120_000);
    assert.equal(Buffer.concat(saved).equals(Buffer.from(bytes)), true);
    host.dispose();
  });

  it('shows a decline by the user as declined, and cancel stops a transfer', async () => {
    const { store } = setup();
    const pair = transportPair();
    const host = new FileTransfers(pair.b, {
      onOffer: async () => ({ accept: false, reason: 'declined by the user' }),
    });
    store.getState().attach(pair.a);
    store.getState().sendFiles([new File(['x'], 'a.txt')]);
    await until(() => store.getState().transfers[0]?.state === 'cancelled', 'declined');
    assert.equal(store.getState().transfers[0]?.reason, 'declined by the user');
    assert.equal(store.getState().transfers[0]?.by, 'remote');
    host.dispose();

    const slow = transportPair();
    new FileTransfers(slow.b, { onOffer: () => new Promise(() => {}) });
    store.getState().attach(slow.a);
    store.getState().sendFiles([new File(['y'], 'b.txt')]);
    const id = store.getState().transfers.at(-1)?.id ?? '';
    store.getState().cancel(id);
    await until(() => store.getState().transfers.at(-1)?.state === 'cancelled', 'cancelled');
    assert.equal(store.getState().transfers.at(-1)?.by, 'local');
  });

  it('a file from the host waits for the agent, then becomes a Blob to save', async () => {
    const { store, urls, revoked } = setup();
    const pair = transportPair();
    const host = new FileTransfers(pair.b);
    store.getState().attach(pair.a);
    const out = host.send({
      name: '../../etc/passwd',
      source: bytesSource(new TextEncoder().encode('hello')),
    });
    await until(() => store.getState().transfers[0]?.state === 'asking', 'the offer');
    const offered = store.getState().transfers[0];
    assert.equal(offered?.direction, 'receive');
    assert.equal(offered?.name, '../../etc/passwd', 'shown as sent');
    assert.doesNotMatch(offered?.saveAs ?? '/', /[/\\]/, 'saved under a sanitized name');
    store.getState().accept(offered?.id ?? '');
    await out.done;
    await until(() => store.getState().transfers[0]?.state === 'done', 'received');
    assert.equal(store.getState().transfers[0]?.url, 'blob:1');
    assert.equal(await urls[0]?.text(), 'hello');

    const declined = host.send({ name: 'b.bin', source: bytesSource(new Uint8Array(3)) });
    await until(() => store.getState().transfers[1]?.state === 'asking', 'the second offer');
    store.getState().decline(store.getState().transfers[1]?.id ?? '');
    await assert.rejects(declined.done, /declined by the agent/);

    store.getState().reset();
    assert.deepEqual(revoked, ['blob:1'], 'object URLs are released');
    assert.deepEqual(store.getState().transfers, []);
  });

  it('a file the host calls text/html is kept as bytes to save, never as a page', async () => {
    const { store, urls } = setup();
    const pair = transportPair();
    const host = new FileTransfers(pair.b);
    store.getState().attach(pair.a);
    const page = '<script>fetch("/api/v1/me")</script>';
    const out = host.send({
      name: 'invoice\u202Egpj.html',
      mime: 'text/html',
      source: bytesSource(new TextEncoder().encode(page)),
    });
    await until(() => store.getState().transfers[0]?.state === 'asking', 'the offer');
    store.getState().accept(store.getState().transfers[0]?.id ?? '');
    await out.done;
    await until(() => store.getState().transfers[0]?.state === 'done', 'received');
    assert.equal(urls[0]?.type, 'application/octet-stream');
    assert.equal(await urls[0]?.text(), page);
    assert.equal(store.getState().transfers[0]?.saveAs, 'invoicegpj.html');
  });

  it('the session ending cancels what is under way and answers open offers', async () => {
    const { store } = setup();
    const pair = transportPair();
    const host = new FileTransfers(pair.b);
    store.getState().attach(pair.a);
    const out = host.send({ name: 'c.bin', source: bytesSource(new Uint8Array(10)) });
    await until(() => store.getState().transfers[0]?.state === 'asking', 'the offer');
    store.getState().attach(null);
    assert.equal(store.getState().connected, false);
    assert.equal(store.getState().transfers[0]?.state, 'cancelled');
    // The engine reports the files channel gone when the peer closed: the host hears it that way.
    pair.close();
    await assert.rejects(out.done);
  });

  it('asks for system information and keeps a minute of monitor samples', () => {
    const { store, sent } = setup();
    store.getState().requestSysinfo();
    assert.equal(store.getState().sysinfo.loading, true);
    const info = {
      os: { platform: 'linux', distro: 'Debian', release: '12', arch: 'x64', hostname: '<i>pc</i>' },
      cpu: { manufacturer: 'X', brand: 'Y', cores: 4, physicalCores: 2, speedGHz: 2.5 },
      memory: { totalBytes: 8e9 },
      disks: [],
      network: [],
    };
    store.getState().receive({ type: 'sysinfo_snapshot', info });
    assert.deepEqual(store.getState().sysinfo, { loading: false, info });

    store.getState().startMonitor();
    const sample = (i: number): MonitorSample => ({
      type: 'monitor_sample',
      at: new Date(i * 1000).toISOString(),
      cpuPercent: i % 100,
      memUsedBytes: 1,
      memTotalBytes: 2,
      disks: [],
    });
    for (let i = 0; i < MONITOR_KEEP + 5; i++) store.getState().receive(sample(i));
    assert.equal(store.getState().monitor.samples.length, MONITOR_KEEP);
    assert.equal(store.getState().monitor.samples[0]?.cpuPercent, 5);
    store.getState().stopMonitor();
    store.getState().receive({ type: 'clipboard', text: 'from the host' });
    assert.equal(store.getState().remoteClipboard, 'from the host');
    assert.deepEqual(
      sent.map((m) => m.type),
      ['sysinfo_request', 'monitor_start', 'monitor_stop'],
    );
  });
});
