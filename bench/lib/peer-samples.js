/**
 * Reads peers' own AWS test cases (gitleaks, trufflehog, noseyparker, kingfisher, detect-secrets)
 * out of their source text at run time, into memory only: nothing from a peer is written to this
 * repository. Each parser takes the text of one peer file and returns samples:
 *
 *   { peer, rule, kinds, polarity: 'positive' | 'negative', text, fileName, label, expected? }
 *
 * `kinds` says what the peer's rule looks for (key-id, secret, session-token, bedrock);
 * `expected`, when the peer's file names the credential (gitleaks' secret argument, trufflehog's
 * `want`), lists the credential values; otherwise `credentialCandidates` finds them in the text.
 */
import yaml from 'js-yaml';
import { createRandom } from './random.js';

// ---------------------------------------------------------------------------------------------
// A small tokenizer for the Go and Python test files: string literals, names, punctuation.

/** Go string literals: "interpreted" (escapes) or `raw`. */
function goString(src, i) {
  const quote = src[i];
  if (quote === '`') {
    const end = src.indexOf('`', i + 1);
    if (end < 0) throw new Error('unterminated raw string');
    return { value: src.slice(i + 1, end), end: end + 1 };
  }
  return escapedString(src, i, quote);
}

const SIMPLE_ESCAPES = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '`': '`',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  0: '\0',
};

function escapedString(src, i, quote) {
  let value = '';
  let j = i + 1;
  while (j < src.length && src[j] !== quote) {
    if (src[j] === '\n') throw new Error('newline in string literal');
    if (src[j] !== '\\') {
      value += src[j++];
      continue;
    }
    const next = src[j + 1];
    if (next === 'x') {
      value += String.fromCharCode(parseInt(src.slice(j + 2, j + 4), 16));
      j += 4;
    } else if (next === 'u') {
      value += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
      j += 6;
    } else if (next in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[next];
      j += 2;
    } else {
      // Python keeps unknown escapes as written.
      value += `\\${next}`;
      j += 2;
    }
  }
  if (j >= src.length) throw new Error('unterminated string literal');
  return { value, end: j + 1 };
}

/** Python literals: '...', "...", '''...''', """...""" (prefixes r/b/u not needed by the files read). */
function pythonString(src, i) {
  const quote = src[i];
  const triple = src.startsWith(quote.repeat(3), i);
  if (triple) {
    const end = src.indexOf(quote.repeat(3), i + 3);
    if (end < 0) throw new Error('unterminated triple-quoted string');
    return { value: src.slice(i + 3, end), end: end + 3 };
  }
  return escapedString(src, i, quote);
}

export function tokenize(src, language) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (language === 'go' && src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
    } else if (language === 'go' && src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (language === 'python' && c === '#') {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
    } else if (c === '"' || c === '`' || (c === "'" && language === 'python')) {
      const { value, end } = language === 'go' ? goString(src, i) : pythonString(src, i);
      tokens.push({ type: 'string', value });
      i = end;
    } else if (c === "'" && language === 'go') {
      const { end } = escapedString(src, i, "'");
      tokens.push({ type: 'rune' });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const [name] = /^[A-Za-z_][\w.]*/.exec(src.slice(i, i + 200));
      tokens.push({ type: 'name', value: name });
      i += name.length;
    } else if (/[0-9]/.test(c)) {
      const [number] = /^[0-9]+/.exec(src.slice(i, i + 40));
      tokens.push({ type: 'number', value: Number(number) });
      i += number.length;
    } else {
      const punct = ['...', ':=', '=='].find((p) => src.startsWith(p, i)) ?? c;
      tokens.push({ type: 'punct', value: punct });
      i += punct.length;
    }
  }
  return tokens;
}

const isPunct = (token, value) => token?.type === 'punct' && token.value === value;
const isName = (token, value) => token?.type === 'name' && token.value === value;

