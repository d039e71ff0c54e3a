import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWith } from './parse.ts';
import {
  SessionRequestCreateSchema,
  SessionRequestListQuerySchema,
  SessionRequestPatchSchema,
} from './session-request.ts';

test('SR1 and SR2 bodies parse with defaults', () => {
  const sr1 = parseWith(SessionRequestCreateSchema, {
    recipientName: 'Ada Lovelace',
    assignee: { type: 'me' },
    recipientEmail: 'ada@example.com',
    sendInvite: true,
    comment: 'printer',
  });
  assert.equal(sr1.ok, true);
  if (sr1.ok) {
    assert.equal(sr1.value.language, 'en');
    assert.deepEqual(sr1.value.permissions, ['view', 'control', 'file_transfer', 'system_info']);
  }
  const sr2 = parseWith(SessionRequestCreateSchema, {
    recipientName: '山田太郎',
    recipientEmail: 'taro@example.jp',
    sendInvite: true,
    language: 'ja',
    comment: 'VPN',
    scheduledAt: '2030-01-01T09:00:00+09:00',
    expiresAt: '2030-01-02T00:00:00Z',
    assignee: { type: 'queue', id: crypto.randomUUID() },
    timeZone: 'Asia/Tokyo',
  });
  assert.equal(sr2.ok, true);
});

test('bad bodies are refused with the field named', () => {
  const cases: [unknown, string][] = [
    [{ recipientName: 'a', sendInvite: true }, 'recipientEmail'],
    [{ recipientName: '' }, 'recipientName'],
    [{ recipientName: 'a\r\nBcc: x@y' }, 'recipientName'],
    [{ recipientName: 'a', language: 'fr' }, 'language'],
    [{ recipientName: 'a', timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ recipientName: 'a', expiresAt: 'tomorrow' }, 'expiresAt'],
    [{ recipientName: 'a', assignee: { type: 'queue' } }, 'assignee'],
    [{ recipientName: 'a', admin: true }, '(root)'],
  ];
  for (const [body, field] of cases) {
    const r = parseWith(SessionRequestCreateSchema, body);
    assert.equal(r.ok, false, JSON.stringify(body));
    if (!r.ok)
      assert.ok(
        r.error.issues.some((i) => i.path.startsWith(field)),
        `${field}: ${JSON.stringify(r.error.issues)}`,
      );
  }
});

test('patch needs a field; list query coerces and splits', () => {
  assert.equal(parseWith(SessionRequestPatchSchema, {}).ok, false);
  const q = parseWith(SessionRequestListQuerySchema, { status: 'open,waiting', limit: '10' });
  assert.deepEqual(q.ok && q.value, { status: ['open', 'waiting'], limit: 10 });
  assert.equal(parseWith(SessionRequestListQuerySchema, { status: 'open,bogus' }).ok, false);
  assert.equal(parseWith(SessionRequestListQuerySchema, { limit: '1000' }).ok, false);
});
