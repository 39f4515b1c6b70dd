/**
 * The file kinds of the corpus: where they live, how big they get, what fills them, and which
 * credential snippets and decoys may appear in them. `weight` is the share of files by count;
 * `plantsPerKB` / `decoysPerKB` set how often a snippet lands between two blocks of filler.
 * Sizes are skewed toward the low end of `size`, as in real trees: many small files, a few big ones.
 */
import * as f from './filler.js';
import { DECOYS, PLANTS } from './snippets.js';

/**
 * Snippets stay this many lines apart. The detector pairs a secret with a key id up to 5 lines
 * away (rules/pairing.ts), so a decoy next to a planted key id would be paired for a good reason,
 * and a keyword-only plant next to a key id would be found by pairing instead of by its syntax.
 */
const SNIPPET_DISTANCE = 8;

/** Fills a file block by block up to `size`, sprinkling snippets between blocks. */
function blocks(d, r, k, size, kind, makeBlock) {
  let lastSnippetLine = -Infinity;
  let lastSnippetEnd = -Infinity;
  const farEnough = () => d.newlines - lastSnippetLine >= SNIPPET_DISTANCE && d.length - lastSnippetEnd > 4096;
  while (d.length < size) {
    const before = d.length;
    makeBlock(d, r);
    const kb = Math.max(0.05, (d.length - before) / 1024);
    if (kind.plants && r.chance(Math.min(1, kind.plantsPerKB * kb)) && farEnough()) {
      const group = PLANTS[r.pick(kind.plants)];
      group[r.pick(Object.keys(group))](d, r, k);
      lastSnippetLine = d.newlines;
      lastSnippetEnd = d.length;
    } else if (kind.decoys && r.chance(Math.min(1, kind.decoysPerKB * kb)) && farEnough()) {
      const group = DECOYS[r.pick(kind.decoys)];
      if (kind.decoyIndent) d.add(kind.decoyIndent);
      group[r.pick(Object.keys(group))](d, r, k);
      lastSnippetLine = d.newlines;
      lastSnippetEnd = d.length;
    }
  }
}

const text = (fn) => (d, r) => d.add(fn(r));

