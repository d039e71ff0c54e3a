import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartRuns, formatBytes, monitorSeries, percentOf } from './format.ts';

describe('task formatting', () => {
  it('formats sizes in decimal units in the agent language', () => {
    assert.equal(formatBytes(512, 'en'), '512 byte');
    assert.equal(formatBytes(1536, 'en'), '1.5 kB');
    assert.equal(formatBytes(8_000_000_000, 'de').replace(/\s/g, ' '), '8 GB');
    assert.equal(formatBytes(-1, 'en'), '0 byte');
  });

  it('computes percentages safely', () => {
    assert.equal(percentOf(1, 4), 25);
    assert.equal(percentOf(1, 0), 0);
    assert.equal(percentOf(5, 4), 100);
  });

  it('builds series per disk, a late disk starting with a gap', () => {
    const s = monitorSeries([
      {
        type: 'monitor_sample',
        at: '2025-01-01T00:00:00Z',
        cpuPercent: 10,
        memUsedBytes: 1,
        memTotalBytes: 4,
        disks: [],
      },
      {
        type: 'monitor_sample',
        at: '2025-01-01T00:00:01Z',
        cpuPercent: 20,
        memUsedBytes: 2,
        memTotalBytes: 4,
        disks: [{ mount: '/', usedBytes: 3, sizeBytes: 4 }],
      },
    ]);
    assert.deepEqual(s.cpu, [10, 20]);
    assert.deepEqual(s.ram, [25, 50]);
    assert.equal(s.disks[0]?.mount, '/');
    assert.ok(Number.isNaN(s.disks[0]?.values[0]));
    assert.equal(s.disks[0]?.values[1], 75);
  });

  it('draws the newest value at the right edge and splits at gaps', () => {
    assert.deepEqual(chartRuns([0, 100], 3, 200, 50), ['100,50 200,0']);
    assert.deepEqual(chartRuns([50, Number.NaN, 50], 3, 200, 50), ['0,25', '200,25']);
    assert.deepEqual(chartRuns([], 3, 200, 50), []);
  });
});
