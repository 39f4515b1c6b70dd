import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gzip, tar, zip } from '../helpers/archives.js';
import { makeKeyId, makeSecret } from '../helpers/keys.js';
import { createRepo, scanJson, type TempRepo } from '../git/repo.js';

const id = (seed: number) => makeKeyId('AKIA', { seed });
const envFile = (seed: number) => `AWS_ACCESS_KEY_ID=${id(seed)}\nAWS_SECRET_ACCESS_KEY=${makeSecret(seed)}\n`;

let repo: TempRepo;
afterEach(() => repo?.cleanup());

function writeBytes(file: string, bytes: Buffer): void {
  writeFileSync(path.join(repo.dir, file), bytes);
}

describe('archives committed to git', () => {
  it('--staged opens a staged zip: every member is scanned whole', async () => {
    repo = createRepo();
    writeBytes('dist.zip', zip([{ name: 'app/.env', data: envFile(1) }]));
    writeBytes('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    repo.git('add', '.');
    const { code, report } = await scanJson(['--staged'], repo);
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.path}:${f.line}`)).toEqual(['dist.zip!/app/.env:1', 'dist.zip!/app/.env:2']);
    expect(report.findings[0]!.archive).toEqual({ path: 'dist.zip', member: 'app/.env' });
    // A binary file not named like an archive is not read.
    expect(report.skipped).toEqual([{ path: 'image.png', reason: 'binary' }]);
  });

  it('--history finds a key in a tarball and a gzipped log, in the commit that added them', async () => {
    repo = createRepo();
    repo.write('README.md', 'hi\n');
    repo.git('add', '.');
    repo.commit('readme');
    writeBytes('pkg.tgz', gzip(tar([{ name: 'package/credentials', data: `[default]\naws_access_key_id = ${id(2)}\n` }])));
    writeBytes('app.log.gz', gzip(`boot\nkey=${id(3)}\n`));
    repo.git('add', '.');
    const added = repo.commit('vendor');
    const { report } = await scanJson(['--history'], repo);
    expect(report.findings.map((f) => `${f.path}:${f.line} ${f.commit?.sha}`)).toEqual([
      `app.log.gz!/app.log:2 ${added}`,
      `pkg.tgz!/package/credentials:2 ${added}`,
    ]);
  });

  it('--no-archives leaves a staged archive to the binary skip', async () => {
    repo = createRepo();
    writeBytes('dist.zip', zip([{ name: '.env', data: envFile(4) }]));
    repo.git('add', '.');
    const { code, report } = await scanJson(['--staged', '--no-archives'], repo);
    expect(code).toBe(0);
    expect(report.skipped).toEqual([{ path: 'dist.zip', reason: 'binary' }]);
  });
});
