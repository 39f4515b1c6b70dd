/**
 * Small seeded trees for the scenario benchmarks: a 10-file change to stage in a git repository,
 * and a TypeScript project for the ESLint overhead run. Each records how many credentials it holds.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Doc } from './doc.js';
import { jsBlock, jsHeader, camel } from './filler.js';
import { createKeys } from './keys.js';
import { createRandom } from './random.js';
import { PLANTS } from './snippets.js';

/** A TypeScript module of about `size` chars; `plant` adds one credential pair (an S3 client). */
function tsModule(r, keys, size, plant) {
  const doc = new Doc('');
  doc.add(jsHeader(r));
  while (doc.length < size / 2) doc.add(jsBlock(r, true));
  if (plant) PLANTS.js['js-object'](doc, r, keys);
  while (doc.length < size) doc.add(jsBlock(r, true));
  return { text: doc.text(), planted: doc.plants.length };
}

/**
 * Writes `count` TypeScript files under `dir`, one in `plantEvery` with a credential pair.
 * `clean` empties `dir` first (not wanted inside a git work tree).
 */
export function writeTsTree(dir, { count, seed = 5, plantEvery = 100, size = [800, 4000], clean = true }) {
  if (clean) rmSync(dir, { recursive: true, force: true });
  const r = createRandom(seed);
  const keys = createKeys(r);
  const files = [];
  let planted = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const file = path.posix.join(`src/${camel(r, 1).toLowerCase()}`, `${camel(r, 2)}-${i}.ts`);
    const module = tsModule(r, keys, r.int(size[0], size[1]), i % plantEvery === plantEvery - 1);
    mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(dir, file), module.text);
    files.push(file);
    planted += module.planted;
    bytes += module.text.length;
  }
  return { files, planted, bytes };
}