/** Index of the token that closes the bracket opened at `open`. */
function closing(tokens, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' };
  const want = pairs[tokens[open].value];
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].type !== 'punct') continue;
    if (tokens[i].value in pairs) depth++;
    else if (Object.values(pairs).includes(tokens[i].value) && --depth === 0) {
      if (tokens[i].value !== want) throw new Error(`mismatched ${tokens[open].value}`);
      return i;
    }
  }
  throw new Error(`unclosed ${tokens[open].value}`);
}

// ---------------------------------------------------------------------------------------------
// Random strings from the simple regexes gitleaks generates its true positives from.

/** `[A-Z2-7]{16}`-style patterns: character classes or literal characters, each with `{n}` or `{n,m}`. */
export function randomFromPattern(pattern, random) {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    let alphabet;
    if (pattern[i] === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error(`unsupported pattern ${pattern}`);
      alphabet = expandClass(pattern.slice(i + 1, end));
      i = end + 1;
    } else if (pattern[i] === '\\') {
      alphabet = pattern[i + 1];
      i += 2;
    } else if (/[A-Za-z0-9_=+/-]/.test(pattern[i])) {
      alphabet = pattern[i++];
    } else {
      throw new Error(`unsupported pattern ${pattern}`);
    }
    let count = 1;
    const repeat = /^\{(\d+)(?:,(\d+))?\}/.exec(pattern.slice(i));
    if (repeat) {
      count = Number(repeat[1]);
      i += repeat[0].length;
    }
    out += random.chars(alphabet, count);
  }
  return out;
}

function expandClass(body) {
  let chars = '';
  for (let i = 0; i < body.length; i++) {
    let c = body[i];
    if (c === '\\') c = body[++i];
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const to = body[i + 2] === '\\' ? body[i + 3] : body[i + 2];
      for (let code = c.charCodeAt(0); code <= to.charCodeAt(0); code++) chars += String.fromCharCode(code);
      i += body[i + 2] === '\\' ? 3 : 2;
    } else {
      chars += c;
    }
  }
  if (!chars) throw new Error(`empty character class [${body}]`);
  return chars;
}

// ---------------------------------------------------------------------------------------------
// gitleaks: cmd/generate/config/rules/aws.go (tps/fps per rule) + utils/generate.go (templates).

/** Rule ids (gitleaks' RuleID) about AWS credentials, and what they look for. */
function gitleaksKinds(ruleId) {
  if (/bedrock/i.test(ruleId)) return ['bedrock'];
  if (/^aws-access-token$/.test(ruleId)) return ['key-id'];
  if (/aws.*(secret|session)/i.test(ruleId)) return [/session/i.test(ruleId) ? 'session-token' : 'secret'];
  return null;
}

/** The `samples := map[string]string{ name: template }` of GenerateSampleSecrets. */
export function parseGitleaksTemplates(generateGo) {
  const tokens = tokenize(generateGo, 'go');
  const start = tokens.findIndex((t, i) => isName(t, 'samples') && isPunct(tokens[i + 1], ':=') && isName(tokens[i + 2], 'map'));
  if (start < 0) throw new Error('gitleaks generate.go: no samples map');
  const open = tokens.findIndex((t, i) => i > start && isPunct(t, '{'));
  const close = closing(tokens, open);
  const templates = [];
  for (let i = open + 1; i < close; i++) {
    if (tokens[i].type === 'string' && isPunct(tokens[i + 1], ':') && tokens[i + 2]?.type === 'string') {
      templates.push({ name: tokens[i].value, template: tokens[i + 2].value });
      i += 2;
    }
  }
  if (templates.length === 0) throw new Error('gitleaks generate.go: empty samples map');
  return templates;
}

const GITLEAKS_CLASS_HELPERS = {
  'utils.AlphaNumeric': (n) => `[a-z0-9]{${n}}`,
  'utils.AlphaNumericExtendedShort': (n) => `[a-z0-9_-]{${n}}`,
  'utils.AlphaNumericExtended': (n) => `[a-z0-9=_\\-]{${n}}`,
  'utils.AlphaNumericExtendedLong': (n) => `[a-z0-9\\/=_\\+\\-]{${n}}`,
  'utils.Hex': (n) => `[a-f0-9]{${n}}`,
};

