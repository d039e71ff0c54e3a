import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { desktopBridge } from './bridge.ts';
import { unavailableConnector } from './session/session-connector.ts';
import { createServices } from './wiring.ts';
import './styles.css';
import './requests/requests.css';
import './remote/remote.css';

// The remote-session engine plugs in here (a SessionConnector); until then
// Connect says plainly that sessions are not available in this build.
const { services } = createServices(window, desktopBridge(), unavailableConnector);

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>,
);
