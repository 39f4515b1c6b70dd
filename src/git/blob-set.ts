import { randomBytes } from 'node:crypto';

/**
 * A compact set of git object ids (hex), kept as raw bytes in open-addressed tables: a history walk
 * remembers which blobs it has already read without one string per blob. Bounded: when the newest
 * table is full it becomes the old generation and the one before it is dropped, so the set
 * remembers at least the last `generationSize` ids and never holds more than twice that many.
 * Forgetting an id only means its blob is read again, never a missed finding.
 */
export class ObjectIdSet {
  private current: Table;
  private previous: Table | undefined;

  constructor(private readonly generationSize = 1 << 19) {
    this.current = new Table(1024);
  }

  has(hex: string): boolean {
    return this.tag(hex) !== undefined;
  }

  /** Adds the id; false when it was already there. */
  add(hex: string): boolean {
    if (this.has(hex)) return false;
    this.insert(toBytes(hex), 1);
    return true;
  }

  /** The small number (1-255) stored with the id, or undefined when the set does not hold it. */
  tag(hex: string): number | undefined {
    const id = toBytes(hex);
    const slot = this.current.find(id);
    if (slot >= 0) return this.current.tags[slot];
    const old = this.previous?.find(id) ?? -1;
    return old >= 0 ? this.previous!.tags[old] : undefined;
  }

  /** Stores the id with a tag (1-255), replacing the tag it had: one byte beside each 20-byte id. */
  setTag(hex: string, tag: number): void {
    if (!Number.isInteger(tag) || tag < 1 || tag > 255) throw new RangeError(`tag ${tag} is not 1-255`);
    const id = toBytes(hex);
    const slot = this.current.find(id);
    if (slot >= 0) this.current.tags[slot] = tag;
    else this.insert(id, tag);
  }

  private insert(id: Uint8Array, tag: number): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Table(1024);
    } else if (this.current.size * 2 >= this.current.capacity) {
      this.current = this.current.grown();
    }
    this.current.insert(id, tag);
  }
}

/** Value of each hex digit by char code (either case); 255 for anything else. */
const HEX_VALUE = (() => {
  const values = new Uint8Array(128).fill(255);
  for (let digit = 0; digit < 16; digit++) {
    values['0123456789abcdef'.charCodeAt(digit)] = digit;
    values['0123456789ABCDEF'.charCodeAt(digit)] = digit;
  }
  return values;
})();

/** One id's bytes at a time: every call overwrites it (callers use it before the next). */
const scratch = new Uint8Array(20);

/**
 * SHA-1 ids are 20 bytes; SHA-256 ids (64 hex digits) are stored by their first 20, still 160 bits.
 * Parsed by a loop into one reused array: a history walk asks about every blob several times, and a
 * native hex decode plus a new view per call cost more than the lookups themselves. Ids shorter than
 * 20 bytes (never from git with --no-abbrev) are zero-padded; a character that is not a hex digit
 * (never from git) ends the id there, as Buffer's hex decoding does.
 */
function toBytes(hex: string): Uint8Array {
  let written = 0;
  for (; written < 20 && written * 2 + 1 < hex.length; written++) {
    const high = HEX_VALUE[hex.charCodeAt(written * 2)] ?? 255;
    const low = HEX_VALUE[hex.charCodeAt(written * 2 + 1)] ?? 255;
    if (high === 255 || low === 255) break;
    scratch[written] = (high << 4) | low;
  }
  scratch.fill(0, written);
  return scratch;
}

const seed = randomBytes(8);
const SEED_A = seed.readUInt32LE(0);
const SEED_B = seed.readUInt32LE(4);

class Table {
  size = 0;
  private readonly slots: Uint8Array;
  /** 0: a free slot; else the id's tag. */
  readonly tags: Uint8Array;

  constructor(readonly capacity: number) {
    this.slots = new Uint8Array(capacity * 20);
    this.tags = new Uint8Array(capacity);
  }

  /**
   * Object ids are hashes, but a hostile repository can grind blobs whose ids share a prefix; mixing
   * eight bytes with a per-process random key keeps such blobs from piling onto one slot.
   */
  private start(id: Uint8Array): number {
    const first = (id[0]! | (id[1]! << 8) | (id[2]! << 16) | (id[3]! << 24)) ^ SEED_A;
    const second = (id[4]! | (id[5]! << 8) | (id[6]! << 16) | (id[7]! << 24)) ^ SEED_B;
    let h = Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca6b);
    h ^= h >>> 15;
    return h & (this.capacity - 1);
  }

  /** The id's slot, or -1. */
  find(id: Uint8Array): number {
    const slots = this.slots;
    for (let slot = this.start(id); this.tags[slot]; slot = (slot + 1) & (this.capacity - 1)) {
      const at = slot * 20;
      let same = true;
      for (let i = 0; i < 20; i++) {
        if (slots[at + i] !== id[i]) {
          same = false;
          break;
        }
      }
      if (same) return slot;
    }
    return -1;
  }

  insert(id: Uint8Array, tag: number): void {
    let slot = this.start(id);
    while (this.tags[slot]) slot = (slot + 1) & (this.capacity - 1);
    this.slots.set(id.subarray(0, 20), slot * 20);
    this.tags[slot] = tag;
    this.size++;
  }

  grown(): Table {
    const bigger = new Table(this.capacity * 2);
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.tags[slot]) bigger.insert(this.slots.subarray(slot * 20, slot * 20 + 20), this.tags[slot]!);
    }
    return bigger;
  }
}
