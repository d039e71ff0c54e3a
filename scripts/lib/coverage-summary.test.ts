import assert from 'node:assert/strict';
import { test } from 'node:test';
import { format, projectOf, summarise } from './coverage-summary.ts';

const lcov = [
  'TN:',
  'SF:apps/broker/src/a.ts',
  'BRF:4',
  'BRH:3',
  'LF:10',
  'LH:5',
  'end_of_record',
  'SF:apps/broker/src/b.ts',
  'BRF:0',
  'BRH:0',
  'LF:10',
  'LH:10',
  'end_of_record',
  'SF:packages/protocol/src/c.ts',
  'BRF:2',
  'BRH:1',
  'LF:4',
  'LH:1',
  'end_of_record',
  'SF:eslint.config.js',
  'LF:9',
  'LH:9',
  'end_of_record',
].join('\n');

test('coverage is summed per project; files at the root count for none', () => {
  assert.equal(projectOf('apps/broker/src/x/y.ts'), 'apps/broker');
  assert.equal(projectOf('bench/lib/table.ts'), 'bench');
  assert.equal(projectOf('playwright.config.ts'), null);
  assert.deepEqual(format(summarise(lcov)), [
    'apps/broker            lines  75.0 %  branches  75.0 %',
    'packages/protocol      lines  25.0 %  branches  50.0 %',
  ]);
});
