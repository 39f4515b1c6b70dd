#!/usr/bin/env node
// Entry point. `npm run build` (run by `npm install` through the prepare script) writes the bundled
// CLI to dist/bundle/; the unbundled tsc output in dist/src/ is the fallback.
import { existsSync } from 'node:fs';

const candidates = ['../dist/bundle/cli.js', '../dist/src/cli/bin.js'].map((relative) => new URL(relative, import.meta.url));
const entry = candidates.find((url) => existsSync(url));
if (!entry) {
  process.stderr.write('keywarden: not built yet: run "npm run build" in the keywarden package\n');
  process.exit(2);
}
await import(entry.href);
