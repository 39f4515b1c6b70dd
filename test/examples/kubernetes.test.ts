import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Job } from 'kubernetes-models/batch/v1/Job';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { JsonReport } from '../../src/report/json.js';
import { PROJECT_ROOT } from '../helpers/build.js';
import { installSpecForTest, loadExample, makeOrg, NPM_OFFLINE, PINNED_INSTALL, runScript, tempDir, unshardedScan } from './harness.js';

type Manifest = { kind: string; metadata: { name: string } };
const audit = loadExample('kubernetes/org-audit-job.yaml').docs as Manifest[];
const merge = loadExample('kubernetes/org-audit-merge-job.yaml').docs as Manifest[];
const byKind = <T>(docs: Manifest[], kind: string) => docs.find((doc) => doc.kind === kind) as T;
const auditJob = byKind<IJob>(audit, 'Job');
const mergeJob = byKind<IJob>(merge, 'Job');
const repoList = byKind<IConfigMap>(audit, 'ConfigMap');

const MODELS = {
  ConfigMap: { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  PersistentVolumeClaim: {
    model: PersistentVolumeClaim,
    module: 'kubernetes-models/v1/PersistentVolumeClaim',
    type: 'IPersistentVolumeClaim',
  },
  Job: { model: Job, module: 'kubernetes-models/batch/v1/Job', type: 'IJob' },
} as const;

/**
 * Unknown fields, as `kubectl apply --validate=strict` rejects them: the manifests as object literals
 * typed with the same models' interfaces, so TypeScript's excess-property check names any field the
 * API does not have (the schemas' validators allow extra fields).
 */
function unknownFields(docs: Manifest[]): string[] {
  const file = path.join(PROJECT_ROOT, 'test/examples/__manifests__.ts');
  const source = docs
    .map((doc, i) => {
      const { module, type } = MODELS[doc.kind as keyof typeof MODELS];
      return `import type { ${type} as T${i} } from '${module}';\nexport const doc${i}: T${i} = ${JSON.stringify(doc)};\n`;
    })
    .join('');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  return ts.getPreEmitDiagnostics(ts.createProgram([file], options, host)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const containerOf = (job: IJob, name: string) => job.spec!.template.spec!.containers.find((c) => c.name === name)!;
const initOf = (job: IJob) => job.spec!.template.spec!.initContainers!.find((c) => c.name === 'install')!;
const envOf = (container: IContainer) => Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));

function scriptOf(container: IContainer): string {
  expect(container.command!.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  return container.command![2]!;
}

/**
 * The pod's file system for a test: each mount path replaced by a directory of ours. Whatever
 * absolute path is left must be a program of the image (/bin/sh): writing anywhere else would
 * fail on the read-only root file system.
 */
function remap(script: string, mounts: Record<string, string>): string {
  // One pass, longest mount first, each only where a path starts: a replacement is never replaced again.
  const paths = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\w./-])(${paths.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})(?=/|$|[\\s"'])`, 'g');
  const mapped = script.replace(pattern, (mountPath) => mounts[mountPath]!);
  const stray = (mapped.match(/(?<![\w.-])\/[a-z]+\/[^\s"']*/g) ?? []).filter(
    (p) => !p.startsWith(tmpdir()) && !p.startsWith(PROJECT_ROOT),
  );
  expect(stray, 'paths outside the mounts').toEqual([]);
  return mapped;
}

describe('examples/kubernetes', () => {
  it("validates against Kubernetes' schemas, strictly", () => {
    for (const doc of [...audit, ...merge]) {
      const { model } = MODELS[doc.kind as keyof typeof MODELS];
      expect(() => new model(doc as never).validate(), `${doc.kind} ${doc.metadata.name}`).not.toThrow();
    }
    expect(unknownFields([...audit, ...merge])).toEqual([]);
    // The strict check is awake: a misplaced field is named.
    const broken = structuredClone(auditJob) as IJob & { spec: { completionsMode?: string } };
    broken.spec.completionsMode = 'Indexed';
    expect(unknownFields([broken as Manifest]).join('\n')).toMatch(/completionsMode/);
  });

  it('is an Indexed Job of SHARDS completions, hardened, with keywarden pinned to a commit', () => {
    const spec = auditJob.spec!;
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.parallelism).toBeLessThanOrEqual(spec.completions!);
    for (const job of [auditJob, mergeJob]) {
      const pod = job.spec!.template.spec!;
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext!.runAsUser).toBeGreaterThan(0);
      for (const container of [...pod.initContainers!, ...pod.containers]) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources!.requests!.memory).toBeDefined();
        expect(container.resources!.limits!.memory).toBeDefined();
      }
      expect(scriptOf(initOf(job))).toMatch(PINNED_INSTALL);
      expect(envOf(initOf(job)).KEYWARDEN_SHA).toMatch(/^[0-9a-f]{40}$/);
    }
    const shards = String(spec.completions);
    expect(envOf(containerOf(auditJob, 'keywarden')).SHARDS).toBe(shards);
    expect(envOf(containerOf(mergeJob, 'merge')).SHARDS).toBe(shards);
    expect(Object.keys(repoList.data!)).toEqual(['repos.txt']);
  });

  it("runs: each index's command, then the merge Job's, report what one unsharded scan finds", { timeout: 120_000 }, async () => {
    const { repos, env: gitEnv } = makeOrg(8);
    const root = tempDir('k8s');
    const volumes = { data: path.join(root, 'data'), keywarden: path.join(root, 'keywarden'), repos: path.join(root, 'config') };
    for (const dir of Object.values(volumes)) mkdirSync(dir);
    const configMap = auditJob.spec!.template.spec!.volumes!.find((v) => v.name === 'repos')!.configMap!;
    expect(configMap.name).toBe(repoList.metadata!.name);
    writeFileSync(path.join(volumes.repos, 'repos.txt'), `# the organisation\n${repos.join('\n')}\n`);

    /** One pod: its volume mounts on our directories (emptyDir /tmp new each time), its command in sh. */
    const runPod = async (job: IJob, container: IContainer, extraEnv: Record<string, string>) => {
      const tmp = tempDir('pod-tmp');
      const mounts = Object.fromEntries(
        container.volumeMounts!.map((mount) => [mount.mountPath, mount.name === 'tmp' ? tmp : volumes[mount.name as keyof typeof volumes]]),
      );
      for (const [mountPath, dir] of Object.entries(mounts)) expect(dir, mountPath).toBeDefined();
      const declared = job.spec!.template.spec!.volumes!.map((v) => v.name);
      for (const mount of container.volumeMounts!) expect(declared).toContain(mount.name);
      const env = Object.fromEntries(Object.entries(envOf(container)).map(([k, v]) => [k, remap(v, mounts)]));
      // This checkout replaces the pinned install after the mounts are mapped: it may itself live under /tmp.
      const mapped = remap(scriptOf(container), mounts);
      const script = container.name === 'install' ? installSpecForTest(mapped) : mapped;
      return runScript(['/bin/sh', '-c'], script, {
        cwd: tmp,
        env: { ...gitEnv, ...NPM_OFFLINE, PATH: process.env.PATH!, ...env, ...extraEnv },
      });
    };

    // The init container once: its emptyDir holds the same install in every pod.
    const installed = await runPod(auditJob, initOf(auditJob), {});
    expect(installed.code, installed.stderr).toBe(0);

    const completions = auditJob.spec!.completions!;
    for (let index = 0; index < completions; index++) {
      const pod = await runPod(auditJob, containerOf(auditJob, 'keywarden'), { JOB_COMPLETION_INDEX: String(index) });
      expect(pod.code, pod.stderr).toBe(0);
    }
    const scanned = Array.from({ length: completions }, (_, i) => {
      const report = JSON.parse(readFileSync(path.join(volumes.data, 'out', `shard-${i + 1}.json`), 'utf8')) as JsonReport;
      return report.repositories!.map((entry) => entry.repository);
    }).flat();
    expect(scanned.sort()).toEqual([...repos].sort());

    const merged = await runPod(mergeJob, containerOf(mergeJob, 'merge'), {});
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(1);
    writeFileSync(path.join(root, 'repos.txt'), repos.join('\n'));
    const single = await unshardedScan(root, gitEnv, 'json');
    const expected = (JSON.parse(single.stdout) as JsonReport).findings;
    expect(expected).toHaveLength(3 * 2);
    const report = JSON.parse(readFileSync(path.join(volumes.data, 'out', 'audit.json'), 'utf8')) as JsonReport;
    expect(report.findings).toEqual(expected);
    const sarif = JSON.parse(readFileSync(path.join(volumes.data, 'out', 'audit.sarif'), 'utf8')) as {
      runs: Array<{ results: unknown[] }>;
    };
    expect(sarif.runs[0]!.results).toHaveLength(expected.length);
    for (const repo of repos.filter((_, i) => i % 3 === 0)) expect(merged.stdout).toContain(`${repo}: deploy/creds.env:1:`);

    // A shard that never wrote its report fails the merge rather than reading as clean.
    rmSync(path.join(volumes.data, 'out', 'shard-2.json'));
    const missing = await runPod(mergeJob, containerOf(mergeJob, 'merge'), {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/merge: cannot read .*shard-2\.json: ENOENT/);
  });
});
