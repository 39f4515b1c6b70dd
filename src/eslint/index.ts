import type { ESLint, Linter, Rule } from 'eslint';
import { catalog } from '../../rules/index.js';
import type { Level, RuleId } from '../core/types.js';
import { createEslintRule } from './rule-factory.js';
import { packageInfo } from '../version.js';

export type { RuleOptions } from './options.js';

/** The prefix users write before rule ids: `keywarden/aws-access-key-id`. */
export const PLUGIN_PREFIX = 'keywarden';

const SEVERITY: Record<Level, Linter.RuleSeverity> = { error: 'error', warning: 'warn', note: 'warn' };

export const rules = Object.fromEntries(catalog.rules.map((definition) => [definition.id, createEslintRule(definition)])) as Record<
  RuleId,
  Rule.RuleModule
>;

export interface KeywardenPlugin extends ESLint.Plugin {
  meta: { name: string; version: string };
  rules: Record<RuleId, Rule.RuleModule>;
  configs: { recommended: Linter.Config };
}

const plugin: KeywardenPlugin = {
  meta: { name: packageInfo.name, version: packageInfo.version },
  rules,
  configs: {} as KeywardenPlugin['configs'],
};

/** Every rule at the catalog's level: `export default [keywarden.configs.recommended]`. */
plugin.configs.recommended = {
  name: 'keywarden/recommended',
  plugins: { [PLUGIN_PREFIX]: plugin },
  rules: Object.fromEntries(catalog.rules.map((definition) => [`${PLUGIN_PREFIX}/${definition.id}`, SEVERITY[definition.level]])),
};

export const configs = plugin.configs;
export const meta = plugin.meta;
export default plugin;
