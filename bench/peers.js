#!/usr/bin/env node
/**
 * keywarden on peers' own AWS test cases (issue 12): reads each peer's test samples out of a local
 * bare git mirror at run time (in memory only; nothing is written to this repository), runs
 * keywarden's detection on every sample, and reports recall on the positives and false positives
 * on the negatives, with a probable reason for every miss.
 *
 *   npm run build && node bench/peers.js --mirrors /work/.mirror
 *   KEYWARDEN_PEER_MIRRORS=/work/.mirror node bench/peers.js --json
 *
 * A mirror is <mirrors>/<owner>+<name>/repo (a bare clone); a peer whose mirror or file is missing
 * is skipped and said so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDetectSecrets, parseGitleaks, parseTrufflehog, parseYamlRules, samplesFromFiles } from './lib/peer-samples.js';
import { table } from './lib/report.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const GITLEAKS_TEST_TREES = ['testdata/repos/nogit', 'testdata/repos/small', 'testdata/repos/staged', 'testdata/archives/files'];

const PEERS = [
  {
    name: 'gitleaks',
    mirror: 'gitleaks+gitleaks',
    files: ['cmd/generate/config/rules/aws.go', 'cmd/generate/config/utils/generate.go'],
    extract: ({ read, list }) => {
      const generated = parseGitleaks(read('cmd/generate/config/rules/aws.go'), read('cmd/generate/config/utils/generate.go'));
      // The sample trees gitleaks' own scan tests run on (not their .git data, not archives).
      const treeFiles = GITLEAKS_TEST_TREES.flatMap(list).filter((file) => !/\/dotGit\/|\.(zst|gz|xz|tar|7z|zip)$|id_ed25519$/.test(file));
      const trees = samplesFromFiles(
        'gitleaks',
        'aws-access-token (testdata trees)',
        ['key-id'],
        treeFiles.map((file) => ({ path: file, text: read(file) })),
      );
      return {
        ...generated,
        samples: [...generated.samples, ...trees],
        rules: [...generated.rules, 'aws-access-token (testdata trees)'],
        extraFiles: GITLEAKS_TEST_TREES,
      };
    },
  },
  {
    name: 'trufflehog',
    mirror: 'trufflesecurity+trufflehog',
    files: ['pkg/detectors/aws/access_keys/accesskey_test.go', 'pkg/detectors/aws/session_keys/sessionkeys_test.go'],
    extract: ({ read }) => ({
      samples: [
        ...parseTrufflehog(read('pkg/detectors/aws/access_keys/accesskey_test.go'), 'aws access_keys', ['key-id', 'secret']),
        ...parseTrufflehog(read('pkg/detectors/aws/session_keys/sessionkeys_test.go'), 'aws session_keys', [
          'key-id',
          'secret',
          'session-token',
        ]),
      ],
      rules: ['aws access_keys (TestAWS_Pattern)', 'aws session_keys (TestAWSSessionKey_Pattern)'],
    }),
  },
  {
    name: 'noseyparker',
    mirror: 'praetorian-inc+noseyparker',
    files: ['crates/noseyparker/data/default/builtin/rules/aws.yml'],
    extract: ({ read }) => parseYamlRules('noseyparker', read('crates/noseyparker/data/default/builtin/rules/aws.yml')),
  },
  {
    name: 'kingfisher',
    mirror: 'mongodb+kingfisher',
    files: ['data/rules/aws.yml'],
    extract: ({ read }) => parseYamlRules('kingfisher', read('data/rules/aws.yml')),
  },
  {
    name: 'detect-secrets',
    mirror: 'Yelp+detect-secrets',
    files: ['tests/plugins/aws_key_test.py'],
    extract: ({ read }) => parseDetectSecrets(read('tests/plugins/aws_key_test.py')),
  },
];

function parseArgs(argv) {
  const options = { mirrors: process.env.KEYWARDEN_PEER_MIRRORS, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--mirrors') {
      options.mirrors = argv[++i];
      if (!options.mirrors) throw new Error('--mirrors needs a directory');
    } else throw new Error(`unknown option ${arg}`);
  }
  if (!options.mirrors) throw new Error('no mirrors: pass --mirrors <dir> or set KEYWARDEN_PEER_MIRRORS');
  if (!existsSync(options.mirrors)) throw new Error(`--mirrors: ${options.mirrors} does not exist`);
  return options;
}

const git = (gitDir, args) =>
  execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });

function loadPeer(peer, mirrors) {
  const gitDir = path.join(mirrors, peer.mirror, 'repo');
  if (!existsSync(gitDir)) return { peer: peer.name, skipped: `no mirror at ${gitDir}` };
  const commit = git(gitDir, ['rev-parse', 'HEAD']).trim();
  const source = {
    read: (file) => git(gitDir, ['show', `HEAD:${file}`]),
    list: (dir) => git(gitDir, ['ls-tree', '-r', '--name-only', 'HEAD', '--', dir]).split('\n').filter(Boolean),
  };
  const missing = peer.files.find((file) => source.list(file).length === 0);
  if (missing) return { peer: peer.name, commit, skipped: `${missing} not in the mirror` };
  try {
    const extracted = peer.extract(source);
    return {
      peer: peer.name,
      commit,
      files: [...peer.files, ...(extracted.extraFiles ?? [])],
      rules: extracted.rules,
      samples: extracted.samples,
      unparsed: extracted.skipped ?? [],
    };
  } catch (error) {
    return { peer: peer.name, commit, skipped: `could not read its test cases: ${error.message}` };
  }
}

const pct = (part, whole) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : 'n/a');

function printText(results, meta, { missGroup, summarize }) {
  const log = (line = '') => process.stdout.write(`${line}\n`);
  log(`keywarden ${meta.keywardenCommit} on peers' AWS test cases (${meta.date})`);
  log();
  const row = (name, s) => {
    const g = s.missGroups;
    const plausible = s.positives - g['fake value rejected'];
    return [
      name,
      s.positives,
      s.found,
      s.examples,
      s.missed,
      g['fake value rejected'],
      g['form not supported'],
      g['not found in context'],
      pct(s.found, s.positives),
      pct(s.found + s.examples, s.positives),
      pct(s.found + s.examples, plausible),
      s.negatives,
      s.falsePositives,
      s.silentAsExample,
    ];
  };
  const HEADERS = [
    'peer',
    'positives',
    'found',
    'as example',
    'missed',
    'missed: fake value rejected',
    'missed: form not supported',
    'missed: not found in context',
    'recall',
    'recall incl. examples',
    'recall on plausible values',
    'negatives',
    'false pos.',
    'silent: example',
  ];
  const rows = results.map((r) =>
    r.skipped ? [r.peer, 'skipped', ...HEADERS.slice(2).map(() => '')] : row(`${r.peer} @${r.commit.slice(0, 8)}`, r.summary),
  );
  rows.push(row('total', summarize(results.flatMap((r) => r.outcomes ?? []))));
  log(table(HEADERS, rows));
  log();
  log('recall on plausible values: found (examples included) over the positives minus the fake values keywarden rejects on purpose.');
  for (const r of results) {
    log();
    if (r.skipped) {
      log(`## ${r.peer}: skipped (${r.skipped})`);
      continue;
    }
    log(`## ${r.peer} (rules taken: ${r.rules.join(', ')})`);
    for (const u of r.unparsed) log(`  not read: ${u.rule}: ${u.reason}`);
    const categories = Object.entries(r.summary.missCategories);
    if (categories.length)
      log(
        table(
          ['miss category (probable reason)', 'count'],
          categories.sort((a, b) => b[1] - a[1]),
        ),
      );
    for (const miss of r.outcomes.filter((o) => o.status === 'missed' || o.status === 'example')) {
      log(
        `  ${miss.status === 'example' ? 'example' : 'missed '}  ${miss.rule} [${miss.label}] ${miss.kind} ${miss.redacted}  ${miss.category}${miss.status === 'missed' ? ` (${missGroup(miss.category)})` : ''}`,
      );
    }
    for (const fp of r.outcomes.filter((o) => o.status === 'false-positive')) {
      log(`  false positive  ${fp.rule} [${fp.label}] ${fp.findings.map((f) => `${f.ruleId} ${f.redacted}`).join(', ')}`);
    }
  }
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench/peers.js: ${error.message}\n`);
    process.exit(2);
  }
  if (!existsSync(path.join(repoRoot, 'dist-bundle/index.js'))) {
    process.stderr.write('bench/peers.js: dist-bundle/index.js is missing: run `npm run build` first\n');
    process.exit(2);
  }
  // Loaded after the check above: it imports the built library.
  const evaluation = await import('./lib/peer-eval.js');
  const { classifySample, summarize } = evaluation;
  const keywardenCommit = execFileSync('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const meta = { keywardenCommit, date: new Date().toISOString().slice(0, 10) };
  const results = PEERS.map((peer) => loadPeer(peer, options.mirrors)).map((r) => {
    if (r.skipped) return r;
    const outcomes = r.samples.flatMap(classifySample);
    // The samples themselves stay out of the output: only redacted outcomes are printed.
    const rest = { ...r };
    delete rest.samples;
    return { ...rest, outcomes, summary: summarize(outcomes) };
  });
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ ...meta, total: summarize(results.flatMap((r) => r.outcomes ?? [])), peers: results }, null, 2)}\n`,
    );
  else printText(results, meta, evaluation);
}

await main();
