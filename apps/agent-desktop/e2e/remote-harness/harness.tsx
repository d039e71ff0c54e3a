import type { DataChannelMessage } from '@beckon/protocol';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ServicesContext, type Services } from '../../src/renderer/console/app-context.ts';
import { createBrokerApi } from '../../src/renderer/console/api/broker-api.ts';
import { createHttpClient } from '../../src/renderer/console/api/http.ts';
import { browserNotifier } from '../../src/renderer/console/notify/notifier.ts';
import { RemoteView } from '../../src/renderer/console/remote/RemoteView.tsx';
import { createRequestsStore } from '../../src/renderer/console/requests/requests-store.ts';
import { createHostsStore } from '../../src/renderer/console/computers/hosts-store.ts';
import { unavailableConnector } from '../../src/renderer/console/session/session-connector.ts';
import { createSessionStore } from '../../src/renderer/console/session/session-store.ts';
import { createTasksStore } from '../../src/renderer/console/tasks/tasks-store.ts';
import { createAppStore } from '../../src/renderer/console/store.ts';
import { createAlarmStore } from '../../src/renderer/console/ui/alarms.ts';
import { createToastStore } from '../../src/renderer/console/ui/toasts.ts';
import '../../src/renderer/console/styles.css';
import '../../src/renderer/console/remote/remote.css';

// The RemoteView alone, fed a canvas stream of a known size, so a browser test
// can check that the layout the CSS produces is the one the mapping assumes.
// Every message the view sends is kept in `window.sent`.
const params = new URLSearchParams(location.search);
const frame = { width: Number(params.get('w') ?? 1600), height: Number(params.get('h') ?? 900) };
const canvas = document.createElement('canvas');
canvas.width = frame.width;
canvas.height = frame.height;
const g = canvas.getContext('2d');
// Redrawn continuously: a canvas stream only carries frames when the canvas changes.
const draw = (t: number) => {
  if (g) {
    g.fillStyle = `hsl(${(t / 20) % 360} 60% 50%)`;
    g.fillRect(0, 0, frame.width, frame.height);
  }
  requestAnimationFrame(draw);
};
requestAnimationFrame(draw);
const stream = canvas.captureStream(30);

const sent: DataChannelMessage[] = [];
(window as unknown as { sent: DataChannelMessage[] }).sent = sent;

const api = createBrokerApi(createHttpClient({ baseUrl: () => '', token: () => null, fetch }));
const services: Services = {
  app: createAppStore({ bridge: undefined, api }),
  requests: createRequestsStore(api),
  session: createSessionStore(unavailableConnector),
  tasks: createTasksStore({ send: () => {}, createUrl: (b) => URL.createObjectURL(b), revokeUrl: () => {} }),
  toasts: createToastStore(),
  alarms: createAlarmStore(),
  api,
  notifier: browserNotifier(window, () => {}),
  hosts: createHostsStore(api.hosts),
};

function Harness() {
  const [viewOnly, setViewOnly] = useState(false);
  return (
    <div style={{ width: 900, height: 700, display: 'flex', flexDirection: 'column' }}>
      <RemoteView
        stream={stream}
        send={(m) => sent.push(m)}
        viewOnly={viewOnly}
        stats={{ fps: 29.6, bitrateKbps: 2480.4, rttMs: 23.2, packetLossPct: 0.25, relayed: true }}
        verificationCode="4711"
        onToggleViewOnly={() => setViewOnly((v) => !v)}
        onEnd={() => sent.push({ type: 'stop', reason: 'ended by agent' })}
      />
    </div>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <ServicesContext value={services}>
      <Harness />
    </ServicesContext>,
  );
