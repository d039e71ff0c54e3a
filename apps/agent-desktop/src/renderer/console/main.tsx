import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { desktopBridge } from './bridge.ts';
import { createAgentConnector } from './session/agent-connector.ts';
import { createServices } from './wiring.ts';
import './styles.css';
import './requests/requests.css';
import './remote/remote.css';
import './tasks/tasks.css';
import './helpdesk/helpdesk.css';
import './computers/computers.css';
import './adhoc/adhoc.css';

// The remote-session engine: @beckon/session's AgentSession on the browser's own WebRTC.
const { services } = createServices(window, desktopBridge(), createAgentConnector);

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>,
);
