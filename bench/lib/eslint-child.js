/**
 * One ESLint run in a fresh process, so runs with and without the plugin do not share caches:
 *   node eslint-child.js <dir> <plugin-module-path|none> [--js-recommended]
 * --js-recommended adds ESLint's own recommended rules: the baseline a real project lints with.
 * Prints JSON: seconds spent in lintFiles, files linted, messages and keywarden messages.
 */
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';

const [dir, pluginPath, baseline] = process.argv.slice(2);
const config = [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tsParser } }];
if (baseline === '--js-recommended') {
  const js = (await import('@eslint/js')).default;
  config.push({ files: ['**/*.ts', '**/*.tsx'], ...js.configs.recommended });
}
if (pluginPath && pluginPath !== 'none') {
  const plugin = (await import(pathToFileURL(pluginPath).href)).default;
  config.push(plugin.configs.recommended);
}
const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, cache: false });
const started = performance.now();
const results = await eslint.lintFiles(['.']);
const seconds = (performance.now() - started) / 1000;
let messages = 0;
let keywarden = 0;
let fatal = 0;
for (const result of results) {
  for (const message of result.messages) {
    messages++;
    if (message.fatal) fatal++;
    if (message.ruleId?.startsWith('keywarden/')) keywarden++;
  }
}
process.stdout.write(JSON.stringify({ seconds, files: results.length, messages, keywarden, fatal }));
