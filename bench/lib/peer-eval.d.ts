/** Types for bench/lib/peer-eval.js. */
import type { CredentialKind, PeerSample } from './peer-samples.js';

export interface PeerOutcome {
  peer: string;
  rule: string;
  label: string;
  fileName: string;
  polarity: 'positive' | 'negative';
  status: 'found' | 'example' | 'missed' | 'false-positive' | 'silent' | 'silent-example';
  kind?: CredentialKind;
  /** First 8 characters and the length. */
  redacted?: string;
  ruleId?: string;
  category?: string;
  findings?: Array<{ ruleId: string; redacted: string }>;
}

export interface PeerSummary {
  positives: number;
  found: number;
  examples: number;
  missed: number;
  negatives: number;
  falsePositives: number;
  silentAsExample: number;
  missCategories: Record<string, number>;
  missGroups: Record<'fake value rejected' | 'form not supported' | 'not found in context', number>;
}

export function missGroup(category: string): 'fake value rejected' | 'form not supported' | 'not found in context';

export function redact(value: string | null): string;
export function missCategory(value: string | null, kind: CredentialKind, text?: string): string;
export function classifySample(sample: PeerSample): PeerOutcome[];
export function summarize(outcomes: PeerOutcome[]): PeerSummary;
