import { afterEach, describe, expect, it } from 'vitest';
import { historySources, stagedSources, type SourceEvent } from '../../src/git/sources.js';
import { makeKeyId } from '../helpers/keys.js';
import { createRepo, scanJson, type TempRepo } from './repo.js';

const keyId = (seed: number) => makeKeyId('AKIA', { seed, account: '456789012345' });

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

async function collect(events: AsyncIterable<SourceEvent>): Promise<SourceEvent[]> {
  const all: SourceEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Counts the object ids asked of cat-file. */
function readCounter(): { onBlobRequest: (id: string) => void; count: (id: string) => number; total: () => number } {
  const reads = new Map<string, number>();
  return {
    onBlobRequest: (id) => reads.set(id, (reads.get(id) ?? 0) + 1),
    count: (id) => reads.get(id) ?? 0,
    total: () => [...reads.values()].reduce((a, b) => a + b, 0),
  };
}

describe('git modes read each blob once per run', () => {
  it('--history reads a file that flips between two versions in 50 commits twice, not 50 times', async () => {
    repo = createRepo();
    const one = 'version one\n';
    const two = 'version two\n';
    repo.write('flip.txt', one);
    repo.git('add', '.');
    repo.commit('first');
    for (let i = 1; i < 50; i++) {
      repo.write('flip.txt', i % 2 ? two : one);
      repo.git('commit', '-qam', `flip ${i}`);
    }
    expect(repo.git('log', '--oneline').trim().split('\n')).toHaveLength(50);
    const counter = readCounter();
    const sources = await historySources({ cwd: repo.dir, env: repo.env }, { onBlobRequest: counter.onBlobRequest });
    const events = await collect(sources.events);
    expect(counter.total()).toBe(2);
    expect(counter.count(repo.git('rev-parse', 'HEAD~1:flip.txt').trim())).toBe(1);
    expect(counter.count(repo.git('rev-parse', 'HEAD:flip.txt').trim())).toBe(1);
    // Two clean blobs, read once each (counted together in one event).
    expect(events).toEqual([{ kind: 'clean', files: 2, bytes: Buffer.byteLength(one) + Buffer.byteLength(two) }]);
  });

  it('a blob holding a key is read again only at a new path, so the key is still reported once per path', async () => {
    repo = createRepo();
    const leaked = `key = ${keyId(1)}\n`;
    repo.write('a.txt', leaked);
    repo.git('add', '.');
    const first = repo.commit('a', '2024-01-01T00:00:00+00:00');
    // Reverted and restored ten times at the same path: nothing new.
    for (let i = 0; i < 10; i++) {
      repo.write('a.txt', i % 2 ? leaked : 'clean\n');
      repo.git('commit', '-qam', `flip ${i}`);
    }
    repo.write('b.txt', leaked);
    repo.git('add', '.');
    const copied = repo.commit('copy', '2024-03-01T00:00:00+00:00');
    const blob = repo.git('rev-parse', `${first}:a.txt`).trim();

    const counter = readCounter();
    const sources = await historySources({ cwd: repo.dir, env: repo.env }, { onBlobRequest: counter.onBlobRequest });
    await collect(sources.events);
    // Once for a.txt and once more at its new path b.txt; never for its returns to a.txt.
    expect(counter.count(blob)).toBe(2);

    const { report } = await scanJson(['--history'], repo);
    expect(report.findings.map((f) => [f.path, f.line, f.commit?.sha])).toEqual([
      ['a.txt', 1, first],
      ['b.txt', 1, copied],
    ]);
  });

  it('--history compares each version of a file holding a key with the one before from memory, not a second read', async () => {
    repo = createRepo();
    const lines = [`key = ${keyId(4)}`];
    repo.write('config.txt', lines.join('\n') + '\n');
    repo.git('add', '.');
    repo.commit('first', '2024-01-01T00:00:00+00:00');
    for (let i = 1; i < 20; i++) {
      // A line appended each commit, and on the 10th a second key: only that commit adds it.
      lines.push(i === 10 ? `other = ${keyId(5)}` : `setting${i} = ${i}`);
      repo.write('config.txt', lines.join('\n') + '\n');
      repo.git('commit', '-qam', `edit ${i}`, '--date', `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00+00:00`);
    }
    const counter = readCounter();
    const sources = await historySources({ cwd: repo.dir, env: repo.env }, { onBlobRequest: counter.onBlobRequest });
    const events = await collect(sources.events);
    // Twenty versions, each read once; the nineteen old versions they are compared with are not read again.
    expect(counter.total()).toBe(20);
    const added = events.flatMap((event) => (event.kind === 'source' ? [event.source.addedLines] : []));
    expect(added).toEqual([undefined, ...Array.from({ length: 19 }, (_, i) => [{ start: i + 2, end: i + 2 }])]);

    const { report } = await scanJson(['--history'], repo);
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([
      ['config.txt', 1],
      ['config.txt', 11],
    ]);
  });

  it('--history of large blobs reads each once and misses none when it moves to a second reader midway', async () => {
    repo = createRepo();
    // 24 versions of a 512 KB file: past 8 MB of large blobs the rest are read by a new reader.
    const line = 'const filler = "abcdefghijklmnopqrstuvwxyz0123456789";\n';
    const body = line.repeat(Math.ceil((512 * 1024) / line.length));
    const keyAt = 20;
    for (let i = 0; i < 24; i++) {
      const extra = i >= keyAt ? `aws_access_key_id = ${keyId(6)}\n` : '';
      repo.write('big.js', `// version ${i}\n${body}${extra}`);
      repo.git('add', '.');
      repo.commit(`v${i}`, `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00+00:00`);
    }
    const counter = readCounter();
    const sources = await historySources({ cwd: repo.dir, env: repo.env }, { onBlobRequest: counter.onBlobRequest });
    const events = await collect(sources.events);
    const blobs = repo.git('rev-list', '--objects', '--all').trim().split('\n').length;
    // 24 versions read once each, and once more the clean version the key's commit is compared
    // with (later versions are compared with matched ones, kept in memory).
    expect(counter.total()).toBe(25);
    expect(blobs).toBeGreaterThan(24);
    const scanned = events.reduce((sum, event) => sum + (event.kind === 'clean' ? event.files : event.kind === 'source' ? 1 : 0), 0);
    expect(scanned).toBe(24);
    const { report } = await scanJson(['--history'], repo);
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([['big.js', body.split('\n').length + 1]]);
  });

  it('--staged reads a blob staged at several paths once when it holds nothing', async () => {
    repo = createRepo();
    for (let i = 0; i < 20; i++) repo.write(`vendor/copy-${i}/LICENSE`, 'MIT License\n');
    repo.git('add', '.');
    const counter = readCounter();
    const sources = await stagedSources({ cwd: repo.dir, env: repo.env }, { onBlobRequest: counter.onBlobRequest });
    const events = await collect(sources.events);
    expect(counter.total()).toBe(1);
    expect(events).toHaveLength(1);
  });

  it('--history until REV walks back from REV instead of HEAD', async () => {
    repo = createRepo();
    repo.write('a.txt', `key = ${keyId(2)}\n`);
    repo.git('add', '.');
    const first = repo.commit('a', '2024-01-01T00:00:00+00:00');
    repo.write('b.txt', `key = ${keyId(3)}\n`);
    repo.git('add', '.');
    repo.commit('b', '2024-02-01T00:00:00+00:00');
    const paths = async (options: { since?: string; until?: string }) => {
      const sources = await historySources({ cwd: repo!.dir, env: repo!.env }, options);
      return (await collect(sources.events)).flatMap((e) => (e.kind === 'source' ? [e.source.path] : []));
    };
    expect(await paths({})).toEqual(['a.txt', 'b.txt']);
    expect(await paths({ until: first })).toEqual(['a.txt']);
    expect(await paths({ since: first, until: 'HEAD' })).toEqual(['b.txt']);
  });
});
