import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { PROJECT_ROOT } from '../helpers/build.js';
import { createRepo, type TempRepo } from '../git/repo.js';

/**
 * The committed Action bundle (dist-action/index.js, what `uses:` runs), run as the runner runs it:
 * a child process with GITHUB_* variables, an event payload file as GitHub writes it, and one
 * INPUT_* variable per input of action.yml (the workflow's `with:` value, else the default).
 */
const BUNDLE = path.join(PROJECT_ROOT, 'dist-action/index.js');
const ACCOUNT = '123456789012';
const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: ACCOUNT });

/** action.yml's inputs and their defaults (a flat two-level map, so a line parser is enough). */
function actionInputs(): Record<string, string> {
  const yml = readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8');
  const block = /^inputs:\n([\s\S]*?)^\S/m.exec(yml)?.[1] ?? '';
  const inputs: Record<string, string> = {};
  let current: string | undefined;
  for (const line of block.split('\n')) {
    const name = /^ {2}([\w-]+):\s*$/.exec(line);
    if (name) inputs[(current = name[1]!)] = '';
    const fallback = /^ {4}default:\s*(.*)$/.exec(line);
    if (fallback && current) inputs[current] = fallback[1]!.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  }
  return inputs;
}

/** The `with:` inputs of the keywarden step in README's workflow snippet (comments dropped). */
function readmeWorkflowInputs(): Record<string, string> {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const workflow = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((block) => block.includes('uses: keywarden/keywarden@'));
  expect(workflow, 'README has a workflow snippet that uses keywarden/keywarden').toBeDefined();
  const lines = workflow!.split('\n');
  const uses = lines.findIndex((line) => line.includes('uses: keywarden/keywarden@'));
  const withLine = lines.findIndex((line, i) => i > uses && /^\s*with:\s*$/.test(line));
  const indent = /^\s*/.exec(lines[withLine]!)![0].length;
  const inputs: Record<string, string> = {};
  for (const line of lines.slice(withLine + 1)) {
    const bare = line.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (bare.trim() === '') continue;
    if (/^\s*/.exec(bare)![0].length <= indent) break;
    const entry = /^\s*([\w-]+):\s*(.*)$/.exec(bare);
    if (entry) inputs[entry[1]!] = entry[2]!;
  }
  return inputs;
}

const README_INPUTS = readmeWorkflowInputs();

interface BundleRun {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  sarif?: SarifLog;
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
  properties: { commit: { sha: string } | null };
}
interface SarifLog {
  runs: Array<{ results: SarifResult[] }>;
}

let repo: TempRepo | undefined;
const dirs: string[] = [];
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the bundle on `r` with README's inputs, overridden by `inputs`. */
function runBundle(r: TempRepo, eventName: string, payload: unknown, inputs: Record<string, string> = {}): BundleRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'keywarden-action-run-'));
  dirs.push(dir);
  const files = { event: path.join(dir, 'event.json'), output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(payload, null, 2));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const given = { ...README_INPUTS, ...inputs };
  const env: Record<string, string> = {
    ...r.env,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_WORKSPACE: r.dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
  };
  // The runner sets INPUT_<NAME> for every declared input: the workflow's value, else the default.
  for (const [name, fallback] of Object.entries(actionInputs()))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = given[name] ?? fallback;
  const result = spawnSync(process.execPath, [BUNDLE], { cwd: r.dir, env, encoding: 'utf8' });
  const sarifPath = given['sarif-file'] ? path.join(r.dir, given['sarif-file']) : undefined;
  let sarif: SarifLog | undefined;
  try {
    if (sarifPath) sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as SarifLog;
  } catch {
    sarif = undefined;
  }
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    summary: readFileSync(files.summary, 'utf8'),
    ...(sarif ? { sarif } : {}),
  };
}

