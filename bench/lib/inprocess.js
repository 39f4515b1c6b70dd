/**
 * Scans a tree in this process with the compiled core (dist/src/core/detect.js): a yardstick for
 * detector recall that does not depend on the CLI, and the fallback when the CLI is not built yet.
 * Single-threaded, no ignore files: it measures the detectors, not file discovery.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function* walk(dir, base = '') {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(path.join(dir, entry.name), relative);
    else if (entry.isFile()) yield relative;
  }
}

export async function loadCore(distDir) {
  const url = pathToFileURL(path.join(distDir, 'src/core/detect.js')).href;
  return import(url);
}

/** Returns a Report-like object: findings and examples with path, ruleId, line, column. */
export async function scanInProcess(root, distDir) {
  const { scanText } = await loadCore(distDir);
  const report = { findings: [], examples: [], stats: { filesScanned: 0, bytesScanned: 0, suppressed: 0 } };
  for (const file of walk(root)) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const result = scanText({ path: file, text });
    report.findings.push(...result.findings);
    report.examples.push(...result.examples);
    report.stats.filesScanned++;
    report.stats.bytesScanned += text.length;
    report.stats.suppressed += result.suppressed;
  }
  return report;
}
