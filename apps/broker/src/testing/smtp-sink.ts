import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.ts';

export interface SinkMail {
  to: string[];
  raw: string;
  /** The message with quoted-printable and base64 parts decoded, for `includes` checks. */
  decoded: string;
}

export interface SmtpSink {
  port: number;
  /** `BECKON_SMTP_URL` for a broker that should send here. */
  smtpUrl: string;
  received: SinkMail[];
  stop(): Promise<void>;
}

function decode(raw: string): string {
  const qp = raw.replace(/=\r?\n/g, '').replace(/(?:=[0-9A-F]{2})+/g, (m) =>
    Buffer.from(
      m
        .split('=')
        .slice(1)
        .map((h) => parseInt(h, 16)),
    ).toString('utf8'),
  );
  const b64 = [
    ...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi),
  ]
    .map((m) => Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64').toString('utf8'))
    .join('\n');
  return `${qp}\n${b64}`;
}

/**
 * A real SMTP server on loopback that keeps every message it accepts; on a
 * free port, or on `port` (one the brokers were told of while nothing listened there).
 */
export async function startSmtpSink(opts: { port?: number } = {}): Promise<SmtpSink> {
  const port = opts.port ?? (await freePort());
  const received: SinkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, decoded: decode(raw) });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port,
    smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    received,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
