import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoToWallTime, wallTimeToIso, zoneOffsetMs } from './zoned-time.ts';

const HOUR = 3600_000;

describe('zoned time', () => {
  it('knows offsets in summer and winter', () => {
    assert.equal(zoneOffsetMs(Date.parse('2030-07-01T00:00:00Z'), 'Europe/Berlin'), 2 * HOUR);
    assert.equal(zoneOffsetMs(Date.parse('2030-01-01T00:00:00Z'), 'Europe/Berlin'), HOUR);
    assert.equal(zoneOffsetMs(Date.parse('2030-01-01T00:00:00Z'), 'Asia/Kolkata'), 5.5 * HOUR);
    assert.equal(zoneOffsetMs(Date.parse('2030-01-01T00:00:00Z'), 'UTC'), 0);
  });

  it('turns a wall time in the agent zone into an instant', () => {
    assert.equal(wallTimeToIso('2030-07-01T10:30', 'Europe/Berlin'), '2030-07-01T08:30:00.000Z');
    assert.equal(wallTimeToIso('2030-01-01T09:00', 'Asia/Tokyo'), '2030-01-01T00:00:00.000Z');
    assert.equal(wallTimeToIso('2030-01-01T09:00', 'America/New_York'), '2030-01-01T14:00:00.000Z');
  });

  it('handles the hour a DST jump skips and the one it repeats', () => {
    // Berlin 2030-03-31 02:00 → 03:00: 02:30 does not exist and becomes 03:30 CEST.
    assert.equal(wallTimeToIso('2030-03-31T02:30', 'Europe/Berlin'), '2030-03-31T01:30:00.000Z');
    // 2030-10-27 02:30 happens twice; the first one is CEST (UTC+2).
    assert.equal(wallTimeToIso('2030-10-27T02:30', 'Europe/Berlin'), '2030-10-27T00:30:00.000Z');
  });

  it('round-trips through the input format', () => {
    const at = Date.parse('2030-05-05T05:05:00Z');
    const wall = isoToWallTime(at, 'Asia/Seoul');
    assert.equal(wall, '2030-05-05T14:05');
    assert.equal(wallTimeToIso(wall, 'Asia/Seoul'), '2030-05-05T05:05:00.000Z');
  });

  it('refuses what is not a wall time', () => {
    for (const bad of ['', '2030-01-01', 'tomorrow', '2030-01-01T25:99x'])
      assert.equal(wallTimeToIso(bad, 'UTC'), null);
  });
});
