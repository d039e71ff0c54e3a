#!/usr/bin/env node
// Node >= 24 runs the TypeScript sources directly (type stripping).
import { main } from '../src/cli.ts';

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exit(code);
