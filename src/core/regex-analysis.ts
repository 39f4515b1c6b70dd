/**
 * A small static analyser for the backtracking hazards that make a regex super-linear (ReDoS):
 *   - nested quantifiers where either level is unbounded: (a+)+, (a*)*, (?:x{1,16})+, (a+){2}
 *   - an unbounded repetition of alternatives that can start with the same character: (a|a)*, (a|ab)+
 *   - two unbounded quantifiers in a row (only optional items between) over overlapping characters: \d+\d*x
 *   - an unbounded repetition of anything but a single character class: (?:a|\\/){80,}. Linear, but V8
 *     keeps a backtrack entry per repetition and throws "Maximum call stack size exceeded" on runs of a
 *     few million characters (the session-token matcher did, on a 24 MB value)
 * It parses the JavaScript regex syntax the project uses (groups, lookarounds, classes, escapes,
 * quantifiers, back-references); anything it cannot parse is reported, never ignored.
 */

/** Characters as ASCII code points, plus one bit for "anything beyond ASCII". */
interface CharSet {
  ascii: Set<number>;
  other: boolean;
}

type Node =
  | { type: 'chars'; set: CharSet; backreference?: true }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; alternatives: Node[] }
  | { type: 'group'; body: Node; lookaround: boolean }
  | { type: 'quant'; body: Node; min: number; max: number }
  | { type: 'empty'; anchor?: 'start' | 'end' };

const ALL_ASCII = () => new Set(Array.from({ length: 128 }, (_, i) => i));

function setOf(chars: string): CharSet {
  return { ascii: new Set([...chars].map((c) => c.charCodeAt(0))), other: false };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const DIGITS = range(48, 57);
const WORD = [...DIGITS, ...range(65, 90), ...range(97, 122), 95];
const SPACE = [9, 10, 11, 12, 13, 32];

function complement(set: CharSet): CharSet {
  const ascii = ALL_ASCII();
  for (const code of set.ascii) ascii.delete(code);
  return { ascii, other: !set.other };
}

function escapeSet(letter: string): CharSet | undefined {
  switch (letter) {
    case 'd':
      return { ascii: new Set(DIGITS), other: false };
    case 'w':
      return { ascii: new Set(WORD), other: false };
    case 's':
      return { ascii: new Set(SPACE), other: true };
    case 'D':
      return complement({ ascii: new Set(DIGITS), other: false });
    case 'W':
      return complement({ ascii: new Set(WORD), other: false });
    case 'S':
      return complement({ ascii: new Set(SPACE), other: true });
    default:
      return undefined;
  }
}

const CONTROL_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };

