import { allChars, alternativesOf, first, overlaps, parseRegex, quantifiersIn, type RegexNode } from './regex-analysis.js';

/**
 * The subset of JavaScript regular expressions keywarden accepts from users (allow lists in the
 * config, the ESLint rules' `allow` option). V8 matches by backtracking, so a regex such as
 * `^(a+)+$` takes exponential time on a hostile path or value; these rules keep every accepted regex
 * at most quadratic in its input, and MAX_ALLOW_INPUT bounds that input:
 *   - no quantifier with a variable count inside a repeated group: (a+)+, (?:[a-z]+/)*, (\d{1,3}\.){3}
 *   - no repeated group whose alternatives can start with the same character: (a|ab)*, (x|x){9}
 *   - at most 16 ways through the alternations that are not repeated: (ab|ac)(ab|ac)... is refused
 *   - no two variable quantifiers that can share the same characters, with only shareable text between
 *     them (.*a.*x, \d+\d*): refused unless the regex starts with ^, which allows one such pair; a
 *     quantifier that ends the regex (trailing .*) does not count, since the match succeeds there
 *   - no back-references, no quantifier inside a lookaround, no u/v-mode syntax (\p{...}, \k<name>)
 *   - at most MAX_REGEX_LENGTH characters
 */

const MAX_REGEX_LENGTH = 1000;
/**
 * Longest text an allow regex is tested on. Paths are at most PATH_MAX (4,096 bytes on Linux) and a
 * credential is far shorter; a longer input is not tested, so the finding stays reported.
 */
export const MAX_ALLOW_INPUT = 4096;
const MAX_ALTERNATION_PATHS = 16;

type Quant = Extract<RegexNode, { type: 'quant' }>;

function isVariable(node: RegexNode): node is Quant {
  return node.type === 'quant' && node.max > node.min;
}

function containsQuantifier(node: RegexNode): boolean {
  return quantifiersIn(node).length > 0;
}

/** The items of a sequence, with plain (unquantified, non-lookaround) groups opened up. */
function flatItems(node: RegexNode): RegexNode[] {
  if (node.type === 'seq') return node.items.flatMap(flatItems);
  if (node.type === 'group' && !node.lookaround) {
    return node.body.type === 'seq' || node.body.type === 'group' ? flatItems(node.body) : [node.body];
  }
  return [node];
}

/** An item that can match runs of varying length: a variable quantifier, or an alternation holding one. */
function repeats(node: RegexNode): boolean {
  return isVariable(node) || (node.type === 'alt' && quantifiersIn(node).some((q) => q.max > q.min));
}

/** Pairs of varying items in one sequence that can split the same text in more than one way. */
function ambiguousPairs(items: RegexNode[], trailing?: RegexNode): number {
  let pairs = 0;
  const last = items.length - 1;
  items.forEach((item, i) => {
    if (!repeats(item)) return;
    const chars = allChars(item);
    for (let j = i + 1; j <= last; j++) {
      const next = items[j]!;
      if (repeats(next)) {
        if (overlaps(chars, allChars(next)) && next !== trailing) pairs++;
        // Whatever follows pairs with `next` from now on.
        break;
      }
      // Text between them that the first one cannot consume splits the input one way only.
      if (next.type === 'empty' || (next.type === 'group' && next.lookaround)) continue;
      if (!overlaps(chars, allChars(next))) break;
    }
  });
  return pairs;
}

/** Why `source` is not in the accepted subset (a short phrase without the regex text), or undefined when it is. */
export function userRegexProblem(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) return `regular expression is longer than ${MAX_REGEX_LENGTH} characters`;
  try {
    new RegExp(source);
  } catch (error) {
    // V8: "Invalid regular expression: /<source>/: <reason>"; keep only a reason that is plain words.
    const message = (error as Error).message;
    const reason = message.slice(message.lastIndexOf(': ') + 2);
    return /^[A-Za-z ]{1,40}$/.test(reason) ? `not a valid regular expression (${reason.toLowerCase()})` : 'not a valid regular expression';
  }
  let tree: RegexNode;
  try {
    tree = parseRegex(source);
  } catch {
    return 'regular expression uses syntax outside the accepted subset';
  }
  const problem = problemIn(tree);
  return problem === undefined ? undefined : `regular expression is not safe (${problem})`;
}

function problemIn(tree: RegexNode): string | undefined {
  const top = flatItems(tree);
  let problem: string | undefined;
  let alternationPaths = 1;
  let pairs = 0;
  const visit = (node: RegexNode): void => {
    if (problem) return;
    switch (node.type) {
      case 'chars':
        if (node.backreference) problem = 'back-reference';
        return;
      case 'empty':
        return;
      case 'group':
        if (node.lookaround && containsQuantifier(node.body)) {
          problem = 'quantifier inside a lookaround';
          return;
        }
        visit(node.body);
        return;
      case 'quant': {
        if (node.max > 1 && quantifiersIn(node.body).some((inner) => inner.max > inner.min)) {
          problem = 'nested quantifier';
          return;
        }
        const alternatives = node.max > 1 ? alternativesOf(node.body) : undefined;
        if (alternatives) {
          const firsts = alternatives.map(first);
          if (firsts.some((a, i) => firsts.slice(i + 1).some((b) => a.nullable || b.nullable || overlaps(a.set, b.set)))) {
            problem = 'repeated alternatives that can match the same text';
            return;
          }
        }
        pairs += ambiguousPairs(flatItems(node.body));
        visit(node.body);
        return;
      }
      case 'alt': {
        const firsts = node.alternatives.map(first);
        if (firsts.some((a, i) => firsts.slice(i + 1).some((b) => a.nullable || b.nullable || overlaps(a.set, b.set)))) {
          alternationPaths *= node.alternatives.length;
          if (alternationPaths > MAX_ALTERNATION_PATHS) {
            problem = 'too many alternatives that can match the same text';
            return;
          }
        }
        for (const alternative of node.alternatives) {
          pairs += ambiguousPairs(flatItems(alternative));
          visit(alternative);
        }
        return;
      }
      case 'seq':
        for (const item of node.items) visit(item);
        return;
    }
  };
  // A quantifier that ends the regex always lets the match succeed: nothing backtracks into it.
  pairs += ambiguousPairs(top, tree.type === 'alt' ? undefined : top[top.length - 1]);
  visit(tree);
  if (problem) return problem;
  const anchored = top[0]?.type === 'empty' && top[0].anchor === 'start' && tree.type !== 'alt';
  if (pairs > (anchored ? 1 : 0)) return 'quantifiers that can match the same text one after another';
  return undefined;
}
