import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { startFixture, waitFor } from '../testing/fixture.ts';

/** What the receiver made of one delivery, checked by the two official libraries. */
interface Checked {
  deliveryId: string;
  type: string;
  stripe: boolean;
  standard: boolean;
  /** The same delivery with one byte of the body changed: must be refused by both. */
  tamperedStripe: boolean;
  tamperedStandard: boolean;
  sameIdAndTime: boolean;
  hasStripeHeader: boolean;
}

function stripeAccepts(secret: string, body: string, h: IncomingHttpHeaders): boolean {
  try {
    const event = Stripe.webhooks.constructEvent(body, String(h['beckon-signature']), secret) as unknown as {
      type: string;
    };
    return typeof event.type === 'string';
  } catch {
    return false;
  }
}

function standardAccepts(secret: string, body: string, h: IncomingHttpHeaders): boolean {
  try {
    // As the README shows it: the request's headers as they are.
    new Webhook(secret).verify(body, h as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

/** A helpdesk receiving on 127.0.0.1 that verifies as an integrator would, with third-party code only. */
async function startReceiver() {
  const keys = { secret: '', standardWebhooksSecret: '', stripeRequired: true };
  const checked: Checked[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const h = req.headers;
      const tampered = raw.replace('"type":"', '"type":"x');
      const stripe = stripeAccepts(keys.secret, raw, h);
      const standard = standardAccepts(keys.standardWebhooksSecret, raw, h);
      checked.push({
        deliveryId: String(h['beckon-delivery']),
        type: (JSON.parse(raw) as { type: string }).type,
        stripe,
        standard,
        tamperedStripe: stripeAccepts(keys.secret, tampered, h),
        tamperedStandard: standardAccepts(keys.standardWebhooksSecret, tampered, h),
        sameIdAndTime:
          h['webhook-id'] === h['beckon-delivery'] &&
          String(h['beckon-signature']).startsWith(`t=${String(h['webhook-timestamp'])},`),
        hasStripeHeader: h['beckon-signature'] !== undefined,
      });
      res.writeHead(standard && (stripe || !keys.stripeRequired) ? 200 : 400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/beckon`,
    keys,
    checked,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const ticket = (id: string) => ({
  system: 'x',
  ticketId: id,
  category: 'c',
  type: 't',
  priority: 'p',
  source: 's',
});

test('every delivery verifies with the official stripe and standardwebhooks packages; a tampered body with neither', async () => {
  const receiver = await startReceiver();
  const f = await startFixture({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1' });
  try {
    const hook = await f.api('POST', '/api/v1/webhooks', {
      url: receiver.url,
      events: ['case.created', 'case.closed'],
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const { secret, standardWebhooksSecret } = hook.body as {
      secret: string;
      standardWebhooksSecret: string;
    };
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/, 'the Stripe-style secret is unchanged');
    assert.match(standardWebhooksSecret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'standard base64');
    assert.deepEqual(
      Buffer.from(standardWebhooksSecret.slice(6), 'base64'),
      Buffer.from(secret.slice(6), 'base64url'),
      'one key, two spellings',
    );
    Object.assign(receiver.keys, { secret, standardWebhooksSecret });

    const token = (await f.api('POST', '/api/v1/api-tokens', { name: 'T', scopes: ['service_cases:write'] }))
      .body.secret as string;
    for (let i = 0; i < 3; i++) {
      const c = await f.api(
        'POST',
        '/api/v1/service-cases',
        { recipientName: 'R', ticket: ticket(`V-${i}`) },
        token,
      );
      assert.equal(c.status, 201);
      assert.equal(
        (await f.api('POST', `/api/v1/service-cases/${c.body.id}/close`, undefined, token)).status,
        200,
      );
    }
    await waitFor(() => receiver.checked.length >= 6, 10_000, 'six deliveries');

    // A rotation changes both spellings at once; the old ones stop verifying.
    const rotated = (await f.api('POST', `/api/v1/webhooks/${hook.body.id}/rotate-secret`)).body as {
      secret: string;
      standardWebhooksSecret: string;
    };
    assert.notEqual(rotated.secret, secret);
    assert.notEqual(rotated.standardWebhooksSecret, standardWebhooksSecret);
    Object.assign(receiver.keys, {
      secret: rotated.secret,
      standardWebhooksSecret: rotated.standardWebhooksSecret,
    });
    await f.api('POST', '/api/v1/service-cases', { recipientName: 'R', ticket: ticket('V-new') }, token);
    await waitFor(() => receiver.checked.length >= 7, 10_000, 'a delivery under the new secret');

    assert.equal(receiver.checked.length, 7, 'each delivered once: every one was accepted');
    assert.deepEqual(receiver.checked.map((c) => c.type).sort(), [
      'case.closed',
      'case.closed',
      'case.closed',
      'case.created',
      'case.created',
      'case.created',
      'case.created',
    ]);
    for (const c of receiver.checked) {
      assert.ok(c.stripe, `stripe.webhooks.constructEvent accepts ${c.deliveryId}`);
      assert.ok(c.standard, `standardwebhooks accepts ${c.deliveryId}`);
      assert.ok(!c.tamperedStripe, 'stripe refuses a tampered body');
      assert.ok(!c.tamperedStandard, 'standardwebhooks refuses a tampered body');
      assert.ok(c.sameIdAndTime, 'webhook-id is the delivery id, one timestamp for both schemes');
    }
    const deliveries = (await f.api('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`)).body.items as {
      status: string;
      attempts: number;
    }[];
    assert.ok(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1));
  } finally {
    await f.stop();
    await receiver.stop();
  }
});

test('an endpoint may choose Standard Webhooks only, and switch back', async () => {
  const receiver = await startReceiver();
  receiver.keys.stripeRequired = false;
  const f = await startFixture({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1' });
  try {
    const hook = await f.api('POST', '/api/v1/webhooks', {
      url: receiver.url,
      events: ['case.created'],
      signing: 'standard',
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    assert.equal(hook.body.signing, 'standard');
    Object.assign(receiver.keys, {
      secret: hook.body.secret as string,
      standardWebhooksSecret: hook.body.standardWebhooksSecret as string,
    });
    const token = (await f.api('POST', '/api/v1/api-tokens', { name: 'T', scopes: ['service_cases:write'] }))
      .body.secret as string;
    await f.api('POST', '/api/v1/service-cases', { recipientName: 'R', ticket: ticket('S-1') }, token);
    await waitFor(() => receiver.checked.length === 1, 10_000, 'a Standard Webhooks only delivery');
    assert.ok(receiver.checked[0]!.standard && !receiver.checked[0]!.tamperedStandard);
    assert.equal(receiver.checked[0]!.hasStripeHeader, false, 'no Beckon-Signature');

    const patched = await f.api('PATCH', `/api/v1/webhooks/${hook.body.id}`, { signing: 'both' });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.signing, 'both');
    assert.equal((await f.api('GET', '/api/v1/webhooks')).body.items[0].signing, 'both');
    assert.equal(
      (await f.api('PATCH', `/api/v1/webhooks/${hook.body.id}`, { signing: 'stripe' })).status,
      400,
      'an unknown scheme is refused',
    );
    await f.api('POST', '/api/v1/service-cases', { recipientName: 'R', ticket: ticket('S-2') }, token);
    await waitFor(() => receiver.checked.length === 2, 10_000, 'a delivery signed both ways');
    const second = receiver.checked[1]!;
    assert.ok(second.hasStripeHeader && second.stripe && second.standard);
  } finally {
    await f.stop();
    await receiver.stop();
  }
});
