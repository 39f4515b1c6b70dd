import { afterEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { createRepo, scanJson, type TempRepo } from '../git/repo.js';
import { runCli, tempTree } from '../helpers/cli.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';

const keyId = makeKeyId('AKIA', { seed: 31, account: '123456789012' });
const secret = makeSecret(31);
const b64 = (text: string) => Buffer.from(text).toString('base64');

// A CI file with no anchor of its own: only the base64 of the .env blob holds the key id.
const ciFile = ['variables:', `  ENV_B64: ${b64(`AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secret}\n`)}`, ''].join('\n');
const manifest = ['kind: Secret', 'data:', `  aws_secret_access_key: ${b64(secret)}`, ''].join('\n');

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('decoded findings through every source', () => {
  it('tree scan: JSON carries the encoding and the encoded text location; SARIF carries it in properties', async () => {
    const dir = tempTree({ '.gitlab-ci.yml': ciFile, 'k8s/secret.yaml': manifest, 'plain.txt': 'nothing\n' });
    const json = await runCli(['scan', '.', '-f', 'json', '--no-config'], { cwd: dir });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.path, f.ruleId, f.line, f.column, f.encoding])).toEqual([
      // The blob starts at column 12; the key id is bytes 18.. of it, so base64 characters 24.. hold it.
      ['.gitlab-ci.yml', 'aws-access-key-id', 2, 12 + 24, 'base64'],
      ['.gitlab-ci.yml', 'aws-secret-access-key', 2, expect.any(Number), 'base64'],
      ['k8s/secret.yaml', 'aws-secret-access-key', 3, 26, 'base64'],
    ]);
    expect(report.findings[0]!.message).toContain('encoded as base64');

    const sarif = await runCli(['scan', '.', '-f', 'sarif', '--no-config'], { cwd: dir });
    const results = JSON.parse(sarif.stdout).runs[0].results as Array<{ properties: Record<string, unknown>; locations: unknown[] }>;
    expect(results.map((result) => result.properties.encoding)).toEqual(['base64', 'base64', 'base64']);

    const text = await runCli(['scan', '.', '--no-config', '--no-color'], { cwd: dir });
    expect(text.stdout).toContain('.gitlab-ci.yml:2:36');
    expect(text.stdout).toContain('encoded as base64');
    expect(text.stdout).not.toContain(secret);
  });

  it('stdin', async () => {
    const result = await runCli(['scan', '-', '-f', 'json', '--no-config'], { cwd: tempTree(), stdin: manifest });
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.ruleId, f.line, f.encoding])).toEqual([['aws-secret-access-key', 3, 'base64']]);
  });

  it('git --staged: a base64 blob on an added line', async () => {
    repo = createRepo();
    repo.write('.gitlab-ci.yml', 'variables:\n  A: b\n');
    repo.git('add', '.');
    repo.commit('ci');
    repo.write('.gitlab-ci.yml', ciFile);
    repo.git('add', '.');
    const { code, report } = await scanJson(['--staged'], repo);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.line, f.encoding])).toEqual([
      ['aws-access-key-id', 2, 'base64'],
      ['aws-secret-access-key', 2, 'base64'],
    ]);
  });

  it('git --history: found in the commit that added it', async () => {
    repo = createRepo();
    repo.write('k8s/secret.yaml', manifest);
    repo.git('add', '.');
    const sha = repo.commit('add secret');
    const { report } = await scanJson(['--history'], repo);
    expect(report.findings.map((f) => [f.path, f.line, f.encoding, f.commit?.sha])).toEqual([['k8s/secret.yaml', 3, 'base64', sha]]);
  });
});
