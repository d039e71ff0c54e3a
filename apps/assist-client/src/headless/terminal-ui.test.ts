import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { TerminalUi, type TerminalUiOptions } from './terminal-ui.ts';

/** The terminal face over real streams: what it prints, and lines typed into it. */
function terminal(options: TerminalUiOptions = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString()));
  const ui = new TerminalUi(input, output, options);
  return {
    ui,
    printed: () => printed,
    /** Types a line and lets readline deliver it. */
    async type(line: string) {
      input.write(`${line}\n`);
      await new Promise((r) => setImmediate(r));
    },
  };
}

const file = (name: string, size = 10) => ({ name, size });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TerminalUi file questions', () => {
  it('prints one question at a time with its number, file and size; "yes" answers the one printed', async () => {
    const t = terminal({ settleMs: 0 });
    const a = t.ui.confirmFile(file('a.txt', 3));
    const b = t.ui.confirmFile(file('b.txt', 4));
    assert.match(t.printed(), /File question 1: the agent sends the file "a\.txt" \(3 bytes\)\. Accept\?/);
    assert.doesNotMatch(t.printed(), /b\.txt/);
    await t.type('yes');
    assert.equal(await a, true);
    assert.match(t.printed(), /File question 2: the agent sends the file "b\.txt" \(4 bytes\)/);
    await t.type('maybe');
    assert.match(t.printed(), /Please type "yes" or "no" for the file "b\.txt"/);
    await t.type('no');
    assert.equal(await b, false);
    t.ui.close();
  });

  it('"yes 3" answers question 3 only', async () => {
    const t = terminal({ settleMs: 0 });
    const a = t.ui.confirmFile(file('a.txt'));
    await t.type('yes 3');
    assert.match(t.printed(), /File question 3 is not open; question 1 is about "a\.txt"/);
    assert.equal(t.ui.fileQuestions.shown()?.name, 'a.txt');
    await t.type('yes 1');
    assert.equal(await a, true);
    t.ui.close();
  });

  it('a bare answer right after the question changed is not taken for the new one', async () => {
    const t = terminal({ settleMs: 300 });
    const a = t.ui.confirmFile(file('a.txt'));
    const b = t.ui.confirmFile(file('b.txt'));
    await t.type('no');
    assert.equal(await a, false);
    // Typed for a.txt a moment too late: it must not save b.txt.
    await t.type('yes');
    assert.match(t.printed(), /The file question just changed: question 2 is about "b\.txt"/);
    assert.equal(t.ui.fileQuestions.shown()?.name, 'b.txt');
    await sleep(350);
    await t.type('yes');
    assert.equal(await b, true);
    t.ui.close();
  });

  it('says when a question timed out, and one line for a flood of refusals', async () => {
    const t = terminal({ files: { maxPending: 2, answerTimeoutMs: 100 } });
    const a = t.ui.confirmFile(file('a.txt'));
    const b = t.ui.confirmFile(file('b.txt'));
    const refused = await Promise.allSettled([1, 2, 3].map((i) => t.ui.confirmFile(file(`${i}.bin`))));
    assert.ok(
      refused.every((r) => r.status === 'rejected' && /too many pending files/.test(String(r.reason))),
    );
    assert.equal(
      t.printed().match(/Declined a file from the agent: 2 files are already waiting/g)?.length,
      1,
    );
    assert.equal(await a, false);
    assert.match(t.printed(), /No answer about "a\.txt" in 1 s: declined\./);
    t.ui.close();
    assert.equal(await b, false);
    assert.match(t.printed(), /The file "b\.txt" was withdrawn\./);
  });

  it('"stop" stays a command while a file question is open', async () => {
    const t = terminal();
    const commands: string[] = [];
    t.ui.onCommand = (c) => commands.push(c);
    const a = t.ui.confirmFile(file('a.txt'));
    await t.type('stop');
    assert.deepEqual(commands, ['stop']);
    assert.equal(t.ui.fileQuestions.shown()?.name, 'a.txt');
    t.ui.close();
    assert.equal(await a, false);
  });
});

describe('TerminalUi secrets', () => {
  it('turns the echo off while a password is typed and on again after, also when the question is withdrawn', async () => {
    const echo: boolean[] = [];
    const t = terminal({ echo: (on) => echo.push(on) });
    const secret = t.ui.askSecret('Password:');
    assert.deepEqual(echo, [false], 'off before anything is typed');
    await t.type('hunter2 and more');
    assert.equal(await secret, 'hunter2 and more');
    assert.deepEqual(echo, [false, true]);
    assert.doesNotMatch(t.printed(), /hunter2/, 'the face itself never prints it');
    const abort = new AbortController();
    const withdrawn = t.ui.askSecret('Password:', abort.signal);
    abort.abort();
    assert.equal(await withdrawn, '');
    assert.deepEqual(echo, [false, true, false, true]);
  });
});
