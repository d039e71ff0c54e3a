#!/usr/bin/env node
// Node >= 24 runs the TypeScript source directly (type stripping).
import { runCli } from '../src/headless/cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
