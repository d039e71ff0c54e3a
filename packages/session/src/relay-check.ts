/**
 * With `iceTransportPolicy: 'relay'` a connection can only use TURN relay
 * candidates. When gathering ends without one, the TURN server refused the
 * credentials or could not be reached, and ICE would just time out silently:
 * this says so at once, in words a person can act on.
 */
export const NO_RELAY_MESSAGE =
  'no TURN relay candidate: the TURN server refused the credentials or cannot be reached ' +
  '(check BECKON_TURN_URLS and BECKON_TURN_SECRET, and that coturn runs with the same secret)';

export function watchRelayCandidates(pc: RTCPeerConnection, onNone: () => void): void {
  let relays = 0;
  let reported = false;
  const check = () => {
    if (pc.iceGatheringState !== 'complete' || relays > 0 || reported) return;
    reported = true;
    onNone();
  };
  pc.addEventListener('icecandidate', (event: RTCPeerConnectionIceEvent) => {
    if (event.candidate?.candidate && / typ relay( |$)/.test(event.candidate.candidate)) relays++;
    if (!event.candidate) check();
  });
  pc.addEventListener('icegatheringstatechange', check);
}
