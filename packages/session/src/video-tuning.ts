/**
 * How the screen's video is tuned: a person steers a remote desktop through
 * it, so a picture shown sooner beats a picture shown smoothly. The numbers
 * behind each choice come from bench/glass (glass to glass, 1280x720, the
 * assist renderer sending from Chromium, the console receiving in Chromium).
 */

/**
 * The codecs the agent's offer lists first, in this order; every other codec
 * (H264, and rtx/red/fec, which must stay) keeps its place after them. The
 * host answers with the first it can send. VP8, VP9 and AV1 measured alike
 * (p50 41–42 ms); H264 (OpenH264 in Chromium) measured 56 ms: a slower
 * encoder and a deeper jitter buffer. Chromium and Firefox offer VP8 first
 * anyway; Safari offers H264 first, which this overrides.
 */
export const VIDEO_CODEC_ORDER: readonly string[] = ['video/VP8', 'video/VP9', 'video/AV1'];

/** `codecs` (a receiver's capabilities) with VIDEO_CODEC_ORDER's codecs first, the rest in their own order. */
export function orderVideoCodecs<C extends { mimeType: string }>(codecs: readonly C[]): C[] {
  const rank = (c: C) => {
    const i = VIDEO_CODEC_ORDER.findIndex((m) => m.toLowerCase() === c.mimeType.toLowerCase());
    return i < 0 ? VIDEO_CODEC_ORDER.length : i;
  };
  return [...codecs].sort((a, b) => rank(a) - rank(b)); // stable: ties keep their order
}

/**
 * Chromium field trials (the `force-fieldtrials` switch, which only an
 * Electron main process can set, before the app is ready) that put the
 * screen's video on libwebrtc's low-latency path: playout delay min = max = 0,
 * so the receiver decodes each frame as soon as it is complete and shows it
 * at the next vsync, instead of scheduling it through the jitter buffer's
 * target delay plus a fixed 10 ms render delay. Web pages have no API for
 * this: `RTCRtpReceiver.jitterBufferTarget = 0` only sets the minimum, which
 * is 0 already, and measured no change. bench/glass, assist renderer → console:
 * received → on screen 19–27 ms without, 6–8 ms with; p50 41–48 ms → 23–26 ms.
 */
export const PLAYOUT_DELAY_TRIALS = {
  /** For the sending app (the assist client): its RTP tells every receiver, browser consoles too. */
  send: 'WebRTC-ForceSendPlayoutDelay/min_ms:0,max_ms:0/',
  /** For the receiving app (the agent desktop): applies to any sender, the headless engine's too. */
  receive: 'WebRTC-ForcePlayoutDelay/min_ms:0,max_ms:0/',
} as const;

/**
 * The field trials of the headless engine's libwebrtc (wrtc, which has no switch
 * for them: apps/assist-client's wrtc-field-trials.ts writes them): playout delay 0,
 * as the Electron client sends, and a pacer that may send a frame's packets in
 * one burst (up to 40 ms of its rate), as Chromium's sender does (its frames
 * waited 0.4 ms in the receiver's jitter buffer in the same bench).
 * wrtc's pacer spread each picture's packets at the rate its bandwidth estimate
 * allowed, and a host that sends only on change never raises that estimate: the
 * receiver waited 5.8 ms a frame for the rest of a picture. bench/glass, headless
 * host on loopback: flip → received 14.3 → 9.2 ms, p50 / p99 20.6–22.7 / 31–32 →
 * 15.2–16.5 / 22–23 ms; broadband p50 41–42 → 35–37 ms.
 */
export const WRTC_SEND_TRIALS = `${PLAYOUT_DELAY_TRIALS.send}WebRTC-BurstyPacer/burst:40ms/`;

/**
 * The Chromium switches each Electron main sets before its app is ready, as
 * [name, value] pairs for `app.commandLine.appendSwitch`. The assist client
 * sends: its RTP then carries playout delay 0 to every console, browser
 * consoles too. The agent desktop receives: it shows any sender's frames at
 * once, the headless engine's included (wrtc has no field-trial switch).
 * Trade-off: with no smoothing, a jittery network shows uneven motion instead
 * of late motion; for steering a remote desktop, late is worse.
 */
export const CHROMIUM_SWITCHES = {
  host: [['force-fieldtrials', PLAYOUT_DELAY_TRIALS.send]],
  agent: [['force-fieldtrials', PLAYOUT_DELAY_TRIALS.receive]],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

/** The same switches as command-line flags, for a Chromium started outside Electron (tests, bench). */
export function chromiumFlags(switches: readonly (readonly [string, string])[]): string[] {
  return switches.map(([name, value]) => `--${name}=${value}`);
}

/** Lists the receivable video codecs in VIDEO_CODEC_ORDER on the agent's transceiver, where the stack can. */
export function preferVideoCodecs(
  transceiver: RTCRtpTransceiver,
  Receiver: { getCapabilities(kind: string): RTCRtpCapabilities | null } | undefined,
): void {
  const codecs = Receiver?.getCapabilities('video')?.codecs;
  if (!codecs?.length || typeof transceiver.setCodecPreferences !== 'function') return;
  try {
    transceiver.setCodecPreferences(orderVideoCodecs(codecs));
  } catch {
    // A stack that refuses its own capabilities keeps its default order: still a working offer.
  }
}

/**
 * The most a captured screen's video may spend, in bits per second per pixel
 * of the screen (1.2 Mbit/s at 1280x720, 2.7 at 1920x1080). For a sender whose
 * capturer hands over every tick whatever changed (Chromium's getDisplayMedia,
 * 54 pictures a second on X11): uncapped, its encoder spent the bandwidth
 * estimate refining repeats of an unchanged screen. bench/glass, renderer path
 * at 1280x720, office work: uncapped 103 KB/s, 1.2 Mbit/s 77, 0.8 Mbit/s 59;
 * glass to glass unchanged (loopback p50 18.1, broadband 41.3 at 0.8). Under the
 * cap Chromium keeps the resolution (contentHint 'detail') and gives up frame
 * rate in heavy motion. The engine sends only on change and needs no cap.
 */
export const SCREEN_BITS_PER_PIXEL = 1.3;

/** Caps every video sender of `connection` at SCREEN_BITS_PER_PIXEL for a `width` x `height` screen. */
export async function capScreenBitrate(
  connection: RTCPeerConnection,
  width: number,
  height: number,
): Promise<void> {
  const maxBitrate = Math.round(width * height * SCREEN_BITS_PER_PIXEL);
  if (!(maxBitrate > 0)) return; // a surface of unknown size: 0 would stop the video
  for (const sender of connection.getSenders()) {
    if (sender.track?.kind !== 'video') continue;
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) continue; // not negotiated yet: nothing to cap
    for (const encoding of parameters.encodings) encoding.maxBitrate = maxBitrate;
    await sender.setParameters(parameters);
  }
}
