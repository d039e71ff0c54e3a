// @beckon/capture: screen capture, input injection and system information
// behind one interface (`CaptureBackend`), one backend per OS, chosen once with
// `selectBackend(process.platform)`. The browser side (getDisplayMedia) lives
// in `@beckon/capture/browser`; the Xvfb test helpers in `@beckon/capture/testing`.

export type * from './types.ts';
export { SUPPORTED_PLATFORMS, isSupportedPlatform, selectBackend } from './backends/select.ts';
export type { SupportedPlatform, SelectOptions } from './backends/select.ts';
export { toI420, toRgba, i420Size, i420PixelToRgb } from './frame/convert.ts';
export { MAX_WHEEL_STEPS } from './input/injector.ts';
export { createInputDispatcher, type InputDispatcher, type InputMessage } from './input/dispatch.ts';
export { KEY_CODES, type KeyDef } from './keys/codes.ts';
export { collectSystemInfo } from './system/info.ts';
export { startMonitor, sampleOnce, MIN_INTERVAL_MS } from './system/monitor.ts';
export { listProcesses } from './system/processes.ts';
export {
  MAX_CREDENTIAL_LENGTH,
  OsCredentialFailure,
  macosCredentialCheck,
  osCredentialCheck,
  pamCredentialCheck,
  windowsCredentialCheck,
  type OsCredentialCheck,
  type OsCredentialResult,
} from './os-auth/index.ts';