/** A pull_request event payload with the fields GitHub sends that the action reads. */
function prEvent(number: number, base: string, head: string) {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      state: 'open',
      title: 'Add the billing service',
      base: { ref: 'main', sha: base, repo: { full_name: 'acme/shop' } },
      head: { ref: 'feature', sha: head, repo: { full_name: 'acme/shop' } },
    },
    repository: { full_name: 'acme/shop', default_branch: 'main' },
  };
}

/** main with a README; returns the repo with branch `feature` checked out from it. */
function forkedRepo(): { r: TempRepo; fork: string } {
  const r = createRepo();
  r.write('README.md', 'shop\n');
  r.git('add', '.');
  const fork = r.commit('initial');
  r.git('switch', '-q', '-c', 'feature');
  return { r, fork };
}

const short = (sha: string) => sha.slice(0, 7);

describe('README workflow snippet', () => {
  it('uses only inputs action.yml declares, and these tests run with exactly its with: block', () => {
    const declared = Object.keys(actionInputs());
    expect(declared).toEqual(expect.arrayContaining(['paths', 'mode', 'fail-on', 'sarif-file', 'baseline', 'policy']));
    for (const name of Object.keys(README_INPUTS)) expect(declared).toContain(name);
    expect(README_INPUTS).toEqual({ 'sarif-file': 'keywarden.sarif', 'fail-on': 'note', policy: 'base' });
    expect(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')).toContain('fetch-depth: 0');
  });
});

describe('Action: every commit of a pull request or push (bundled dist-action/index.js)', () => {
  it('a pull request that adds a key and removes it in a later commit fails and names the commit; base-branch commits are not blamed', () => {
    const { r } = forkedRepo();
    repo = r;
    r.write('config/billing.env', `AWS_ACCESS_KEY_ID=${keyId(1)}\nAWS_SECRET_ACCESS_KEY=${makeSecret(3)}\n`);
    r.git('add', '.');
    const added = r.commit('add billing config');
    r.git('rm', '-q', 'config/billing.env');
    r.write('config/billing.env.example', 'AWS_ACCESS_KEY_ID=\n');
    r.git('add', '.');
    r.commit('move the key to the environment');
    r.write('src/still.ts', `export const id = '${keyId(2)}';\n`);
    r.git('add', '.');
    const kept = r.commit('a key that stays');
    const head = r.git('rev-parse', 'HEAD').trim();
    // The base branch moved on after the fork, with a key of its own: not the pull request's doing.
    r.git('switch', '-q', 'main');
    r.write('ops/main-only.txt', `${keyId(3)}\n`);
    r.git('add', '.');
    const base = r.commit('main moves on');
    r.git('switch', '-q', 'feature');

    const run = runBundle(r, 'pull_request', prEvent(12, base, head));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    // Still at head: annotated on its line.
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^::error file=src/still\\.ts,line=1,endLine=1,col=20,endColumn=40,title=.*${keyId(2)}.*commit ${kept.slice(0, 12)}`),
      ),
    );
    // Removed later: an annotation without file or line, naming the commit.
    const removed = lines.filter((line) => line.includes('removed later'));
    expect(removed).toHaveLength(2);
    for (const line of removed) {
      expect(line).toMatch(
        new RegExp(
          `^::error title=AWS [^:]+ in commit ${short(added)}::config/billing\\.env:[12]:\\d+: Added in ${short(added)}, removed later: still in history, rotate it\\. `,
        ),
      );
    }
    expect(run.stdout).not.toContain(keyId(3));
    expect(run.stdout).not.toContain(makeSecret(3));
    expect(run.stdout).toContain('keywarden: 3 findings (fail-on: note)');

    expect(run.summary).toContain(
      `| error | AWS access key ID in source | config/billing.env:1:19 | \`${keyId(1)}\` | ${ACCOUNT} | added in ${short(added)}, removed later: still in history, rotate it |`,
    );
    expect(run.summary).toContain(`| src/still.ts:1:20 | \`${keyId(2)}\` | ${ACCOUNT} | ${kept.slice(0, 12)} |`);
    expect(run.summary).not.toContain(keyId(3));

    const results = run.sarif!.runs[0]!.results;
    expect(results.map((result) => [result.locations[0]!.physicalLocation.artifactLocation.uri, result.properties.commit?.sha])).toEqual([
      ['config/billing.env', added],
      ['config/billing.env', added],
      ['src/still.ts', kept],
    ]);
  });

  it('a push whose later commit removes a key fails and names the commit that added it', () => {
    const { r, fork } = forkedRepo();
    repo = r;
    r.write('deploy.sh', `export AWS_ACCESS_KEY_ID=${keyId(7)}\n`);
    r.git('add', '.');
    const added = r.commit('deploy script');
    r.write('deploy.sh', 'export AWS_PROFILE=deploy\n');
    r.git('add', '.');
    const after = r.commit('use a profile');
    const payload = {
      ref: 'refs/heads/feature',
      before: fork,
      after,
      created: false,
      forced: false,
      commits: [{ id: added }, { id: after }],
      repository: { full_name: 'acme/shop' },
    };

    const run = runBundle(r, 'push', payload);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`keywarden: scanning lines added by the push (${short(fork)}..${short(after)}), commit by commit`);
    expect(run.stdout).toMatch(
      new RegExp(
        `^::error title=AWS access key ID in source \\(aws-access-key-id\\) in commit ${short(added)}::deploy\\.sh:1:26: Added in ${short(added)}, removed later`,
        'm',
      ),
    );
    expect(run.summary).toContain(`added in ${short(added)}, removed later: still in history, rotate it`);
    expect(run.sarif!.runs[0]!.results.map((result) => result.properties.commit?.sha)).toEqual([added]);

    // The net diff alone (what the action did before) sees nothing: the CLI's --diff agrees.
    const diff = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'bin/keywarden.js'), 'scan', '--no-config', '--diff', `${fork}..${after}`],
      { cwd: r.dir, env: r.env, encoding: 'utf8' },
    );
    expect(diff.status).toBe(0);
  });
});

