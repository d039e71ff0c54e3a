import { runBundle } from './main.ts';

// The bundle's one entry. Bundled, every module shares this file's import.meta,
// so the build turns `import.meta.main` off for the modules that check it.
// process.exit, not exitCode: @roamhq/wrtc crashes Node's own teardown once a track was used.
process.exit(await runBundle(process.argv.slice(2)));
