import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

export type { Reporter, ReportOptions } from './types.js';
export { textReporter } from './text.js';
export { jsonReporter, toJsonFinding } from './json.js';
export type { JsonFinding, JsonReport } from './json.js';
export { sarifReporter, buildSarif, SARIF_MAX_RESULTS, SARIF_SCHEMA_URI, PARTIAL_FINGERPRINT_KEY } from './sarif.js';
export type { SarifLog } from './sarif.js';
export { githubReporter, escapeData, escapeProperty, formatCommand, annotationCommand, findingAnnotation } from './github.js';
export type { AnnotationCommand, AnnotationProperties } from './github.js';
export { buildMessage, findingLevel, sortFindings, compareFindings } from './message.js';
export { artifactUri, encodePathForUri, rootUri } from './uri.js';

export const formats = ['text', 'json', 'sarif', 'github'] as const;

export type Format = (typeof formats)[number];

const reporters: Record<Format, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
};

export function isFormat(value: string): value is Format {
  return (formats as readonly string[]).includes(value);
}

export function getReporter(format: Format): Reporter {
  return reporters[format];
}
