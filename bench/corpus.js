/**
 * Seeded synthetic corpus for the benchmark: a tree of ordinary-looking repository files with
 * credentials planted in many syntaxes and decoys beside them, plus a manifest of where each one is.
 *
 *   node bench/corpus.js --size 10 [--seed 6] [--dir bench/.corpus/10]
 *
 * The manifest is written next to the tree (<dir>.manifest.json), never inside it, so a scan of
 * the tree does not also scan the list of answers.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Doc, locate } from './lib/doc.js';
import { createKeys } from './lib/keys.js';
import { KINDS } from './lib/kinds.js';
import { camel } from './lib/filler.js';
import { createRandom } from './lib/random.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_ROOT = path.join(here, '.corpus');
const GENERATOR_FILES = ['corpus.js', 'lib/random.js', 'lib/keys.js', 'lib/doc.js', 'lib/snippets.js', 'lib/filler.js', 'lib/kinds.js'];

/** Hash of the generator's own source: a corpus built by other code is stale and gets rebuilt. */
export const GENERATOR_VERSION = (() => {
  const hash = createHash('sha256');
  for (const file of GENERATOR_FILES) hash.update(readFileSync(path.join(here, file)));
  return hash.digest('hex').slice(0, 16);
})();
export const DEFAULT_SEED = 6;
export const MB = 1024 * 1024;

export function corpusDir(sizeMB) {
  return path.join(CORPUS_ROOT, String(sizeMB));
}

export function manifestPath(dir) {
  return `${dir}.manifest.json`;
}

function pickPath(r, kind, used) {
  for (let attempt = 0; ; attempt++) {
    const dir = r.pick(kind.dirs).replaceAll('*', () => camel(r, 1).toLowerCase());
    const name = kind.names ? r.pick(kind.names) : `${camel(r, r.int(1, 2))}${r.pick(kind.ext)}`;
    let candidate = path.posix.join(dir, name);
    if (attempt > 4) candidate = path.posix.join(dir, `${attempt}-${name}`);
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
}

const add = (into, key, n = 1) => {
  into[key] = (into[key] ?? 0) + n;
};

/**
 * Writes the corpus under `dir` (replacing what is there) and returns its manifest.
 * Same seed and size give the same bytes.
 */
export function generateCorpus({ dir, sizeBytes, seed = DEFAULT_SEED }) {
  rmSync(dir, { recursive: true, force: true });
  rmSync(manifestPath(dir), { force: true });
  const r = createRandom(seed);
  const keys = createKeys(r);
  const weights = Object.fromEntries(Object.entries(KINDS).map(([name, kind]) => [name, kind.weight]));
  const used = new Set();
  const made = new Set();
  const manifest = {
    generatorVersion: GENERATOR_VERSION,
    seed,
    sizeBytes,
    files: 0,
    bytes: 0,
    filesByKind: {},
    bytesByKind: {},
    planted: {},
    plantedBySyntax: {},
    decoys: {},
    background: {},
    plants: [],
    decoyList: [],
  };
  while (manifest.bytes < sizeBytes) {
    const kindName = r.weighted(weights);
    const kind = KINDS[kindName];
    const file = pickPath(r, kind, used);
    const doc = new Doc(file);
    const [low, high] = kind.size;
    kind.build(doc, r, keys, Math.round(low + (high - low) * r.next() ** 2.5));
    const text = doc.text();
    locate(text, [...doc.plants, ...doc.decoys]);
    const absolute = path.join(dir, file);
    const parent = path.dirname(absolute);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(absolute, text);
    manifest.files++;
    manifest.bytes += text.length; // ASCII only: characters are bytes
    add(manifest.filesByKind, kindName);
    add(manifest.bytesByKind, kindName, text.length);
    for (const plant of doc.plants) {
      add(manifest.planted, plant.ruleId);
      add(manifest.plantedBySyntax, `${plant.syntax} ${plant.ruleId}`);
      manifest.plants.push({
        path: file,
        ruleId: plant.ruleId,
        syntax: plant.syntax,
        line: plant.line,
        column: plant.column,
        offset: plant.offset,
        length: plant.length,
      });
    }
    for (const decoy of doc.decoys) {
      add(manifest.decoys, decoy.kind);
      manifest.decoyList.push({
        path: file,
        kind: decoy.kind,
        line: decoy.line,
        column: decoy.column,
        offset: decoy.offset,
        length: decoy.length,
      });
    }
    for (const [name, n] of Object.entries(doc.background)) add(manifest.background, name, n);
  }
  writeFileSync(manifestPath(dir), JSON.stringify(manifest));
  return manifest;
}

/** The manifest of an up-to-date corpus at `dir`, or undefined when it must be (re)built. */
export function readManifest(dir, { sizeBytes, seed = DEFAULT_SEED } = {}) {
  const file = manifestPath(dir);
  if (!existsSync(file) || !existsSync(dir)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (manifest.generatorVersion !== GENERATOR_VERSION || manifest.seed !== seed) return undefined;
    if (sizeBytes !== undefined && manifest.sizeBytes !== sizeBytes) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
}

export function ensureCorpus(sizeMB, { seed = DEFAULT_SEED, dir = corpusDir(sizeMB), log = () => {} } = {}) {
  const sizeBytes = Math.round(sizeMB * MB);
  const existing = readManifest(dir, { sizeBytes, seed });
  if (existing) return { dir, manifest: existing };
  log(`generating ${sizeMB} MB corpus (seed ${seed}) in ${path.relative(process.cwd(), dir) || dir} ...`);
  const started = performance.now();
  const manifest = generateCorpus({ dir, sizeBytes, seed });
  log(`  ${manifest.files} files, ${(manifest.bytes / MB).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dir, manifest };
}

function parseArgs(argv) {
  const options = { size: 10, seed: DEFAULT_SEED, dir: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--size') options.size = Number(argv[++i]);
    else if (argv[i] === '--seed') options.seed = Number(argv[++i]);
    else if (argv[i] === '--dir') options.dir = path.resolve(argv[++i]);
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const { dir, manifest } = ensureCorpus(options.size, {
    seed: options.seed,
    dir: options.dir ?? corpusDir(options.size),
    log: console.log,
  });
  console.log(`${dir}: ${manifest.files} files, ${manifest.bytes} bytes`);
  console.log('planted:', manifest.planted);
  console.log('decoys:', manifest.decoys);
}
