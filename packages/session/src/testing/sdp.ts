/** The video codecs an SDP's first m=video section lists, by name, in its order, each once (rtx/red/fec left out). */
export function sdpVideoCodecs(sdp: string): string[] {
  const section = /^m=video \d+ \S+ ([\d ]+)$/m.exec(sdp);
  if (!section) return [];
  const names = section[1]!
    .trim()
    .split(' ')
    .map((pt) => new RegExp(`^a=rtpmap:${pt} ([^/]+)/`, 'm').exec(sdp)?.[1] ?? '?');
  const media = names.filter((n) => !['rtx', 'red', 'ulpfec', 'flexfec-03'].includes(n));
  return [...new Set(media)];
}
