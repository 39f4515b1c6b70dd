// Bundles the CLI and its scan worker into dist/bundle/, so starting keywarden loads two files
// instead of a few hundred modules (startup on one file is a benchmark target). The AWS SDK stays
// external: it is imported only when --resolve-accounts or --verify asks for STS.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Chunk names carry content hashes: without a clean slate every build would leave the last one's chunks behind.
rmSync(new URL('../dist/bundle', import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/bin.ts', worker: 'src/scan/worker.ts' },
  outdir: 'dist/bundle',
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['@aws-sdk/*'],
  // yargs's `string-width` costs ~25 ms of every start-up as it loads; see src/cli/string-width.ts.
  alias: { 'string-width': './src/cli/string-width.ts' },
  // CommonJS dependencies call require() for node built-ins; an ES module has no require of its own.
  banner: { js: "import { createRequire as __keywardenCreateRequire } from 'node:module';\nconst require = __keywardenCreateRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
