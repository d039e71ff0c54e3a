import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Contract, type CallInput } from '../testing/contract.ts';
import { ADMIN, login, startFixture, waitFor } from '../testing/fixture.ts';
import { startHelpdeskSim } from '../testing/helpdesk-sim.ts';
import { connectHost, newHostKey, TEST_PRESENCE } from '../testing/host-client.ts';

// A 1x1 PNG: the logo upload checks the bytes against the type.
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const TICKET = {
  system: 'zendesk',
  ticketId: 'CT-1',
  category: 'hw',
  type: 'incident',
  priority: 'p2',
  source: 'mail',
};

/** A valid body for each operation that takes one: the probes send it with a wrong credential. */
const BODY: Record<string, unknown> = {
  signIn: { email: ADMIN.email, password: ADMIN.password },
  createSessionRequest: { recipientName: 'Ann', recipientEmail: 'ann@example.com', sendInvite: true },
  updateSessionRequest: { comment: 'printer again' },
  inviteToSessionRequest: {},
  join: { code: 's00-000-000' },
  createUser: {
    email: 'agent@example.com',
    name: 'Agent',
    password: 'a long enough password',
    role: 'support_agent',
  },
  updateUser: { name: 'Agent Smith' },
  createQueue: { name: 'Tier 1' },
  registerDevice: { name: 'Desk 4', platform: 'linux' },
  createApiToken: {
    name: 'Helpdesk',
    scopes: ['service_cases:write', 'service_cases:read', 'reports:read', 'audit:read'],
  },
  createServiceCase: { recipientName: 'Bob', ticket: TICKET },
  createWebhook: { url: 'http://127.0.0.1:9/x', events: ['case.created'] },
  updateWebhook: { description: 'the helpdesk' },
  previewMailTemplate: { kind: 'invite', language: 'en' },
  saveMailTemplate: { subject: 'Help for {{customerName}}', body: 'Open {{customerLink}}' },
  saveNotificationSettings: { desktop: true },
  saveBranding: { displayName: 'Acme', color: '#112233', message: null },
  uploadLogo: { contentType: 'image/png', data: PNG },
  getJoinBranding: { code: 's00-000-000' },
  createEnrolmentCode: {},
  updateHost: { name: 'Desk 9b' },
  createHostGroup: { name: 'Floor 3' },
  setHostGroupRights: { connect: true, control: false, files: false, systemInfo: false },
  connectHost: {},
  setAdhocSeats: { seats: 2 },
  createAdhocSession: { userName: 'Dana', email: 'dana@example.com', language: 'en' },
  activateAdhocHost: { securityCode: '00000-00000', name: 'Dana’s laptop', presence: TEST_PRESENCE },
  reportAdhocHost: { sessionId: randomUUID(), removalToken: 'A'.repeat(43), event: 'ended_by_user' },
  askUnattendedAccess: {
    mode: 'at_connection',
    permissions: ['view', 'control'],
    duration: { kind: 'days', days: 3 },
    daily: null,
    timeZone: 'Europe/Berlin',
  },
};

/**
 * Answers only a person at a managed host can bring about, so this test cannot: each is covered
 * with a real host elsewhere (apps/assist-client/src/managed/unattended.test.ts).
 */
const SEEN_ELSEWHERE = ['askUnattendedAccess 201', 'revokeHostGrant 200'];
/** What the test's host says about itself when asked. */
const HOST_INFO = {
  os: { platform: 'linux', distro: 'Debian', release: '12', arch: 'x64', hostname: 'desk-9' },
  cpu: { manufacturer: 'x', brand: 'y', cores: 2, physicalCores: 1, speedGHz: 2 },
  memory: { totalBytes: 1024 },
  disks: [],
  network: [],
};
const QUERY: Record<string, Record<string, string>> = {
  listServiceCases: { system: 'zendesk', ticketId: 'CT-1' },
  checkTicketClose: { system: 'zendesk', ticketId: 'CT-1' },
  getSessionReport: { from: '2026-01-01', to: '2026-01-31', tz: 'Europe/Berlin' },
};

