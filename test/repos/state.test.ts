import { describe, expect, it } from 'vitest';
import { parseRepoState, RepoState } from '../../src/repos/state.js';

const tip = (digit: string) => digit.repeat(40);

describe('RepoState', () => {
  it('keys repositories by their normalised URL and reads back what it wrote', () => {
    const state = new RepoState();
    state.record('HTTPS://GitHub.com/Org/Repo.git/', [tip('b'), tip('a')], 'settings-1', new Date('2024-05-06T07:08:09Z'));
    expect(state.tips('https://github.com/Org/Repo', 'settings-1')).toEqual({ kind: 'tips', tips: [tip('a'), tip('b')] });
    expect(state.tips('https://github.com/org/repo', 'settings-1')).toEqual({ kind: 'none' });
    // Recorded with other settings: the tips are not offered, so that repository is scanned in full.
    expect(state.tips('https://github.com/Org/Repo', 'settings-2')).toEqual({ kind: 'other-settings' });
    const text = state.serialise();
    const again = parseRepoState(text, 'state.json');
    expect(again.tips('https://github.com/Org/Repo.git', 'settings-1')).toEqual({ kind: 'tips', tips: [tip('a'), tip('b')] });
    expect(again.serialise()).toBe(text);
    expect(JSON.parse(text)).toEqual({
      format: 'keywarden-repos-state',
      version: 1,
      repositories: {
        'https://github.com/Org/Repo': { tips: [tip('a'), tip('b')], scannedAt: '2024-05-06T07:08:09.000Z', settings: 'settings-1' },
      },
    });
  });

  it('writes repositories sorted, so the file diffs well', () => {
    const state = new RepoState();
    for (const repo of ['/srv/c', '/srv/a', '/srv/b']) state.record(repo, [tip('c')], 's');
    expect(Object.keys((JSON.parse(state.serialise()) as { repositories: object }).repositories)).toEqual(['/srv/a', '/srv/b', '/srv/c']);
  });

  it('refuses what is not a state file, naming the file and why', () => {
    const base = { format: 'keywarden-repos-state', version: 1 };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...base }, /"repositories" is not an object/],
      [{ ...base, repositories: { r: null } }, /repository "r" has no "tips" list/],
      [{ ...base, repositories: { r: { tips: [tip('a')] } } }, /repository "r" has no "scannedAt"/],
      [{ ...base, repositories: { r: { tips: [tip('a').toUpperCase()], scannedAt: 'x' } } }, /not a full commit id/],
      [{ ...base, repositories: { r: { tips: [tip('a').slice(1)], scannedAt: 'x' } } }, /not a full commit id/],
      [{ ...base, repositories: { r: { tips: [tip('a')], scannedAt: 'x', settings: 7 } } }, /"settings" that is not a string/],
    ];
    for (const [json, message] of cases) {
      expect(() => parseRepoState(JSON.stringify(json), 's.json')).toThrow(message);
      expect(() => parseRepoState(JSON.stringify(json), 's.json')).toThrow(/^--state: s\.json is not a keywarden state file/);
    }
    // SHA-256 repositories have 64-digit ids.
    const sha256 = { ...base, repositories: { r: { tips: [tip('f').padEnd(64, '0')], scannedAt: 'x' } } };
    // An entry without settings (never written by this version) counts as other settings: scanned in full.
    expect(parseRepoState(JSON.stringify(sha256), 's').tips('r', 'any')).toEqual({ kind: 'other-settings' });
    const withSettings = { ...base, repositories: { r: { tips: [tip('f').padEnd(64, '0')], scannedAt: 'x', settings: 'k' } } };
    expect(parseRepoState(JSON.stringify(withSettings), 's').tips('r', 'k')).toEqual({ kind: 'tips', tips: [tip('f').padEnd(64, '0')] });
  });
});
