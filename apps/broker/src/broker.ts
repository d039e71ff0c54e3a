import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { ChangeFeed } from './cluster/change-feed.ts';
import { openSharedState, type SharedState } from './cluster/shared-state.ts';
import { atAddress, type BrokerConfig } from './config.ts';
import { AccountService } from './domain/account-service.ts';
import { AuthService } from './domain/auth.ts';
import { CredentialEvents } from './domain/credential-events.ts';
import { SecurityAlarms } from './domain/security-alarms.ts';
import { GrantService } from './domain/grant-service.ts';
import { AdhocService } from './domain/adhoc-service.ts';
import { HostService } from './domain/host-service.ts';
import { JoinService } from './domain/join-service.ts';
import { NotificationService } from './domain/notification-service.ts';
import { RequestService } from './domain/request-service.ts';
import { TemplateService } from './domain/template-service.ts';
import { loadOrCreateSecret } from './domain/secrets.ts';
import { registerAuth } from './http/auth-hook.ts';
import { registerErrorHandling } from './http/errors.ts';
import { leaseOwnerId, leaseUntil, SWEEP_LEASE, sweepLeaseMs } from './domain/worker-leases.ts';
import { listen } from './http/listener.ts';
import { loggerOptions } from './http/logging.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { createHelpdesk, type Helpdesk } from './helpdesk.ts';
import { adminRoutes } from './http/routes/admin-routes.ts';
import { authRoutes } from './http/routes/auth-routes.ts';
import { consoleRoutes } from './http/routes/console-routes.ts';
import { grantRoutes } from './http/routes/grant-routes.ts';
import { adhocRoutes } from './http/routes/adhoc-routes.ts';
import { hostRoutes } from './http/routes/host-routes.ts';
import { HostHub } from './hosts/host-hub.ts';
import { HostRelay } from './hosts/host-relay.ts';
import { publicRoutes } from './http/routes/public-routes.ts';
import { requestRoutes } from './http/routes/request-routes.ts';
import type { Services } from './http/services.ts';
import { registerEndUserFace } from './landing/index.ts';
import { LiveHub } from './live/live-hub.ts';
import { routeUpgrades } from './live/upgrade.ts';
import { startOutboxWorker } from './mail/outbox-worker.ts';
import { createTransport } from './mail/transport.ts';
import { SignalHub } from './signal/signal-hub.ts';
import { openSqliteStorage } from './storage/sqlite/index.ts';
import type { Storage } from './storage/types.ts';

