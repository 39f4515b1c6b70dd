/** Types for bench/lib/peer-samples.js (plain JavaScript so `node bench/peers.js` needs no TypeScript loader). */
export type CredentialKind = 'key-id' | 'secret' | 'session-token' | 'bedrock';

export interface PeerSample {
  peer: string;
  /** The peer's rule id or detector the sample belongs to. */
  rule: string;
  kinds: CredentialKind[];
  polarity: 'positive' | 'negative';
  text: string;
  fileName: string;
  label: string;
  /** The credential values, when the peer's file names them. */
  expected?: string[];
}

export interface Unparsed {
  rule: string;
  reason: string;
}

export interface Token {
  type: 'string' | 'name' | 'number' | 'punct' | 'rune';
  value?: string | number;
}

export interface RandomSource {
  chars(alphabet: string, n: number): string;
}

export function tokenize(src: string, language: 'go' | 'python'): Token[];
export function randomFromPattern(pattern: string, random: RandomSource): string;
export function parseGitleaksTemplates(generateGo: string): Array<{ name: string; template: string }>;
export function parseGitleaks(
  awsGo: string,
  generateGo: string,
  options?: { seed?: number },
): { samples: PeerSample[]; skipped: Unparsed[]; rules: string[] };
export function parseTrufflehog(testGo: string, rule: string, kinds: CredentialKind[]): PeerSample[];
export function kindsForRuleName(name: string): CredentialKind[] | null;
export function parseYamlRules(peer: string, text: string): { samples: PeerSample[]; rules: string[] };
export function parseDetectSecrets(testPy: string): { samples: PeerSample[]; skipped: Unparsed[]; rules: string[] };
export function credentialCandidates(text: string, kinds: CredentialKind[]): Array<{ value: string; kind: CredentialKind }>;
export function kindOfValue(value: string, kinds: CredentialKind[]): CredentialKind;
export function samplesFromFiles(
  peer: string,
  rule: string,
  kinds: CredentialKind[],
  files: Array<{ path: string; text: string }>,
): PeerSample[];
