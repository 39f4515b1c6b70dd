#!/usr/bin/env node
// Entry point: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm install`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('keywarden: not built yet: run "npm run build" in the keywarden package\n');
  process.exit(2);
}
await import(entry.href);
