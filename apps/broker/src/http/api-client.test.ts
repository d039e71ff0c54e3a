import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBeckonClient, type Schemas } from '@beckon/api-client';
import { startFixture } from '../testing/fixture.ts';

// The integrators' client (packages/api-client, generated from the API document) against a real
// broker: what a helpdesk does with it, typed end to end.
test('the generated client creates and closes a service case with an API token', async () => {
  const f = await startFixture();
  try {
    const admin = createBeckonClient({ baseUrl: f.url, token: f.adminToken });
    const minted = await admin.POST('/api/v1/api-tokens', {
      body: { name: 'Helpdesk', scopes: ['service_cases:write', 'service_cases:read'] },
    });
    assert.equal(minted.response.status, 201);
    assert.ok(minted.data);

    const helpdesk = createBeckonClient({ baseUrl: f.url, token: minted.data.secret });
    const me = (await admin.GET('/api/v1/me')).data;
    assert.ok(me);
    const body: Schemas['ServiceCaseCreate'] = {
      recipientName: 'Jane Customer',
      assignee: { type: 'agent', id: me.user.id },
      ticket: {
        system: 'zendesk',
        ticketId: 'ZD-77',
        category: 'hw',
        type: 'incident',
        priority: 'p2',
        source: 'mail',
      },
    };
    const created = await helpdesk.POST('/api/v1/service-cases', { body });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    assert.ok(created.data);
    assert.equal(created.data.active, true);
    assert.match(created.data.displayCode, /^s\d\d-\d{3}-\d{3}$/);

    const again = await helpdesk.POST('/api/v1/service-cases', { body });
    assert.equal(again.response.status, 409);
    assert.equal(again.error?.error.code, 'conflict');

    const closed = await helpdesk.POST('/api/v1/service-cases/{id}/close', {
      params: { path: { id: created.data.id } },
    });
    assert.equal(closed.response.status, 200);
    assert.equal(closed.data?.status, 'closed');
    assert.equal(closed.data?.active, false);

    const check = await helpdesk.GET('/api/v1/service-cases/close-check', {
      params: { query: { system: 'zendesk', ticketId: 'ZD-77' } },
    });
    assert.equal(check.data?.canClose, true);

    // A token where only users may go: the typed error says why.
    const refused = await helpdesk.GET('/api/v1/me');
    assert.equal(refused.response.status, 403);
    assert.equal(refused.error?.error.code, 'user_only');
  } finally {
    await f.stop();
  }
});