class Parser {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at !== this.source.length) throw new Error(`unexpected "${this.source[this.at]}" at ${this.at}`);
    return node;
  }

  private peek(): string | undefined {
    return this.source[this.at];
  }

  private fold(set: CharSet): CharSet {
    if (!this.ignoreCase) return set;
    const ascii = new Set(set.ascii);
    for (const code of set.ascii) {
      if (code >= 65 && code <= 90) ascii.add(code + 32);
      if (code >= 97 && code <= 122) ascii.add(code - 32);
    }
    return { ascii, other: set.other };
  }

  private alternation(): Node {
    const alternatives = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      alternatives.push(this.sequence());
    }
    return alternatives.length === 1 ? alternatives[0]! : { type: 'alt', alternatives };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { type: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (!match) return atom; // a literal "{" (only legal without the u flag)
      this.at += match[0].length;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    } else {
      return atom;
    }
    if (this.peek() === '?') this.at++; // lazy: same backtracking space
    return this.quantified({ type: 'quant', body: atom, min, max });
  }

  private atom(): Node {
    const c = this.source[this.at++]!;
    switch (c) {
      case '(': {
        let lookaround = false;
        if (this.source.startsWith('?:', this.at)) this.at += 2;
        else if (this.source.startsWith('?=', this.at) || this.source.startsWith('?!', this.at)) {
          this.at += 2;
          lookaround = true;
        } else if (this.source.startsWith('?<=', this.at) || this.source.startsWith('?<!', this.at)) {
          this.at += 3;
          lookaround = true;
        } else if (this.source.startsWith('?<', this.at)) {
          const end = this.source.indexOf('>', this.at);
          if (end < 0) throw new Error('unterminated group name');
          this.at = end + 1;
        } else if (this.peek() === '?') throw new Error(`unknown group syntax at ${this.at}`);
        const body = this.alternation();
        if (this.source[this.at++] !== ')') throw new Error('unterminated group');
        return { type: 'group', body, lookaround };
      }
      case '[':
        return { type: 'chars', set: this.fold(this.charClass()) };
      case '.':
        return { type: 'chars', set: complement(setOf('\n\r')) };
      case '^':
        return { type: 'empty', anchor: 'start' };
      case '$':
        return { type: 'empty', anchor: 'end' };
      case '\\':
        return this.escape();
      case ')':
      case '*':
      case '+':
      case '?':
        throw new Error(`unexpected "${c}" at ${this.at - 1}`);
      default:
        return { type: 'chars', set: this.fold(setOf(c)) };
    }
  }

  /** An escape outside a class; \b, \B are zero-width, \1 a back-reference (any characters). */
  private escape(): Node {
    const c = this.source[this.at++];
    if (c === undefined) throw new Error('trailing backslash');
    if (c === 'b' || c === 'B') return { type: 'empty' };
    // A back-reference is modelled as one character of any kind: exact for the single-character
    // groups this project refers back to (`(.)\1{4,}`), and still subject to the quantifier checks.
    if (/[1-9]/.test(c)) return { type: 'chars', set: { ascii: ALL_ASCII(), other: true }, backreference: true };
    return { type: 'chars', set: this.fold(this.escapedChar(c).set) };
  }

  /** The character(s) an escape stands for; `code` when it is exactly one (usable in a range). */
  private escapedChar(c: string): { set: CharSet; code?: number } {
    const named = escapeSet(c);
    if (named) return { set: named };
    const single = (code: number) => ({
      set: code < 128 ? { ascii: new Set([code]), other: false } : { ascii: new Set<number>(), other: true },
      code,
    });
    if (c in CONTROL_ESCAPES) return single(CONTROL_ESCAPES[c]!);
    if (c === 'x' || c === 'u') {
      const digits = c === 'x' ? 2 : 4;
      const hex = this.source.slice(this.at, this.at + digits);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) throw new Error(`bad \\${c} escape`);
      this.at += digits;
      return single(parseInt(hex, 16));
    }
    if (/[A-Za-z0-9]/.test(c)) throw new Error(`unsupported escape \\${c}`);
    return single(c.charCodeAt(0));
  }

  private classAtom(): { set: CharSet; code?: number } {
    const c = this.source[this.at++];
    if (c === undefined) throw new Error('unterminated class');
    if (c !== '\\') return { set: c.charCodeAt(0) < 128 ? setOf(c) : { ascii: new Set(), other: true }, code: c.charCodeAt(0) };
    const e = this.source[this.at++];
    if (e === undefined) throw new Error('trailing backslash');
    if (e === 'b') return { set: setOf('\b'), code: 8 };
    return this.escapedChar(e);
  }

  private charClass(): CharSet {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.at++;
    }
    const set: CharSet = { ascii: new Set(), other: false };
    while (this.peek() !== ']') {
      const start = this.classAtom();
      if (this.peek() === '-' && this.source[this.at + 1] !== ']' && start.code !== undefined) {
        this.at++;
        const end = this.classAtom();
        if (end.code === undefined || end.code < start.code) throw new Error('bad class range');
        for (let code = start.code; code <= end.code; code++) {
          if (code < 128) set.ascii.add(code);
          else set.other = true;
        }
        if (end.code >= 128) set.other = true;
        continue;
      }
      for (const code of start.set.ascii) set.ascii.add(code);
      set.other ||= start.set.other;
    }
    this.at++; // ]
    return negated ? complement(set) : set;
  }
}

export function parseRegex(source: string, flags = ''): Node {
  if (flags.includes('u') || flags.includes('v')) throw new Error('unicode-mode regexes are not supported by this analyser');
  return new Parser(source, flags.includes('i')).parse();
}

export type RegexNode = Node;

function union(a: CharSet, b: CharSet): CharSet {
  return { ascii: new Set([...a.ascii, ...b.ascii]), other: a.other || b.other };
}

export function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.other && b.other) return true;
  for (const code of a.ascii) if (b.ascii.has(code)) return true;
  return false;
}

const EMPTY_SET = (): CharSet => ({ ascii: new Set(), other: false });

