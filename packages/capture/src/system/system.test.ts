import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MonitorSampleSchema, SystemInfoSchema, parseWith } from '@beckon/protocol';
import { clip, collectSystemInfo } from './info.ts';
import { MIN_INTERVAL_MS, sampleOnce, startMonitor } from './monitor.ts';

// Against this machine's real numbers: whatever they are, they must pass the
// protocol's schemas, since the agent's side parses them with the same ones.

describe('system information', () => {
  it('describes this machine in the protocol shape', async () => {
    const info = await collectSystemInfo();
    const parsed = parseWith(SystemInfoSchema, info);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    assert.equal(info.os.platform, process.platform);
    assert.ok(info.cpu.cores >= 1);
    assert.ok(info.memory.totalBytes > 0);
    assert.ok(info.disks.some((d) => d.mount === '/'));
    assert.ok(info.network.some((n) => n.iface === 'lo'));
  });

  it('cuts strings to the schema limits', () => {
    assert.equal(clip('x'.repeat(300), 255).length, 255);
    assert.equal(clip(undefined, 10), '');
    assert.equal(clip(null, 10), '');
    assert.equal(clip(42, 10), '42');
  });
});

describe('monitoring', () => {
  it('takes a sample that passes the schema', async () => {
    const sample = await sampleOnce();
    const parsed = parseWith(MonitorSampleSchema, sample);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    assert.ok(sample.memUsedBytes > 0 && sample.memUsedBytes <= sample.memTotalBytes);
    const root = sample.disks.find((d) => d.mount === '/');
    assert.ok(root && root.usedBytes > 0 && root.usedBytes <= root.sizeBytes);
  });

  it('samples on its interval until stopped', async () => {
    const samples: unknown[] = [];
    const errors: unknown[] = [];
    const started = Date.now();
    const monitor = startMonitor({
      intervalMs: 10,
      onSample: (s) => samples.push(s),
      onError: (e) => errors.push(e),
    });
    while (samples.length < 3 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    monitor.stop();
    const elapsed = Date.now() - started;
    assert.equal(errors.length, 0);
    assert.ok(samples.length >= 3);
    // 10 ms is raised to the 250 ms minimum: three samples take at least three intervals.
    assert.ok(elapsed >= 3 * MIN_INTERVAL_MS - 20, `${elapsed} ms`);
    for (const s of samples) assert.ok(parseWith(MonitorSampleSchema, s).ok);
    const count = samples.length;
    await new Promise((r) => setTimeout(r, 2 * MIN_INTERVAL_MS));
    assert.equal(samples.length, count, 'no samples after stop');
  });
});
