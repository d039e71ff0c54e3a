import { z } from 'zod';
import { RECONNECT_GRACE_MS } from '@beckon/protocol';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { IceConfig } from './signal/turn.ts';
import { MAIL_LEASE_MS, webhookLeaseMs } from './domain/worker-leases.ts';

/** Broker configuration, from environment variables only (documented in README.md). */
const EnvSchema = z.object({
  BECKON_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  BECKON_HOST: z.string().default('127.0.0.1'),
  BECKON_PUBLIC_URL: z.url().optional(),
  BECKON_DATA_DIR: z.string().default('beckon-data'),
  /** PostgreSQL instead of the embedded SQLite file: postgres://user:password@host:port/database. */
  BECKON_DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || isDatabaseUrl(v), {
      message: 'must be a postgres:// or postgresql:// URL with a host and a database name',
    }),
  BECKON_SMTP_URL: z.string().optional(),
  BECKON_MAIL_FROM: z.string().optional(),
  /** Retry backoff of a mail the SMTP server did not take: doubles from the base up to the maximum. */
  BECKON_MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
  BECKON_MAIL_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400_000)
    .default(15 * 60_000),
  /**
   * How long a broker's claim on a mail or a webhook delivery lasts before
   * another broker may take it over (domain/worker-leases.ts); by default per
   * worker, shorter only for tests.
   */
  BECKON_WORKER_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
  BECKON_ORG_NAME: z.string().min(1).max(200).default('Beckon'),
  BECKON_ADMIN_EMAIL: z.email().optional(),
  BECKON_ADMIN_PASSWORD: z.string().optional(),
  BECKON_ALLOWED_ORIGINS: z.string().optional(),
  BECKON_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BECKON_SWEEP_MS: z.coerce.number().int().min(50).default(5000),
  BECKON_SECRET: z.string().min(32).optional(),
  BECKON_TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('false'),
  BECKON_CONSOLE_DIR: z.string().optional(),
  BECKON_ARTIFACTS_DIR: z.string().trim().min(1).optional(),
  BECKON_ASSIST_BUNDLE: z.string().trim().optional(),
  BECKON_STUN_URLS: z.string().optional(),
  BECKON_TURN_URLS: z.string().optional(),
  BECKON_TURN_SECRET: z.string().min(16).optional(),
  BECKON_TURN_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .default(12 * 3600),
  BECKON_SIGNAL_GRACE_MS: z.coerce.number().int().min(100).max(600_000).default(RECONNECT_GRACE_MS),
  BECKON_SIGNAL_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** How often managed hosts say they are alive (they are offline after 1.5 of these without a word). */
  BECKON_HOST_HEARTBEAT_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  /** AH7: active ad-hoc sessions per organisation. */
  BECKON_ADHOC_ORG_LIMIT: z.coerce.number().int().min(1).max(100_000).default(5),
  /** AH4: how long an activated ad-hoc session lasts; 24 hours, shorter only for tests. */
  BECKON_ADHOC_DURATION_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(86_400_000),
  BECKON_THROTTLE_IPV6_PREFIX: z.coerce.number().int().min(16).max(128).default(64),
  BECKON_JOIN_MISS_BUDGET: z.coerce.number().int().min(1).max(1_000_000).default(200),
  BECKON_WEBHOOK_ALLOWLIST: z.string().optional(),
  /** Several brokers behind one load balancer share throttles and signaling rooms here (redis://…). */
  BECKON_REDIS_URL: z.url().optional(),
  /** How often the audit log's head is sent to `audit.head` webhooks (an hour; shorter in tests). */
  BECKON_AUDIT_HEAD_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(3_600_000),
  BECKON_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  BECKON_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
  BECKON_WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
  BECKON_WEBHOOK_MAX_AGE_HOURS: z.coerce
    .number()
    .min(0.001)
    .max(24 * 30)
    .default(72),
});

/** A PostgreSQL connection URL as the pg driver takes it: scheme, host, database. */
function isDatabaseUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'postgres:' || url.protocol === 'postgresql:') &&
    // A socket directory may come as ?host=/run/postgresql instead of a host name.
    (url.hostname !== '' || url.searchParams.has('host')) &&
    url.pathname.replace(/^\//, '') !== ''
  );
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