test('every documented answer of every operation is what the broker really answers', async () => {
  const sim = await startHelpdeskSim();
  sim.status = 500; // its deliveries fail for good within seconds, so one can be redelivered
  const f = await startFixture({
    BECKON_TRUST_PROXY: 'true',
    BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
    BECKON_WEBHOOK_RETRY_BASE_MS: '200',
    BECKON_WEBHOOK_RETRY_MAX_MS: '500',
    BECKON_WEBHOOK_MAX_AGE_HOURS: '0.001',
  });
  try {
    const doc = (await f.api('GET', '/api/docs', undefined, null)).body;
    const c = new Contract(doc, f.url, f.adminToken);
    const from = (ip: string): CallInput => ({ token: null, headers: { 'x-forwarded-for': ip } });

    await c.call('getHealth', { token: null }, 200);
    await c.call('getApiDocument', { token: null }, 200);
    await c.call('signIn', { ...from('198.51.100.1'), body: BODY.signIn }, 200);
    await c.call(
      'signIn',
      { ...from('198.51.100.2'), body: { ...(BODY.signIn as object), password: 'wrong one' } },
      401,
    );
    await waitFor(async () => {
      const wrong = { email: 'nobody@example.com', password: 'wrong password' };
      return (await c.call('signIn', { ...from('203.0.113.9'), body: wrong })).status === 429;
    });
    const me = (await c.call('getMe', {}, 200)).body.user;

    // The organisation.
    const agent = (await c.call('createUser', { body: BODY.createUser }, 201)).body;
    await c.call('createUser', { body: BODY.createUser }, 409);
    await c.call('updateUser', { params: { id: agent.id }, body: BODY.updateUser }, 200);
    await c.call('updateUser', { params: { id: me.id }, body: { role: 'support_agent' } }, 409);
    await c.call('unlockUser', { params: { id: agent.id } }, 204);
    await c.call('listUsers', {}, 200);
    await c.call('createQueue', { body: { ...(BODY.createQueue as object), memberIds: [agent.id] } }, 201);
    await c.call('createQueue', { body: BODY.createQueue }, 409);
    await c.call('listQueues', {}, 200);
    await c.call('registerDevice', { body: BODY.registerDevice }, 201);
    await c.call('listDevices', {}, 200);

    // Helpdesk: tokens, a webhook, a case.
    const all = (await c.call('createApiToken', { body: BODY.createApiToken }, 201)).body;
    const reportsOnly = (
      await c.call('createApiToken', { body: { name: 'Reports', scopes: ['reports:read'] } }, 201)
    ).body;
    const casesOnly = (
      await c.call(
        'createApiToken',
        { body: { name: 'Cases', scopes: ['service_cases:read', 'service_cases:write'] } },
        201,
      )
    ).body;
    await c.call('listApiTokens', {}, 200);
    const hook = (await c.call('createWebhook', { body: { url: sim.url, events: ['case.created'] } }, 201))
      .body;
    await c.call('listWebhooks', {}, 200);
    await c.call('getWebhook', { params: { id: hook.id } }, 200);
    await c.call('updateWebhook', { params: { id: hook.id }, body: BODY.updateWebhook }, 200);
    await c.call('rotateWebhookSecret', { params: { id: hook.id } }, 200);
    const kase = (await c.call('createServiceCase', { token: all.secret, body: BODY.createServiceCase }, 201))
      .body;
    await c.call('createServiceCase', { token: all.secret, body: BODY.createServiceCase }, 409);
    await c.call('listServiceCases', { token: all.secret, query: QUERY.listServiceCases }, 200);
    await c.call('checkTicketClose', { token: all.secret, query: QUERY.checkTicketClose }, 200);
    await c.call('getServiceCase', { token: all.secret, params: { id: kase.id } }, 200);
    await c.call('listSessionRecords', { token: all.secret, params: { id: kase.id } }, 200);
    await c.call('getSessionReport', { token: all.secret, query: QUERY.getSessionReport }, 200);
    const csv = await c.call('getSessionReport', {
      token: all.secret,
      query: { ...QUERY.getSessionReport, format: 'csv' },
    });
    assert.equal(csv.contentType, 'text/csv');
    await c.call('listAuditEntries', { token: all.secret }, 200);
    await c.call('listAuditEntries', {}, 200);
    const auditCsv = await c.call('listAuditEntries', { token: all.secret, query: { format: 'csv' } });
    assert.equal(auditCsv.contentType, 'text/csv');
    const tooLong = { ...QUERY.getSessionReport, from: '2024-01-01', to: '2026-01-31' };
    const long = await c.call('getSessionReport', { token: all.secret, query: tooLong }, 400);
    assert.match(long.body.error.message, /400 days/);

    // Session requests and the end user's side.
    const request = (await c.call('createSessionRequest', { body: BODY.createSessionRequest }, 201)).body;
    await c.call('listSessionRequests', { query: { status: 'open' } }, 200);
    await c.call('getSessionRequest', { params: { id: request.id } }, 200);
    await c.call(
      'updateSessionRequest',
      { params: { id: request.id }, body: BODY.updateSessionRequest },
      200,
    );
    await c.call('inviteToSessionRequest', { params: { id: request.id }, body: {} }, 200);
    // Unattended access is asked in a live session on a managed host: this request is neither.
    await c.call('askUnattendedAccess', { params: { id: request.id }, body: BODY.askUnattendedAccess }, 409);
    await c.call('listOutbox', {}, 200);
    await c.call('join', { ...from('198.51.100.3'), body: { code: request.displayCode } }, 200);
    await c.call('join', { ...from('198.51.100.4'), body: BODY.join }, 404);
    const linkToken = String(request.customerLink).split('/j/')[1];
    await c.call('getJoinBranding', { ...from('198.51.100.5'), body: { token: linkToken } }, 200);
    await c.call('getJoinBranding', { ...from('198.51.100.6'), body: BODY.getJoinBranding }, 404);
    for (const op of ['join', 'getJoinBranding'])
      await waitFor(
        async () => (await c.call(op, { ...from(`203.0.113.${op.length}`), body: BODY.join })).status === 429,
      );

    // Templates, notifications, branding.
    await c.call('listMailTemplates', {}, 200);
    await c.call('previewMailTemplate', { body: BODY.previewMailTemplate }, 200);
    const tpl = { kind: 'invite', language: 'de' };
    await c.call('getMailTemplate', { params: tpl }, 200);
    await c.call('saveMailTemplate', { params: tpl, body: BODY.saveMailTemplate }, 200);
    await c.call('getNotificationSettings', {}, 200);
    await c.call('saveNotificationSettings', { body: BODY.saveNotificationSettings }, 200);
    await c.call('getBranding', {}, 200);
    await c.call('saveBranding', { body: BODY.saveBranding }, 200);
    await c.call('uploadLogo', { body: BODY.uploadLogo }, 200);

    // Managed hosts: a real Ed25519 key enrols, a real host socket answers.
    const hostKey = newHostKey();
    const enrolBody = (code: string) => ({
      code,
      publicKey: hostKey.publicKey,
      name: 'Desk 9',
      presence: TEST_PRESENCE,
    });
    const firstCode = (await c.call('createEnrolmentCode', { body: {} }, 201)).body.code as string;
    const hostId = (await c.call('enrolHost', { token: null, body: enrolBody(firstCode) }, 201)).body
      .hostId as string;
    const usedCode = { ...enrolBody(firstCode), publicKey: newHostKey().publicKey };
    await c.call('enrolHost', { token: null, body: usedCode }, 401);
    const secondCode = (await c.call('createEnrolmentCode', { body: {} }, 201)).body.code as string;
    await c.call('enrolHost', { token: null, body: enrolBody(secondCode) }, 409);
    await c.call('listHosts', { query: { tag: 'desk' } }, 200);
    await c.call('getHost', { params: { id: hostId } }, 200);
    const group = (await c.call('createHostGroup', { body: { name: 'Floor 2' } }, 201)).body;
    await c.call('createHostGroup', { body: { name: 'Floor 2' } }, 409);
    await c.call('listHostGroups', {}, 200);
    await c.call('updateHost', { params: { id: hostId }, body: { groupId: group.id, tags: ['desk'] } }, 200);
    const rights = { connect: true, control: true, files: false, systemInfo: true };
    await c.call('setHostGroupRights', { params: { id: group.id, userId: agent.id }, body: rights }, 200);
    await c.call('listHostGroupRights', { params: { id: group.id } }, 200);
    await c.call('connectHost', { params: { id: hostId }, body: {} }, 409);
    await c.call('getHostSystemInfo', { params: { id: hostId } }, 409);
    const hostSocket = await connectHost(f.url, hostId, hostKey);
    await hostSocket.next('welcome');
    hostSocket.ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; id?: string };
      if (m.type === 'sysinfo_request') hostSocket.send({ type: 'sysinfo', id: m.id, info: HOST_INFO });
    });
    await c.call('getHostSystemInfo', { params: { id: hostId } }, 200);
    await c.call('connectHost', { params: { id: hostId }, body: {} }, 201);
    await c.call('listHostGrants', { params: { id: hostId } }, 200);
    const fifteenDays = {
      ...(BODY.askUnattendedAccess as object),
      mode: 'at_setup',
      duration: { kind: 'days', days: 15 },
    };
    await c.call('askUnattendedAccess', { params: { id: request.id }, body: fifteenDays }, 422);

    // Ad-hoc support: seats, a session, and the temporary host's two calls with a real key.
    await c.call('getAdhocSeats', {}, 200);
    await c.call('createAdhocSession', { body: BODY.createAdhocSession }, 409); // no seat yet
    await c.call('setAdhocSeats', { body: BODY.setAdhocSeats }, 200);
    const first = (await c.call('createAdhocSession', { body: BODY.createAdhocSession }, 201)).body;
    await c.call('listAdhocSessions', {}, 200);
    await c.call('getAdhocSession', { params: { id: first.id } }, 200);
    const activate = (publicKey: string, securityCode = String(first.securityCode)) => ({
      ...from('198.51.100.20'),
      body: { ...(BODY.activateAdhocHost as object), securityCode, publicKey },
    });
    // The managed host's key is taken: refused, and the code still works once.
    await c.call('activateAdhocHost', activate(hostKey.publicKey), 409);
    const activated = (await c.call('activateAdhocHost', activate(newHostKey().publicKey), 201)).body;
    await c.call('activateAdhocHost', activate(newHostKey().publicKey), 401);
    await waitFor(async () => {
      const guess = { ...activate(newHostKey().publicKey, '12345-67890'), ...from('203.0.113.20') };
      return (await c.call('activateAdhocHost', guess)).status === 429;
    });
    const report = {
      sessionId: activated.sessionId,
      removalToken: activated.removalToken,
      event: 'ended_by_user',
    };
    await c.call('reportAdhocHost', { token: null, body: { ...report, removalToken: 'A'.repeat(43) } }, 401);
    await c.call('reportAdhocHost', { token: null, body: report }, 200);
    const adhoc = (await c.call('createAdhocSession', { body: BODY.createAdhocSession }, 201)).body;

    // The answers every operation of a kind gives, probed with real ids (before anything is closed).
    const params = (path: string, real: boolean): Record<string, string> => {
      const id = !real
        ? randomUUID()
        : path.startsWith('/api/v1/users')
          ? agent.id
          : path.startsWith('/api/v1/webhooks')
            ? hook.id
            : path.startsWith('/api/v1/hosts')
              ? hostId
              : path.startsWith('/api/v1/adhoc-sessions')
                ? adhoc.id
                : path.startsWith('/api/v1/host-groups')
                  ? group.id
                  : path.startsWith('/api/v1/service-cases')
                    ? kase.id
                    : path.startsWith('/api/v1/api-tokens')
                      ? reportsOnly.id
                      : request.id;
      return { id, userId: agent.id, grantId: randomUUID(), deliveryId: randomUUID(), ...tpl };
    };
    type Operation = {
      operationId: string;
      responses: Record<string, unknown>;
      security: Record<string, string[]>[];
      requestBody?: unknown;
    };
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const op of Object.values(item)) {
        const id: string = op.operationId;
        const base = { params: params(path, true), query: QUERY[id], body: BODY[id] };
        const codes = Object.keys(op.responses);
        if (op.security.length) await c.call(id, { ...base, token: null }, 401);
        if (codes.includes('403')) {
          const scheme = Object.keys(op.security.at(-1) ?? {})[0] ?? '';
          const wrong = !scheme.startsWith('apiToken')
            ? all.secret // an API token where only users may go
            : scheme === 'apiTokenReportsRead'
              ? casesOnly.secret
              : reportsOnly.secret;
          await c.call(id, { ...base, token: wrong }, 403);
        }
        const token = op.security.length > 2 && codes.includes('403') ? all.secret : f.adminToken;
        if (codes.includes('404') && path.includes('{'))
          await c.call(id, { ...base, token, params: params(path, false) }, 404);
        if (codes.includes('400')) {
          const bad = op.requestBody
            ? { body: [] }
            : path.includes('{kind}')
              ? { params: { ...base.params, kind: 'nope' } }
              : { query: { nonsense: '1' } };
          await c.call(id, { ...base, token, ...bad }, 400);
        }
        if (codes.includes('413'))
          await c.call(
            id,
            { ...base, token, body: { padding: 'x'.repeat(id === 'uploadLogo' ? 600_000 : 100_000) } },
            413,
          );
      }
    }

    // What ends things, and the conflicts that follow.
    await c.call('revokeApiToken', { params: { id: all.id } }, 409);
    await c.call('closeServiceCase', { token: all.secret, params: { id: kase.id } }, 200);
    await c.call('revokeApiToken', { params: { id: all.id }, query: { closeCases: 'true' } }, 200);
    await c.call('closeSessionRequest', { params: { id: request.id } }, 200);
    await c.call('closeSessionRequest', { params: { id: request.id } }, 409);
    await c.call(
      'updateSessionRequest',
      { params: { id: request.id }, body: BODY.updateSessionRequest },
      409,
    );
    await c.call('inviteToSessionRequest', { params: { id: request.id }, body: {} }, 409);
    const failed = await waitFor(async () => {
      const list = await c.call(
        'listWebhookDeliveries',
        { params: { id: hook.id }, query: { status: 'failed' } },
        200,
      );
      return list.body.items[0] as { id: string } | undefined;
    }, 15_000);
    await c.call('redeliverWebhookDelivery', { params: { id: hook.id, deliveryId: failed.id } }, 200);
    await c.call('endAdhocSession', { params: { id: adhoc.id } }, 200);
    await c.call('endAdhocSession', { params: { id: adhoc.id } }, 409);
    await c.call('deleteWebhook', { params: { id: hook.id } }, 204);
    await c.call('deleteHost', { params: { id: hostId } }, 204);
    hostSocket.ws.close();
    await c.call('resetMailTemplate', { params: tpl }, 200);
    await c.call('deleteLogo', {}, 200);
    await c.call('signOut', { token: await login(f.url, ADMIN.email, ADMIN.password) }, 204);

    const missing = c
      .documented()
      .filter((answer) => !c.seen.has(answer) && !SEEN_ELSEWHERE.includes(answer));
    assert.deepEqual(missing, [], 'documented answers never seen on the wire');
    // And the other way round: every API route the broker serves is in the document.
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = servedRoutes(f.broker.app.printRoutes({ commonPrefix: false })).filter((r) =>
      / \/(api\/|healthz)/.test(r),
    );
    assert.deepEqual(served.sort(), documented.sort());
  } finally {
    await f.stop();
    await sim.stop();
  }
});

/** "METHOD /path/{param}" of every route in fastify's route tree (HEAD aside: it follows GET). */
function servedRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^(.*?)[└├]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const parent = stack[depth - 1] ?? '';
    // A radix tree: each node continues its parent's string (`/enrol` → `ment-codes`).
    const path = depth === 0 ? m[2]! : `${parent}${m[2]}`;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD'))
      out.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return out;
}
