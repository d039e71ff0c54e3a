import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditAction, AuditHeadSchema, AuditPageSchema, type AuditEntry } from '@beckon/protocol';
import { ADMIN, login, request, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { TEST_STORAGE, withTestDb } from '../testing/test-storage.ts';
import { joinAgent, joinAssist } from '../testing/signal-client.ts';
import { verifyChain } from '../domain/audit-chain.ts';
import { chainRowOf, type AuditRow } from '../storage/sqlite/audit-repo.ts';

/** The stored rows as the chain sees them, straight from the file. */
function storedRows(db: Database.Database) {
  return (db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]).map(chainRowOf);
}

// Every act the audit log records, performed over real HTTP and WebSocket
// against a real broker and SQLite file, and found in GET /api/v1/audit; then
// the file is tampered with and `beckon-broker audit verify` (a process) names it.

const BIN = new URL('../../bin/beckon-broker.js', import.meta.url).pathname;
let f: Fixture;
before(async () => {
  f = await startFixture({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1' });
});
after(() => f.stop());

async function entries(query = '', token: string | null = f.adminToken): Promise<AuditEntry[]> {
  const res = await f.api('GET', `/api/v1/audit?limit=500${query}`, undefined, token);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return AuditPageSchema.parse(res.body).items;
}
/** The status, with the body in the message when it is not the one expected. */
async function status(res: Promise<{ status: number; body: unknown }>) {
  const r = await res;
  return r.status >= 400 ? `${r.status} ${JSON.stringify(r.body)}` : r.status;
}
const find = (list: AuditEntry[], action: string, pred: (e: AuditEntry) => boolean = () => true) => {
  const hit = list.find((e) => e.action === action && pred(e));
  assert.ok(hit, `no ${action} entry in ${JSON.stringify(list.map((e) => e.action))}`);
  return hit;
};

test('every listed act is one entry: who, what, from where', async () => {
  // Sign-in (the fixture's), a failure, a sign-out.
  assert.equal(
    (await request(f.url, 'POST', '/api/v1/auth/login', { email: ADMIN.email, password: 'wrong one!' }))
      .status,
    401,
  );
  const stranger = { email: 'not.a.user@other-org.example', password: 'a guess at all' };
  assert.equal((await request(f.url, 'POST', '/api/v1/auth/login', stranger)).status, 401);
  const second = await login(f.url, ADMIN.email, ADMIN.password);
  assert.equal(await status(f.api('POST', '/api/v1/auth/logout', undefined, second)), 204);

  // Users, roles and permissions, queues, an unlock.
  const user = await f.api('POST', '/api/v1/users', {
    email: 'agent@example.com',
    name: 'Agent Smith',
    password: 'a long agent password',
    role: 'support_agent',
  });
  assert.equal(user.status, 201);
  assert.equal(await status(f.api('PATCH', `/api/v1/users/${user.body.id}`, { role: 'admin' })), 200);
  assert.equal(await status(f.api('POST', '/api/v1/users/' + user.body.id + '/unlock')), 204);
  const queue = await f.api('POST', '/api/v1/queues', { name: 'Level 2', memberIds: [user.body.id] });
  assert.equal(queue.status, 201);

  // Tokens: creation, first use of the day (once), revocation.
  const token = await f.api('POST', '/api/v1/api-tokens', { name: 'Auditor', scopes: ['audit:read'] });
  assert.equal(token.status, 201);
  await entries('', token.body.secret);
  await entries('', token.body.secret);
  assert.equal(await status(f.api('DELETE', `/api/v1/api-tokens/${token.body.id}`)), 200);

  // Webhooks, branding, templates.
  const hook = await f.api('POST', '/api/v1/webhooks', {
    url: 'http://127.0.0.1:9/hook',
    events: ['case.created'],
  });
  assert.equal(hook.status, 201);
  assert.equal(await status(f.api('PATCH', `/api/v1/webhooks/${hook.body.id}`, { active: false })), 200);
  assert.equal(await status(f.api('POST', `/api/v1/webhooks/${hook.body.id}/rotate-secret`)), 200);
  assert.equal(await status(f.api('DELETE', `/api/v1/webhooks/${hook.body.id}`)), 204);
  assert.equal(
    await status(
      f.api('PUT', '/api/v1/admin/branding', { displayName: 'Acme', color: '#123456', message: '' }),
    ),
    200,
  );
  const template = { subject: 'Hilfe {{sessionCode}}', body: '{{customerLink}} {{sessionCode}}' };
  assert.equal(await status(f.api('PUT', '/api/v1/mail-templates/invite/de', template)), 200);
  assert.equal(await status(f.api('DELETE', '/api/v1/mail-templates/invite/de')), 200);

  // Consent: a question answered each way, and a session's start and end.
  const r = await f.api('POST', '/api/v1/session-requests', {
    recipientName: 'Ada',
    permissions: ['view', 'control'],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const assist = await joinAssist(f.url, { code: r.body.displayCode });
  const agent = await joinAgent(f.url, f.adminToken, r.body.id);
  const ask = async (answer: Record<string, unknown>) => {
    const mark = assist.messages.length;
    const markAgent = agent.messages.length;
    agent.send({ type: 'connect', permissions: ['view', 'control'] });
    const q = await assist.next('consent_request', mark);
    assist.send({ type: 'consent', questionId: q.questionId, ...answer });
    await agent.next('consent_result', markAgent);
    return q.questionId;
  };
  const denied = await ask({ granted: false });
  const silent = await ask({ granted: false, reason: 'timeout' });
  const viewOnly = await ask({ granted: true, permissions: ['view'] });
  assist.send({ type: 'peer_state', state: 'connected' });
  await waitFor(
    async () => (await f.api('GET', `/api/v1/session-requests/${r.body.id}`)).body.status === 'in_session',
  );
  const allowed = await ask({ granted: true });
  assist.send({ type: 'peer_state', state: 'connected' });
  await waitFor(
    async () => (await f.api('GET', `/api/v1/session-requests/${r.body.id}`)).body.status === 'in_session',
  );
  agent.send({ type: 'end_session' });
  await waitFor(
    async () => (await f.api('GET', `/api/v1/session-requests/${r.body.id}`)).body.status !== 'in_session',
  );
  agent.ws.close();
  assist.ws.close();

  const log = await entries();
  const admin = (e: AuditEntry) => e.actor.type === 'user' && e.actor.name !== null;
  assert.equal(find(log, AuditAction.SIGN_IN, admin).ip, '127.0.0.1');
  const failed = find(log, AuditAction.SIGN_IN_FAILED, (e) => e.details.reason !== 'unknown_email');
  assert.equal(failed.details.reason, 'wrong_password');
  // A failure for no account belongs to no organisation: what was typed is not kept, so the
  // administrators of every organisation on the broker see only that it happened, and from where.
  const unknown = find(log, AuditAction.SIGN_IN_FAILED, (e) => e.details.reason === 'unknown_email');
  assert.equal(unknown.orgId, null);
  assert.deepEqual(Object.keys(unknown.details), ['reason']);
  assert.doesNotMatch(JSON.stringify(log), /not\.a\.user/);
  assert.equal(failed.ip, '127.0.0.1');
  find(log, AuditAction.SIGN_OUT);
  assert.equal(find(log, AuditAction.USER_CREATED).target?.id, user.body.id);
  assert.equal(find(log, AuditAction.USER_UPDATED).details.role, 'admin');
  find(log, AuditAction.USER_UNLOCKED);
  assert.deepEqual(find(log, AuditAction.QUEUE_CREATED).details.memberIds, [user.body.id]);
  find(log, AuditAction.API_TOKEN_CREATED);
  assert.equal(
    log.filter((e) => e.action === AuditAction.API_TOKEN_USED).length,
    1,
    'first use per day only',
  );
  assert.equal(find(log, AuditAction.API_TOKEN_USED).actor.type, 'api_token');
  find(log, AuditAction.API_TOKEN_REVOKED);
  find(log, AuditAction.WEBHOOK_CREATED);
  find(log, AuditAction.WEBHOOK_UPDATED);
  find(log, AuditAction.WEBHOOK_SECRET_ROTATED);
  find(log, AuditAction.WEBHOOK_DELETED);
  find(log, AuditAction.BRANDING_CHANGED);
  find(log, AuditAction.TEMPLATE_CHANGED);
  find(log, AuditAction.TEMPLATE_RESET);
  const asked = log.filter((e) => e.action === AuditAction.CONSENT_ASKED);
  assert.equal(asked.length, 4);
  assert.deepEqual(
    asked.map((e) => e.details.permissions),
    Array(4).fill(['view', 'control']),
  );
  const answer = (q: string) => find(log, AuditAction.CONSENT_ANSWERED, (e) => e.details.questionId === q);
  assert.equal(answer(denied).details.answer, 'deny');
  assert.equal(answer(silent).details.answer, 'silence');
  assert.equal(answer(viewOnly).details.answer, 'view');
  assert.deepEqual(answer(viewOnly).details.permissions, ['view']);
  assert.equal(answer(allowed).details.answer, 'allow');
  assert.equal(answer(allowed).actor.type, 'client');
  // From where: the host's address for its answers, the agent's for the questions.
  assert.equal(answer(allowed).ip, '127.0.0.1');
  assert.ok(asked.every((e) => e.ip === '127.0.0.1'));
  const starts = log.filter((e) => e.action === AuditAction.SESSION_STARTED);
  assert.deepEqual(
    starts.map((e) => e.details.permissions),
    [['view', 'control'], ['view']],
    'newest first: the allowed session, then the view-only one',
  );
  assert.equal(log.filter((e) => e.action === AuditAction.SESSION_ENDED).length, 2, 'replaced, then ended');

  // Filters and pagination.
  const onlyAsked = await entries(`&action=${AuditAction.CONSENT_ASKED}`);
  assert.equal(onlyAsked.length, 4);
  assert.ok((await entries(`&target=${r.body.id}`)).every((e) => e.target?.id === r.body.id));
  const page1 = (await f.api('GET', '/api/v1/audit?limit=3')).body;
  const page2 = (await f.api('GET', `/api/v1/audit?limit=3&cursor=${page1.nextCursor}`)).body;
  assert.deepEqual(
    [...page1.items, ...page2.items].map((e: AuditEntry) => e.seq),
    log.slice(0, 6).map((e) => e.seq),
  );
  assert.equal((await f.api('GET', '/api/v1/audit?action=nope')).status, 400);
});

test('only admins and audit:read tokens read it; CSV is defused like reports', async () => {
  const agent = await f.api('POST', '/api/v1/users', {
    email: 'plain@example.com',
    name: '=HYPERLINK("http://evil")',
    password: 'a long agent password',
    role: 'support_agent',
  });
  assert.equal(agent.status, 201);
  const agentToken = await login(f.url, 'plain@example.com', 'a long agent password');
  assert.equal((await f.api('GET', '/api/v1/audit', undefined, agentToken)).status, 403);
  const reports = await f.api('POST', '/api/v1/api-tokens', { name: 'R', scopes: ['reports:read'] });
  assert.equal((await f.api('GET', '/api/v1/audit', undefined, reports.body.secret)).status, 403);
  assert.equal((await f.api('GET', '/api/v1/audit', undefined, null)).status, 401);

  const csv = await f.api('GET', '/api/v1/audit?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  assert.match(csv.body, /^seq,at,action,/);
  assert.match(csv.body, /,"'=HYPERLINK\(""http:\/\/evil""\)",/, 'a formula is defused');
});

test('audit verify names an edited or deleted row; a cut-off end is caught against an exported head', async () => {
  const env = { ...process.env, BECKON_DATA_DIR: f.dataDir, BECKON_LOG_LEVEL: 'silent' };
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'audit', ...args], { env, encoding: 'utf8' });
  if (TEST_STORAGE === 'postgres') return verifyOnPostgres(env);
  const ok = cli('verify');
  assert.equal(ok.status, 0, ok.stderr);
  const nowhere = spawnSync(process.execPath, [BIN, 'audit', 'verify'], {
    env: { ...env, BECKON_DATA_DIR: join(f.dataDir, 'not-here') },
    encoding: 'utf8',
  });
  assert.equal(nowhere.status, 2, 'a wrong data directory is not an intact, empty log');
  assert.match(nowhere.stderr, /no broker database/);
  const headOut = cli('head');
  assert.equal(headOut.status, 0);
  const head = AuditHeadSchema.parse(JSON.parse(headOut.stdout));
  assert.ok(head.seq > 10, `${head.seq} entries`);
  const headFile = join(f.dataDir, 'audit-head.json');
  writeFileSync(headFile, headOut.stdout);

  const db = new Database(f.config.dbFile);
  const row = (seq: number) =>
    db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as Record<string, unknown>;
  const restore = (r: Record<string, unknown>) =>
    db
      .prepare(
        `INSERT OR REPLACE INTO audit_log VALUES (${Object.keys(r)
          .map(() => '?')
          .join(', ')})`,
      )
      .run(...Object.values(r));
  try {
    // Every row, each field the hash covers, in-process (the CLI runs the same verifyChain, below).
    const columns = [
      'org_id',
      'actor_type',
      'actor_id',
      'actor_name',
      'action',
      'target_type',
      'target_id',
      'details',
      'ip',
      'at',
      'prev_hash',
      'hash',
    ];
    for (let seq = 1; seq <= head.seq; seq++) {
      for (const change of [
        ...columns.map((c) => `UPDATE audit_log SET ${c} = 'x' || coalesce(${c}, '') WHERE seq = ${seq}`),
        `DELETE FROM audit_log WHERE seq = ${seq}`,
      ]) {
        db.exec('SAVEPOINT tamper');
        try {
          db.exec(change);
          const result = await verifyChain(storedRows(db), head);
          assert.equal(result.problem?.seq, seq, change);
        } finally {
          db.exec('ROLLBACK TO tamper');
          db.exec('RELEASE tamper');
        }
      }
    }
    assert.equal((await verifyChain(storedRows(db), head)).ok, true);

    for (const seq of [1, 7, head.seq]) {
      const original = row(seq);
      db.prepare("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = ?").run(seq);
      const edited = cli('verify');
      assert.equal(edited.status, 1);
      assert.equal(JSON.parse(edited.stdout).firstBroken, seq);
      assert.match(edited.stderr, new RegExp(`entry ${seq} was changed`));
      db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
      const deleted = cli('verify', '--head', headFile);
      assert.equal(deleted.status, 1);
      assert.equal(JSON.parse(deleted.stdout).firstBroken, seq);
      restore(original);
    }
    assert.equal(cli('verify', '--head', headFile).status, 0);
    // The last three entries cut off: the shorter chain is whole in itself, but not against the head.
    db.prepare('DELETE FROM audit_log WHERE seq > ?').run(head.seq - 3);
    assert.equal(cli('verify').status, 0);
    const cut = cli('verify', '--head', headFile);
    assert.equal(cut.status, 1);
    assert.equal(JSON.parse(cut.stdout).firstBroken, head.seq);
    assert.match(cut.stderr, /cut off/);
  } finally {
    db.close();
  }
});

/** The same CLI on PostgreSQL (BECKON_DATABASE_URL): an edited entry is named, a cut-off end is caught. */
async function verifyOnPostgres(base: NodeJS.ProcessEnv) {
  const env = { ...base, BECKON_DATABASE_URL: f.config.databaseUrl };
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'audit', ...args], { env, encoding: 'utf8' });
  const ok = cli('verify');
  assert.equal(ok.status, 0, ok.stderr);
  const headOut = cli('head');
  const head = AuditHeadSchema.parse(JSON.parse(headOut.stdout));
  assert.ok(head.seq > 10, `${head.seq} entries`);
  const headFile = join(f.dataDir, 'audit-head.json');
  writeFileSync(headFile, headOut.stdout);
  const sql = (text: string, params: unknown[] = []) => withTestDb(f.config.dbFile, (q) => q(text, params));
  const [original] = await sql('SELECT actor_name FROM audit_log WHERE seq = 7');
  await sql("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 7");
  const edited = cli('verify');
  assert.equal(edited.status, 1);
  assert.equal(JSON.parse(edited.stdout).firstBroken, 7);
  assert.match(edited.stderr, /entry 7 was changed/);
  await sql('UPDATE audit_log SET actor_name = ? WHERE seq = 7', [original!.actor_name]);
  assert.equal(cli('verify', '--head', headFile).status, 0);
  await sql('DELETE FROM audit_log WHERE seq > ?', [head.seq - 3]);
  assert.equal(cli('verify').status, 0);
  const cut = cli('verify', '--head', headFile);
  assert.equal(cut.status, 1);
  assert.match(cut.stderr, /cut off/);
}

test('GET /api/v1/audit is in the OpenAPI document', async () => {
  const doc = (await f.api('GET', '/api/docs', undefined, null)).body;
  const op = doc.paths['/api/v1/audit'].get;
  assert.match(op.description, /audit:read/);
  const names = op.parameters.map((p: { name: string }) => p.name);
  for (const name of ['action', 'actor', 'target', 'from', 'to', 'cursor', 'limit', 'format'])
    assert.ok(names.includes(name), name);
});