export interface Broker {
  /** The configuration it runs with: with port 0, the public URL and origins name the bound port. */
  config: BrokerConfig;
  app: FastifyInstance;
  services: Services;
  signal: SignalHub;
  helpdesk: Helpdesk;
  /** Managed hosts: the registry's rules and the hosts' own sockets. */
  hosts: HostService;
  /** Ad-hoc support sessions (AH). */
  adhoc: AdhocService;
  hostHub: HostHub;
  /** The URL it listens on. */
  url: string;
  /** Starts the timers and lets requests in; resolves with `url`. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

/** Request bodies are small JSON documents; anything bigger is refused unread. */
const BODY_LIMIT = 64 * 1024;

/**
 * The composition root: binds the port, then makes every part with what it
 * needs, once. Nothing is assigned to a part after it was made.
 */
export async function createBroker(
  configured: BrokerConfig,
  opts: { storage?: Storage; now?: () => Date; shared?: SharedState } = {},
): Promise<Broker> {
  const listener = await listen(configured.port, configured.host);
  const config = atAddress(configured, listener.url);
  const now = opts.now ?? (() => new Date());
  const storage = opts.storage ?? openSqliteStorage(config.dbFile);
  const secret = loadOrCreateSecret(config.dataDir, config.secret);
  // Several brokers behind one load balancer: throttles and signaling rooms on Redis.
  const shared = opts.shared ?? openSharedState(config.redisUrl);
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    serverFactory: listener.serverFactory,
  });
  const throttle = { ipv6Prefix: config.throttle.ipv6Prefix, log: app.log };
  // Sign-out, revocation and user changes fire it; both hubs close the sockets concerned.
  const credentials = new CredentialEvents();
  // The join throttle raises them; the live channel shows them to administrators.
  const alarms = new SecurityAlarms();
  const auth = new AuthService(storage, now, { ...throttle, credentials });
  const rm = { publicUrl: config.publicUrl, secret, storage };
  // The organisation's own invite template (SC10) and the supporters' notices (SC5, SC11).
  const templates = new TemplateService(rm, now);
  const notifications = new NotificationService(storage, templates, now, app.log);
  const requests = new RequestService(rm, now, {
    // New mails go out at once instead of waiting for the next poll.
    onMailQueued: () => mailer.kick(),
    renderInvite: templates.renderInvite,
    joinNotices: notifications.joinNotices,
  });
  const services: Services = {
    config,
    storage,
    auth,
    accounts: new AccountService(storage, now, credentials),
    requests,
    join: new JoinService(storage, secret, now, {
      ...throttle,
      missBudget: config.throttle.joinMissBudget,
      alarms,
      throttle: shared.joinThrottle,
      tickets: shared.tickets,
    }),
  };
  const parseCookies = (header: string) => app.parseCookie(header);

  void app.register(fastifyCookie);
  registerErrorHandling(app);
  registerSecurityHeaders(app);
  const helpdesk = createHelpdesk({
    config,
    rm,
    requests,
    templates,
    notifications,
    credentials,
    now,
    log: app.log,
  });
  registerAuth(app, auth, config.allowedOrigins, helpdesk.services.apiTokens);
  publicRoutes(app, services);
  authRoutes(app, services);
  requestRoutes(app, services);
  adminRoutes(app, services);
  helpdesk.routes(app);

  // Managed hosts: the service asks the hub who is online, the hub tells the
  // service of changes, and ad-hoc sessions own their temporary hosts; the
  // callbacks close the circle without assigning anything afterwards.
  const onGrant = (hostId: string, m: Parameters<HostRelay['fromHost']>[1]) =>
    void (m.type === 'grant_answer' ? grants.answered(hostId, m) : grants.revokedByHost(hostId, m.grantId));
  const hostHub = new HostHub({
    store: storage.hosts,
    allowedOrigins: config.allowedOrigins,
    heartbeatMs: config.hostHeartbeatMs,
    onPresence: (hostId, lastSeenAt) => {
      hostRelay?.localChanged(hostId);
      void hosts.presenceChanged(hostId, lastSeenAt);
    },
    // A grant another broker asked for goes back to it (its agent is waiting there).
    onGrant: (hostId, m) => (hostRelay ? hostRelay.fromHost(hostId, m) : onGrant(hostId, m)),
    now,
    log: app.log,
  });
  // Several brokers: a host's socket is on one of them, and what is said to it goes there.
  const hostRelay = shared.cluster && new HostRelay(hostHub, shared.cluster, { onGrant, log: app.log });
  const hosts = new HostService(storage, now, {
    presence: hostRelay ?? hostHub,
    providerOf: (hostId) => adhoc.providerOf(hostId),
    onConnect: (hostId, userId) => void adhoc.recordConnection(hostId, userId),
  });
  const grants = new GrantService(storage, hosts, requests, now, app.log);
  const adhoc = new AdhocService({
    storage,
    now,
    publicUrl: () => config.publicUrl,
    orgLimit: config.adhoc.orgLimit,
    durationMs: config.adhoc.durationMs,
    ipv6Prefix: config.throttle.ipv6Prefix,
    revokeHost: (hostId) => (hostRelay ?? hostHub).revoke(hostId),
    onMailQueued: () => mailer.kick(),
  });
  hostRoutes(app, hosts, requests, grants);
  grantRoutes(app, grants);
  adhocRoutes(app, adhoc);
  const endUser = registerEndUserFace(app, { config, secret, storage, join: services.join, requests, now });
  consoleRoutes(app, config.consoleDir);

  const live = new LiveHub(auth, requests, config.allowedOrigins, parseCookies, credentials, alarms);
  const signal = new SignalHub({
    auth,
    join: services.join,
    requests,
    storage,
    allowedOrigins: config.allowedOrigins,
    parseCookies,
    ice: config.ice,
    credentials,
    graceMs: config.signalGraceMs,
    heartbeatMs: config.signalHeartbeatMs,
    trustProxy: config.trustProxy,
    now,
    log: app.log,
    cluster: shared.cluster,
    // An unattended grant first; else an activated ad-hoc session of the request's host.
    grantFor: async (requestId, agentId) => {
      const unattended = await grants.grantFor(requestId, agentId);
      if (unattended) return unattended;
      const hostId = await grants.hostOf(requestId);
      return hostId ? adhoc.grantFor(hostId, agentId) : null;
    },
  });
  const feed = shared.cluster && new ChangeFeed(shared.cluster, requests, (o, m) => live.push(o, m));
  const unsubscribeHosts = hosts.onChange((orgId, message) => {
    live.push(orgId, message);
    feed?.live(orgId, message);
  });
  listener.onUpgrade(
    routeUpgrades({
      '/api/v1/live': live.handleUpgrade,
      '/api/v1/signal': signal.handleUpgrade,
      '/api/v1/host': hostHub.handleUpgrade,
    }),
  );

  const mailer = startOutboxWorker({
    store: storage.outbox,
    transport: createTransport(config.smtpUrl),
    from: config.mailFrom,
    logger: app.log,
    backoffBaseMs: config.mail.retryBaseMs,
    backoffMaxMs: config.mail.retryMaxMs,
    leaseMs: config.mail.leaseMs,
  });

  let sweeper: NodeJS.Timeout | undefined;
  // Brokers sharing a database sweep one at a time: the holder renews the lease at every sweep.
  const sweepOwner = leaseOwnerId('sweeper');
  // At start-up the sweep runs whoever holds the lease: what expired while this broker was down must
  // be expired before anyone can use it, and expiring twice is safe (the state machine refuses the second).
  const sweep = async (startup = false) => {
    try {
      const at = now();
      const held = await storage.leases.acquire(
        SWEEP_LEASE,
        sweepOwner,
        at.toISOString(),
        leaseUntil(at, sweepLeaseMs(config.sweepMs)),
      );
      if (!held && !startup) return;
      await requests.expireDue();
      await adhoc.expireDue();
      await storage.authSessions.purgeExpired(now().toISOString());
    } catch (error) {
      app.log.error({ err: error }, 'expiry sweep failed');
    }
  };

  const broker: Broker = {
    config,
    app,
    services,
    signal,
    helpdesk,
    hosts,
    adhoc,
    hostHub,
    url: listener.url,
    async start() {
      // Requests that expired while the broker was down are expired before anyone can use them.
      await sweep(true);
      sweeper = setInterval(() => void sweep(), config.sweepMs);
      helpdesk.start();
      await app.ready();
      listener.open();
      return listener.url;
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      // Another broker takes the sweep over at once instead of after the lease.
      await storage.leases.release(SWEEP_LEASE, sweepOwner).catch(() => {});
      unsubscribeHosts();
      feed?.close();
      hostRelay?.close();
      live.close();
      signal.close();
      await shared.close();
      await hostHub.close();
      endUser.close();
      await mailer.stop();
      await helpdesk.stop();
      await app.close();
      await listener.close();
      await storage.close();
    },
  };
  return broker;
}
