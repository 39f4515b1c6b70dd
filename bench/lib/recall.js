/**
 * Ground truth check: every finding is matched to a planted credential by path, rule, line and
 * column; the planted ones nobody found are misses, the findings nothing was planted at are false
 * positives (named after the decoy written there, when there was one).
 */
const key = (...parts) => parts.join('\u0000');

export function compareWithManifest(manifest, findings) {
  const plants = new Map(manifest.plants.map((plant) => [key(plant.path, plant.line, plant.column, plant.ruleId), plant]));
  const decoys = new Map(manifest.decoyList.map((decoy) => [key(decoy.path, decoy.line, decoy.column), decoy]));
  const found = new Set();
  const falsePositives = [];
  for (const finding of findings) {
    const id = key(finding.path, finding.line, finding.column, finding.ruleId);
    if (plants.has(id)) {
      found.add(id);
      continue;
    }
    const decoy = decoys.get(key(finding.path, finding.line, finding.column));
    falsePositives.push({
      path: finding.path,
      line: finding.line,
      column: finding.column,
      ruleId: finding.ruleId,
      decoy: decoy?.kind ?? 'unplanned',
    });
  }
  const byRule = {};
  const bySyntax = {};
  const misses = [];
  for (const [id, plant] of plants) {
    const rule = (byRule[plant.ruleId] ??= { planted: 0, found: 0 });
    const syntax = (bySyntax[`${plant.syntax} ${plant.ruleId}`] ??= { syntax: plant.syntax, ruleId: plant.ruleId, planted: 0, found: 0 });
    rule.planted++;
    syntax.planted++;
    if (found.has(id)) {
      rule.found++;
      syntax.found++;
    } else {
      misses.push(plant);
    }
  }
  const planted = plants.size;
  return {
    planted,
    found: found.size,
    recall: planted === 0 ? 1 : found.size / planted,
    byRule,
    bySyntax,
    misses,
    falsePositives,
  };
}

/** Syntax/rule pairs with at least one miss, worst first. */
export function missedSyntaxes(comparison) {
  return Object.values(comparison.bySyntax)
    .filter((entry) => entry.found < entry.planted)
    .sort((a, b) => a.found / a.planted - b.found / b.planted || a.syntax.localeCompare(b.syntax));
}
