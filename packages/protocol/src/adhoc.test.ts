import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdhocActivatedSchema,
  AdhocCreateSchema,
  formatAdhocCode,
  generateAdhocCode,
  parseAdhocCode,
} from './adhoc.ts';
import { AdhocChannelMessageSchema, FmRequestSchema } from './adhoc-channel.ts';

test('security codes: 10 digits, shown grouped, typed with spaces or dashes', () => {
  const code = generateAdhocCode();
  assert.match(code, /^\d{10}$/);
  assert.equal(parseAdhocCode(formatAdhocCode(code)), code);
  assert.equal(parseAdhocCode(' 12345 67890 '), '1234567890');
  assert.equal(parseAdhocCode('12345-6789'), null);
  assert.equal(parseAdhocCode('12345-6789x'), null);
});

test('create body: one-line name, a real email, a known language; nothing else', () => {
  assert.equal(AdhocCreateSchema.safeParse({ userName: 'Ann', email: 'ann@example.com' }).success, true);
  assert.equal(AdhocCreateSchema.parse({ userName: 'Ann', email: 'ann@example.com' }).language, 'en');
  for (const bad of [
    { userName: 'A\nB', email: 'ann@example.com' },
    { userName: 'Ann', email: 'not a mail' },
    { userName: 'Ann', email: 'ann@example.com', language: 'fr' },
    { userName: 'Ann', email: 'ann@example.com', seats: 3 },
  ])
    assert.equal(AdhocCreateSchema.safeParse(bad).success, false, JSON.stringify(bad));
});

test('activation answer: the verifier is a scrypt hash, never a password', () => {
  const ok = {
    sessionId: '00000000-0000-4000-8000-000000000001',
    hostId: '00000000-0000-4000-8000-000000000002',
    providerId: '00000000-0000-4000-8000-000000000003',
    activatedAt: '2026-12-03T07:00:00.000Z',
    expiresAt: '2026-12-04T07:00:00.000Z',
    passwordVerifier: 'scrypt$17$8$1$c2FsdA==$a2V5',
    removalToken: 'A'.repeat(43),
  };
  assert.equal(AdhocActivatedSchema.safeParse(ok).success, true);
  assert.equal(AdhocActivatedSchema.safeParse({ ...ok, passwordVerifier: 'hunter2' }).success, false);
});

test('file manager requests carry a root index and a path; unknown kinds are refused', () => {
  assert.equal(
    FmRequestSchema.safeParse({ type: 'fm_list', id: 'a1', root: 0, path: 'Documents' }).success,
    true,
  );
  assert.equal(FmRequestSchema.safeParse({ type: 'fm_list', id: 'a1', root: -1, path: '' }).success, false);
  assert.equal(FmRequestSchema.safeParse({ type: 'fm_chmod', id: 'a1', root: 0, path: 'x' }).success, false);
  assert.equal(AdhocChannelMessageSchema.safeParse({ type: 'adhoc_auth', password: 'x' }).success, true);
});
