import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The package's own version. This file runs from src/eslint/ (tests) and from dist/src/eslint/
 * (published), so package.json is two or three directories up; the name check skips any other.
 */
function readPackageVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const manifest = require(candidate) as { name?: unknown; version?: unknown };
      if (manifest.name === 'keywarden' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // Not at this depth; try the next.
    }
  }
  throw new Error('keywarden: cannot find its package.json to read the plugin version');
}

export const PACKAGE_NAME = 'keywarden';
export const PACKAGE_VERSION = readPackageVersion();
