// Bundles the CLI and its scan worker into dist/bundle/, so starting keywarden loads two files
// instead of a few hundred modules (startup on one file is a benchmark target). The AWS SDK stays
// external: it is imported only when --resolve-accounts or --verify asks for STS.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
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
      // The bundle is dist/bundle/cli.js: two levels up is keywarden's package root.
      return { contents: source.replace(fallback, "mainFilename: fileURLToPath(new URL('../../', import.meta.url)),"), loader: 'js' };
    });
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));

// Chunk names carry content hashes: without a clean slate every build would leave the last one's chunks behind.
rmSync(new URL('../dist/bundle', import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/bin.ts', worker: 'src/scan/worker.ts' },
  outdir: 'dist/bundle',
  entryNames: '[name]',
  ...nodeEsmBundle,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@aws-sdk/*'],
  // yargs's `string-width` costs ~25 ms of every start-up as it loads; see src/cli/string-width.ts.
  alias: { 'string-width': './src/cli/string-width.ts' },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [yargsStartsFromKeywarden],
});
