import { afterEach, describe, expect, test } from 'vitest';
import { annotationLines } from '../../src/action/annotations.js';
import { summaryMarkdown } from '../../src/action/summary.js';
import type { Report } from '../../src/core/types.js';
import type { JsonReport } from '../../src/report/json.js';
import type { SarifLog } from '../../src/report/sarif.js';
import { scanTree } from '../helpers/scan.js';
import { createRepo, runCli, type TempRepo } from '../git/repo.js';
import { tempTree } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';

/**
 * Trojan Source (CVE-2021-42574) and terminal escapes through every output format: a file name and
 * a commit author are the attacker's, and a reviewer reading the report must see what is there.
 * Human formats show the characters as `\x1b` / `\u202E`; JSON and SARIF carry them as \u escapes,
 * so the file is safe to print and the parsed strings are exact.
 */

const id = makeKeyId('AKIA', { seed: 1701 });

/** RLO, LRI..PDI, LRM, ALM, ZWSP, LINE SEPARATOR, ESC (clear screen), CSI as a C1 byte, DEL, BEL. */
const HOSTILE = 'a\u202Eevil\u2066x\u2069\u200E\u061C\u200B\u2028\u001b[2J\u009b31m\u007f\u0007';
const FILE_NAME = `bidi-${HOSTILE}.txt`;
const AUTHOR = `Mallory ${HOSTILE} Smith`;

/** Everything that must never reach a reader raw (newline is the formats' own line end). */
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;
/** How the human formats show the hostile part. */
const SHOWN = 'a\\u202Eevil\\u2066x\\u2069\\u200E\\u061C\\u200B\\u2028\\x1b[2J\\x9b31m\\x7f\\x07';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

/** A real repository whose one commit, by a hostile author, adds a key in a hostile file name. */
function hostileRepo(): TempRepo {
  const r = createRepo();
  r.write(FILE_NAME, `k=${id}\n`);
  r.git('add', '.');
  r.env.GIT_AUTHOR_NAME = AUTHOR;
  r.commit('add');
  return r;
}

async function scanHistory(format: string): Promise<string> {
  repo ??= hostileRepo();
  const result = await runCli(['scan', '--no-config', '--no-color', '--history', '--format', format], repo.dir, repo.env);
  expect(result.code).toBe(1);
  return result.stdout;
}

describe('hostile file names and commit authors in every format', () => {
  test('git kept the hostile author and file name (the inputs are real)', async () => {
    const json = JSON.parse(await scanHistory('json')) as JsonReport;
    expect(json.findings.map((f) => [f.path, f.commit?.author])).toEqual([[FILE_NAME, `${AUTHOR} <author@example.com>`]]);
  });

  test('text: escaped, one line per finding', async () => {
    const out = await scanHistory('text');
    expect(out).not.toMatch(RAW_UNSAFE);
    expect(out).toContain(`bidi-${SHOWN}.txt:1:3`);
    expect(out).toContain(`Mallory ${SHOWN} Smith`);
  });

  test('github: escaped inside the workflow command, one command per finding', async () => {
    const out = await scanHistory('github');
    expect(out).not.toMatch(RAW_UNSAFE);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(out).toContain(`::error file=bidi-${SHOWN}.txt,line=1,`);
    expect(out).toContain(`Mallory ${SHOWN} Smith`);
  });

  test('json: \\u escapes in the file, the exact strings once parsed', async () => {
    const out = await scanHistory('json');
    expect(out).not.toMatch(RAW_UNSAFE);
    expect(out).toContain('a\\u202eevil\\u2066x\\u2069\\u200e\\u061c\\u200b\\u2028\\u001b[2J\\u009b31m\\u007f\\u0007');
    const finding = (JSON.parse(out) as JsonReport).findings[0]!;
    expect(finding.path).toBe(FILE_NAME);
    expect(finding.message).toContain(AUTHOR);
  });

  test('sarif: \\u escapes in the file, the exact message once parsed', async () => {
    const out = await scanHistory('sarif');
    expect(out).not.toMatch(RAW_UNSAFE);
    const result = (JSON.parse(out) as SarifLog).runs[0].results[0]!;
    expect(result.message.text).toContain(AUTHOR);
  });
});

describe('the Action: step summary and annotations', () => {
  async function hostileReport(): Promise<Report> {
    const dir = tempTree({ [FILE_NAME]: `k=${id}\n` });
    const report = await scanTree(dir);
    expect(report.findings.map((f) => f.path)).toEqual([FILE_NAME]);
    return report;
  }

  test('step summary Markdown: escaped (and Markdown-escaped) in the location, what was scanned and the SARIF path', async () => {
    const markdown = summaryMarkdown(await hostileReport(), { scanned: `branch ${HOSTILE}`, sarifFile: `out-${HOSTILE}.sarif` });
    expect(markdown).not.toMatch(RAW_UNSAFE);
    // Markdown would eat a single backslash: escapeMarkdown doubles it so the reader sees \u202E.
    expect(markdown).toContain('bidi-a\\\\u202Eevil\\\\u2066x');
    expect(markdown).toContain('Scanned branch a\\\\u202Eevil');
    expect(markdown).toContain('SARIF: `out-a\\u202Eevil');
  });

  test('annotations: escaped', async () => {
    const lines = annotationLines((await hostileReport()).findings);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(RAW_UNSAFE);
    expect(lines[0]).toContain(`file=bidi-${SHOWN}.txt,`);
  });
});
