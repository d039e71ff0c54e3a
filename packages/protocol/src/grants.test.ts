import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DailyWindowSchema,
  grantAdmits,
  GrantAskSchema,
  grantCapViolation,
  GrantDurationSchema,
  type GrantWindow,
} from './grants.ts';

const t = (iso: string) => Date.parse(iso);
const win = (over: Partial<GrantWindow>): GrantWindow => ({
  startsAtMs: t('2027-03-01T00:00:00Z'),
  duration: { kind: 'unlimited' },
  daily: null,
  timeZone: 'UTC',
  ...over,
});

// Each row: a window, an instant, and whether it admits. The instants sit
// around the DST changes of 2027 (Berlin: 28 Mar and 31 Oct at 01:00 UTC;
// New York: 14 Mar at 07:00 UTC and 7 Nov at 06:00 UTC), where a fixed
// UTC offset would be an hour off.
const berlinDay = win({ daily: { from: '09:00', to: '17:00' }, timeZone: 'Europe/Berlin' });
const nyNight = win({ daily: { from: '22:00', to: '06:00' }, timeZone: 'America/New_York' });
const berlinWeek = win({
  startsAtMs: t('2027-03-25T10:00:00Z'), // 11:00 CET
  duration: { kind: 'days', days: 7 },
  timeZone: 'Europe/Berlin',
});
const berlinRange = win({
  duration: { kind: 'range', from: '2027-10-30', to: '2027-10-31' },
  timeZone: 'Europe/Berlin',
});
const nySpring = win({ daily: { from: '09:00', to: '10:00' }, timeZone: 'America/New_York' });

const TABLE: [string, GrantWindow, string, boolean][] = [
  ['Berlin 09–17, winter 09:30 CET', berlinDay, '2027-03-27T08:30:00Z', true],
  ['Berlin 09–17, winter 08:30 CET', berlinDay, '2027-03-27T07:30:00Z', false],
  ['Berlin 09–17, winter 16:59 CET', berlinDay, '2027-03-27T15:59:00Z', true],
  ['Berlin 09–17, winter 17:00 CET', berlinDay, '2027-03-27T16:00:00Z', false],
  ['Berlin 09–17, summer 09:30 CEST (07:30 UTC)', berlinDay, '2027-03-29T07:30:00Z', true],
  ['Berlin 09–17, summer 08:30 CEST (06:30 UTC)', berlinDay, '2027-03-29T06:30:00Z', false],
  ['Berlin 09–17, summer 16:59 CEST', berlinDay, '2027-03-29T14:59:00Z', true],
  ['Berlin 09–17, summer 17:00 CEST (15:00 UTC)', berlinDay, '2027-03-29T15:00:00Z', false],
  ['New York 22–06, 01:30 EDT before fall-back', nyNight, '2027-11-07T05:30:00Z', true],
  ['New York 22–06, 01:30 EST after fall-back', nyNight, '2027-11-07T06:30:00Z', true],
  ['New York 22–06, 05:59 EST', nyNight, '2027-11-07T10:59:00Z', true],
  ['New York 22–06, 06:30 EST (11:30 UTC)', nyNight, '2027-11-07T11:30:00Z', false],
  ['New York 22–06, 05:59 EDT the day before', nyNight, '2027-11-06T09:59:00Z', true],
  ['New York 22–06, 06:59 EDT the day before (10:59 UTC)', nyNight, '2027-11-06T10:59:00Z', false],
  ['New York 22–06, 21:59 EST', nyNight, '2027-11-08T02:59:00Z', false],
  ['New York 22–06, 22:00 EST', nyNight, '2027-11-08T03:00:00Z', true],
  ['New York 09–10, 09:30 EST before spring-forward', nySpring, '2027-03-13T14:30:00Z', true],
  ['New York 09–10, 09:30 EDT after (13:30 UTC)', nySpring, '2027-03-15T13:30:00Z', true],
  ['New York 09–10, 10:30 EDT (14:30 UTC) after', nySpring, '2027-03-15T14:30:00Z', false],
  [
    '7 days in Berlin across spring-forward: the last minute (10:59 CEST)',
    berlinWeek,
    '2027-04-01T08:59:00Z',
    true,
  ],
  [
    '7 days in Berlin: 11:00 CEST a week later is the end, not 7×24 h',
    berlinWeek,
    '2027-04-01T09:30:00Z',
    false,
  ],
  ['7 days in Berlin: before the approval', berlinWeek, '2027-03-25T09:59:00Z', false],
  ['range in Berlin: 00:00 CEST on its first day', berlinRange, '2027-10-29T22:00:00Z', true],
  ['range in Berlin: 23:59 CEST the evening before', berlinRange, '2027-10-29T21:59:00Z', false],
  ['range in Berlin: 23:59 CET on its last day (after fall-back)', berlinRange, '2027-10-31T22:59:00Z', true],
  ['range in Berlin: 00:00 CET the day after', berlinRange, '2027-10-31T23:00:00Z', false],
  ['unlimited, no daily window: any later instant', win({}), '2040-01-01T00:00:00Z', true],
];

for (const [name, window, instant, admits] of TABLE) {
  test(`grantAdmits: ${name} → ${admits ? 'admit' : 'refuse'}`, () => {
    assert.equal(grantAdmits(window, t(instant)), admits);
  });
}

test('grantAdmits refuses a non-finite instant', () => {
  assert.equal(grantAdmits(win({}), Number.NaN), false);
});

test('UA5: with customer credentials at most 14 days, and never unlimited', () => {
  const days = (n: number) => ({ kind: 'days' as const, days: n });
  assert.equal(grantCapViolation({ mode: 'at_setup', duration: days(14) }), null);
  assert.match(grantCapViolation({ mode: 'at_setup', duration: days(15) }) ?? '', /at most 14 days/);
  const range = (from: string, to: string) => ({ kind: 'range' as const, from, to });
  assert.equal(grantCapViolation({ mode: 'at_setup', duration: range('2027-03-01', '2027-03-14') }), null);
  assert.match(
    grantCapViolation({ mode: 'at_setup', duration: range('2027-03-01', '2027-03-15') }) ?? '',
    /14 days/,
  );
  assert.match(grantCapViolation({ mode: 'at_setup', duration: { kind: 'unlimited' } }) ?? '', /unlimited/);
  assert.equal(grantCapViolation({ mode: 'at_connection', duration: { kind: 'unlimited' } }), null);
  assert.equal(grantCapViolation({ mode: 'at_connection', duration: days(365) }), null);
});

test('grant asks: malformed windows are refused by the schema', () => {
  assert.equal(DailyWindowSchema.safeParse({ from: '09:00', to: '09:00' }).success, false);
  assert.equal(DailyWindowSchema.safeParse({ from: '24:00', to: '09:00' }).success, false);
  assert.equal(
    GrantDurationSchema.safeParse({ kind: 'range', from: '2027-03-02', to: '2027-03-01' }).success,
    false,
  );
  assert.equal(GrantDurationSchema.safeParse({ kind: 'days', days: 0 }).success, false);
  const ok = GrantAskSchema.safeParse({
    mode: 'at_setup',
    permissions: ['view', 'control'],
    duration: { kind: 'days', days: 3 },
    timeZone: 'Europe/Berlin',
  });
  assert.equal(ok.success, true);
  assert.equal(ok.data?.daily, null);
  assert.equal(
    GrantAskSchema.safeParse({
      mode: 'at_setup',
      permissions: ['view'],
      duration: { kind: 'days', days: 3 },
      timeZone: 'Mars/Base',
    }).success,
    false,
  );
});
