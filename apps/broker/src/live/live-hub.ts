import {
  AccountPermission,
  CloseCode,
  LIVE_MAX_FRAME_BYTES,
  LiveClientMessageSchema,
  parseJsonFrame,
  PROTOCOL_VERSION,
  Role,
  type LiveServerMessage,
} from '@beckon/protocol';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthContext, AuthService } from '../domain/auth.ts';
import { closeFor, type CredentialEvents, type SocketCredential } from '../domain/credential-events.ts';
import type { RequestService } from '../domain/request-service.ts';
import type { SecurityAlarm, SecurityAlarms } from '../domain/security-alarms.ts';
import { tokenOf } from '../http/auth-hook.ts';
import { originAllowed, refuseUpgrade, subprotocolToken } from './upgrade.ts';

const HEARTBEAT_MS = 30_000;

interface Client {
  ws: WebSocket;
  auth: AuthContext;
  /** What opened it: a sign-out, revocation or change of rights closes it at once. */
  cred: SocketCredential;
  alive: boolean;
}

/**
 * The agents' live channel: request changes are pushed to every signed-in
 * agent of the organisation who may view requests, so lists never poll.
 * Administrators also hear of security alarms (an attack on the broker as a whole).
 */
export class LiveHub {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIVE_MAX_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has('beckon.v1') ? 'beckon.v1' : false),
  });
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeCredentials: () => void;
  private readonly unsubscribeAlarms: () => void;
  private readonly alarms: SecurityAlarms | undefined;
  private readonly auth: AuthService;
  private readonly allowedOrigins: string[];

  private readonly parseCookies: (header: string) => Record<string, string | undefined>;

  constructor(
    auth: AuthService,
    requests: RequestService,
    allowedOrigins: string[],
    parseCookies: (header: string) => Record<string, string | undefined>,
    credentials: CredentialEvents,
    alarms?: SecurityAlarms,
  ) {
    this.alarms = alarms;
    this.unsubscribeAlarms =
      alarms?.onAlarm((alarm) => {
        for (const c of this.clients) if (c.auth.user.role === Role.ADMIN) this.sendAlarm(c.ws, alarm);
      }) ?? (() => {});
    this.auth = auth;
    this.parseCookies = parseCookies;
    this.allowedOrigins = allowedOrigins;
    this.unsubscribe = requests.onChange((orgId, change, request) => {
      if (!this.hasClients(orgId)) return;
      // A summary that cannot be made (the request purged meanwhile, storage away) is not news:
      // the consoles' next change or reload shows the list as it is.
      request().then(
        (summary) => this.broadcast(orgId, { type: 'request_changed', change, request: summary }),
        () => {},
      );
    });
    // Request changes carry customer links: a socket must not hear one more after its credential ends.
    this.unsubscribeCredentials = credentials.onCredentialClosed((event) => {
      for (const c of this.clients) {
        const close = closeFor(event, c.cred, AccountPermission.REQUESTS_VIEW);
        if (!close) continue;
        this.clients.delete(c);
        c.ws.close(close.code, close.reason);
      }
    });
    this.heartbeat = setInterval(() => this.sweep(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!originAllowed(req, this.allowedOrigins)) return refuseUpgrade(socket, 403, 'bad_origin');
    const cookies = this.parseCookies(req.headers.cookie ?? '');
    const token = subprotocolToken(req) ?? tokenOf(req.headers, cookies)?.token;
    void this.auth.authenticate(token).then(
      (auth) => {
        if (!auth) return refuseUpgrade(socket, 401, 'unauthenticated');
        if (!auth.user.permissions.includes(AccountPermission.REQUESTS_VIEW))
          return refuseUpgrade(socket, 403, 'forbidden');
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, auth));
      },
      () => refuseUpgrade(socket, 500, 'internal_error'),
    );
  };

  private accept(ws: WebSocket, auth: AuthContext): void {
    const cred = { userId: auth.user.id, tokenHash: auth.tokenHash, apiTokenId: null };
    const client: Client = { ws, auth, cred, alive: true };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      const parsed = isBinary
        ? null
        : parseJsonFrame(LiveClientMessageSchema, data.toString(), LIVE_MAX_FRAME_BYTES);
      if (!parsed?.ok) return ws.close(CloseCode.BAD_MESSAGE, 'bad message');
      this.send(ws, { type: 'pong', t: parsed.value.t });
    });
    this.send(ws, { type: 'hello', v: PROTOCOL_VERSION, userId: auth.user.id });
    // An administrator signing in during an attack sees it at once.
    if (auth.user.role === Role.ADMIN)
      for (const alarm of this.alarms?.active() ?? []) this.sendAlarm(ws, alarm);
  }

  private sendAlarm(ws: WebSocket, alarm: SecurityAlarm): void {
    this.send(ws, { type: 'security_alarm', kind: alarm.kind, at: alarm.at });
  }

  private send(ws: WebSocket, message: LiveServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  private hasClients(orgId: string): boolean {
    for (const c of this.clients) if (c.auth.user.orgId === orgId) return true;
    return false;
  }

  /** Pushes a message to the organisation's agents (managed hosts' presence comes this way). */
  push(orgId: string, message: LiveServerMessage): void {
    if (this.hasClients(orgId)) this.broadcast(orgId, message);
  }

  private broadcast(orgId: string, message: LiveServerMessage): void {
    const text = JSON.stringify(message);
    for (const c of this.clients)
      if (c.auth.user.orgId === orgId && c.ws.readyState === c.ws.OPEN) c.ws.send(text);
  }

  private sweep(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    this.unsubscribeCredentials();
    this.unsubscribeAlarms();
    for (const c of this.clients) c.ws.close(CloseCode.GOING_AWAY, 'broker stopping');
    this.wss.close();
  }
}