/** Characters a match of `node` can start with, and whether it can match the empty string. */
export function first(node: Node): { set: CharSet; nullable: boolean } {
  switch (node.type) {
    case 'chars':
      return { set: node.set, nullable: false };
    case 'empty':
      return { set: EMPTY_SET(), nullable: true };
    case 'group':
      return node.lookaround ? { set: EMPTY_SET(), nullable: true } : first(node.body);
    case 'quant': {
      const inner = first(node.body);
      return { set: inner.set, nullable: inner.nullable || node.min === 0 };
    }
    case 'alt':
      return node.alternatives.map(first).reduce((a, b) => ({ set: union(a.set, b.set), nullable: a.nullable || b.nullable }));
    case 'seq': {
      let set = EMPTY_SET();
      for (const item of node.items) {
        const f = first(item);
        set = union(set, f.set);
        if (!f.nullable) return { set, nullable: false };
      }
      return { set, nullable: true };
    }
  }
}

/** Every character `node` can consume anywhere in a match. */
export function allChars(node: Node): CharSet {
  switch (node.type) {
    case 'chars':
      return node.set;
    case 'empty':
      return EMPTY_SET();
    case 'group':
      return node.lookaround ? EMPTY_SET() : allChars(node.body);
    case 'quant':
      return allChars(node.body);
    case 'alt':
      return node.alternatives.map(allChars).reduce(union);
    case 'seq':
      return node.items.map(allChars).reduce(union, EMPTY_SET());
  }
}

export function quantifiersIn(node: Node): Array<Extract<Node, { type: 'quant' }>> {
  switch (node.type) {
    case 'quant':
      return [node, ...quantifiersIn(node.body)];
    case 'group':
      return quantifiersIn(node.body);
    case 'alt':
      return node.alternatives.flatMap(quantifiersIn);
    case 'seq':
      return node.items.flatMap(quantifiersIn);
    default:
      return [];
  }
}

/** The alternatives directly under a quantifier (through non-capturing or capturing groups). */
export function alternativesOf(node: Node): Node[] | undefined {
  if (node.type === 'group' && !node.lookaround) return alternativesOf(node.body);
  if (node.type === 'alt') return node.alternatives;
  return undefined;
}

function isSingleCharacter(node: Node): boolean {
  if (node.type === 'chars') return true;
  if (node.type === 'group' && !node.lookaround) return isSingleCharacter(node.body);
  return node.type === 'seq' && node.items.length === 1 && isSingleCharacter(node.items[0]!);
}

const show = (min: number, max: number) => `{${min},${max === Infinity ? '' : max}}`;

/** Hazards found in one regex, as human-readable lines; empty when the regex is linear-safe. */
export function regexHazards(source: string, flags = ''): string[] {
  const hazards: string[] = [];
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'quant': {
        if (node.max > 1) {
          for (const inner of quantifiersIn(node.body)) {
            if (inner.max > 1 && (node.max === Infinity || inner.max === Infinity)) {
              hazards.push(`nested quantifiers: ${show(inner.min, inner.max)} inside ${show(node.min, node.max)}`);
            }
          }
        }
        if (node.max === Infinity && !isSingleCharacter(node.body))
          hazards.push(`unbounded repetition of a group ${show(node.min, node.max)}: one backtrack entry per repetition`);
        const alternatives = node.max === Infinity ? alternativesOf(node.body) : undefined;
        if (alternatives) {
          const firsts = alternatives.map(first);
          firsts.forEach((a, i) =>
            firsts.slice(i + 1).forEach((b, j) => {
              if (overlaps(a.set, b.set) || a.nullable || b.nullable)
                hazards.push(`repeated alternatives ${i} and ${i + j + 1} can start alike`);
            }),
          );
        }
        visit(node.body);
        return;
      }
      case 'seq': {
        node.items.forEach((item, i) => {
          if (item.type !== 'quant' || item.max !== Infinity) return;
          const chars = allChars(item.body);
          for (const next of node.items.slice(i + 1)) {
            if (next.type === 'quant' && next.max === Infinity && overlaps(chars, allChars(next.body))) {
              hazards.push('adjacent unbounded quantifiers over overlapping characters');
              break;
            }
            if (!first(next).nullable) break;
          }
        });
        node.items.forEach(visit);
        return;
      }
      case 'alt':
        node.alternatives.forEach(visit);
        return;
      case 'group':
        visit(node.body);
        return;
      default:
        return;
    }
  };
  visit(parseRegex(source, flags));
  return hazards;
}
