// Bundles the GitHub Action (src/action/index.ts) and its dependencies into one committed file,
// so the action runs from a tag without `npm install`, and beside it the worker that reads git's
// output for a history of large blobs (src/git/cat-file-worker.ts; BlobReader looks for it next to
// the bundle). Usage: node scripts/build-action.mjs [--outfile FILE]
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeEsmBundle } from './esbuild-node.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const flag = process.argv.indexOf('--outfile');
const outfile = flag >= 0 ? process.argv[flag + 1] : 'dist-action/index.js';

const shared = {
  absWorkingDir: root,
  ...nodeEsmBundle,
  legalComments: 'eof',
  // Module paths in the bundle's comments stay relative to this checkout even if node_modules is a link.
  preserveSymlinks: true,
  logLevel: 'warning',
};
await build({ ...shared, entryPoints: ['src/action/index.ts'], outfile });
await build({ ...shared, entryPoints: ['src/git/cat-file-worker.ts'], outfile: path.join(path.dirname(outfile), 'cat-file-worker.js') });
