import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBaseline } from '../../src/baseline/file.js';
import { resolveRunOptions, type RunArgs } from '../../src/run/options.js';
import { run } from '../../src/run/run.js';
import { STAGES } from '../../src/run/stages.js';
import { createRepo, type TempRepo } from '../git/repo.js';
import { makeKeyId } from '../helpers/keys.js';

const OWNED = '123456789012';
const keyId = (seed: number, account = OWNED) => makeKeyId('AKIA', { seed, account });
const args = (extra: Partial<RunArgs> = {}): RunArgs => ({ paths: [], showSecrets: false, quiet: true, verbose: false, ...extra });

let dir: string | undefined;
let repo: TempRepo | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  repo?.cleanup();
  dir = undefined;
  repo = undefined;
});

describe('run: one source, the stages in order, the report built once', () => {
  it('lists the stages once, in their order', () => {
    expect(STAGES.map((stage) => stage.name)).toEqual(['first sighting', 'allow list', 'baseline', 'ownership', 'STS', 'IAM key status']);
  });

  it('drops allowed and baselined findings, labels the rest, and counts what each stage did', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'keywarden-run-'));
    writeFileSync(path.join(dir, 'allowed.env'), `K=${keyId(1)}\n`);
    writeFileSync(path.join(dir, 'known.env'), `K=${keyId(2)}\n`);
    writeFileSync(path.join(dir, 'new.env'), `K=${keyId(3)}\n`);
    writeFileSync(
      path.join(dir, 'keywarden.config.json'),
      JSON.stringify({ allow: { paths: ['^allowed\\.env$'] }, accounts: { [OWNED]: 'prod' } }),
    );
    const host = { cwd: dir, env: {} };

    const before = await run(await resolveRunOptions(args(), host));
    expect(before.report.findings.map((finding) => finding.path)).toEqual(['known.env', 'new.env']);
    await writeBaseline(
      path.join(dir, 'baseline.json'),
      before.report.findings.filter((finding) => finding.path === 'known.env'),
    );

    const { report, stages } = await run(await resolveRunOptions(args({ baseline: 'baseline.json' }), host));
    expect(report.findings.map((finding) => [finding.path, finding.owner])).toEqual([['new.env', { label: 'owned', name: 'prod' }]]);
    expect(stages).toEqual([
      { name: 'allow list', removed: 1, changed: 0 },
      { name: 'baseline', removed: 1, changed: 0 },
      { name: 'ownership', removed: 0, changed: 1 },
    ]);
    expect(report.stats.baselined).toBe(1);
    expect(report.staleBaseline).toEqual([]);
  });

  it('reads standard input through the hook the caller gives', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'keywarden-run-'));
    const options = await resolveRunOptions(args({ paths: ['-'], config: false }), { cwd: dir, env: {} });
    expect(options.source).toEqual({ kind: 'stdin' });
    const { report } = await run(options, { readStdin: async () => `K=${keyId(4)}\n` });
    expect(report.findings.map((finding) => finding.path)).toEqual(['<stdin>']);
  });

  it('--history keeps the commit that added a credential: the first-sighting stage drops the later sightings', async () => {
    repo = createRepo();
    repo.write('creds.env', `K=${keyId(5)}\n`);
    repo.git('add', '.');
    const added = repo.commit('add');
    repo.write('creds.env', `K=${keyId(5)} # still here\n`);
    repo.git('add', '.');
    repo.commit('edit the same line', '2024-01-03T03:04:05+00:00');

    const { report, stages } = await run(await resolveRunOptions(args({ history: true, config: false }), { cwd: repo.dir, env: repo.env }));
    expect(report.findings.map((finding) => finding.commit?.sha)).toEqual([added]);
    expect(stages.find((stage) => stage.name === 'first sighting')).toEqual({ name: 'first sighting', removed: 1, changed: 0 });
  });

  it('keywarden baseline resolves no account stages, so their flags are not checked', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'keywarden-run-'));
    const options = await resolveRunOptions(args({ config: false, stsTimeout: 0 }), { cwd: dir, env: {} }, { accountChecks: false });
    expect(options.policy.accounts).toBeUndefined();
    await expect(resolveRunOptions(args({ config: false, stsTimeout: 0 }), { cwd: dir, env: {} })).rejects.toThrow(
      '--sts-timeout: "0" must be a whole number from 1 to 600000',
    );
  });
});
