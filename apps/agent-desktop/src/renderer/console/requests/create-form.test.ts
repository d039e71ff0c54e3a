import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkCreate,
  emptyQuickForm,
  emptyScheduledForm,
  fieldErrors,
  quickBody,
  scheduledBody,
} from './create-form.ts';

const ctx = { language: 'de' as const, timeZone: 'Europe/Berlin' };
const DEVICE = '22222222-2222-4222-8222-222222222222';

describe('quick request (SR1)', () => {
  it('builds a minimal body assigned to me in the agent language', () => {
    const body = quickBody({ ...emptyQuickForm(), recipientName: ' Ann ' }, ctx);
    assert.deepEqual(body, {
      recipientName: ' Ann ',
      recipientEmail: undefined,
      sendInvite: false,
      language: 'de',
      comment: undefined,
      assignee: { type: 'me' },
      timeZone: 'Europe/Berlin',
    });
    assert.equal(checkCreate(body).ok, true);
  });

  it('names the field of every problem', () => {
    const body = quickBody(
      {
        ...emptyQuickForm(),
        recipientName: '',
        assign: 'device',
        targetId: '',
        sendInvite: true,
        recipientEmail: '',
      },
      ctx,
    );
    const checked = checkCreate(body);
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    assert.ok(checked.errors.recipientName);
    assert.ok(checked.errors.assignee);
    assert.ok(checked.errors.recipientEmail, 'an invite needs an address');
  });

  it('refuses a bad email and a name with a line break', () => {
    const checked = checkCreate(
      quickBody({ ...emptyQuickForm(), recipientName: 'a\nb', recipientEmail: 'not-mail' }, ctx),
    );
    assert.ok(!checked.ok && checked.errors.recipientName && checked.errors.recipientEmail);
  });

  it('accepts markup as a name: it is text, shown escaped', () => {
    const body = quickBody({ ...emptyQuickForm(), recipientName: '<img src=x onerror=alert(1)>' }, ctx);
    assert.equal(checkCreate(body).ok, true);
  });
});

describe('scheduled request (SR2)', () => {
  it('reads schedule and expiry on the agent wall clock', () => {
    const body = scheduledBody(
      {
        ...emptyScheduledForm('ja'),
        recipientName: 'Bo',
        recipientEmail: 'bo@example.com',
        scheduledAt: '2030-07-01T10:00',
        expiresAt: '2030-07-02T10:00',
        assign: 'device',
        targetId: DEVICE,
      },
      ctx,
    );
    assert.equal(body.scheduledAt, '2030-07-01T08:00:00.000Z');
    assert.equal(body.expiresAt, '2030-07-02T08:00:00.000Z');
    assert.equal(body.language, 'ja');
    assert.equal(body.sendInvite, true);
    assert.deepEqual(body.assignee, { type: 'device', id: DEVICE });
    assert.equal(checkCreate(body).ok, true);
  });

  it('leaves empty times out and flags unreadable ones on their field', () => {
    const empty = scheduledBody({ ...emptyScheduledForm('en'), recipientName: 'Bo', sendInvite: false }, ctx);
    assert.equal(empty.scheduledAt, undefined);
    assert.deepEqual(empty.assignee, { type: 'unassigned' });
    const bad = checkCreate(
      scheduledBody(
        { ...emptyScheduledForm('en'), recipientName: 'Bo', sendInvite: false, expiresAt: 'soon' },
        ctx,
      ),
    );
    assert.ok(!bad.ok && bad.errors.expiresAt);
  });
});

describe('fieldErrors', () => {
  it('maps server issue paths to fields, keeping the first message', () => {
    assert.deepEqual(
      fieldErrors([
        { path: 'assignee.id', message: 'no such device' },
        { path: 'expiresAt', message: 'must be in the future' },
        { path: 'expiresAt', message: 'second' },
        { path: '(root)', message: 'odd' },
      ]),
      { assignee: 'no such device', expiresAt: 'must be in the future', form: 'odd' },
    );
  });
});
