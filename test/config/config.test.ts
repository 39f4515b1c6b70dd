import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, parseSize, validateConfig } from '../../src/config/schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary repository (a `.git` directory marks its root) holding `files`. */
function repo(files: Record<string, string>): string {
  const base = mkdtempSync(path.join(tmpdir(), 'keywarden-config-'));
  dirs.push(base);
  const root = path.join(base, 'repo');
  mkdirSync(path.join(root, '.git'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('validateConfig', () => {
  it('accepts every documented key', () => {
    const config = validateConfig(
      {
        include: ['src/**'],
        exclude: ['fixtures'],
        maxFileSize: '5MB',
        rules: { 'aws-session-token': 'off' },
        failOn: 'warning',
        accounts: { '111122223333': 'prod' },
      },
      'keywarden.config.json',
    );
    expect(config.failOn).toBe('warning');
    expect(config.accounts).toEqual({ '111122223333': 'prod' });
  });

  it('names the key that is wrong, in one line', () => {
    expect(() => validateConfig({ failOn: 'loud' }, 'keywarden.config.json')).toThrow(ConfigError);
    expect(() => validateConfig({ failOn: 'loud' }, 'keywarden.config.json')).toThrow(/failOn/);
    expect(() => validateConfig({ rules: { 'aws-nope': 'error' } }, 'keywarden.config.json')).toThrow(/aws-nope/);
  });

  it('parses sizes in bytes and with units', () => {
    expect(parseSize('5MB')).toBe(5 * 1024 * 1024);
    expect(parseSize(1024)).toBe(1024);
    expect(parseSize('lots')).toBeUndefined();
  });
});

describe('loadConfig', () => {
  it('finds the nearest config from a subdirectory up to the repository root', async () => {
    const root = repo({ 'keywarden.config.json': JSON.stringify({ failOn: 'error' }), 'src/app/x.txt': '' });
    const loaded = await loadConfig(path.join(root, 'src/app'));
    expect(loaded.config.failOn).toBe('error');
    expect(loaded.path).toBe(path.join(root, 'keywarden.config.json'));
  });

  it('does not look above the repository root', async () => {
    const root = repo({ 'src/x.txt': '' });
    writeFileSync(path.join(path.dirname(root), 'keywarden.config.json'), JSON.stringify({ failOn: 'none' }));
    expect((await loadConfig(path.join(root, 'src'))).config).toEqual({});
  });

  it('refuses a config found by search that is a link out of the repository', async () => {
    const root = repo({});
    const outside = path.join(path.dirname(root), 'elsewhere.json');
    writeFileSync(outside, JSON.stringify({ allow: { paths: ['.*'] } }));
    symlinkSync(outside, path.join(root, 'keywarden.config.json'));
    await expect(loadConfig(root)).rejects.toThrow(/outside the repository/);
  });

  it('gives a JSON error its position, never the text around it', async () => {
    const root = repo({ 'keywarden.config.json': '{"failOn": "error", TOPSECRET }' });
    const error = (await loadConfig(root).catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/line 1, column \d+/);
    expect(error.message).not.toContain('TOPSECRET');
  });
});
