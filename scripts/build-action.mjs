// Bundles the GitHub Action (src/action/index.ts) and its dependencies into one committed file,
// so the action runs from a tag without `npm install`. Usage: node scripts/build-action.mjs [--outfile FILE]
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { nodeEsmBundle } from './esbuild-node.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const flag = process.argv.indexOf('--outfile');
const outfile = flag >= 0 ? process.argv[flag + 1] : 'dist-action/index.js';

await build({
  absWorkingDir: root,
  entryPoints: ['src/action/index.ts'],
  outfile,
  ...nodeEsmBundle,
  legalComments: 'eof',
  // Module paths in the bundle's comments stay relative to this checkout even if node_modules is a link.
  preserveSymlinks: true,
  logLevel: 'warning',
});
