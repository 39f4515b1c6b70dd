/**
 * The core's detection functions bound to the default rule catalog (rules/index.ts), for tests
 * that exercise the engine below the library API. The core itself takes the catalog as a parameter.
 */
import { catalog } from '../../rules/index.js';
import type { RuleDefinition } from '../../rules/index.js';
import * as core from '../../src/core/detect.js';
import type { Finding, Source } from '../../src/core/types.js';

export const ALL_ANCHORS = catalog.allAnchors;
export const PREFILTER_ANCHORS = catalog.prefilterAnchors;

export function anchoredRulesInText(text: string): ReadonlySet<RuleDefinition> {
  return catalog.anchoredRulesInText(text);
}

export function findRawMatches(text: string, options: Pick<core.DetectOptions, 'rules'> = {}): ReturnType<typeof core.findRawMatches> {
  return core.findRawMatches(catalog, text, options);
}

export function scanText(source: Source, options: core.DetectOptions = {}): core.TextScanResult {
  return core.scanText(catalog, source, options);
}

export function detect(text: string, options: core.DetectOptions & { path?: string } = {}): Finding[] {
  return core.detect(catalog, text, options);
}
