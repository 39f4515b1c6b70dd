/** How a blob's bytes became the text that was scanned (UTF-8 read as Latin-1, UTF-8, ...). */
export type BlobDecoder = (bytes: Uint8Array) => string;

/**
 * The texts of the latest blobs a git scan found a detector match in, within a budget of
 * characters, the oldest dropped first. A file that holds a credential keeps it across many
 * commits, and each later change to it is compared with the version before (see addedSince in
 * sources.ts): in a walk oldest commit first, that version is usually the blob scanned a moment
 * ago, whose text is taken from here instead of being read from git and decoded again. A text is
 * only reused with the decoder it was made with, so lines compare as they would after a read.
 */
export class RecentTexts {
  /** Map order is recency: a text read again moves to the end. */
  private readonly texts = new Map<string, { text: string; decode: BlobDecoder }[]>();
  private held = 0;

  constructor(private readonly budget: number) {}

  get(id: string, decode: BlobDecoder): string | undefined {
    const readings = this.texts.get(id);
    const reading = readings?.find((entry) => entry.decode === decode);
    if (!readings || !reading) return undefined;
    this.texts.delete(id);
    this.texts.set(id, readings);
    return reading.text;
  }

  add(id: string, text: string, decode: BlobDecoder): void {
    if (text.length > this.budget) return;
    const readings = this.texts.get(id) ?? [];
    if (readings.some((entry) => entry.decode === decode)) return;
    readings.push({ text, decode });
    this.texts.delete(id);
    this.texts.set(id, readings);
    this.held += text.length;
    for (const [oldest, dropped] of this.texts) {
      if (this.held <= this.budget) break;
      this.texts.delete(oldest);
      for (const entry of dropped) this.held -= entry.text.length;
    }
  }
}
