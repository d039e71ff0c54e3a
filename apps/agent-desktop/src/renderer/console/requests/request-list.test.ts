import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionRequestSummarySchema } from '@beckon/protocol';
import { DEFAULT_FILTER, matchesFilter, toListParams, type RequestFilter } from './request-filter.ts';
import { EMPTY_LIST, appendPage, applyChange } from './request-list.ts';
import { ME, MY_DEVICE, OTHER, QUEUE, summary } from '../testing/request-fixtures.ts';

const viewer = { userId: ME, deviceIds: new Set([MY_DEVICE]) };
const now = '2030-01-15T00:00:00.000Z';
const f = (over: Partial<RequestFilter>): RequestFilter => ({ ...DEFAULT_FILTER, ...over });

describe('fixtures', () => {
  it('are valid protocol summaries', () => {
    assert.ok(SessionRequestSummarySchema.safeParse(summary()).success);
  });
});

describe('matchesFilter', () => {
  it('mine: assigned to me or my device', () => {
    assert.ok(matchesFilter(summary(), f({ scope: 'mine' }), viewer, now));
    assert.ok(
      matchesFilter(summary({ assignee: { type: 'device', id: MY_DEVICE, name: 'd' } }), f({}), viewer, now),
    );
    assert.ok(
      !matchesFilter(summary({ assignee: { type: 'agent', id: OTHER, name: 'o' } }), f({}), viewer, now),
    );
    assert.ok(
      !matchesFilter(summary({ assignee: { type: 'unassigned', id: null, name: null } }), f({}), viewer, now),
    );
  });

  it('unassigned, queue and all', () => {
    const un = summary({ assignee: { type: 'unassigned', id: null, name: null } });
    const q = summary({ assignee: { type: 'queue', id: QUEUE, name: 'Q' } });
    assert.ok(matchesFilter(un, f({ scope: 'unassigned' }), viewer, now));
    assert.ok(!matchesFilter(q, f({ scope: 'unassigned' }), viewer, now));
    assert.ok(matchesFilter(q, f({ scope: 'queue', queueId: QUEUE }), viewer, now));
    assert.ok(!matchesFilter(q, f({ scope: 'queue', queueId: OTHER }), viewer, now));
    assert.ok(matchesFilter(un, f({ scope: 'all' }), viewer, now));
  });

  it('status and past / upcoming', () => {
    const later = summary({ scheduledAt: '2030-01-20T00:00:00.000Z' });
    assert.ok(matchesFilter(later, f({ when: 'upcoming' }), viewer, now));
    assert.ok(!matchesFilter(later, f({ when: 'past' }), viewer, now));
    assert.ok(
      matchesFilter({ ...later, status: 'closed' }, f({ when: 'past' }), viewer, now),
      'ended is past',
    );
    assert.ok(matchesFilter(summary(), f({ when: 'past' }), viewer, now));
    assert.ok(!matchesFilter(summary(), f({ statuses: ['waiting', 'ready'] }), viewer, now));
    assert.ok(
      matchesFilter(summary({ status: 'ready' }), f({ statuses: ['waiting', 'ready'] }), viewer, now),
    );
  });

  it('search: name, email, comment case-insensitively, or the code digits', () => {
    const r = summary({
      recipientName: 'Jürgen Ölberg',
      recipientEmail: 'J@Example.com',
      comment: 'Printer',
      code: 's12345678',
    });
    for (const q of ['jürgen', 'example', 'PRINT', 's12-345', '345 678'])
      assert.ok(matchesFilter(r, f({ q }), viewer, now), q);
    for (const q of ['anna', '999']) assert.ok(!matchesFilter(r, f({ q }), viewer, now), q);
  });

  it('maps to the broker query', () => {
    assert.deepEqual(toListParams(f({ scope: 'queue', queueId: QUEUE, when: 'upcoming', q: ' x ' }), 'c'), {
      statuses: [],
      assignee: undefined,
      queue: QUEUE,
      when: 'upcoming',
      q: 'x',
      cursor: 'c',
      limit: 200,
    });
    assert.equal(toListParams(f({ scope: 'mine' }), null).assignee, 'me');
  });
});

describe('request list', () => {
  const page1 = [summary({ n: 9 }), summary({ n: 8 }), summary({ n: 7 })];

  it('appends pages in order without duplicates', () => {
    let list = appendPage(EMPTY_LIST, page1, 'c1');
    list = appendPage(list, [summary({ n: 7 }), summary({ n: 6 })], null);
    assert.deepEqual(
      list.ids.map((id) => list.byId.get(id)?.recipientName),
      ['Recipient 9', 'Recipient 8', 'Recipient 7', 'Recipient 6'],
    );
    assert.equal(list.nextCursor, null);
  });

  it('keeps a live version newer than the page that arrives after it', () => {
    const live = { ...summary({ n: 8 }), status: 'closed' as const, updatedAt: '2031-01-01T00:00:00.000Z' };
    const list = appendPage(EMPTY_LIST, page1, null, new Map([[live.id, live]]));
    assert.equal(list.byId.get(live.id)?.status, 'closed');
  });

  it('updates in place, removes what stops matching, ignores stale versions', () => {
    const list = appendPage(EMPTY_LIST, page1, null);
    const waiting = {
      ...summary({ n: 8 }),
      status: 'waiting' as const,
      updatedAt: '2030-06-01T00:00:00.000Z',
    };
    const updated = applyChange(list, waiting, true);
    assert.equal(updated.byId.get(waiting.id)?.status, 'waiting');
    assert.deepEqual(updated.ids, list.ids);
    assert.equal(applyChange(updated, summary({ n: 8 }), true), updated, 'stale');
    const removed = applyChange(updated, { ...waiting, updatedAt: '2030-07-01T00:00:00.000Z' }, false);
    assert.equal(removed.ids.length, 2);
    assert.ok(!removed.byId.has(waiting.id));
  });

  it('inserts a new match at its place, but not beyond the loaded range', () => {
    const full = appendPage(EMPTY_LIST, page1, null);
    assert.equal(applyChange(full, summary({ n: 10 }), true).ids[0], summary({ n: 10 }).id);
    assert.equal(applyChange(full, summary({ n: 1 }), true).ids[3], summary({ n: 1 }).id);
    const partial = appendPage(EMPTY_LIST, page1, 'more');
    assert.equal(applyChange(partial, summary({ n: 10 }), true).ids.length, 4);
    assert.equal(applyChange(partial, summary({ n: 1 }), true), partial);
    const middle = applyChange(partial, summary({ n: 8, id: '00000000-0000-4000-8000-0000000000ff' }), true);
    assert.equal(middle.ids.length, 4);
    assert.equal(applyChange(EMPTY_LIST, summary(), true), EMPTY_LIST, 'nothing loaded yet');
  });
});
