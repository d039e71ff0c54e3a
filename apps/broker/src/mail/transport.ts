import nodemailer, { type SMTPTransportOptions, type Transporter } from 'nodemailer';

/** The SMTP URL in the configuration is unusable; thrown at startup rather than on the first mail. */
export class SmtpConfigError extends Error {
  override name = 'SmtpConfigError';
}

// Short waits: the outbox worker sends one mail at a time, so a relay that
// accepts the TCP connection and then goes silent must not hold it for minutes
// (nodemailer's defaults are 2 min / 30 s / 10 min). The mail simply retries later.
const TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 } as const;

const BOOLEAN_PARAMS = ['ignoreTLS', 'requireTLS'] as const;

/**
 * Turns `smtp://user:pass@host:587?requireTLS=true` or `smtps://host` into
 * nodemailer options, or null when no SMTP server is configured (mails then
 * wait in the outbox). `smtp://` starts plain and upgrades with STARTTLS when
 * the server offers it (`?ignoreTLS=true` to skip, `?requireTLS=true` to insist);
 * `smtps://` is TLS from the first byte. `?tls.rejectUnauthorized=false` allows an
 * internal relay with a self-signed certificate. Unknown parameters are refused so a
 * typo doesn't silently weaken transport security.
 */
export function smtpOptions(smtpUrl: string | undefined): SMTPTransportOptions | null {
  if (smtpUrl === undefined || smtpUrl.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(smtpUrl.trim());
  } catch {
    throw new SmtpConfigError('SMTP URL is not a valid URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new SmtpConfigError(`SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  if (!url.hostname) throw new SmtpConfigError('SMTP URL has no host');

  const secure = url.protocol === 'smtps:';
  const options: SMTPTransportOptions = {
    // URL keeps brackets around an IPv6 literal; the socket wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...TIMEOUTS,
    // Mails are built from strings only; never let content make nodemailer read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  if (url.username || url.password) {
    options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  }
  for (const [key, value] of url.searchParams) {
    if ((BOOLEAN_PARAMS as readonly string[]).includes(key)) {
      options[key as (typeof BOOLEAN_PARAMS)[number]] = parseBoolean(key, value);
    } else if (key === 'tls.rejectUnauthorized') {
      options.tls = { ...options.tls, rejectUnauthorized: parseBoolean(key, value) };
    } else {
      throw new SmtpConfigError(`unknown SMTP URL parameter: ${key}`);
    }
  }
  return options;
}

function parseBoolean(key: string, value: string): boolean {
  if (value === 'true' || value === '') return true;
  if (value === 'false') return false;
  throw new SmtpConfigError(`SMTP URL parameter ${key} must be true or false`);
}

/** A nodemailer transporter for the configured SMTP server, or null when none is configured. */
export function createTransport(smtpUrl: string | undefined): Transporter | null {
  const options = smtpOptions(smtpUrl);
  return options ? nodemailer.createTransport(options) : null;
}
