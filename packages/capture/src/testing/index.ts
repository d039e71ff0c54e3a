// Test support shared with the assist client's tests: a private Xvfb, a probe
// window that reports the input it receives, and xdotool queries.
export { startXvfb, type Xvfb, type XvfbOptions } from './xvfb.ts';
export { startProbeWindow, type ProbeWindow, type ProbeEvent, type ProbeOptions } from './probe-window.ts';
export { pointerLocation } from './xdotool.ts';
