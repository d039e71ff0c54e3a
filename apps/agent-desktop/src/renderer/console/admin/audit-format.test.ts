import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayStartIn, detailsLine, nextDay } from './audit-format.ts';

describe('audit filters', () => {
  it('a day starts at the zone’s midnight, across DST changes too', () => {
    assert.equal(dayStartIn('2027-01-15', 'UTC'), '2027-01-15T00:00:00.000Z');
    assert.equal(dayStartIn('2027-01-15', 'Europe/Berlin'), '2027-01-14T23:00:00.000Z');
    assert.equal(dayStartIn('2027-07-15', 'Europe/Berlin'), '2027-07-14T22:00:00.000Z');
    assert.equal(dayStartIn('2027-03-28', 'Europe/Berlin'), '2027-03-27T23:00:00.000Z');
    assert.equal(dayStartIn('2027-01-15', 'Asia/Tokyo'), '2027-01-14T15:00:00.000Z');
  });
  it('"to" includes its whole day; details read as one line', () => {
    assert.equal(nextDay('2027-02-28'), '2027-03-01');
    assert.equal(
      detailsLine({ answer: 'view', permissions: ['view'] }),
      'answer: view, permissions: ["view"]',
    );
  });
});
