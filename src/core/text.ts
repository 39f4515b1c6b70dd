/**
 * Maps UTF-16 offsets to 1-based line/column; built lazily, only for texts that have matches.
 * A line ends at LF, CRLF or a lone CR (classic Mac OS files, and what SARIF and editors count),
 * unless `lfOnly`: git numbers a diff's lines by LF alone, so added-line ranges are checked that way.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string, options: { lfOnly?: boolean } = {}) {
    if (options.lfOnly || !text.includes('\r')) {
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
      return;
    }
    for (const end of text.matchAll(/\r\n?|\n/g)) this.starts.push(end.index + end[0].length);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length) - 1)]!;
  }

  /** 1-based line containing `offset`. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line, column: offset - this.lineStart(line) + 1 };
  }
}

/**
 * Undo the escapes a credential picks up in transit: JSON's `\/` and URL encoding of `/`, `+`, `=`.
 * Only these are decoded: they are the only ones the matchers accept inside a value.
 */
export function unescapeValue(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('%')) return raw;
  return raw
    .replace(/\\\//g, '/')
    .replace(/%2[Ff]/g, '/')
    .replace(/%2[Bb]/g, '+')
    .replace(/%3[Dd]/g, '=');
}
