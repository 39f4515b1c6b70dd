import { scanText } from '../helpers/engine.js';
import type { Finding, Report, Source } from '../../src/core/types.js';
import { DOC_EXAMPLE_KEY_ID, DOC_EXAMPLE_SECRET, makeKeyId, makeSecret, makeSessionToken } from '../helpers/keys.js';

/** Builds a Report from real detector output over generated files, as the scanner would. */
export function reportFrom(sources: readonly Source[], extra: Partial<Omit<Report, 'findings' | 'examples'>> = {}): Report {
  const findings: Finding[] = [];
  const examples: Finding[] = [];
  let suppressed = 0;
  for (const source of sources) {
    const result = scanText(source);
    findings.push(...result.findings);
    examples.push(...result.examples);
    suppressed += result.suppressed;
  }
  return {
    tool: { name: 'keywarden', version: '0.1.0' },
    root: '/work/repo',
    findings,
    examples,
    skipped: [],
    warnings: [],
    ...extra,
    stats: {
      filesScanned: sources.length,
      bytesScanned: sources.reduce((sum, source) => sum + source.text.length, 0),
      filesSkipped: extra.skipped?.length ?? 0,
      examples: examples.length,
      suppressed,
      baselined: 0,
      durationMs: 0,
      ...extra.stats,
    },
  };
}

export const keys = {
  /** Modern AKIA id that decodes offline to account 123456789012. */
  keyId: makeKeyId('AKIA', { seed: 3, account: '123456789012' }),
  secret: makeSecret(3),
  /** Modern ASIA id for account 210987654321. */
  tempKeyId: makeKeyId('ASIA', { seed: 5, account: '210987654321' }),
  token: makeSessionToken(5, 400),
  /** An old-format id: no account inside it. */
  legacyKeyId: makeKeyId('AKIA', { seed: 9, legacy: true }),
};

/** Three files with findings, one with documentation examples, one clean. */
export function sampleSources(): Source[] {
  return [
    { path: 'src/config.ts', text: `const id = '${keys.keyId}';\nconst secretKey = '${keys.secret}';\n` },
    { path: 'deploy/env.sh', text: `export AWS_ACCESS_KEY_ID=${keys.tempKeyId}\nexport AWS_SESSION_TOKEN=${keys.token}\n` },
    { path: 'docs/setup.md', text: `aws_access_key_id = ${DOC_EXAMPLE_KEY_ID}\naws_secret_access_key = ${DOC_EXAMPLE_SECRET}\n` },
    { path: 'legacy.ini', text: `key = ${keys.legacyKeyId}\n` },
    { path: 'README.md', text: '# nothing here\n' },
  ];
}

/** Every credential value a sample report holds, to check none leaks unredacted. */
export function secretValues(): string[] {
  return [keys.secret, keys.token];
}
