export {
  SignalingClient,
  TerminalSignalingError,
  backoffDelay,
  signalProtocols,
  signalUrl,
  type ConnectDetails,
  type OutgoingSignal,
  type SignalingClientOptions,
  type SignalingClosed,
  type SignalingError,
  type SignalingErrorKind,
  type SignalingEvents,
  type SignalingState,
  type WebSocketConstructor,
  type WebSocketLike,
} from './signaling-client.ts';
export { Peer, type PeerEvents, type PeerOptions, type PeerState, type RtcImplementation } from './peer.ts';
export {
  CHANNEL_LABELS,
  CHANNEL_SPECS,
  ChannelMismatchError,
  channelForMessage,
  type InvalidMessage,
  type InvalidReason,
} from './channels.ts';
export { IceWatchdog, type IceRestartOptions, type Timers } from './ice-watchdog.ts';
export { ReconnectGrace, type ReconnectGraceOptions } from './grace.ts';
export { FileTransfers } from './file-transfer.ts';
export {
  FileTransferError,
  blobSource,
  bytesSource,
  type FileMessage,
  type FileSink,
  type FileSource,
  type FileTransferEvents,
  type FileTransfersOptions,
  type FileTransport,
  type IncomingOffer,
  type OfferDecision,
  type OutgoingTransfer,
  type TransferDone,
  type TransferEnded,
  type TransferProgress,
} from './file-transfer-types.ts';
export { sanitizeFileName, uniqueName } from './file-names.ts';
export { visibleText } from './visible-text.ts';
export { Sha256 } from './sha256.ts';
export {
  StatsSampler,
  computeStats,
  isRelayed,
  selectedCandidatePair,
  snapshotOf,
  type SessionStats,
  type StatsRecord,
  type StatsSamplerEvents,
  type StatsSnapshot,
  type StatsSource,
} from './stats.ts';
export {
  commitment,
  formatCode,
  sdpFingerprint,
  sdpFingerprints,
  verificationCodeFrom,
  type DtlsFingerprints,
} from './verification.ts';
export { VerificationError } from './verification-exchange.ts';
export { ForeignPeerError } from './verification-pin.ts';
export { Emitter, type EventMap, type Listener } from './emitter.ts';
export {
  CHROMIUM_SWITCHES,
  PLAYOUT_DELAY_TRIALS,
  WRTC_SEND_TRIALS,
  VIDEO_CODEC_ORDER,
  SCREEN_BITS_PER_PIXEL,
  capScreenBitrate,
  chromiumFlags,
  orderVideoCodecs,
} from './video-tuning.ts';
export {
  AgentSession,
  type AgentPhase,
  type AgentSessionEvents,
  type AgentSessionOptions,
} from './agent-session.ts';
export {
  BrowserHost,
  type BrowserHostEvents,
  type BrowserHostOptions,
  type BrowserQuestion,
} from './browser-host.ts';
