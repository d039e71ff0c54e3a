import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileTransfers } from '@beckon/session';
import {
  FileOfferRefused,
  FileQuestions,
  type FileQuestionEnd,
  type FileQuestionsOptions,
  type ShownFileQuestion,
} from './file-questions.ts';

type Q = { name: string; size: number };

/** A face that records what is on screen, as a person would see it. */
function face(options: FileQuestionsOptions = {}) {
  const log: string[] = [];
  let onScreen: ShownFileQuestion<Q>[] = [];
  let refused = 0;
  const questions = new FileQuestions<Q>(
    {
      show: (q, waiting) => {
        onScreen.push(q);
        log.push(`show ${q.id} ${q.name} +${waiting}`);
      },
      hide: (q, end: FileQuestionEnd) => {
        onScreen = onScreen.filter((s) => s !== q);
        log.push(`hide ${q.id} ${end}`);
      },
      refused: () => void refused++,
    },
    options,
  );
  return { questions, log, onScreen: () => onScreen, refused: () => refused };
}

const file = (name: string, size = 1): Q => ({ name, size });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FileQuestions', () => {
  it('shows one question at a time, in order, each with its own id', async () => {
    const f = face();
    const a = f.questions.ask(file('a.txt', 3));
    const b = f.questions.ask(file('b.txt', 4));
    assert.equal(f.onScreen().length, 1);
    const first = f.questions.shown();
    assert.deepEqual({ ...first, deadline: 0 }, { name: 'a.txt', size: 3, id: '1', deadline: 0 });
    assert.ok(f.questions.answer('1', true));
    assert.equal(await a, true);
    assert.equal(f.questions.shown()?.name, 'b.txt');
    assert.equal(f.onScreen().length, 1);
    assert.ok(f.questions.answer('2', false));
    assert.equal(await b, false);
    assert.equal(f.questions.shown(), null);
    assert.deepEqual(f.log, ['show 1 a.txt +0', 'hide 1 yes', 'show 2 b.txt +0', 'hide 2 no']);
  });

  it('an answer applies to its id only: a stale id changes nothing', async () => {
    const f = face();
    const a = f.questions.ask(file('a.txt'));
    const b = f.questions.ask(file('b.txt'));
    assert.equal(f.questions.answer('2', true), false, 'b is queued, not shown: not answerable');
    assert.equal(f.questions.shown()?.name, 'a.txt');
    f.questions.answer('1', false);
    assert.equal(await a, false);
    assert.equal(f.questions.answer('1', true), false, 'a is gone: a late yes does not reach b');
    assert.equal(f.questions.shown()?.name, 'b.txt');
    f.questions.answer('2', true);
    assert.equal(await b, true);
  });

  it('refuses past the bound with "too many pending files", asking nothing', async () => {
    const f = face({ maxPending: 3 });
    const asked = [1, 2, 3].map((i) => f.questions.ask(file(`${i}.txt`)));
    await assert.rejects(f.questions.ask(file('4.txt')), (err: unknown) => {
      assert.ok(err instanceof FileOfferRefused);
      assert.equal(err.message, FileTransfers.TOO_MANY_PENDING);
      return true;
    });
    assert.equal(f.refused(), 1);
    assert.equal(f.questions.pending, 3);
    assert.equal(f.log.filter((l) => l.startsWith('show')).length, 1);
    // Room again once one is answered.
    f.questions.answer('1', false);
    const fourth = f.questions.ask(file('4.txt'));
    assert.equal(f.questions.pending, 3);
    f.questions.withdrawAll();
    assert.deepEqual(await Promise.all([...asked, fourth]), [false, false, false, false]);
  });

  it('a shown question times out as a "no", counted from when it is shown', async () => {
    const f = face({ answerTimeoutMs: 150 });
    const a = f.questions.ask(file('a.txt'));
    const b = f.questions.ask(file('b.txt'));
    const start = Date.now();
    assert.equal(await a, false);
    assert.equal(f.questions.shown()?.name, 'b.txt');
    const bShown = Date.now();
    // b waited while a was shown; its own minute starts only now.
    assert.ok((f.questions.shown()?.deadline ?? 0) >= bShown + 100);
    assert.equal(await b, false);
    assert.ok(Date.now() - start >= 280, `both timed out one after the other (${Date.now() - start} ms)`);
    assert.deepEqual(f.log, ['show 1 a.txt +0', 'hide 1 timeout', 'show 2 b.txt +0', 'hide 2 timeout']);
  });

  it('an answer in time stops the clock', async () => {
    const f = face({ answerTimeoutMs: 100 });
    const a = f.questions.ask(file('a.txt'));
    f.questions.answer('1', true);
    await sleep(150);
    assert.equal(await a, true);
    assert.deepEqual(f.log, ['show 1 a.txt +0', 'hide 1 yes']);
  });

  it('a withdrawn question leaves the screen, or the queue, at once', async () => {
    const f = face();
    const ca = new AbortController();
    const cb = new AbortController();
    const a = f.questions.ask(file('a.txt'), ca.signal);
    const b = f.questions.ask(file('b.txt'), cb.signal);
    const c = f.questions.ask(file('c.txt'));
    cb.abort();
    assert.equal(await b, false);
    assert.equal(f.questions.pending, 2);
    ca.abort();
    assert.equal(await a, false);
    assert.equal(f.questions.shown()?.name, 'c.txt');
    assert.deepEqual(
      f.onScreen().map((q) => q.name),
      ['c.txt'],
    );
    f.questions.answer(f.questions.shown()!.id, true);
    assert.equal(await c, true);
    const gone = new AbortController();
    gone.abort();
    assert.equal(await f.questions.ask(file('d.txt'), gone.signal), false);
    assert.deepEqual(f.log, ['show 1 a.txt +0', 'hide 1 withdrawn', 'show 2 c.txt +0', 'hide 2 yes']);
  });
});
