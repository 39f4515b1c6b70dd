import type { Finding } from '../core/types.js';
import { annotationCommand, findingAnnotation, formatCommand, type AnnotationCommand } from '../report/github.js';
import { buildMessage, findingLevel, ruleTitle, sortFindings } from '../report/message.js';

/** GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (docs/aws-credentials.md, "GitHub Actions annotations"). */
const ANNOTATIONS_SHOWN_PER_LEVEL = 10;

/**
 * Workflow-command lines for the findings, at most 10 per annotation level, so the ones GitHub
 * shows are the ones we chose (sorted by path and line); a final notice says how many were left
 * out and where to find them.
 */
export function annotationLines(
  findings: readonly Finding[],
  where = 'the job summary and the SARIF file',
  removed: (finding: Finding) => boolean = () => false,
): string[] {
  const shown: Record<AnnotationCommand, number> = { error: 0, warning: 0, notice: 0 };
  const lines: string[] = [];
  let hidden = 0;
  const sorted = sortFindings(findings);
  const overflows = (['error', 'warning', 'notice'] as const).some(
    (command) => sorted.filter((f) => annotationCommand(findingLevel(f)) === command).length > ANNOTATIONS_SHOWN_PER_LEVEL,
  );
  for (const finding of sorted) {
    const command = annotationCommand(findingLevel(finding));
    // Keep one notice slot free for the "more findings" notice itself.
    const limit = overflows && command === 'notice' ? ANNOTATIONS_SHOWN_PER_LEVEL - 1 : ANNOTATIONS_SHOWN_PER_LEVEL;
    if (shown[command] >= limit) {
      hidden++;
      continue;
    }
    shown[command]++;
    lines.push(removed(finding) ? removedAnnotation(finding) : findingAnnotation(finding, { showSecrets: false }));
  }
  if (hidden > 0) {
    lines.push(
      formatCommand(
        'notice',
        { title: 'keywarden' },
        `${hidden} more finding${hidden === 1 ? '' : 's'} not annotated (GitHub shows ${ANNOTATIONS_SHOWN_PER_LEVEL} per level); see ${where}.`,
      ),
    );
  }
  return lines;
}

/** What the step summary and annotations say about a credential a later commit removed. */
export function removedLaterText(finding: Finding): string {
  return `added in ${finding.commit?.sha.slice(0, 7) ?? 'an earlier commit'}, removed later: still in history, rotate it`;
}

/**
 * A credential no longer in the head tree has no line to point at in the pull request's files:
 * an annotation without a file or line, naming the commit, path and line where it was added.
 */
function removedAnnotation(finding: Finding): string {
  const text = removedLaterText(finding);
  return formatCommand(
    annotationCommand(findingLevel(finding)),
    // No commas or colons in the title: the runner would need them escaped (%2C, %3A) and shows them so.
    { title: `${ruleTitle(finding.ruleId)} (${finding.ruleId}) in commit ${finding.commit?.sha.slice(0, 7) ?? 'history'}` },
    `${finding.path}:${finding.line}:${finding.column}: ${text[0]!.toUpperCase()}${text.slice(1)}. ${buildMessage(finding, false)}`,
  );
}
