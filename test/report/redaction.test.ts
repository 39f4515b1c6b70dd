import { describe, expect, it } from 'vitest';
import { formats, getReporter } from '../../src/report/index.js';
import type { ReportOptions } from '../../src/report/types.js';
import { DOC_EXAMPLE_KEY_ID, DOC_EXAMPLE_SECRET } from '../helpers/keys.js';
import { keys, reportFrom, sampleSources, secretValues } from './report-fixture.js';
import { sarifSchemaErrors } from './sarif-schema.js';

const base: ReportOptions = { showSecrets: false, color: false, includeExamples: true };

function render(format: (typeof formats)[number], options: ReportOptions): string {
  const output = getReporter(format)(reportFrom(sampleSources()), options);
  if (format === 'sarif') expect(sarifSchemaErrors(JSON.parse(output))).toEqual([]);
  // JSON-based formats would escape `/` differently from raw text; compare on decoded strings too.
  return format === 'json' || format === 'sarif' ? `${output}\n${JSON.stringify(JSON.parse(output))}` : output;
}

describe.each(formats)('%s format', (format) => {
  it('never prints a secret or token in full by default', () => {
    const output = render(format, base);
    for (const value of [...secretValues(), DOC_EXAMPLE_SECRET]) {
      expect(output).not.toContain(value);
      expect(output).not.toContain(value.slice(0, 20));
    }
  });

  it('prints key ids whole', () => {
    const output = render(format, base);
    for (const keyId of [keys.keyId, keys.tempKeyId, keys.legacyKeyId, DOC_EXAMPLE_KEY_ID]) expect(output).toContain(keyId);
  });

  it('prints secrets in full with showSecrets', () => {
    const output = render(format, { ...base, showSecrets: true, color: format === 'text' });
    for (const value of [...secretValues(), DOC_EXAMPLE_SECRET]) expect(output).toContain(value);
  });

  it('mentions documentation examples only when they are included', () => {
    expect(render(format, base)).toContain(DOC_EXAMPLE_KEY_ID);
    expect(render(format, { ...base, includeExamples: false })).not.toContain(DOC_EXAMPLE_KEY_ID);
  });
});
