import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The official SARIF 2.1.0 schema as shipped by Microsoft's SARIF multitool (see
 * fixtures/README.md). That copy declares JSON Schema 2020-12, hence Ajv2020.
 */
const schema = JSON.parse(readFileSync(new URL('../../fixtures/sarif-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its plugin is both the module and its `default`.
addFormatsModule.default(ajv);
const validate = ajv.compile(schema);

/** Schema errors for a SARIF log (an empty list when it is valid). */
export function sarifSchemaErrors(log: unknown): ErrorObject[] {
  return validate(log) ? [] : [...(validate.errors ?? [])];
}