describe("Action: a pull request is checked against the base commit's policy", () => {
  /** A PR whose head adds a key plus `extra` policy files meant to hide it. */
  function hidingPr(extra: Record<string, string>): { base: string; head: string } {
    const { r, fork } = forkedRepo();
    repo = r;
    r.write('secrets/prod.env', `AWS_ACCESS_KEY_ID=${keyId(20)}\n`);
    for (const [file, content] of Object.entries(extra)) r.write(file, content);
    r.git('add', '.');
    return { base: fork, head: r.commit('add prod settings') };
  }

  it('a config with allow.paths [".*"] added by the pull request does not hide its key; policy: head lets it pass', () => {
    const { base, head } = hidingPr({ 'keywarden.config.json': `${JSON.stringify({ allow: { paths: ['.*'] }, failOn: 'none' })}\n` });
    const run = runBundle(repo!, 'pull_request', prEvent(3, base, head));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `keywarden: config, .keywardenignore files and baseline read from the base commit ${short(base)} (policy: base)`,
    );
    expect(run.stdout).toMatch(/^::error file=secrets\/prod\.env,line=1,/m);

    // The documented risk of policy: head: the pull request's own config exempts its key.
    const trusting = runBundle(repo!, 'pull_request', prEvent(3, base, head), { policy: 'head' });
    expect(trusting.code).toBe(0);
    expect(trusting.stdout).not.toContain('base commit');
    // README's fail-on: note input wins over the config's failOn; allow.paths alone exempts the key.
    expect(trusting.stdout).toContain('keywarden: no findings (fail-on: note)');
  });

  it('a .keywardenignore of * next to the key does not hide it; policy: head lets it pass', () => {
    const { base, head } = hidingPr({ 'secrets/.keywardenignore': '*\n' });
    const run = runBundle(repo!, 'pull_request', prEvent(4, base, head));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=secrets\/prod\.env,line=1,/m);
    const trusting = runBundle(repo!, 'pull_request', prEvent(4, base, head), { policy: 'head' });
    expect(trusting.code).toBe(0);
  });

  it("the base commit's own .keywardenignore files, config and baseline do apply", () => {
    const r = createRepo();
    repo = r;
    r.write('README.md', 'shop\n');
    r.write('test/fixtures/.keywardenignore', 'fake-*.env\n');
    r.write('keywarden.config.json', `${JSON.stringify({ allow: { paths: ['^docs/'] }, baseline: '.keywarden-baseline.json' })}\n`);
    r.write('legacy.txt', `${keyId(30)}\n`);
    r.git('add', '.');
    r.commit('policy');
    // A baseline of the legacy key, made with the CLI as a user would.
    const made = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/keywarden.js'), 'baseline', '--no-config'], {
      cwd: r.dir,
      env: r.env,
      encoding: 'utf8',
    });
    expect(made.status, made.stderr).toBe(0);
    r.git('add', '.');
    const base = r.commit('baseline');
    r.git('switch', '-q', '-c', 'feature');
    r.write('test/fixtures/fake-prod.env', `AWS_ACCESS_KEY_ID=${keyId(31)}\n`);
    r.write('docs/iam.md', `Example: ${keyId(32)}\n`);
    r.write('legacy-copy.txt', `${keyId(30)}\n`);
    r.write('app.txt', `${keyId(33)}\n`);
    r.git('add', '.');
    const head = r.commit('fixtures, docs and a real key');
    // The pull request also empties the baseline: the base's copy is the one that counts.
    r.write('.keywarden-baseline.json', '{}\n');
    r.git('add', '.');
    const head2 = r.commit('drop the baseline');

    const run = runBundle(r, 'pull_request', prEvent(5, base, head2));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const annotated = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
    // fake-prod.env: base's nested .keywardenignore; docs/: base's allow.paths; legacy-copy.txt: base's baseline.
    expect(annotated.map((line) => /file=([^,]+)/.exec(line)?.[1])).toEqual(['app.txt']);
    expect(run.stdout).toContain(`commit ${head.slice(0, 12)}`);
    expect(run.summary).toContain('1 in the baseline');
    // With the pull request's own policy its emptied baseline is what gets read.
    const trusting = runBundle(r, 'pull_request', prEvent(5, base, head2), { policy: 'head' });
    expect(trusting.code).toBe(2);
    expect(trusting.stdout).toMatch(/^::error title=keywarden::keywarden: \S*\.keywarden-baseline\.json: not a keywarden baseline/m);
  });
});

