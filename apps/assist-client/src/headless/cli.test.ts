import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseHeadlessArgs } from './args.ts';
import { runCli, USAGE, type CliOutput } from './cli.ts';

function capture(): CliOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const broker = 'https://support.example.com';
const link = 'beckon-assist://join/AbCdEfGhIjKlMnOpQrSt_-0123456789abcdefghijk';

describe('runCli', () => {
  it('prints usage and exits 2 without arguments', async () => {
    const io = capture();
    assert.equal(await runCli([], io), 2);
    assert.match(io.stderr.join('\n'), /missing --broker/);
    assert.ok(io.stderr.join('\n').includes(USAGE));
  });

  it('prints help on --help', async () => {
    const io = capture();
    assert.equal(await runCli(['--help'], io), 0);
    assert.deepEqual(io.stdout, [USAGE]);
  });

  for (const [args, message] of [
    [['--broker', 'ftp://x', '--code', 's12345678'], /--broker must be an http\(s\) URL/],
    [['--broker', broker, '--link', 'beckon-assist://join/short'], /--link must look like/],
    [['--broker', broker, '--code', '1234'], /--code must look like/],
    [['--broker', broker, '--code', 's12345678', '--link', link], /not both/],
    [['--broker', broker, '--bogus'], /Unknown option/],
    [['--broker', broker, 'positional'], /positional/],
  ] as const) {
    it(`exits 2 for ${args.join(' ')}`, async () => {
      const io = capture();
      assert.equal(await runCli(args, io), 2);
      assert.match(io.stderr.join('\n'), message);
    });
  }

  it('takes the broker from a customer link, and a code with an explicit broker', () => {
    const token = link.split('/').pop() as string;
    assert.deepEqual(
      parseHeadlessArgs(['--link', `https://help.example.com/j/${token}`, '--display', ':7']),
      {
        kind: 'run',
        args: {
          brokerUrl: 'https://help.example.com',
          target: { kind: 'token', token },
          display: ':7',
          downloadDir: undefined,
          dataDir: undefined,
        },
      },
    );
    const parsed = parseHeadlessArgs(['--broker', broker, '--code', 's12-345-678']);
    assert.equal(
      parsed.kind === 'run' && parsed.args.target?.kind === 'code' && parsed.args.target.code,
      's12345678',
    );
    assert.deepEqual(parseHeadlessArgs(['--code', 's12345678']), {
      kind: 'error',
      message: 'missing --broker',
    });
    assert.equal(
      parseHeadlessArgs(['--broker', broker, '--code', 's12345678', '--display', '; rm -rf /']).kind,
      'error',
    );
  });
});

describe('bin/beckon-assist.js', () => {
  it('runs the CLI in plain Node', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'beckon-assist.js');
    const result = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /usage: beckon-assist/);
  });

  it('runs when cli.ts is started directly', () => {
    const result = spawnSync(process.execPath, [join(import.meta.dirname, 'cli.ts'), '--help'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /usage: beckon-assist/);
  });
});
