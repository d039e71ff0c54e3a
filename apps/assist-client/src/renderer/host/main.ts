import type { HostApi } from '../../shared/ipc.ts';
import { preloadApi } from '../bridge.ts';
import { HostEngine } from './host-engine.ts';

// The hidden host window: no UI, only the session's peer and screen capture.
new HostEngine(preloadApi<HostApi>(), navigator.mediaDevices).bind();
