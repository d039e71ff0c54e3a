import type { SignalData, VerifyMessage } from '@beckon/protocol';
import { CHANNEL_LABELS, CHANNEL_SPECS } from '../channels.ts';
import { candidateSignal } from '../peer.ts';
import { sdpFingerprint } from '../verification.ts';
import { legacyCodeOf } from './legacy-verification.ts';
import { rtc, until } from './pair.ts';

/**
 * A man in the middle of signaling, made of real wrtc connections: each of
 * its two legs is a bare RTCPeerConnection it drives itself, one facing the
 * agent (it answers the agent's offer), one facing the host (it offers).
 *
 * Its certificates: wrtc has neither `RTCPeerConnection.generateCertificate`
 * nor the `certificates` option, so a certificate exists only inside its
 * connection. The pool is therefore a pool of idle connections, each with the
 * three negotiated channels and its fingerprint read from a throwaway offer.
 * Each costs 10 file descriptors and 2 threads, which caps a pool under the
 * 20,000-descriptor limit at under 2,000.
 */
export interface Certificate {
  pc: RTCPeerConnection;
  control: RTCDataChannel;
  fingerprint: string;
}

export async function mintCertificate(): Promise<Certificate> {
  const pc = new rtc.RTCPeerConnection();
  const channels = CHANNEL_LABELS.map((label) => pc.createDataChannel(label, CHANNEL_SPECS[label]));
  const offer = await pc.createOffer();
  return { pc, control: channels[0]!, fingerprint: sdpFingerprint(offer.sdp ?? '') };
}

export class CertificatePool {
  readonly byFingerprint = new Map<string, Certificate>();

  static async fill(size: number, batch = 250): Promise<CertificatePool> {
    const pool = new CertificatePool();
    for (let made = 0; made < size; made += batch) {
      const certs = await Promise.all(
        Array.from({ length: Math.min(batch, size - made) }, () => mintCertificate()),
      );
      for (const c of certs) pool.byFingerprint.set(c.fingerprint, c);
    }
    return pool;
  }

  get size(): number {
    return this.byFingerprint.size;
  }

  take(fingerprint?: string): Certificate {
    const key = fingerprint ?? this.byFingerprint.keys().next().value;
    const cert = key === undefined ? undefined : this.byFingerprint.get(key);
    if (!cert) throw new Error(`no certificate ${fingerprint ?? ''} in the pool`);
    this.byFingerprint.delete(cert.fingerprint);
    return cert;
  }

  close(): void {
    for (const c of this.byFingerprint.values()) c.pc.close();
    this.byFingerprint.clear();
  }
}

export interface Collision {
  /** Answers the agent. */
  agentSide: Certificate;
  /** Offers to the host. */
  hostSide: Certificate;
  code: string;
  /** Fresh certificates made after the pool had no pair. */
  minted: number;
}

/**
 * The attack on the fingerprint-only code: find x and y with
 * code{agent, x} = code{y, host}. The pool's own pairs first (K² pairs for K
 * certificates: the birthday bound), then fresh certificates one batch at a
 * time, each tried in both roles against the whole pool, until `mintCap`.
 */
export async function findLegacyCollision(
  pool: CertificatePool,
  agentFingerprint: string,
  hostFingerprint: string,
  mintCap: number,
): Promise<Collision | null> {
  const asAgentSide = new Map<string, string>();
  const asHostSide = new Map<string, string>();
  for (const fp of pool.byFingerprint.keys()) {
    asAgentSide.set(legacyCodeOf([agentFingerprint, fp]), fp);
    asHostSide.set(legacyCodeOf([fp, hostFingerprint]), fp);
  }
  for (const [code, y] of asHostSide) {
    const x = asAgentSide.get(code);
    if (x !== undefined && x !== y)
      return { agentSide: pool.take(x), hostSide: pool.take(y), code, minted: 0 };
  }
  let minted = 0;
  while (minted < mintCap) {
    const fresh = await Promise.all(Array.from({ length: 100 }, () => mintCertificate()));
    minted += fresh.length;
    let found: Collision | null = null;
    for (const z of fresh) {
      const asX = legacyCodeOf([agentFingerprint, z.fingerprint]);
      const asY = legacyCodeOf([z.fingerprint, hostFingerprint]);
      const y = asHostSide.get(asX);
      const x = asAgentSide.get(asY);
      if (!found && y !== undefined) found = { agentSide: z, hostSide: pool.take(y), code: asX, minted };
      else if (!found && x !== undefined) found = { agentSide: pool.take(x), hostSide: z, code: asY, minted };
      else z.pc.close();
    }
    if (found) return found;
  }
  return null;
}

/** One connection the man in the middle terminates, driven by hand. */
export class Leg {
  readonly pc: RTCPeerConnection;
  readonly fingerprint: string;
  private readonly control: RTCDataChannel;
  private readonly deliver: (data: SignalData) => void;
  private readonly pending: RTCIceCandidateInit[] = [];
  private readonly inbox: VerifyMessage[] = [];
  private chain: Promise<void> = Promise.resolve();

  /** `deliver` carries this leg's signals to the real peer it faces. */
  constructor(cert: Certificate, deliver: (data: SignalData) => void) {
    this.pc = cert.pc;
    this.control = cert.control;
    this.fingerprint = cert.fingerprint;
    this.deliver = deliver;
    this.pc.onicecandidate = (event) => {
      const c = event.candidate;
      if (!c?.candidate) return;
      deliver(candidateSignal(c));
    };
    this.control.onmessage = (event: MessageEvent) => {
      const message = JSON.parse(String(event.data)) as { type: string };
      if (message.type.startsWith('verify_')) this.inbox.push(message as VerifyMessage);
    };
  }

  /** Faces the host: offers. */
  offer(): Promise<void> {
    return this.enqueue(async () => {
      const offer = await this.pc.createOffer();
      await this.pc.setLocalDescription(offer);
      this.deliver({ type: 'offer', sdp: offer.sdp ?? '' });
    });
  }

  /** A signal from the real peer this leg faces: an offer (answered), an answer or a candidate. */
  signal(data: SignalData): Promise<void> {
    return this.enqueue(async () => {
      if (data.type === 'offer') {
        await this.pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
        const answer = await this.pc.createAnswer();
        await this.pc.setLocalDescription(answer);
        this.deliver({ type: 'answer', sdp: answer.sdp ?? '' });
      } else if (data.type === 'answer') {
        await this.pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
      } else if (data.type === 'candidate') {
        this.pending.push(data.candidate);
      }
      if (this.pc.remoteDescription) {
        for (const c of this.pending.splice(0)) await this.pc.addIceCandidate(c).catch(() => {});
      }
    });
  }

  /** DTLS is up (the real peer accepted this leg's certificate) and `control` is open. */
  connected(ms = 10_000): Promise<void> {
    return until(
      () => this.pc.connectionState === 'connected' && this.control.readyState === 'open',
      ms,
      'the leg connected',
    );
  }

  send(message: VerifyMessage): void {
    this.control.send(JSON.stringify(message));
  }

  async receive<T extends VerifyMessage['type']>(
    type: T,
    ms = 10_000,
  ): Promise<Extract<VerifyMessage, { type: T }>> {
    await until(() => this.inbox.length > 0, ms, `${type} on the leg`);
    const message = this.inbox.shift()!;
    if (message.type !== type) throw new Error(`expected ${type}, got ${message.type}`);
    return message as Extract<VerifyMessage, { type: T }>;
  }

  close(): void {
    this.pc.close();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => {});
    return run;
  }
}