describe('Action: its own output is never scanned', () => {
  it('a SARIF file left in the workspace by an earlier run is not read in full mode', () => {
    const r = createRepo();
    repo = r;
    r.write('src/app.ts', `const id = '${keyId(40)}';\n`);
    r.git('add', '.');
    r.commit('app');
    const first = runBundle(r, 'workflow_dispatch', {}, { 'sarif-file': 'reports/keywarden.sarif' });
    expect(first.code).toBe(1);
    // The report names the key id (key ids are shown whole), so scanning it would find the key again.
    expect(readFileSync(path.join(r.dir, 'reports/keywarden.sarif'), 'utf8')).toContain(keyId(40));
    r.write('src/app.ts', 'const id = process.env.AWS_ACCESS_KEY_ID;\n');
    const second = runBundle(r, 'workflow_dispatch', {}, { 'sarif-file': 'reports/keywarden.sarif' });
    expect(second.stdout).toBe('keywarden: scanning all files\nkeywarden: no findings (fail-on: note)\n');
    expect(second.code).toBe(0);
    // Only the SARIF file itself is left out: another file with the same name is scanned.
    r.write('keywarden.sarif', `${keyId(41)}\n`);
    const third = runBundle(r, 'workflow_dispatch', {}, { 'sarif-file': 'reports/keywarden.sarif' });
    expect(third.code).toBe(1);
    expect(third.stdout).toContain('::error file=keywarden.sarif,line=1,');
  });
});
