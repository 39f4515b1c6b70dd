import type { SourceCode } from 'eslint';
import { catalog } from '../../rules/index.js';
import { scanText } from '../core/detect.js';
import type { TextScanResult } from '../core/detect.js';

/**
 * One core scan per linted file, shared by every keywarden rule: ESLint gives all rules the same
 * SourceCode object for a file, so it keys the cache and the entry goes when the file is done.
 * The core's anchor prefilter makes the scan of a file without any anchor a few substring checks.
 */
const scans = new WeakMap<SourceCode, TextScanResult>();

export function scanSourceCode(sourceCode: SourceCode, path: string): TextScanResult {
  let result = scans.get(sourceCode);
  if (!result) {
    // keywarden:allow comments are honoured by the core, which sees the whole text.
    result = scanText(catalog, { path, text: sourceCode.text });
    scans.set(sourceCode, result);
  }
  return result;
}
