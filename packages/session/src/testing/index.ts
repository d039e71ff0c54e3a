// Real parts for tests of sessions: two wrtc peers wired together, a UDP relay
// a test can cut, and a real coturn on loopback.
export { startCoturn, type Coturn } from './coturn.ts';
