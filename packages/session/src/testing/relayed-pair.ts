import type { SignalData } from '@beckon/protocol';
import type { PeerOptions } from '../peer.ts';
import { makePair, type Pair, type Side } from './pair.ts';
import { UdpRelay, lanAddress } from './udp-relay.ts';

export interface RelayedPair {
  pair: Pair;
  relays: UdpRelay[];
  /** Every port of every relay: a candidate on one of these means "through the relay". */
  relayPorts(): number[];
  /** Cuts the relayed path; candidates signaled from now on pass directly (a network change). */
  cut(): void;
  close(): void;
}

/** Rewrites a candidate line's address and port. */
function rewrite(candidate: string, address: string, port: number): string {
  const f = candidate.split(' ');
  f[4] = address;
  f[5] = String(port);
  return f.join(' ');
}

/**
 * Two real peers whose only path to each other runs through UDP relays the
 * test controls: each side learns the other's LAN host candidates rewritten
 * to a relay, and every other candidate is withheld.
 */
export function makeRelayedPair(
  options: { rateBytesPerSec?: number; agent?: Partial<PeerOptions>; host?: Partial<PeerOptions> } = {},
): RelayedPair {
  const lan = lanAddress();
  const relays: UdpRelay[] = [];
  let direct = false;
  const relay = async (_from: Side, data: SignalData): Promise<SignalData | null> => {
    if (data.type !== 'candidate' || direct) return data;
    const f = data.candidate.candidate.split(' ');
    if (f[2]?.toLowerCase() !== 'udp' || f[4] !== lan || f[7] !== 'host') return null;
    const r = await UdpRelay.open({ address: lan, port: Number(f[5]) }, lan);
    r.rateBytesPerSec = options.rateBytesPerSec ?? 0;
    relays.push(r);
    const candidate = rewrite(data.candidate.candidate, lan, r.address.port);
    return { ...data, candidate: { ...data.candidate, candidate } };
  };
  const pair = makePair({ relay, agent: options.agent, host: options.host });
  return {
    pair,
    relays,
    relayPorts: () => relays.flatMap((r) => r.ports),
    cut() {
      direct = true;
      for (const r of relays) r.blocked = true;
    },
    close() {
      pair.close();
      for (const r of relays) r.close();
    },
  };
}