/** Evaluates `"lit" + secrets.NewSecret(...) + ...` from `i`; returns the value and the next index. */
function goExpression(tokens, i, random) {
  let value = '';
  for (;;) {
    const token = tokens[i];
    if (token?.type === 'string') {
      value += token.value;
      i++;
    } else if (token?.type === 'name' && isPunct(tokens[i + 1], '(')) {
      const close = closing(tokens, i + 1);
      const argument = goExpression(tokens, i + 2, random);
      if (argument.next !== close) throw new Error(`unsupported call arguments to ${token.value}`);
      if (token.value === 'secrets.NewSecret') value += randomFromPattern(argument.value, random);
      else if (token.value in GITLEAKS_CLASS_HELPERS) value += GITLEAKS_CLASS_HELPERS[token.value](argument.value);
      else throw new Error(`unsupported call ${token.value}`);
      i = close + 1;
    } else {
      throw new Error(`unsupported expression at ${token?.value ?? 'end'}`);
    }
    if (!isPunct(tokens[i], '+')) return { value, next: i };
    i++;
  }
}

const GITLEAKS_EXTENSIONS = [
  [/^ini/, 'ini'],
  [/^json/, 'json'],
  [/^xml/, 'xml'],
  [/^yaml/, 'yaml'],
  [/^C#/, 'cs'],
  [/^go/, 'go'],
  [/^java/, 'java'],
  [/^kotlin/, 'kt'],
  [/^php/, 'php'],
  [/^python/, 'py'],
  [/^logstash/, 'conf'],
  [/^misc/, 'java'],
];

function gitleaksFileName(templateName) {
  if (/^make/.test(templateName)) return 'Makefile';
  const extension = GITLEAKS_EXTENSIONS.find(([pattern]) => pattern.test(templateName))?.[1] ?? 'txt';
  return `sample.${extension}`;
}

/** `GenerateSampleSecrets` fills every template with the identifier ({i}, {I}) and the secret ({s}). */
function fillTemplate(template, identifier, secret) {
  return template.replace(/\{([iIs])\}/g, (_, slot) => (slot === 's' ? secret : slot === 'I' ? identifier.toUpperCase() : identifier));
}

export function parseGitleaks(awsGo, generateGo, { seed = 1 } = {}) {
  const templates = parseGitleaksTemplates(generateGo);
  const random = createRandom(seed);
  const tokens = tokenize(awsGo, 'go');
  const samples = [];
  const skipped = [];
  const rules = [];
  // Each rule is one function; its RuleID is the first `RuleID: "..."` inside it.
  const starts = tokens.flatMap((t, i) => (isName(t, 'func') ? [i] : []));
  for (const [n, start] of starts.entries()) {
    const end = starts[n + 1] ?? tokens.length;
    const idAt = tokens.findIndex((t, i) => i > start && i < end && isName(t, 'RuleID') && isPunct(tokens[i + 1], ':'));
    if (idAt < 0) continue;
    const ruleId = tokens[idAt + 2].value;
    const kinds = gitleaksKinds(ruleId);
    if (!kinds) continue;
    rules.push(ruleId);
    let list = null;
    let listEnd = -1;
    for (let i = idAt; i < end; i++) {
      const t = tokens[i];
      if (
        (isName(t, 'tps') || isName(t, 'fps')) &&
        isPunct(tokens[i + 1], ':=') &&
        isPunct(tokens[i + 2], '[') &&
        isName(tokens[i + 4], 'string')
      ) {
        list = t.value === 'tps' ? 'positive' : 'negative';
        listEnd = closing(tokens, i + 5);
        i += 5;
        continue;
      }
      if (i === listEnd) list = null;
      const call =
        t.type === 'name' && (t.value === 'utils.GenerateSampleSecrets' || t.value === 'utils.GenerateSampleSecret') ? t.value : null;
      if (call && isPunct(tokens[i + 1], '(')) {
        const close = closing(tokens, i + 1);
        try {
          const identifier = goExpression(tokens, i + 2, random);
          const secret = goExpression(tokens, identifier.next + 1, random);
          if (secret.next !== close) throw new Error('unexpected arguments');
          if (call === 'utils.GenerateSampleSecret') {
            // gitleaks' single-sample form: `<identifier>_api_token = "<secret>"`.
            samples.push({
              peer: 'gitleaks',
              rule: ruleId,
              kinds,
              polarity: 'positive',
              text: `${identifier.value}_api_token = "${secret.value}"`,
              fileName: 'sample.txt',
              label: 'GenerateSampleSecret',
              expected: [secret.value],
            });
          } else {
            for (const { name, template } of templates) {
              samples.push({
                peer: 'gitleaks',
                rule: ruleId,
                kinds,
                polarity: 'positive',
                text: fillTemplate(template, identifier.value, secret.value),
                fileName: gitleaksFileName(name),
                label: name,
                expected: [secret.value],
              });
            }
          }
        } catch (error) {
          skipped.push({ rule: ruleId, reason: error.message });
        }
        i = close;
        continue;
      }
      if (list && t.type === 'string') {
        samples.push({
          peer: 'gitleaks',
          rule: ruleId,
          kinds,
          polarity: list,
          text: t.value,
          fileName: 'sample.txt',
          label: `${list === 'positive' ? 'tps' : 'fps'} literal`,
        });
      }
    }
  }
  return { samples, skipped, rules };
}

// ---------------------------------------------------------------------------------------------
// trufflehog: `tests := []struct{ name, input, want }` in a Test..._Pattern function.

export function parseTrufflehog(testGo, rule, kinds) {
  const tokens = tokenize(testGo, 'go');
  const fn = tokens.findIndex((t, i) => isName(t, 'func') && /_Pattern$/.test(tokens[i + 1]?.value ?? ''));
  if (fn < 0) throw new Error(`trufflehog ${rule}: no Test..._Pattern function`);
  const fnEnd = tokens.findIndex((t, i) => i > fn && isName(t, 'func'));
  const samples = [];
  let current = null;
  for (let i = fn; i < (fnEnd < 0 ? tokens.length : fnEnd); i++) {
    const t = tokens[i];
    if (!isPunct(tokens[i + 1], ':')) continue;
    if (isName(t, 'name') && tokens[i + 2]?.type === 'string') current = { label: tokens[i + 2].value };
    else if (isName(t, 'input') && current && tokens[i + 2]?.type === 'string') current.input = tokens[i + 2].value;
    else if (isName(t, 'want') && current && current.input !== undefined) {
      let want = [];
      if (!isName(tokens[i + 2], 'nil')) {
        const open = tokens.findIndex((x, j) => j > i && isPunct(x, '{'));
        const close = closing(tokens, open);
        want = tokens
          .slice(open + 1, close)
          .filter((x) => x.type === 'string')
          .map((x) => x.value);
      }
      // `want` holds results as id:secret[:token]; each distinct part is one credential to find.
      const expected = [...new Set(want.flatMap((w) => w.split(':')))].filter(Boolean);
      samples.push({
        peer: 'trufflehog',
        rule,
        kinds,
        polarity: expected.length ? 'positive' : 'negative',
        text: current.input,
        fileName: 'sample.txt',
        label: current.label,
        ...(expected.length ? { expected } : {}),
      });
      current = null;
    }
  }
  if (samples.length === 0) throw new Error(`trufflehog ${rule}: no test cases found`);
  return samples;
}

// ---------------------------------------------------------------------------------------------
// noseyparker and kingfisher: YAML rules with `examples` and (noseyparker) `negative_examples`.

/** What a rule named like this looks for; null for the AWS rules out of scope (S3, ARN, account id, MWS, AppSync). */
export function kindsForRuleName(name) {
  if (/bedrock/i.test(name)) return ['bedrock'];
  if (/session token/i.test(name)) return ['session-token'];
  if (/secret access key/i.test(name)) return ['secret'];
  if (/api credentials/i.test(name)) return ['key-id', 'secret'];
  if (/access key id|aws api key/i.test(name)) return ['key-id'];
  return null;
}

export function parseYamlRules(peer, text) {
  const document = yaml.load(text);
  if (!document || !Array.isArray(document.rules)) throw new Error(`${peer}: no rules list`);
  const samples = [];
  const rules = [];
  for (const rule of document.rules) {
    const kinds = kindsForRuleName(String(rule.name ?? ''));
    if (!kinds) continue;
    rules.push(rule.id);
    for (const [key, polarity] of [
      ['examples', 'positive'],
      ['negative_examples', 'negative'],
    ]) {
      for (const [n, example] of (rule[key] ?? []).entries()) {
        if (typeof example !== 'string') continue;
        samples.push({ peer, rule: rule.id, kinds, polarity, text: example, fileName: 'sample.txt', label: `${key}[${n}]` });
      }
    }
  }
  return { samples, rules };
}

// ---------------------------------------------------------------------------------------------
// detect-secrets: tests/plugins/aws_key_test.py, the `line,should_flag` parametrize of test_analyze.

/** Evaluates the small Python subset the parametrize lists use: literals, constants, .format, +, *, [a:b]. */
function pythonExpression(tokens, i, constants) {
  let { value, next } = pythonPostfix(tokens, i, constants);
  while (isPunct(tokens[next], '+')) {
    const right = pythonPostfix(tokens, next + 1, constants);
    value += right.value;
    next = right.next;
  }
  return { value, next };
}

function pythonPostfix(tokens, i, constants) {
  const token = tokens[i];
  let value;
  let next = i + 1;
  if (token?.type === 'string') value = token.value;
  else if (token?.type === 'name' && token.value in constants) value = constants[token.value];
  else if (isPunct(token, '(')) {
    const inner = pythonExpression(tokens, i + 1, constants);
    if (!isPunct(tokens[inner.next], ')')) throw new Error('unsupported parenthesised expression');
    value = inner.value;
    next = inner.next + 1;
  } else throw new Error(`unsupported Python expression at ${token?.value ?? 'end'}`);
  for (;;) {
    if (isPunct(tokens[next], '.') && isName(tokens[next + 1], 'format') && isPunct(tokens[next + 2], '(')) {
      const close = closing(tokens, next + 2);
      const args = [];
      let j = next + 3;
      while (j < close) {
        const arg = pythonExpression(tokens, j, constants);
        args.push(arg.value);
        j = isPunct(tokens[arg.next], ',') ? arg.next + 1 : arg.next;
      }
      let auto = 0;
      value = value.replace(/\{(\d*)\}/g, (_, index) => args[index === '' ? auto++ : Number(index)] ?? '');
      next = close + 1;
    } else if (isPunct(tokens[next], '[')) {
      const close = closing(tokens, next);
      const inside = tokens.slice(next + 1, close);
      const colon = inside.findIndex((t) => isPunct(t, ':'));
      if (colon < 0) throw new Error('unsupported subscript');
      const from = inside[colon - 1]?.type === 'number' ? inside[colon - 1].value : 0;
      const to = inside[colon + 1]?.type === 'number' ? inside[colon + 1].value : value.length;
      value = value.slice(from, to);
      next = close + 1;
    } else if (isPunct(tokens[next], '*') && tokens[next + 1]?.type === 'number') {
      value = value.repeat(tokens[next + 1].value);
      next += 2;
    } else {
      return { value, next };
    }
  }
}

export function parseDetectSecrets(testPy) {
  // Module-level string constants (`NAME = '...'` at column 0) the cases refer to.
  const constants = {};
  for (const match of testPy.matchAll(/^([A-Z_][A-Z0-9_]*)\s*=\s*(['"].*)$/gm)) {
    const tokens = tokenize(match[2], 'python');
    if (tokens.length === 1 && tokens[0].type === 'string') constants[match[1]] = tokens[0].value;
  }
  const testAt = testPy.search(/def test_analyze\(/);
  if (testAt < 0) throw new Error('detect-secrets: no test_analyze');
  const decoratorAt = testPy.lastIndexOf('@pytest.mark.parametrize(', testAt);
  if (decoratorAt < 0) throw new Error('detect-secrets: no parametrize before test_analyze');
  const tokens = tokenize(testPy.slice(decoratorAt, testAt), 'python');
  const listOpen = tokens.findIndex((t) => isPunct(t, '['));
  if (listOpen < 0) throw new Error('detect-secrets: no case list');
  const listClose = closing(tokens, listOpen);
  const samples = [];
  const skipped = [];
  for (let i = listOpen + 1; i < listClose; i++) {
    if (!isPunct(tokens[i], '(')) continue;
    const close = closing(tokens, i);
    try {
      const line = pythonExpression(tokens, i + 1, constants);
      if (!isPunct(tokens[line.next], ',')) throw new Error('expected (line, should_flag)');
      const flag = tokens[line.next + 1];
      if (!isName(flag, 'True') && !isName(flag, 'False')) throw new Error('expected True or False');
      samples.push({
        peer: 'detect-secrets',
        rule: 'AWSKeyDetector',
        kinds: ['key-id', 'secret'],
        polarity: flag.value === 'True' ? 'positive' : 'negative',
        text: line.value,
        fileName: 'sample.txt',
        label: `test_analyze[${samples.length}]`,
      });
    } catch (error) {
      skipped.push({ rule: 'AWSKeyDetector', reason: error.message });
    }
    i = close;
  }
  return { samples, skipped, rules: ['AWSKeyDetector'] };
}

/**
 * Whole files from a peer's test trees: each file holding a credential-shaped value of `kinds` is
 * one positive sample (the peer's scan tests expect those values found).
 */
export function samplesFromFiles(peer, rule, kinds, files) {
  const samples = [];
  for (const { path, text } of files) {
    if (text.includes('\0') || credentialCandidates(text, kinds).length === 0) continue;
    samples.push({ peer, rule, kinds, polarity: 'positive', text, fileName: path.split('/').pop(), label: path });
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------
// The credentials a positive sample holds, when the peer's file does not name them.

const CANDIDATE_PATTERNS = {
  // Prefixes any peer's rule accepts, credentials or not (AGPA/AIDA/AROA/... are IAM unique ids).
  'key-id': /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  // `=` may precede a secret (an assignment) but not follow it: 40 chars then `=` are base64 padding.
  secret: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
  'session-token': /(?:session|token)[\w"'`]*\s{0,30}(?::|=>|=)\s{0,30}["'`]?([A-Za-z0-9/+=._-]{16,})/gi,
  bedrock: /ABSK[A-Za-z0-9+/]+={0,2}|bedrock-api-key-[A-Za-z0-9+/=%._-]+/g,
};

/** Credential-shaped values of the given kinds in a text, each once. */
export function credentialCandidates(text, kinds) {
  const values = [];
  for (const kind of kinds) {
    for (const match of text.matchAll(CANDIDATE_PATTERNS[kind])) {
      const value = match[1] ?? match[0];
      if (!values.some((v) => v.value === value)) values.push({ value, kind });
    }
  }
  return values;
}

/** The kind of a value the peer named, judged by its shape. */
export function kindOfValue(value, kinds) {
  if (kinds.includes('bedrock') && /^(ABSK|bedrock-api-key-)/.test(value)) return 'bedrock';
  if (/^(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}$/.test(value)) return 'key-id';
  if (value.length === 40) return 'secret';
  if (value.length > 40) return 'session-token';
  return kinds[0];
}
