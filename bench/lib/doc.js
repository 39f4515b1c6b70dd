/**
 * A file under construction that remembers where each planted credential and targeted decoy was
 * written, so the benchmark can check every finding against ground truth by path, line and column.
 */
import { PREFIX } from './keys.js';

export class Doc {
  constructor(path) {
    this.path = path;
    this.parts = [];
    this.length = 0;
    /** Newlines written so far: snippets keep their distance from each other (see kinds.js). */
    this.newlines = 0;
    /** {ruleId, syntax, offset, length, value} */
    this.plants = [];
    /** Decoys a careless detector would report: {kind, offset, length, value}. */
    this.decoys = [];
    /** Background lookalikes (hashes, uuids, blobs): counted by kind only. */
    this.background = {};
  }

  add(text) {
    this.parts.push(text);
    this.length += text.length;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.newlines++;
    return this;
  }

  /** A key id; its rule follows from the prefix (docs/aws-credentials.md, "Identifier prefixes": AKIA long-term, ASIA temporary). */
  keyId(syntax, value) {
    const ruleId = value.startsWith(PREFIX.ASIA) ? 'aws-temporary-access-key-id' : 'aws-access-key-id';
    return this.plant(ruleId, syntax, value);
  }

  /** `written` is the secret as it appears in the file (maybe `\/`-escaped or URL-encoded). */
  secret(syntax, written) {
    return this.plant('aws-secret-access-key', syntax, written);
  }

  token(syntax, written) {
    return this.plant('aws-session-token', syntax, written);
  }

  plant(ruleId, syntax, written) {
    this.plants.push({ ruleId, syntax, offset: this.length, length: written.length, value: written });
    return this.add(written);
  }

  decoy(kind, written) {
    this.decoys.push({ kind, offset: this.length, length: written.length, value: written });
    return this.add(written);
  }

  /** Untracked lookalike, counted by kind: git SHAs, lockfile integrity hashes, uuids, blobs. */
  bg(kind, written) {
    this.background[kind] = (this.background[kind] ?? 0) + 1;
    return this.add(written);
  }

  text() {
    return this.parts.join('');
  }
}

/** Adds 1-based line and column (UTF-16, as the scanner reports them) to each recorded item. */
export function locate(text, items) {
  const sorted = [...items].sort((a, b) => a.offset - b.offset);
  let line = 1;
  let lineStart = 0;
  let at = 0;
  for (const item of sorted) {
    for (let nl = text.indexOf('\n', at); nl !== -1 && nl < item.offset; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    at = Math.max(at, lineStart);
    item.line = line;
    item.column = item.offset - lineStart + 1;
  }
}
