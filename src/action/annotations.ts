import type { Finding } from '../core/types.js';
import { annotationCommand, findingAnnotation, formatCommand, type AnnotationCommand } from '../report/github.js';
import { findingLevel, sortFindings } from '../report/message.js';

/** GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (AWS-FACTS.md). */
export const ANNOTATIONS_SHOWN_PER_LEVEL = 10;

/**
 * Workflow-command lines for the findings, at most 10 per annotation level, so the ones GitHub
 * shows are the ones we chose (sorted by path and line); a final notice says how many were left
 * out and where to find them.
 */
export function annotationLines(findings: readonly Finding[], where = 'the job summary and the SARIF file'): string[] {
  const shown: Record<AnnotationCommand, number> = { error: 0, warning: 0, notice: 0 };
  const lines: string[] = [];
  let hidden = 0;
  const sorted = sortFindings(findings);
  const overflows = (['error', 'warning', 'notice'] as const).some((command) => sorted.filter((f) => annotationCommand(findingLevel(f)) === command).length > ANNOTATIONS_SHOWN_PER_LEVEL);
  for (const finding of sorted) {
    const command = annotationCommand(findingLevel(finding));
    // Keep one notice slot free for the "more findings" notice itself.
    const limit = overflows && command === 'notice' ? ANNOTATIONS_SHOWN_PER_LEVEL - 1 : ANNOTATIONS_SHOWN_PER_LEVEL;
    if (shown[command] >= limit) {
      hidden++;
      continue;
    }
    shown[command]++;
    lines.push(findingAnnotation(finding, { showSecrets: false }));
  }
  if (hidden > 0) {
    lines.push(formatCommand('notice', { title: 'keywarden' }, `${hidden} more finding${hidden === 1 ? '' : 's'} not annotated (GitHub shows ${ANNOTATIONS_SHOWN_PER_LEVEL} per level); see ${where}.`));
  }
  return lines;
}
