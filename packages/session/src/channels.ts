import {
  DC_MAX_MESSAGE_BYTES,
  DataChannelLabel,
  DataChannelMessageSchema,
  parseJsonFrame,
  parseWith,
  utf8Length,
  type DataChannelMessage,
  type DataChannelMessageType,
} from '@beckon/protocol';

/**
 * The three channels are created on both sides with `negotiated: true` and
 * fixed ids, so neither side waits for the other's `datachannel` event and
 * both know each channel's guarantees without trusting the remote. Ids 0 and
 * 1 are the first a stack hands out for an in-band channel (by DTLS role), so
 * these stay clear of them.
 */
export const CHANNEL_SPECS: Readonly<Record<DataChannelLabel, RTCDataChannelInit & { id: number }>> = {
  [DataChannelLabel.CONTROL]: { negotiated: true, id: 10, ordered: true },
  // A stale pointer position is worthless: never wait for a retransmit of one.
  [DataChannelLabel.POINTER]: { negotiated: true, id: 11, ordered: false, maxRetransmits: 0 },
  [DataChannelLabel.FILES]: { negotiated: true, id: 12, ordered: true },
};

export const CHANNEL_LABELS: readonly DataChannelLabel[] = [
  DataChannelLabel.CONTROL,
  DataChannelLabel.POINTER,
  DataChannelLabel.FILES,
];

const FILE_TYPES: ReadonlySet<DataChannelMessageType> = new Set([
  'file_offer',
  'file_answer',
  'file_chunk',
  'file_ack',
  'file_complete',
  'file_cancel',
]);

/**
 * Which channel a message type rides. Only moves go on the lossy channel (a
 * lost or reordered click or wheel step would act on the wrong spot), and
 * file traffic has its own so a large transfer never delays a key press.
 */
export function channelForMessage(type: DataChannelMessageType): DataChannelLabel {
  if (type === 'pointer_move') return DataChannelLabel.POINTER;
  if (FILE_TYPES.has(type)) return DataChannelLabel.FILES;
  return DataChannelLabel.CONTROL;
}

export type InvalidReason = 'binary' | 'too_large' | 'not_json' | 'schema' | 'wrong_channel';
export interface InvalidMessage {
  label: DataChannelLabel;
  reason: InvalidReason;
  message: string;
}

/** Parses one incoming data-channel frame: size first, then JSON, schema and channel. */
export function parseChannelMessage(
  label: DataChannelLabel,
  data: unknown,
): { ok: true; value: DataChannelMessage } | { ok: false; invalid: InvalidMessage } {
  if (typeof data !== 'string') {
    return {
      ok: false,
      invalid: { label, reason: 'binary', message: 'binary frames are not part of the protocol' },
    };
  }
  const parsed = parseJsonFrame(DataChannelMessageSchema, data, DC_MAX_MESSAGE_BYTES);
  if (!parsed.ok) {
    const reason: InvalidReason =
      parsed.error.code === 'payload_too_large'
        ? 'too_large'
        : parsed.error.code === 'bad_request'
          ? 'not_json'
          : 'schema';
    return { ok: false, invalid: { label, reason, message: parsed.error.message } };
  }
  const expected = channelForMessage(parsed.value.type);
  if (expected !== label) {
    return {
      ok: false,
      invalid: { label, reason: 'wrong_channel', message: `${parsed.value.type} belongs on ${expected}` },
    };
  }
  return { ok: true, value: parsed.value };
}

export class ChannelMismatchError extends Error {
  override readonly name = 'ChannelMismatchError';
}

/**
 * Checks and serializes an outgoing message. A wrong channel, a message the
 * schema refuses or one over the size limit is a bug in the caller: it throws
 * rather than letting the remote side discover it.
 */
export function encodeChannelMessage(label: DataChannelLabel, message: DataChannelMessage): string {
  const expected = channelForMessage(message.type);
  if (expected !== label) throw new ChannelMismatchError(`${message.type} may not be sent on ${label}`);
  const checked = parseWith(DataChannelMessageSchema, message);
  if (!checked.ok) throw new TypeError(`invalid ${message.type} message: ${checked.error.message}`);
  const text = JSON.stringify(message);
  if (utf8Length(text) > DC_MAX_MESSAGE_BYTES) {
    throw new RangeError(`${message.type} message exceeds ${DC_MAX_MESSAGE_BYTES} bytes`);
  }
  return text;
}

/**
 * Resolves once `channel.bufferedAmount <= lowWater`. Browsers fire
 * `bufferedamountlow`; @roamhq/wrtc has neither the event nor the threshold
 * property, so there (detected by the property being absent) it polls.
 */
export function waitForBufferedAmount(channel: RTCDataChannel, lowWater: number, pollMs = 5): Promise<void> {
  if (channel.bufferedAmount <= lowWater || channel.readyState !== 'open') return Promise.resolve();
  const hasEvent = typeof channel.bufferedAmountLowThreshold === 'number';
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(timer);
      channel.removeEventListener('bufferedamountlow', check);
      channel.removeEventListener('close', done);
      resolve();
    };
    const check = () => {
      clearTimeout(timer);
      if (channel.bufferedAmount <= lowWater || channel.readyState !== 'open') return done();
      // The event is only a hint (its threshold may be shared): keep a slow
      // poll as well, and the fast poll where there is no event at all.
      timer = setTimeout(check, hasEvent ? 50 : pollMs);
    };
    if (hasEvent) {
      channel.bufferedAmountLowThreshold = lowWater;
      channel.addEventListener('bufferedamountlow', check);
    }
    channel.addEventListener('close', done);
    check();
  });
}