export interface BrokerConfig {
  port: number;
  host: string;
  publicUrl: string;
  /** False when the public URL was derived from host and port (then port 0 takes the bound port: `atAddress`). */
  publicUrlConfigured: boolean;
  dataDir: string;
  dbFile: string;
  /** Set: storage is PostgreSQL at this URL (and dbFile is unused); unset: the SQLite file dbFile. */
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  mail: {
    retryBaseMs: number;
    retryMaxMs: number;
    /** How long the outbox worker's claim on a batch of mails lasts. */
    leaseMs: number;
  };
  orgName: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  allowedOrigins: string[];
  logLevel: string;
  sweepMs: number;
  secret: string | undefined;
  trustProxy: boolean;
  consoleDir: string | undefined;
  ice: IceConfig;
  /** Where the assist installers are, for the landing page's download button. */
  artifactsDir: string | undefined;
  /**
   * The self-contained Linux assist bundle (BeckonAssist-linux.tar.gz), offered
   * on every landing page; by default the one `scripts/beckon setup` builds in this checkout.
   */
  assistBundle: string | undefined;
  /** How long a dropped peer's place (and consent) is kept; the protocol's 30 s unless a test shortens it. */
  signalGraceMs: number;
  signalHeartbeatMs: number;
  hostHeartbeatMs: number;
  adhoc: { orgLimit: number; durationMs: number };
  /** Redis shared by the brokers of a cluster; unset: one broker, everything in memory. */
  redisUrl: string | undefined;
  throttle: {
    /** IPv6 addresses count by this prefix in the sign-in and join throttles (one subscriber holds a /64). */
    ipv6Prefix: number;
    /** Wrong session codes from all addresses together (decaying, about so many a minute) before the alarm. */
    joinMissBudget: number;
  };
  webhooks: {
    /** Hosts, addresses and CIDRs a webhook may reach although they are local (http allowed there). */
    allowlist: string[];
    timeoutMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    maxAgeMs: number;
    /** How long the worker's claim on a delivery lasts: longer than a delivery may take. */
    leaseMs: number;
    /** How often `audit.head` is sent. */
    auditHeadIntervalMs: number;
  };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): BrokerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${first?.path.join('.')}: ${first?.message}`);
  }
  const e = parsed.data;
  // A delivery must end inside its lease, or another broker could send it again meanwhile.
  if (e.BECKON_WORKER_LEASE_MS !== undefined && e.BECKON_WORKER_LEASE_MS <= 2 * e.BECKON_WEBHOOK_TIMEOUT_MS)
    throw new Error(
      'invalid configuration: BECKON_WORKER_LEASE_MS: must be longer than twice BECKON_WEBHOOK_TIMEOUT_MS',
    );
  const publicUrl = (e.BECKON_PUBLIC_URL ?? `http://${e.BECKON_HOST}:${e.BECKON_PORT}`).replace(/\/+$/, '');
  const dataDir = resolve(e.BECKON_DATA_DIR);
  const publicOrigin = new URL(publicUrl).origin;
  const extraOrigins = list(e.BECKON_ALLOWED_ORIGINS);
  return {
    port: e.BECKON_PORT,
    host: e.BECKON_HOST,
    publicUrl,
    publicUrlConfigured: e.BECKON_PUBLIC_URL !== undefined,
    dataDir,
    dbFile: resolve(dataDir, 'beckon.sqlite'),
    databaseUrl: e.BECKON_DATABASE_URL,
    smtpUrl: e.BECKON_SMTP_URL || undefined,
    mailFrom: e.BECKON_MAIL_FROM ?? defaultMailFrom(publicUrl),
    mail: {
      retryBaseMs: e.BECKON_MAIL_RETRY_BASE_MS,
      retryMaxMs: e.BECKON_MAIL_RETRY_MAX_MS,
      leaseMs: e.BECKON_WORKER_LEASE_MS ?? MAIL_LEASE_MS,
    },
    orgName: e.BECKON_ORG_NAME,
    adminEmail: e.BECKON_ADMIN_EMAIL,
    adminPassword: e.BECKON_ADMIN_PASSWORD,
    allowedOrigins: [publicOrigin, ...extraOrigins],
    logLevel: e.BECKON_LOG_LEVEL,
    sweepMs: e.BECKON_SWEEP_MS,
    secret: e.BECKON_SECRET,
    trustProxy: e.BECKON_TRUST_PROXY === '1' || e.BECKON_TRUST_PROXY === 'true',
    // By default the agent desktop's renderer build in this checkout (a file path, not an import).
    consoleDir: e.BECKON_CONSOLE_DIR ?? resolve(import.meta.dirname, '../../agent-desktop/out/renderer'),
    artifactsDir: e.BECKON_ARTIFACTS_DIR ? resolve(e.BECKON_ARTIFACTS_DIR) : undefined,
    // A file path, not an import; set to empty to offer no bundle.
    assistBundle:
      e.BECKON_ASSIST_BUNDLE === undefined
        ? resolve(import.meta.dirname, '../../assist-client/out/bundle/BeckonAssist-linux.tar.gz')
        : e.BECKON_ASSIST_BUNDLE === ''
          ? undefined
          : resolve(e.BECKON_ASSIST_BUNDLE),
    ice: {
      stunUrls: list(e.BECKON_STUN_URLS),
      turnUrls: list(e.BECKON_TURN_URLS),
      turnSecret: e.BECKON_TURN_SECRET,
      turnTtlSec: e.BECKON_TURN_TTL_SEC,
    },
    signalGraceMs: e.BECKON_SIGNAL_GRACE_MS,
    signalHeartbeatMs: e.BECKON_SIGNAL_HEARTBEAT_MS,
    hostHeartbeatMs: e.BECKON_HOST_HEARTBEAT_MS,
    adhoc: { orgLimit: e.BECKON_ADHOC_ORG_LIMIT, durationMs: e.BECKON_ADHOC_DURATION_MS },
    redisUrl: e.BECKON_REDIS_URL || undefined,
    throttle: { ipv6Prefix: e.BECKON_THROTTLE_IPV6_PREFIX, joinMissBudget: e.BECKON_JOIN_MISS_BUDGET },
    webhooks: {
      allowlist: list(e.BECKON_WEBHOOK_ALLOWLIST),
      timeoutMs: e.BECKON_WEBHOOK_TIMEOUT_MS,
      retryBaseMs: e.BECKON_WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: e.BECKON_WEBHOOK_RETRY_MAX_MS,
      maxAgeMs: Math.round(e.BECKON_WEBHOOK_MAX_AGE_HOURS * 3_600_000),
      leaseMs: e.BECKON_WORKER_LEASE_MS ?? webhookLeaseMs(e.BECKON_WEBHOOK_TIMEOUT_MS),
      auditHeadIntervalMs: e.BECKON_AUDIT_HEAD_INTERVAL_MS,
    },
  };
}

/**
 * `Beckon <no-reply@<public host>>`. A host that is an IP address becomes an
 * address literal (`no-reply@[192.0.2.1]`, `no-reply@[IPv6:2001:db8::1]`, RFC 5321):
 * a bare `no-reply@192.0.2.1` is not a valid address and relays refuse it.
 */
/**
 * The configuration for a broker bound at `url`: with port 0 and no
 * BECKON_PUBLIC_URL, links, cookies and the Origin allowlist must name the
 * port actually taken. Anything else is returned as it is.
 */
export function atAddress(config: BrokerConfig, url: string): BrokerConfig {
  if (config.port !== 0 || config.publicUrlConfigured) return config;
  return { ...config, publicUrl: url, allowedOrigins: [...config.allowedOrigins, new URL(url).origin] };
}

export function defaultMailFrom(publicUrl: string): string {
  const host = new URL(publicUrl).hostname.replace(/^\[(.*)\]$/, '$1');
  const domain = isIP(host) === 4 ? `[${host}]` : isIP(host) === 6 ? `[IPv6:${host}]` : host;
  return `Beckon <no-reply@${domain}>`;
}
