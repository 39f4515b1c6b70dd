/** Types for bench/corpus.js (plain JavaScript so `node bench/run.js` needs no TypeScript loader). */
export type PlantedRuleId = 'aws-access-key-id' | 'aws-temporary-access-key-id' | 'aws-secret-access-key' | 'aws-session-token';

export interface PlantRecord {
  path: string;
  ruleId: PlantedRuleId;
  syntax: string;
  /** 1-based, as scanners report them. */
  line: number;
  column: number;
  /** UTF-16 offset and length of the credential as written (escapes included). */
  offset: number;
  length: number;
}

export interface DecoyRecord {
  path: string;
  kind: string;
  line: number;
  column: number;
  offset: number;
  length: number;
}

export interface Manifest {
  generatorVersion: string;
  seed: number;
  sizeBytes: number;
  files: number;
  bytes: number;
  filesByKind: Record<string, number>;
  bytesByKind: Record<string, number>;
  planted: Partial<Record<PlantedRuleId, number>>;
  /** Keyed "<syntax> <ruleId>". */
  plantedBySyntax: Record<string, number>;
  decoys: Record<string, number>;
  background: Record<string, number>;
  plants: PlantRecord[];
  decoyList: DecoyRecord[];
}

export const GENERATOR_VERSION: string;
export const DEFAULT_SEED: number;
export const MB: number;
export const CORPUS_ROOT: string;
export function corpusDir(sizeMB: number): string;
export function manifestPath(dir: string): string;
export function generateCorpus(options: { dir: string; sizeBytes: number; seed?: number }): Manifest;
export function readManifest(dir: string, options?: { sizeBytes?: number; seed?: number }): Manifest | undefined;
export function ensureCorpus(
  sizeMB: number,
  options?: { seed?: number; dir?: string; log?: (line: string) => void },
): { dir: string; manifest: Manifest };
