#!/usr/bin/env node
// Entry point: the bundled CLI, committed in dist-bundle/ so that an install from git (pre-commit,
// a git dependency) works without a build step. `npm run build` rewrites it from src/.
await import('../dist-bundle/cli.js');
