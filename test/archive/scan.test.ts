import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { sarifSchemaErrors } from '../report/sarif-schema.js';
import { gzip, tar, zip } from '../helpers/archives.js';
import { runCli, tempTree } from '../helpers/cli.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 301 });
const secret = makeSecret(302);
const envFile = `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n`;
const credentials = `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`;

interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  column: number;
  archive: { path: string; member: string } | null;
}
interface JsonReport {
  findings: JsonFinding[];
  skipped: Array<{ path: string; reason: string; detail?: string }>;
  warnings: string[];
  stats: { filesScanned: number };
}

async function scanJson(argv: string[], cwd: string) {
  const result = await runCli(['scan', '--format', 'json', ...argv], { cwd });
  return { ...result, report: JSON.parse(result.stdout) as JsonReport };
}

const places = (report: JsonReport) => report.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`);

describe('archive members are scanned as sources', () => {
  test('a .env inside a zip, reported as outer.zip!/member with its own lines', async () => {
    const dir = tempTree({
      'dist.zip': zip([
        { name: 'app/README.md', data: '# app\n' },
        { name: 'app/.env', data: `# settings\n${envFile}` },
      ]),
    });
    const { code, report } = await scanJson([], dir);
    expect(code).toBe(1);
    expect(places(report)).toEqual([`aws-access-key-id dist.zip!/app/.env:2:19`, `aws-secret-access-key dist.zip!/app/.env:3:23`]);
    expect(report.findings[0]!.archive).toEqual({ path: 'dist.zip', member: 'app/.env' });
    // The zip itself and its two text members.
    expect(report.stats.filesScanned).toBe(3);
  });

  test.each(['lib.jar', 'web.war', 'app.ear', 'pkg-1.0-py3-none-any.whl', 'Pkg.1.0.0.nupkg', 'app.apk', 'no-extension'])(
    'the zip family by magic bytes, whatever the name: %s',
    async (name) => {
      const dir = tempTree({ [name]: zip([{ name: 'config/aws.properties', data: `aws.accessKeyId=${id}\n`, method: 'store' }]) });
      const { report } = await scanJson([], dir);
      expect(places(report)).toEqual([`aws-access-key-id ${name}!/config/aws.properties:1:17`]);
    },
  );

  test('a credentials file inside an npm package tarball (.tgz), and in a plain .tar', async () => {
    const pkg = tar([
      { name: 'package/package.json', data: '{"name":"x"}\n' },
      { name: 'package/lib', data: '', type: '5' },
      { name: 'package/.aws/credentials', data: credentials },
    ]);
    const dir = tempTree({ 'x-1.0.0.tgz': gzip(pkg), 'x.tar': pkg });
    const { report } = await scanJson([], dir);
    expect(places(report)).toEqual([
      'aws-access-key-id x-1.0.0.tgz!/package/.aws/credentials:2:21',
      'aws-secret-access-key x-1.0.0.tgz!/package/.aws/credentials:3:25',
      'aws-access-key-id x.tar!/package/.aws/credentials:2:21',
      'aws-secret-access-key x.tar!/package/.aws/credentials:3:25',
    ]);
  });

  test('a gzipped log is one member named after the file', async () => {
    const dir = tempTree({ 'logs/app.log.gz': gzip(`${'GET /health 200\n'.repeat(1000)}env dump: AWS_ACCESS_KEY_ID=${id}\n`) });
    const { report } = await scanJson([], dir);
    expect(places(report)).toEqual(['aws-access-key-id logs/app.log.gz!/app.log:1001:29']);
  });

  test('nesting: a jar in a zip, a tarball in it, each level named with !/', async () => {
    const jar = zip([
      { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' },
      { name: 'application.properties', data: `cloud.aws.credentials.access-key=${id}\n` },
    ]);
    const tgz = gzip(
      tar([
        { name: 'package/lib/x.js', data: `const key = "${id}";\n` },
        { name: 'package/vendor.jar', data: jar },
      ]),
    );
    const dir = tempTree({
      'release.zip': zip([
        { name: 'lib/app.jar', data: jar },
        { name: 'npm/x.tgz', data: tgz, method: 'store' },
      ]),
    });
    const { report } = await scanJson([], dir);
    expect(places(report)).toEqual([
      'aws-access-key-id release.zip!/lib/app.jar!/application.properties:1:34',
      'aws-access-key-id release.zip!/npm/x.tgz!/package/lib/x.js:1:14',
      'aws-access-key-id release.zip!/npm/x.tgz!/package/vendor.jar!/application.properties:1:34',
    ]);
    expect(report.findings[2]!.archive).toEqual({ path: 'release.zip', member: 'npm/x.tgz!/package/vendor.jar!/application.properties' });
  });

  test('archives nested deeper than 3 are not opened: a warning names the one left shut', async () => {
    // d1.zip (on disk) > d2.zip > d3.zip > d4.zip > .env
    let nested = zip([{ name: '.env', data: envFile }]);
    for (const name of ['d4.zip', 'd3.zip', 'd2.zip']) nested = zip([{ name, data: nested }]);
    const dir = tempTree({ 'd1.zip': nested });
    const { code, report } = await scanJson([], dir);
    expect(code).toBe(0);
    expect(report.warnings).toEqual([
      expect.stringContaining('archive d1.zip!/d2.zip!/d3.zip!/d4.zip: an archive nested 4 deep (limit 3)'),
    ]);
    expect(report.skipped).toEqual([expect.objectContaining({ path: 'd1.zip!/d2.zip!/d3.zip!/d4.zip', reason: 'archive-limit' })]);
  });

  test('binary members are passed over; members larger than --max-file-size are skipped as too-large', async () => {
    const dir = tempTree({
      'app.jar': zip([
        { name: 'com/x/Main.class', data: Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0]), Buffer.from(id)]) },
        { name: 'big.txt', data: `${'x'.repeat(3000)}\n${id}\n` },
        { name: 'small.txt', data: `${id}\n` },
      ]),
    });
    const { report } = await scanJson(['--max-file-size', '2KB'], dir);
    expect(places(report)).toEqual(['aws-access-key-id app.jar!/small.txt:1:1']);
    expect(report.skipped).toEqual([
      {
        path: 'app.jar!/big.txt',
        reason: 'too-large',
        detail: '3022 bytes > --max-file-size 2048',
        archive: { path: 'app.jar', member: 'big.txt' },
      },
    ]);
  });

  test('a zip whose directory lies about a member size is still bounded by what inflates', async () => {
    const dir = tempTree({ 'liar.zip': zip([{ name: 'huge.txt', data: 'y'.repeat(50_000), declaredSize: 10 }]) });
    const { report } = await scanJson(['--max-file-size', '10KB'], dir);
    expect(report.skipped).toEqual([
      {
        path: 'liar.zip!/huge.txt',
        reason: 'too-large',
        detail: 'more than 10240 bytes once inflated (--max-file-size)',
        archive: { path: 'liar.zip', member: 'huge.txt' },
      },
    ]);
  });

  test('a corrupt archive is a warning naming it; the scan goes on', async () => {
    const good = zip([{ name: '.env', data: envFile }]);
    const truncated = good.subarray(0, good.length - 30);
    const badMember = zip([
      { name: 'bad.txt', data: 'x', compressed: Buffer.from([0xff, 0xff, 0xff]) },
      { name: 'ok.env', data: envFile },
    ]);
    const dir = tempTree({
      'broken.zip': truncated,
      'half.zip': badMember,
      'notes.tgz': Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8]),
      'plain.env': envFile,
    });
    const { code, report } = await scanJson([], dir);
    expect(code).toBe(1);
    expect([...new Set(report.findings.map((f) => f.path))]).toEqual(['half.zip!/ok.env', 'plain.env']);
    expect(report.warnings).toEqual([
      expect.stringMatching(/^cannot read archive broken\.zip: /),
      expect.stringMatching(/^cannot read half\.zip!\/bad\.txt: deflate data is corrupt/),
      expect.stringMatching(/^cannot read archive notes\.tgz: gzip data is corrupt/),
    ]);
    expect(report.skipped.map((s) => `${s.path} ${s.reason}`)).toEqual([
      'broken.zip corrupt-archive',
      'half.zip!/bad.txt unreadable',
      'notes.tgz corrupt-archive',
    ]);
  });

  test('a truncated gzipped log still has its first part scanned, with a warning', async () => {
    const whole = gzip(`${id}\n${'filler line\n'.repeat(20_000)}`);
    const dir = tempTree({ 'cut.log.gz': whole.subarray(0, Math.floor(whole.length / 2)) });
    const { report } = await scanJson([], dir);
    expect(places(report)).toEqual(['aws-access-key-id cut.log.gz!/cut.log:1:1']);
    expect(report.warnings).toEqual([expect.stringMatching(/^cannot read archive cut\.log\.gz: gzip data is corrupt/)]);
  });

  test('--no-archives and "archives": false leave archives to the binary skip', async () => {
    const dir = tempTree({ 'dist.zip': zip([{ name: '.env', data: envFile }]) });
    const off = await scanJson(['--no-archives'], dir);
    expect(off.code).toBe(0);
    expect(off.report.skipped).toEqual([{ path: 'dist.zip', reason: 'binary' }]);
    writeFileSync(path.join(dir, 'keywarden.config.json'), JSON.stringify({ archives: false }));
    expect((await scanJson([], dir)).report.skipped).toEqual([{ path: 'dist.zip', reason: 'binary' }]);
    // The flag wins over the config.
    expect((await scanJson(['--archives'], dir)).code).toBe(1);
  });

  test('"archives" in a config must be a boolean', async () => {
    const dir = tempTree({ 'keywarden.config.json': JSON.stringify({ archives: 'no' }) });
    const result = await runCli(['scan'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"archives" must be true or false/);
  });

  test('SARIF places the result on the archive file and names the member in properties', async () => {
    const dir = tempTree({ 'dist.zip': zip([{ name: 'app/.env', data: envFile }]) });
    const result = await runCli(['scan', '--format', 'sarif'], { cwd: dir });
    const log = JSON.parse(result.stdout);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const first = log.runs[0].results[0];
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'dist.zip', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
    expect(first.properties.archiveMember).toBe('app/.env');
    expect(first.properties.memberRegion).toEqual({ startLine: 1, startColumn: 19, endLine: 1, endColumn: 39 });
    expect(first.message.text).toContain('(in archive member app/.env, line 1)');
    // Notifications about skipped members point at the archive file too.
    const big = tempTree({ 'big.zip': zip([{ name: 'large.txt', data: 'z'.repeat(4096) }]) });
    const skipped = JSON.parse((await runCli(['scan', '--format', 'sarif', '--max-file-size', '1KB'], { cwd: big })).stdout);
    expect(skipped.runs[0].invocations[0].toolExecutionNotifications).toContainEqual(
      expect.objectContaining({
        descriptor: { id: 'skipped-too-large' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'big.zip', uriBaseId: '%SRCROOT%' } } }],
      }),
    );
    // Two members holding the same key stay two alerts.
    const fingerprints = log.runs[0].results.map(
      (r: { partialFingerprints: Record<string, string> }) => Object.values(r.partialFingerprints)[0],
    );
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  test('GitHub annotations go on the archive file, naming the member', async () => {
    const dir = tempTree({ 'dist.zip': zip([{ name: 'app/.env', data: envFile }]) });
    const result = await runCli(['scan', '--format', 'github'], { cwd: dir });
    expect(result.stdout.split('\n')[0]).toMatch(/^::error file=dist\.zip,title=[^:]+::.*\(in archive member app\/\.env, line 1\)$/);
  });
});
