/**
 * ESLint overhead of the keywarden plugin (issue 5): lint a generated TypeScript tree with
 * @typescript-eslint/parser and ESLint's recommended rules (what a real project runs), then with
 * keywarden's recommended config added, alternating runs. Also measured against a config with no
 * rules at all, an upper bound: there a single no-op rule (an empty Program listener) costs about
 * as much as the plugin (measured: ~20%), so that figure is ESLint's per-rule machinery.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run } from './measure.js';
import { writeTsTree } from './trees.js';

const CHILD = fileURLToPath(new URL('./eslint-child.js', import.meta.url));

function lint(dir, plugin, baseline = '--js-recommended') {
  const result = run(process.execPath, [CHILD, dir, plugin ?? 'none', baseline], { node: true });
  if (result.status !== 0)
    throw new Error(`ESLint run failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
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
  const bare = [];
  const bareWithPlugin = [];
  for (let i = 0; i < runs; i++) {
    without.push(lint(dir));
    withPlugin.push(lint(dir, plugin));
    bare.push(lint(dir, undefined, '--no-rules'));
    bareWithPlugin.push(lint(dir, plugin, '--no-rules'));
  }
  const base = median(without.map((r) => r.seconds));
  const plus = median(withPlugin.map((r) => r.seconds));
  const bareBase = median(bare.map((r) => r.seconds));
  const barePlus = median(bareWithPlugin.map((r) => r.seconds));
  // Overhead from each back-to-back pair, then the median: a neighbour's load that slows one round
  // slows both runs of its pair, where a difference of medians mixes rounds.
  const pairedOverhead = (withoutRuns, withRuns) =>
    median(withoutRuns.map((r, i) => ((withRuns[i].seconds - r.seconds) / r.seconds) * 100));
  const last = withPlugin[withPlugin.length - 1];
  return {
    files: tree.files.length,
    bytes: tree.bytes,
    planted: tree.planted,
    runs,
    baselineSeconds: base,
    pluginSeconds: plus,
    overheadPercent: pairedOverhead(without, withPlugin),
    noRulesBaselineSeconds: bareBase,
    noRulesPluginSeconds: barePlus,
    noRulesOverheadPercent: pairedOverhead(bare, bareWithPlugin),
    pluginMessages: last.keywarden,
    fatal: last.fatal + without[without.length - 1].fatal,
    baselineRssKB: median(without.map((r) => r.rssKB ?? 0)) || null,
    pluginRssKB: median(withPlugin.map((r) => r.rssKB ?? 0)) || null,
  };
}