export const KINDS = {
  js: {
    weight: 16,
    size: [600, 30000],
    dirs: ['src', 'lib', 'packages/*/src', 'apps/*/src'],
    ext: ['.js', '.mjs', '.jsx'],
    plants: ['js'],
    decoys: ['code'],
    plantsPerKB: 0.012,
    decoysPerKB: 0.008,
    build(d, r, k, size) {
      d.add(f.jsHeader(r));
      blocks(
        d,
        r,
        k,
        size,
        this,
        text((r) => f.jsBlock(r, false)),
      );
    },
  },
  ts: {
    weight: 20,
    size: [600, 30000],
    dirs: ['src', 'packages/*/src', 'apps/*/src', 'test'],
    ext: ['.ts', '.tsx'],
    plants: ['js'],
    decoys: ['code'],
    plantsPerKB: 0.012,
    decoysPerKB: 0.008,
    build(d, r, k, size) {
      d.add(f.jsHeader(r));
      blocks(
        d,
        r,
        k,
        size,
        this,
        text((r) => f.jsBlock(r, true)),
      );
    },
  },
  python: {
    weight: 8,
    size: [600, 25000],
    dirs: ['scripts', 'services/*/app', 'tools'],
    ext: ['.py'],
    plants: ['python'],
    decoys: ['code'],
    plantsPerKB: 0.012,
    decoysPerKB: 0.008,
    build(d, r, k, size) {
      d.add('import os\nimport logging\n\nimport boto3\n\nlogger = logging.getLogger(__name__)\n\n\n');
      blocks(d, r, k, size, this, text(f.pyBlock));
    },
  },
  go: {
    weight: 6,
    size: [600, 25000],
    dirs: ['cmd/*', 'internal/*', 'pkg/*'],
    ext: ['.go'],
    plants: ['go'],
    decoys: ['code'],
    plantsPerKB: 0.012,
    decoysPerKB: 0.008,
    build(d, r, k, size) {
      d.add(`package ${f.camel(r, 1).toLowerCase()}\n\nimport (\n\t"context"\n\t"fmt"\n)\n\n`);
      blocks(d, r, k, size, this, text(f.goBlock));
    },
  },
  java: {
    weight: 6,
    size: [800, 30000],
    dirs: ['src/main/java/com/acme/*', 'services/*/src/main/java'],
    ext: ['.java'],
    plants: ['java'],
    decoys: ['code'],
    plantsPerKB: 0.012,
    decoysPerKB: 0.008,
    build(d, r, k, size) {
      d.add(`package com.acme.${f.camel(r, 1).toLowerCase()};\n\nimport java.util.List;\n\npublic class ${f.pascal(r)} {\n\n`);
      blocks(d, r, k, size, this, text(f.javaBlock));
      d.add('}\n');
    },
  },
  yaml: {
    weight: 6,
    size: [400, 8000],
    dirs: ['deploy/k8s', '.github/workflows', 'config', 'charts/*/templates'],
    ext: ['.yaml', '.yml'],
    plants: ['yaml'],
    decoys: ['env'],
    decoyIndent: '  # ',
    plantsPerKB: 0.08,
    decoysPerKB: 0.05,
    build(d, r, k, size) {
      blocks(d, r, k, size, this, text(f.yamlBlock));
    },
  },
  json: {
    weight: 5,
    size: [300, 12000],
    dirs: ['config', 'packages/*', 'test/fixtures'],
    ext: ['.json'],
    plants: ['json'],
    decoys: ['json'],
    plantsPerKB: 0.06,
    decoysPerKB: 0.06,
    build(d, r, k, size) {
      d.add('{\n');
      blocks(d, r, k, size, this, text(f.jsonEntry));
      d.add(`  "version": ${r.int(1, 9)}\n}\n`);
    },
  },
  ini: {
    weight: 2,
    size: [200, 3000],
    dirs: ['config', 'deploy', '.aws'],
    ext: ['.ini', '.cfg', '.properties'],
    plants: ['ini'],
    decoys: ['env'],
    decoyIndent: '; ',
    plantsPerKB: 0.25,
    decoysPerKB: 0.15,
    build(d, r, k, size) {
      blocks(d, r, k, size, this, text(f.iniSection));
    },
  },
  env: {
    weight: 2,
    size: [100, 2000],
    dirs: ['.', 'services/*', 'apps/*'],
    names: ['.env', '.env.local', '.env.production', '.env.staging', '.env.example'],
    plants: ['env'],
    decoys: ['env'],
    plantsPerKB: 0.4,
    decoysPerKB: 0.3,
    build(d, r, k, size) {
      blocks(d, r, k, size, this, text(f.envLine));
    },
  },
  dockerfile: {
    weight: 1.5,
    size: [200, 2500],
    dirs: ['services/*', 'docker/*'],
    names: ['Dockerfile', 'Dockerfile.dev', 'Dockerfile.ci'],
    plants: ['dockerfile'],
    decoys: ['env'],
    decoyIndent: 'ENV ',
    plantsPerKB: 0.3,
    decoysPerKB: 0.2,
    build(d, r, k, size) {
      d.add(`FROM node:${r.int(16, 22)}-slim\nWORKDIR /app\n`);
      blocks(d, r, k, size, this, text(f.dockerLine));
      d.add('CMD ["node", "index.js"]\n');
    },
  },
  markdown: {
    weight: 6,
    size: [500, 20000],
    dirs: ['docs', 'docs/*', '.'],
    ext: ['.md'],
    plants: ['markdown'],
    decoys: ['env', 'code'],
    plantsPerKB: 0.025,
    decoysPerKB: 0.015,
    build(d, r, k, size) {
      d.add(`# ${f.pascal(r)}\n\n`);
      blocks(d, r, k, size, this, text(f.markdownBlock));
    },
  },
  packageLock: {
    weight: 0.4,
    size: [20000, 900000],
    dirs: ['.', 'packages/*', 'apps/*'],
    names: ['package-lock.json'],
    build(d, r, k, size) {
      d.add('{\n  "name": "app",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n');
      while (d.length < size) f.lockEntry(d, r);
      d.add('    "": {}\n  }\n}\n');
    },
  },
  yarnLock: {
    weight: 0.25,
    size: [20000, 500000],
    dirs: ['.', 'packages/*'],
    names: ['yarn.lock'],
    build(d, r, k, size) {
      d.add('# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n');
      while (d.length < size) f.yarnEntry(d, r);
    },
  },
  goSum: {
    weight: 0.4,
    size: [3000, 120000],
    dirs: ['.', 'cmd/*'],
    names: ['go.sum'],
    build(d, r, k, size) {
      while (d.length < size) f.goSumLine(d, r);
    },
  },
  changelog: {
    weight: 0.4,
    size: [3000, 150000],
    dirs: ['.', 'packages/*'],
    names: ['CHANGELOG.md', '.git-blame-ignore-revs'],
    build(d, r, k, size) {
      const blame = d.path.endsWith('revs');
      while (d.length < size) (blame ? f.blameIgnoreLine : f.changelogLine)(d, r);
    },
  },
  minified: {
    weight: 0.5,
    size: [20000, 900000],
    dirs: ['dist', 'public/static/js', 'vendor'],
    ext: ['.min.js'],
    plants: ['minified'],
    plantsPerKB: 0.004,
    build(d, r, k, size) {
      d.add('/*! bundle */');
      blocks(d, r, k, size, this, f.minifiedChunk);
      d.add('\n');
    },
  },
  sourceMap: {
    weight: 0.4,
    size: [10000, 400000],
    dirs: ['dist', 'public/static/js'],
    ext: ['.js.map'],
    build(d, r, k, size) {
      f.sourceMap(d, r, size);
    },
  },
  css: {
    weight: 2,
    size: [2000, 60000],
    dirs: ['src/styles', 'public/css'],
    ext: ['.css'],
    build(d, r, k, size) {
      while (d.length < size) f.cssBlock(d, r);
    },
  },
  pem: {
    weight: 0.5,
    size: [1500, 40000],
    dirs: ['certs', 'config/tls'],
    ext: ['.pem', '.crt'],
    build(d, r, k, size) {
      while (d.length < size) f.pemCert(d, r);
    },
  },
  fixtures: {
    weight: 1.5,
    size: [2000, 120000],
    dirs: ['test/fixtures', 'seed'],
    ext: ['.json'],
    build(d, r, k, size) {
      d.add('[\n');
      while (d.length < size) f.fixtureRecord(d, r);
      d.add('  {}\n]\n');
    },
  },
};
