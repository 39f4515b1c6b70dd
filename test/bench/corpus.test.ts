import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, manifestPath, readManifest } from '../../bench/corpus.js';
import type { Manifest, PlantRecord } from '../../bench/corpus.js';

const SIZE = 1024 * 1024;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-corpus-test-'));

function listFiles(dir: string, base = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const relative = base ? `${base}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
    });
}

function treeHash(dir: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(dir))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(dir, file)))
      .update('\0');
  return hash.digest('hex');
}

/** Undo the escapes the corpus writes credentials with: JSON `\/` and URL encoding. */
function decode(written: string): string {
  return written.replaceAll('\\/', '/').replace(/%2F/gi, '/').replace(/%2B/gi, '+').replace(/%3D/gi, '=');
}

const SHAPES: Record<PlantRecord['ruleId'], RegExp> = {
  'aws-access-key-id': /^AKIA[A-Z2-7]{16}$/,
  'aws-temporary-access-key-id': /^ASIA[A-Z2-7]{16}$/,
  'aws-secret-access-key': /^[A-Za-z0-9+/]{40}$/,
  'aws-session-token': /^[A-Za-z0-9+/]{100,}={0,2}$/,
};

function sum(values: Record<string, number | undefined>): number {
  return Object.values(values).reduce<number>((total, n) => total + (n ?? 0), 0);
}

describe('bench corpus generator', () => {
  let dir: string;
  let manifest: Manifest;
  const texts = new Map<string, string>();
  const text = (file: string) => {
    if (!texts.has(file)) texts.set(file, readFileSync(path.join(dir, file), 'utf8'));
    return texts.get(file)!;
  };

  beforeAll(() => {
    dir = path.join(scratch, 'a');
    manifest = generateCorpus({ dir, sizeBytes: SIZE, seed: 7 });
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('writes the same bytes for the same seed and different bytes for another seed', () => {
    const again = path.join(scratch, 'b');
    const other = path.join(scratch, 'c');
    const second = generateCorpus({ dir: again, sizeBytes: SIZE, seed: 7 });
    generateCorpus({ dir: other, sizeBytes: SIZE, seed: 8 });
    expect(treeHash(again)).toBe(treeHash(dir));
    expect(second).toEqual(manifest);
    expect(treeHash(other)).not.toBe(treeHash(dir));
  });

  it('keeps the manifest beside the tree, not inside it, and reads it back', () => {
    expect(manifestPath(dir)).toBe(`${dir}.manifest.json`);
    expect(listFiles(dir).some((file) => file.includes('manifest'))).toBe(false);
    expect(readManifest(dir, { sizeBytes: SIZE, seed: 7 })).toEqual(manifest);
    expect(readManifest(dir, { sizeBytes: SIZE, seed: 8 })).toBeUndefined();
  });

  it('counts the files and bytes it wrote', () => {
    const files = listFiles(dir);
    expect(manifest.files).toBe(files.length);
    expect(manifest.bytes).toBe(files.reduce((total, file) => total + statSync(path.join(dir, file)).size, 0));
    expect(manifest.bytes).toBeGreaterThanOrEqual(SIZE);
    expect(sum(manifest.filesByKind)).toBe(files.length);
  });

  it('has summary counts that agree with its lists of plants and decoys', () => {
    expect(manifest.plants.length).toBeGreaterThan(10);
    expect(sum(manifest.planted)).toBe(manifest.plants.length);
    expect(sum(manifest.plantedBySyntax)).toBe(manifest.plants.length);
    for (const [ruleId, count] of Object.entries(manifest.planted)) {
      expect(manifest.plants.filter((plant) => plant.ruleId === ruleId)).toHaveLength(count!);
    }
    expect(sum(manifest.decoys)).toBe(manifest.decoyList.length);
  });

  it('writes every planted credential where the manifest says, in the shape of its rule', () => {
    for (const plant of manifest.plants) {
      const content = text(plant.path);
      const written = content.slice(plant.offset, plant.offset + plant.length);
      expect(decode(written), `${plant.syntax} in ${plant.path}`).toMatch(SHAPES[plant.ruleId]);
      const before = content.slice(0, plant.offset);
      expect(plant.line).toBe(before.split('\n').length);
      expect(plant.column).toBe(plant.offset - (before.lastIndexOf('\n') + 1) + 1);
    }
  });

  it('lists every key-id-shaped token in the tree as a planted key id or a decoy', () => {
    const keyIdShape = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;
    const plantedAt = new Set(
      manifest.plants.filter((plant) => plant.ruleId.endsWith('access-key-id')).map((plant) => `${plant.path}:${plant.offset}`),
    );
    const decoyAt = new Set(manifest.decoyList.map((decoy) => `${decoy.path}:${decoy.offset}`));
    let atPlants = 0;
    const unlisted: string[] = [];
    for (const file of listFiles(dir)) {
      for (const match of text(file).matchAll(keyIdShape)) {
        const at = `${file}:${match.index}`;
        if (plantedAt.has(at)) atPlants++;
        else if (!decoyAt.has(at)) unlisted.push(at);
      }
    }
    expect(unlisted).toEqual([]);
    expect(plantedAt.size).toBeGreaterThan(0);
    expect(atPlants).toBe(plantedAt.size);
  });
});
