import { eastAsianWidth } from 'get-east-asian-width';

/**
 * How many terminal columns a string takes: what yargs and its layout library (cliui) ask of the
 * `string-width` package when they lay out help text. The bundled CLI uses this instead
 * (scripts/build-cli.mjs aliases the package): `string-width` creates an Intl.Segmenter and compiles
 * Unicode-property regexes as it loads, ~25 ms of every run, a sixth of keywarden's start-up,
 * whether help is printed or not. keywarden's help text is plain ASCII; for other text this counts
 * East Asian wide and fullwidth characters as 2 columns and combining marks, zero-width characters,
 * controls and ANSI escape sequences as none.
 */
export default function stringWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text.replace(ANSI_ESCAPE, '')) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0) || ZERO_WIDTH.has(codePoint)) continue;
    // Built on first use, not as the module loads: start-up time is what this module saves.
    combiningMark ??= new RegExp('^\\p{M}$', 'u');
    if (combiningMark.test(char)) continue;
    width += eastAsianWidth(codePoint);
  }
  return width;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles). */
const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
/** Zero-width space, joiners, direction marks, word joiner, byte order mark. */
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0xfeff]);
let combiningMark: RegExp | undefined;
