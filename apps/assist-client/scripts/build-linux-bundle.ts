// `scripts/beckon setup` runs this when the Linux assist bundle is missing or
// its inputs changed: the file the broker serves as the Linux download when
// no Electron AppImage is in BECKON_ARTIFACTS_DIR (src/bundle/build.ts).
import { buildLinuxBundle } from '../src/bundle/build.ts';

const result = await buildLinuxBundle({ out: process.argv[2] });
console.log(
  `${result.file}: ${(result.bytes / 1048576).toFixed(1)} MiB in ${(result.ms / 1000).toFixed(1)} s`,
);
