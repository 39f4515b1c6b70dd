/**
 * ESLint overhead of the keywarden plugin (issue 5): lint a generated TypeScript tree with
 * @typescript-eslint/parser alone, then with the plugin's recommended config, alternating runs.
 * The baseline runs no rules at all, so the percentage is an upper bound on the real-world cost.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run } from './measure.js';
import { writeTsTree } from './trees.js';

const CHILD = fileURLToPath(new URL('./eslint-child.js', import.meta.url));

function lint(dir, plugin) {
  const result = run(process.execPath, [CHILD, dir, plugin ?? 'none'], { node: true });
  if (result.status !== 0) throw new Error(`ESLint run failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
  return { ...JSON.parse(result.stdout), wallSeconds: result.seconds, rssKB: result.rssKB };
}

export function eslintPluginPath(repoRoot) {
  const plugin = path.join(repoRoot, 'dist/src/eslint/index.js');
  return existsSync(plugin) ? plugin : undefined;
}

export function benchEslint(repoRoot, dir, { files = 2000, runs = 3 } = {}) {
  const plugin = eslintPluginPath(repoRoot);
  if (!plugin) return { skipped: 'dist/src/eslint/index.js missing: the ESLint plugin is not built' };
  const tree = writeTsTree(dir, { count: files, seed: 5, plantEvery: 100 });
  lint(dir); // warm the page cache and the module cache on disk
  const without = [];
  const withPlugin = [];
  for (let i = 0; i < runs; i++) {
    without.push(lint(dir));
    withPlugin.push(lint(dir, plugin));
  }
  const base = median(without.map((r) => r.seconds));
  const plus = median(withPlugin.map((r) => r.seconds));
  const last = withPlugin[withPlugin.length - 1];
  return {
    files: tree.files.length,
    bytes: tree.bytes,
    planted: tree.planted,
    runs,
    baselineSeconds: base,
    pluginSeconds: plus,
    overheadPercent: ((plus - base) / base) * 100,
    pluginMessages: last.keywarden,
    fatal: last.fatal + without[without.length - 1].fatal,
    baselineRssKB: median(without.map((r) => r.rssKB ?? 0)) || null,
    pluginRssKB: median(withPlugin.map((r) => r.rssKB ?? 0)) || null,
  };
}
