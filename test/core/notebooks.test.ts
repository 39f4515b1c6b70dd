import { describe, expect, test } from 'vitest';
import { scanText } from '../helpers/engine.js';
import { runCli, tempTree } from '../helpers/cli.js';
import type { JsonReport } from '../../src/report/json.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';

const keyId = makeKeyId('AKIA', { seed: 61, account: '123456789012' });
const secret = makeSecret(61);
const otherId = makeKeyId('AKIA', { seed: 62, account: '210987654321' });
const otherSecret = makeSecret(62);

/** Source lines as Jupyter stores them: every line but the last keeps its "\n". */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((line) => line !== '');
}

/** A notebook as Jupyter writes it (nbformat 4, one-space indent, sorted keys, "\n"-terminated source lines). */
function notebook(): string {
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: lines('# Upload the daily report\nUses the "reports" bucket.\n') },
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      outputs: [],
      source: lines(
        `import os\nimport boto3\n\nos.environ["AWS_ACCESS_KEY_ID"] = "${keyId}"\nos.environ["AWS_SECRET_ACCESS_KEY"] = "${secret}"\ns3 = boto3.client("s3")\n`,
      ),
    },
    {
      cell_type: 'code',
      execution_count: 2,
      metadata: {},
      outputs: [
        { name: 'stdout', output_type: 'stream', text: lines(`using key ${otherId}\nsecret_key: ${otherSecret}\n`) },
        {
          data: {
            'text/html': lines(`<table>\n<tr><td>key</td><td>${otherId}</td></tr>\n</table>\n`),
            'text/plain': lines(`{'key': '${otherId}'}`),
          },
          execution_count: 2,
          metadata: {},
          output_type: 'execute_result',
        },
      ],
      source: lines('creds = s3._request_signer._credentials\nprint("using key", creds.access_key)\n'),
    },
    // A single-string source (nbformat allows it): several source lines on one JSON line.
    { cell_type: 'code', execution_count: 3, metadata: {}, outputs: [], source: `x = 1\ny = "${otherId}"\n` },
  ];
  const nb = {
    cells,
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** Line and column (1-based) of the n-th occurrence of `needle` in the file. */
function positionOf(text: string, needle: string, occurrence = 0): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

describe('Jupyter notebooks: findings at the line and column of the .ipynb JSON', () => {
  const text = notebook();
  const findings = scanText({ path: 'report.ipynb', text }).findings;
  const at = (ruleId: string, match: string) =>
    findings.filter((f) => f.ruleId === ruleId && f.match === match).map((f) => ({ line: f.line, column: f.column }));

  test('a code cell source: the key id and the secret, through the escaped quotes', () => {
    expect(text).toContain(`os.environ[\\"AWS_SECRET_ACCESS_KEY\\"] = \\"${secret}\\"\\n`);
    expect(at('aws-access-key-id', keyId)).toEqual([positionOf(text, keyId)]);
    expect(at('aws-secret-access-key', secret)).toEqual([positionOf(text, secret)]);
    expect(findings.find((f) => f.match === secret)!.keyId).toBe(keyId);
  });

  test('outputs: a stream, an HTML table and a text/plain repr, each at its own line', () => {
    expect(at('aws-access-key-id', otherId)).toEqual([0, 1, 2, 3].map((n) => positionOf(text, otherId, n)));
    expect(at('aws-secret-access-key', otherSecret)).toEqual([positionOf(text, otherSecret)]);
  });

  test('nothing else, nothing twice', () => {
    expect(findings).toHaveLength(7);
    expect(findings.every((f) => f.encoding === undefined)).toBe(true);
  });

  test('a secret that starts a line inside one JSON string (after a \\n or \\t escape) still pairs', () => {
    for (const separator of ['\\n', '\\t']) {
      const output = `{"output_type": "stream", "name": "stdout", "text": "${otherId}${separator}${otherSecret}${separator}"}`;
      const found = scanText({ path: 'x.ipynb', text: output }).findings.map((f) => [f.ruleId, f.column]);
      expect(found).toEqual([
        ['aws-access-key-id', output.indexOf(otherId) + 1],
        ['aws-secret-access-key', output.indexOf(otherSecret) + 1],
      ]);
    }
  });

  test('the CLI scans .ipynb files', async () => {
    const dir = tempTree({ 'analysis/report.ipynb': text });
    const result = await runCli(['scan', '.', '-f', 'json', '--no-config'], { cwd: dir });
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.path, f.line, f.column])).toEqual(
      findings
        .map((f) => ['analysis/report.ipynb', f.line, f.column])
        .sort((a, b) => (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number)),
    );
  });
});
