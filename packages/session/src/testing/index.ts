// Real parts for tests of sessions: two wrtc peers wired together, a UDP relay
// a test can cut, a real coturn on loopback, and a man in the middle made of
// real wrtc connections.
export { startCoturn, type Coturn } from './coturn.ts';
export { Leg, mintCertificate, type Certificate } from './mitm.ts';
