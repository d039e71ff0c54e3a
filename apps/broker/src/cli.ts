import { parseArgs } from 'node:util';
import { chmodSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createBroker } from './broker.ts';
import { AUDIT_USAGE, auditCommand } from './cli-audit.ts';
import { loadConfig } from './config.ts';
import { openApiDocument } from './http/openapi.ts';
import { setupOnce } from './domain/setup.ts';
import { openStorage, storageKind } from './storage/open.ts';

const USAGE = `usage: beckon-broker [serve]                 run the broker (configuration: BECKON_* environment variables)
       beckon-broker admin create --email E --password P [--org NAME]
                                             create the organisation and its first administrator (once)
       beckon-broker openapi [--server URL]  print the API document (OpenAPI 3.1 JSON)
${AUDIT_USAGE}`;

async function adminCreate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, password: { type: 'string' }, org: { type: 'string' } },
  });
  if (!values.email || !values.password) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    const result = await setupOnce(storage, {
      orgName: values.org ?? config.orgName,
      email: values.email,
      password: values.password,
    });
    if (!result.created) {
      console.error('setup was already done: the first administrator exists. Add users from the console.');
      return 1;
    }
    console.log(`created organisation and administrator ${values.email}`);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await storage.close();
  }
}

/**
 * On a fresh data directory, creates the first admin from BECKON_ADMIN_* or,
 * with BECKON_GENERATE_ADMIN=1 (set by `scripts/beckon start`), with a random
 * password printed once and written to an owner-only file.
 */
async function firstRun(): Promise<void> {
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    if (await storage.orgs.isSetUp()) return;
    let email = config.adminEmail;
    let password = config.adminPassword;
    let generated = false;
    if ((!email || !password) && process.env.BECKON_GENERATE_ADMIN === '1') {
      email = 'admin@beckon.local';
      password = randomBytes(18).toString('base64url');
      generated = true;
    }
    if (!email || !password) return;
    await setupOnce(storage, { orgName: config.orgName, email, password });
    if (generated) {
      mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      const file = join(config.dataDir, 'initial-admin.txt');
      if (!existsSync(file)) writeFileSync(file, `email: ${email}\npassword: ${password}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      console.log(
        `\nFirst administrator created (shown once; also in ${file}, readable only by you):\n  email:    ${email}\n  password: ${password}\n`,
      );
    }
  } finally {
    await storage.close();
  }
}

/** The document without a running broker, for linters and client generators. */
async function printOpenApi(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { server: { type: 'string' } } });
  // The committed copy names no real host: each broker serves its own with its public URL.
  const server = values.server ?? 'https://beckon.example.org';
  const text = `${JSON.stringify(openApiDocument(server), null, 2)}\n`;
  // Written to the end before the exit: a pipe takes large writes asynchronously.
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (e) => (e ? reject(e) : resolve())),
  );
  return 0;
}

async function serve(): Promise<void> {
  await firstRun();
  const config = loadConfig();
  const broker = await createBroker(config, { storage: await openStorage(config) });
  const url = await broker.start();
  const { publicUrl } = broker.config;
  broker.app.log.info({ url, publicUrl, storage: storageKind(config) }, 'broker listening');
  console.log(`Beckon broker listening on ${url} (public URL ${publicUrl})`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void broker.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export async function main(argv: string[]): Promise<number | undefined> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'serve') {
    await serve();
    return undefined;
  }
  if (cmd === 'admin' && rest[0] === 'create') return adminCreate(rest.slice(1));
  if (cmd === 'openapi') return printOpenApi(rest);
  if (cmd === 'audit') return auditCommand(rest);
  console.error(USAGE);
  return cmd === 'help' || cmd === '--help' ? 0 : 2;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
