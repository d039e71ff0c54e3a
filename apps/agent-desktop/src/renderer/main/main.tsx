import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { desktopBridge } from './bridge.ts';
import { connectBridge, createAppStore } from './store.ts';
import './styles.css';

const bridge = desktopBridge();
const store = createAppStore(bridge);
connectBridge(store, bridge);

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
