import type { DataChannelMessage } from '@beckon/protocol';
import { FileTransfers, bytesSource, type FileSink, type FileTransport } from '@beckon/session';
import { createRoot } from 'react-dom/client';
import { ServicesContext, type Services } from '../../src/renderer/console/app-context.ts';
import { createBrokerApi } from '../../src/renderer/console/api/broker-api.ts';
import { createHttpClient } from '../../src/renderer/console/api/http.ts';
import { browserNotifier } from '../../src/renderer/console/notify/notifier.ts';
import { createRequestsStore } from '../../src/renderer/console/requests/requests-store.ts';
import { createHostsStore } from '../../src/renderer/console/computers/hosts-store.ts';
import { unavailableConnector } from '../../src/renderer/console/session/session-connector.ts';
import { createSessionStore } from '../../src/renderer/console/session/session-store.ts';
import { createAppStore } from '../../src/renderer/console/store.ts';
import { createTasksStore } from '../../src/renderer/console/tasks/tasks-store.ts';
import { TasksPanel } from '../../src/renderer/console/tasks/TasksPanel.tsx';
import { createAlarmStore } from '../../src/renderer/console/ui/alarms.ts';
import { createToastStore } from '../../src/renderer/console/ui/toasts.ts';
import '../../src/renderer/console/styles.css';
import '../../src/renderer/console/requests/requests.css';
import '../../src/renderer/console/tasks/tasks.css';

// The remote tasks panel alone, wired to a pretend host in the same page: its
// FileTransfers sits at the other end of an in-memory files channel, so a
// browser test can send files both ways and feed the host's replies.

type Listener = (m: DataChannelMessage) => void;

/** Two ends of a files channel in memory; each message arrives a task later, as a copy. */
function transportPair(): [FileTransport, FileTransport] {
  const sides = [new Set<Listener>(), new Set<Listener>()] as const;
  const end = (me: 0 | 1): FileTransport => ({
    send(message) {
      const copy = JSON.parse(JSON.stringify(message)) as DataChannelMessage;
      setTimeout(() => sides[me === 0 ? 1 : 0].forEach((l) => l(copy)), 0);
      return true;
    },
    bufferedAmount: () => 0,
    waitForBufferedAmount: async () => {},
    onMessage(listener) {
      sides[me].add(listener);
      return () => sides[me].delete(listener);
    },
    isOpen: () => true,
  });
  return [end(0), end(1)];
}

const sent: DataChannelMessage[] = [];
const received: Record<string, string> = {};
const [agentEnd, hostEnd] = transportPair();
const host = new FileTransfers(hostEnd, {
  onOffer: async (offer) => {
    const parts: Uint8Array[] = [];
    const sink: FileSink = {
      write: async (chunk) => void parts.push(chunk.slice()),
      close: async () => void (received[offer.name] = await new Blob(parts as BlobPart[]).text()),
      abort: async () => {},
    };
    return { accept: true, sink };
  },
});

const api = createBrokerApi(createHttpClient({ baseUrl: () => '', token: () => null, fetch }));
const tasks = createTasksStore({
  send: (m) => sent.push(m),
  createUrl: (b) => URL.createObjectURL(b),
  revokeUrl: (u) => URL.revokeObjectURL(u),
});
tasks.getState().attach(agentEnd);
const services: Services = {
  app: createAppStore({ bridge: undefined, api }),
  requests: createRequestsStore(api),
  session: createSessionStore(unavailableConnector),
  tasks,
  toasts: createToastStore(),
  alarms: createAlarmStore(),
  api,
  notifier: browserNotifier(window, () => {}),
  hosts: createHostsStore(api.hosts),
};

/** What the test drives: the host offering a file, the host's replies, and what reached the host. */
Object.assign(window, {
  sent,
  received,
  hostSend: (name: string, text: string) =>
    host
      .send({ name, source: bytesSource(new TextEncoder().encode(text)) })
      .done.then(() => 'delivered')
      .catch((err: Error) => err.message),
  feed: (message: DataChannelMessage) => tasks.getState().receive(message),
});

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <ServicesContext value={services}>
      <div style={{ display: 'flex', height: '100vh' }}>
        <TasksPanel live permissions={['view', 'control', 'file_transfer', 'system_info']} />
      </div>
    </ServicesContext>,
  );
