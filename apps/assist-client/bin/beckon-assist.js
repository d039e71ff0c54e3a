#!/usr/bin/env node
// Node >= 24 runs the TypeScript source directly (type stripping).
import { runCli } from '../src/headless/cli.ts';

// process.exit, not exitCode: @roamhq/wrtc crashes Node's own teardown once a track was used.
process.exit(await runCli(process.argv.slice(2)));
