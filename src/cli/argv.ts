import { lstatSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Everything after the first "--" is a path, even one that starts with "-" (`scan -- -rf`), as in
 * POSIX utilities; yargs would put those words in `_`, which no command reads.
 */
export function splitAtDoubleDash(argv: readonly string[]): { options: string[]; rest: string[] } {
  const at = argv.indexOf('--');
  return at < 0 ? { options: [...argv], rest: [] } : { options: argv.slice(0, at), rest: argv.slice(at + 1) };
}

/** The parts of yargs's `getOptions()` that say which flags take a value. */
export interface OptionTypes {
  string: readonly string[];
  number: readonly string[];
  array: readonly string[];
  alias: Readonly<Record<string, readonly string[]>>;
}

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Every spelling on the command line of a flag that takes one value, mapped to the name an error shows. */
function valueFlagSpellings(types: OptionTypes): Map<string, string> {
  const spellings = new Map<string, string>();
  const add = (name: string, shown: string) => spellings.set(name.length === 1 ? `-${name}` : `--${name}`, shown);
  for (const key of [...types.string, ...types.number]) {
    // Array options are checked after parsing (an empty list); positionals are not flags.
    if (key.length === 1 || key === 'paths' || types.array.includes(key)) continue;
    const shown = `--${key}`;
    add(key, shown);
    add(camelCase(key), shown);
    for (const alias of types.alias[key] ?? []) add(alias, shown);
  }
  return spellings;
}

/** A negative number is a value (`--threads -1` then fails its own range check), another flag is not. */
const looksLikeFlag = (word: string) => word.startsWith('-') && !/^-\d/.test(word);

/**
 * yargs reads a string flag with nothing after it as "" (and drops a number flag): `-o` or `--config`
 * at the end of a command line would silently mean stdout or the default config. It is the user's
 * mistake to be told about, as ripgrep and git do.
 */
export function rejectMissingValues(argv: readonly string[], types: OptionTypes): void {
  const spellings = valueFlagSpellings(types);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    if (equals > 0) {
      const shown = spellings.get(word.slice(0, equals));
      if (shown && word.length === equals + 1) throw new UsageError(`${shown} needs a value`);
      continue;
    }
    const shown = spellings.get(word);
    if (!shown) continue;
    const next = argv[i + 1];
    if (next === undefined || next === '--' || looksLikeFlag(next)) throw new UsageError(`${shown} needs a value`);
    i++;
  }
}

/** Optimal string alignment distance (Levenshtein plus swapping two neighbours): "scna" is one step from "scan". */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The command `word` was most likely meant to be: within two edits, or one it begins (`install` for install-hook). */
export function closestCommand(word: string, commands: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { command: string; distance: number } | undefined;
  for (const command of commands) {
    const distance = command.startsWith(lower) && lower.length >= 3 ? 1 : editDistance(lower, command);
    if (distance <= 2 && (!best || distance < best.distance)) best = { command, distance };
  }
  return best?.command;
}

function exists(cwd: string, word: string): boolean {
  try {
    lstatSync(path.resolve(cwd, word));
    return true;
  } catch {
    return false;
  }
}

/**
 * `keywarden <path>` scans (scan is the default command), so a mistyped command would otherwise
 * read as a missing path. A first word that looks like a command (letters and dashes, no dot or
 * slash, so no glob either) and names nothing on disk is reported as an unknown command instead.
 */
export function rejectUnknownCommand(argv: readonly string[], commands: readonly string[], cwd: string): void {
  const word = argv[0];
  if (word === undefined || word === '--' || word.startsWith('-') || commands.includes(word)) return;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(word) || exists(cwd, word)) return;
  const suggestion = closestCommand(word, commands);
  if (suggestion) throw new UsageError(`unknown command "${word}" (did you mean ${suggestion}?)`);
  throw new UsageError(`unknown command "${word}" (commands: ${commands.join(', ')}), and no file or directory of that name to scan`);
}
