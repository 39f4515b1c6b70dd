import { describe, expect, test } from 'vitest';
import { detect } from '../helpers/engine.js';
import { LineIndex } from '../../src/core/text.js';
import { runCli, tempTree } from '../helpers/cli.js';
import { makeKeyId } from '../helpers/keys.js';

const id = makeKeyId('AKIA', { seed: 165 });

describe('line numbers: LF, CRLF and a lone CR each end a line', () => {
  test.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['lone CR', '\r'],
  ])('%s', (_name, eol) => {
    const text = ['one', 'two', `  k=${id}`, 'four'].join(eol);
    const index = new LineIndex(text);
    expect(index.lineCount).toBe(4);
    const at = text.indexOf(id);
    expect(index.position(at)).toEqual({ line: 3, column: 5 });
    expect(detect(text).map((f) => [f.line, f.column, f.endLine, f.endColumn])).toEqual([[3, 5, 3, 25]]);
  });

  test('LF then CR is two line ends; CR then LF is one; lfOnly counts as git does', () => {
    const text = `a\n\rb\r\nc\r${id}`;
    const at = text.indexOf(id);
    expect(new LineIndex(text).position(at)).toEqual({ line: 5, column: 1 });
    expect(new LineIndex(text, { lfOnly: true }).position(at)).toEqual({ line: 3, column: 3 });
  });

  test('keywarden:allow applies to its own CR-delimited line only, not the whole file', () => {
    const other = makeKeyId('AKIA', { seed: 166 });
    expect(detect(`k=${id} # keywarden:allow\rk=${other}\r`).map((f) => [f.match, f.line])).toEqual([[other, 2]]);
  });

  test('text and SARIF reports give the CR-delimited line', async () => {
    const dir = tempTree({ 'mac.txt': `one\rtwo\rkey=${id}\r` });
    const sarif = await runCli(['scan', '--format', 'sarif', '--no-config'], { cwd: dir });
    const region = JSON.parse(sarif.stdout).runs[0].results[0].locations[0].physicalLocation.region;
    expect([region.startLine, region.startColumn]).toEqual([3, 5]);
    const text = await runCli(['scan', '--no-config'], { cwd: dir });
    expect(text.stdout).toContain('mac.txt:3:5');
  });
});
