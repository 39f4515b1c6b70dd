/**
 * Where JSON.parse failed, as "line L, column C", without the text around it: V8's messages quote
 * up to ~10 characters of the input ("Unexpected token 'x', "SECRET=..." is not valid JSON"), and a
 * config or baseline may be a link to a file that must not reach a public CI log.
 */
export function jsonErrorWhere(text: string, error: unknown): string {
  const message = (error as Error).message;
  if (/Unexpected end of JSON input/.test(message)) return 'unexpected end of input';
  const stated = /at position (\d+)/.exec(message);
  const position = stated ? Number(stated[1]) : firstBadPosition(text);
  if (position === undefined) return 'not valid JSON';
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** The shortest prefix that fails for a reason other than ending early (once a character is wrong, every longer prefix fails there too). */
function firstBadPosition(text: string): number | undefined {
  const failsEarly = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      // A prefix cut inside a value fails at its end: "Unexpected end", or a position equal to its length.
      const message = (error as Error).message;
      const at = /at position (\d+)/.exec(message);
      return !/Unexpected end of JSON input/.test(message) && !(at && Number(at[1]) >= length);
    }
  };
  if (!failsEarly(text.length)) return undefined;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsEarly(mid)) high = mid;
    else low = mid + 1;
  }
  return Math.max(0, low - 1);
}
