import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { ownedKeysSummary } from '../../src/report/owned-keys.js';
import { reportFrom } from './report-fixture.js';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, runCli } from '../git/repo.js';
import { account, MINE, useFakeAws } from '../iam/harness.js';

const serve = useFakeAws();
const STAGING = '444455556666';
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A repository whose history holds these files. */
function repoWith(files: Record<string, string>) {
  const repo = createRepo();
  cleanups.push(() => repo.cleanup());
  for (const [file, text] of Object.entries(files)) repo.write(file, text);
  repo.git('add', '.');
  repo.commit('settings');
  return repo;
}

describe('the text summary of an audit with --key-status', () => {
  it('lists each owned key once, grouped by account, active first, naming its repositories', async () => {
    const alice = makeKeyId('AKIA', { account: MINE, seed: 401 });
    const bob = makeKeyId('AKIA', { account: MINE, seed: 402 });
    const staging = makeKeyId('AKIA', { account: STAGING, seed: 403 });
    const stranger = makeKeyId('AKIA', { account: '999988887777', seed: 404 });
    // Alice's key in two repositories (twice in the first); bob's and a staging key in the last.
    const [a, b, c] = [
      repoWith({ 'deploy.env': `KEY=${alice}\n`, 'old.env': `KEY=${alice}\n` }),
      repoWith({ 'ci.env': `KEY=${alice}\nOTHER=${stranger}\n` }),
      repoWith({ 'a.env': `OLD=${bob}\n`, 'b.env': `STAGING=${staging}\n` }),
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-owned-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'repos.txt'), [c, a, b].map((repo) => repo.dir).join('\n'));
    writeFileSync(path.join(dir, 'keywarden.config.json'), JSON.stringify({ accounts: { [MINE]: 'prod', [STAGING]: 'staging' } }));
    const server = await serve(account({ alice, bob }));
    const audit = (...argv: string[]) =>
      runCli(
        [
          'scan',
          '--repos',
          'repos.txt',
          '--cache-dir',
          'cache',
          '--key-status',
          '--iam-endpoint',
          server.endpoint,
          '--sts-endpoint',
          server.endpoint,
          ...argv,
        ],
        dir,
        a.env,
      );

    const text = await audit();
    expect(text.code).toBe(1);
    // IAM is asked about each owned key once for the whole audit, not once per repository holding
    // it: alice's key is in two repositories (three findings).
    const lastUsed = server.calls.filter((call) => call.action === 'GetAccessKeyLastUsed').map((call) => call.params.AccessKeyId);
    expect(lastUsed.sort()).toEqual([alice, bob].sort());
    const lines = text.stdout.split('\n');
    const at = lines.indexOf('Owned keys by account (active first):');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, -1)).toEqual([
      'Owned keys by account (active first):',
      `  ${MINE} (prod): 2 keys, 1 active`,
      `    ACTIVE          ${alice}  user alice, last used 2026-11-20 s3 us-west-2, in ${[a.dir, b.dir]
        .sort()
        .map((dir) => (dir === a.dir ? `${dir} (2 findings)` : dir))
        .join(', ')}`,
      `    inactive        ${bob}  user bob, never used, in ${c.dir}`,
      `  ${STAGING} (staging): 1 key`,
      `    not checked     ${staging}  in ${c.dir}`,
    ]);
    // Nothing of a third-party key, and nothing of the section outside an audit's summary.
    expect(lines.slice(at).join('\n')).not.toContain(stranger);
    expect((await audit('--quiet')).stdout).not.toContain('Owned keys');

    // The same summary from the shards' JSON reports merged; the JSON itself is as before.
    const json = await audit('--format', 'json', '--output', 'audit.json');
    expect(json.code).toBe(1);
    const merged = await runCli(['merge', 'audit.json'], dir, a.env);
    expect(merged.stdout.split('\n').slice(merged.stdout.split('\n').indexOf('Owned keys by account (active first):'), -1)).toEqual(
      lines.slice(at, -1),
    );
    const report = JSON.parse((await audit('--format', 'json')).stdout) as JsonReport;
    expect(Object.keys(report)).not.toContain('ownedKeys');
  });
});

describe('ownedKeysSummary', () => {
  it('puts the account with active keys first and names three repositories of a key, counting the rest', () => {
    const quiet = makeKeyId('AKIA', { account: '111111111111', seed: 411 });
    const loud = makeKeyId('AKIA', { account: '222222222222', seed: 412 });
    const report = reportFrom([{ path: 'a.env', text: `A=${quiet}\nB=${loud}\n` }]);
    const [quietFinding, loudFinding] = report.findings;
    const findings = [
      ...['r5', 'r4', 'r3', 'r2', 'r1'].map((repository) => ({ ...quietFinding!, repository, owner: { label: 'owned' as const } })),
      {
        ...loudFinding!,
        repository: 'r9',
        keyStatus: { user: 'carol', status: 'active' as const, created: null, lastUsed: null },
      },
    ];
    expect(ownedKeysSummary({ ...report, findings }).map((line) => [line.style, line.text])).toEqual([
      ['heading', 'Owned keys by account (active first):'],
      ['account', '  222222222222: 1 key, 1 active'],
      ['active', `    ACTIVE          ${loud}  user carol, never used, in r9`],
      ['account', '  111111111111: 1 key'],
      ['key', `    not checked     ${quiet}  in r1, r2, r3, and 2 more`],
    ]);
    // No owned account, no section.
    expect(ownedKeysSummary(report)).toEqual([]);
  });
});
