/**
 * Compressed blocks of `_source`s. Documents written in batches keep their sources in
 * blocks of consecutive document numbers, zstd-compressed together (log documents
 * compress 3-4x in blocks of 64, almost not at all one by one), as Lucene's stored fields
 * do. Layout of a block before compression: u32 count, count × u32 byte lengths, then
 * the sources back to back; slot i is document `first_doc + i`. A slot of length 0 is a
 * document that was deleted before the block was written.
 */
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';

export const BLOCK_MAX_DOCS = 128;
export const BLOCK_MAX_BYTES = 64 * 1024;
const LEVEL = 3;

export function encodeBlock(sources: readonly (Uint8Array | null)[]): Buffer {
  const header = Buffer.allocUnsafe(4 + 4 * sources.length);
  header.writeUInt32LE(sources.length, 0);
  sources.forEach((s, i) => {
    header.writeUInt32LE(s ? s.length : 0, 4 + 4 * i);
  });
  const parts: Uint8Array[] = [header];
  for (const s of sources) if (s) parts.push(s);
  return zstdCompressSync(Buffer.concat(parts), { params: { [constants.ZSTD_c_compressionLevel]: LEVEL } });
}

export class DecodedBlock {
  readonly firstDoc: number;
  readonly #data: Buffer;
  readonly #offsets: number[];

  constructor(firstDoc: number, compressed: Uint8Array) {
    this.firstDoc = firstDoc;
    this.#data = zstdDecompressSync(compressed);
    const count = this.#data.readUInt32LE(0);
    const offsets = new Array<number>(count + 1);
    let offset = 4 + 4 * count;
    for (let i = 0; i < count; i++) {
      offsets[i] = offset;
      offset += this.#data.readUInt32LE(4 + 4 * i);
    }
    offsets[count] = offset;
    this.#offsets = offsets;
  }

  get count(): number {
    return this.#offsets.length - 1;
  }

  /** The source of a document in this block, or null for an empty slot or a document outside it. */
  source(doc: number): Buffer | null {
    const slot = doc - this.firstDoc;
    if (slot < 0 || slot >= this.count) return null;
    const start = this.#offsets[slot]!;
    const end = this.#offsets[slot + 1]!;
    return end > start ? this.#data.subarray(start, end) : null;
  }
}

/** Splits a run of consecutive documents into block-sized chunks. */
export function chunkRun<T extends { source: Uint8Array | null }>(run: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of run) {
    const size = item.source?.length ?? 0;
    if (current.length > 0 && (current.length >= BLOCK_MAX_DOCS || bytes + size > BLOCK_MAX_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
