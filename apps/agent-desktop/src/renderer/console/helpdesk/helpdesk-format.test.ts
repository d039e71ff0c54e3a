import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bars,
  csvFileName,
  dayIn,
  defaultRange,
  formatDuration,
  insertParameter,
  unknownParameters,
} from './helpdesk-format.ts';

describe('helpdesk formatting', () => {
  it('shows durations as h:mm:ss', () => {
    assert.equal(formatDuration(0), '0:00:00');
    assert.equal(formatDuration(65.4), '0:01:05');
    assert.equal(formatDuration(3 * 3600 + 7), '3:00:07');
    assert.equal(formatDuration(-3), '0:00:00');
  });

  it('finds parameters a template kind does not offer', () => {
    assert.deepEqual(unknownParameters('invite', 'Hi {{customerName}}', '{{ bogus }} {{customerLink}}'), [
      'bogus',
    ]);
    assert.deepEqual(unknownParameters('customer_joined', '{{customerLink}} {{consoleLink}}'), [
      'customerLink',
    ]);
    assert.deepEqual(unknownParameters('invite', 'no parameters'), []);
  });

  it('inserts a parameter at the caret', () => {
    assert.deepEqual(insertParameter('Hello !', 'customerName', 6, 6), {
      text: 'Hello {{customerName}}!',
      caret: 22,
    });
    assert.deepEqual(insertParameter('Hello X!', 'agentName', 6, 7).text, 'Hello {{agentName}}!');
  });

  it('takes days in the report zone, not UTC', () => {
    const at = new Date('2025-03-30T23:30:00Z');
    assert.equal(dayIn(at, 'UTC'), '2025-03-30');
    assert.equal(dayIn(at, 'Asia/Tokyo'), '2025-03-31');
    assert.deepEqual(defaultRange(at, 'Asia/Tokyo'), { from: '2025-03-02', to: '2025-03-31' });
    assert.deepEqual(defaultRange(new Date('2025-01-10T12:00:00Z'), 'UTC'), {
      from: '2024-12-12',
      to: '2025-01-10',
    });
  });

  it('scales bars to the largest value', () => {
    const row = (label: string, sessions: number) => ({
      key: label,
      label,
      sessions,
      totalDurationSec: sessions * 60,
      averageDurationSec: 60,
    });
    assert.deepEqual(
      bars([row('a', 4), row('b', 1), row('c', 0)], 'sessions', 200).map((b) => b.width),
      [200, 50, 0],
    );
    assert.deepEqual(bars([row('a', 0)], 'sessions', 200)[0]?.width, 0);
  });

  it('names the CSV file safely', () => {
    assert.equal(csvFileName('2025-01-01', '2025-01-31'), 'beckon-sessions-2025-01-01-2025-01-31.csv');
    assert.equal(csvFileName('a/b', 'c'), 'beckon-sessions-a_b-c.csv');
  });
});
