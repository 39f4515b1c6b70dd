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

  private insert(id: Buffer, tag: number): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Table(1024);
    } else if (this.current.size * 2 >= this.current.capacity) {
      this.current = this.current.grown();
    }
    this.current.insert(id, tag);
  }
}

const scratch = Buffer.alloc(32);

/** SHA-1 ids are 20 bytes; SHA-256 ids (64 hex digits) are stored by their first 20, still 160 bits. */
function toBytes(hex: string): Buffer {
  const written = scratch.write(hex.slice(0, 64), 'hex');
  // Ids shorter than 20 bytes (never from git with --no-abbrev) are zero-padded.
  scratch.fill(0, written);
  return scratch.subarray(0, 20);
}

const seed = randomBytes(8);
const SEED_A = seed.readUInt32LE(0);
const SEED_B = seed.readUInt32LE(4);

class Table {
  size = 0;
  private readonly slots: Buffer;
  /** 0: a free slot; else the id's tag. */
  readonly tags: Uint8Array;

  constructor(readonly capacity: number) {
    this.slots = Buffer.alloc(capacity * 20);
    this.tags = new Uint8Array(capacity);
  }

  /**
   * Object ids are hashes, but a hostile repository can grind blobs whose ids share a prefix; mixing
   * eight bytes with a per-process random key keeps such blobs from piling onto one slot.
   */
  private start(id: Buffer): number {
    let h = Math.imul(id.readUInt32LE(0) ^ SEED_A, 0x9e3779b1) ^ Math.imul(id.readUInt32LE(4) ^ SEED_B, 0x85ebca6b);
    h ^= h >>> 15;
    return h & (this.capacity - 1);
  }

  /** The id's slot, or -1. */
  find(id: Buffer): number {
    for (let slot = this.start(id); this.tags[slot]; slot = (slot + 1) & (this.capacity - 1)) {
      if (this.slots.compare(id, 0, 20, slot * 20, slot * 20 + 20) === 0) return slot;
    }
    return -1;
  }

  insert(id: Buffer, tag: number): void {
    let slot = this.start(id);
    while (this.tags[slot]) slot = (slot + 1) & (this.capacity - 1);
    id.copy(this.slots, slot * 20);
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
