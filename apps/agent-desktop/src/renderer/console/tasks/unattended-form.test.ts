import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAsk, INITIAL_FORM } from './unattended-form.ts';

test('the dialog refuses what the broker refuses: two weeks and a day with customer credentials', () => {
  const over = buildAsk({ ...INITIAL_FORM, mode: 'at_setup', days: '15' }, ['view', 'control']);
  assert.equal(over.ok, false);
  assert.match(!over.ok ? over.error : '', /at most 14 days/);
  const unlimited = buildAsk({ ...INITIAL_FORM, mode: 'at_setup', durationKind: 'unlimited' }, [
    'view',
    'control',
  ]);
  assert.equal(unlimited.ok, false);
  const ok = buildAsk({ ...INITIAL_FORM, mode: 'at_setup', days: '14' }, [
    'view',
    'control',
    'file_transfer',
  ]);
  assert.ok(ok.ok);
  assert.deepEqual(ok.ok && ok.ask.permissions, ['view', 'control']);
});

test('a daily window in the customer’s zone; an unknown zone is an error, not a silent default', () => {
  const ok = buildAsk(
    { ...INITIAL_FORM, dailyOn: true, zone: 'customer', customerZone: 'America/New_York' },
    ['view', 'control'],
  );
  assert.ok(ok.ok);
  assert.deepEqual(ok.ok && ok.ask.daily, { from: '09:00', to: '17:00' });
  assert.equal(ok.ok && ok.ask.timeZone, 'America/New_York');
  assert.equal(
    buildAsk({ ...INITIAL_FORM, zone: 'customer', customerZone: 'Mars/Base' }, ['view']).ok,
    false,
  );
});
