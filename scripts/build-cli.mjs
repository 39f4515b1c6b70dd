// Bundles everything the package runs into dist-bundle/, which is committed: the CLI and its scan
// worker and its git reader worker, the library entry (`import 'keywarden'`) and the ESLint plugin (`keywarden/eslint`), with
// their dependencies inside. So the package has no runtime dependencies: installing it from git
// (pre-commit does; so does npm for a git dependency) or from its tarball needs no build step, no
// devDependencies, no lifecycle script and no registry. Starting keywarden loads a few files instead
// of a few hundred modules (start-up on one file is a benchmark target); the AWS SDK sits in chunks
// of its own, loaded only when --resolve-accounts or --verify asks for STS.
// Usage: node scripts/build-cli.mjs [--outdir DIR]
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeEsmBundle } from './esbuild-node.mjs';

/**
 * yargs guesses its host's version as it starts, parsing the first package.json found walking up
 * from `mainFilename`, which its ES module shim derives from its own place under node_modules.
 * Bundled, that path holds no node_modules, so the shim falls back to the current directory: every
 * run would read the scanned checkout's package.json (and hang on a FIFO of that name, as a plain
 * read of a FIFO waits for a writer). Here it starts from keywarden's own package instead.
 */
const yargsStartsFromKeywarden = {
  name: 'yargs-starts-from-keywarden',
  setup(builder) {
    builder.onLoad({ filter: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const fallback = 'mainFilename: mainFilename || process.cwd(),';
      if (!source.includes(fallback)) throw new Error(`${args.path}: yargs changed; review the yargs-starts-from-keywarden patch`);
      // The bundle is dist-bundle/cli.js: one level up is keywarden's package root.
      return { contents: source.replace(fallback, "mainFilename: fileURLToPath(new URL('../', import.meta.url)),"), loader: 'js' };
    });
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
const flag = process.argv.indexOf('--outdir');
const outdir = path.resolve(root, flag >= 0 ? process.argv[flag + 1] : 'dist-bundle');

// Chunk names carry content hashes: without a clean slate every build would leave the last one's chunks behind.
rmSync(outdir, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    cli: 'src/cli/bin.ts',
    worker: 'src/scan/worker.ts',
    'cat-file-worker': 'src/git/cat-file-worker.ts',
    index: 'src/index.ts',
    eslint: 'src/eslint/index.ts',
  },
  outdir,
  entryNames: '[name]',
  ...nodeEsmBundle,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // ES module builds where a package has one (the AWS SDK does): its named exports then survive
  // the dynamic import() that loads it lazily, which esbuild's CommonJS interop would hide.
  mainFields: ['module', 'main'],
  // ESLint is the plugin's host: its types are imported, never its code.
  external: ['eslint'],
  // yargs's `string-width` costs ~25 ms of every start-up as it loads; see src/cli/string-width.ts.
  // yargs's `assert` (two invariant checks) loads node:assert, ~4 ms; see src/cli/assert.ts.
  alias: { 'string-width': './src/cli/string-width.ts', assert: './src/cli/assert.ts' },
  minifyWhitespace: true,
  minifySyntax: true,
  // Module paths in the bundle's comments stay relative to this checkout even if node_modules is a link.
  preserveSymlinks: true,
  logLevel: 'warning',
  plugins: [yargsStartsFromKeywarden],
});
