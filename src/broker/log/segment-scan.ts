/**
 * The recovery scan of one segment file: reads it sequentially in large chunks and checks
 * every batch (framing, magic, Length, CRC-32C), stopping at the first that fails. A
 * batch larger than a chunk has its CRC computed incrementally, so a garbage Length can
 * never make recovery allocate the rest of the file.
 */
import { crc32c } from '@node-rs/crc32';
import { readFully } from './fs-io.ts';
import {
  BATCH_HEADER_BYTES,
  CURRENT_MAGIC,
  inspectBatch,
  LOG_OVERHEAD,
  type RecordBatchHeader,
  readBatchHeader,
} from './record-batch.ts';

export const SCAN_CHUNK_BYTES = 8 * 1024 * 1024;
const CRC_START = 21;
const EMPTY = Buffer.alloc(0);

/** Return a reason to stop the scan before this batch, or null to accept it. */
export type BatchVisitor = (header: RecordBatchHeader, position: number, sizeInBytes: number) => string | null;

export interface ScanResult {
  /** Bytes of accepted batches from the start of the file. */
  validBytes: number;
  /** Why the scan stopped before the end of the file, or null. */
  reason: string | null;
}

export async function scanSegmentFile(fd: number, fileSize: number, visit: BatchVisitor, chunkBytes = SCAN_CHUNK_BYTES): Promise<ScanResult> {
  let window: Buffer = EMPTY;
  let windowStart = 0;
  const ensure = async (from: number, length: number): Promise<void> => {
    if (from >= windowStart && from + length <= windowStart + window.length) return;
    window = await readFully(fd, from, Math.min(Math.max(length, chunkBytes), fileSize - from));
    windowStart = from;
  };
  let pos = 0;
  while (pos < fileSize) {
    await ensure(pos, BATCH_HEADER_BYTES);
    const rel = pos - windowStart;
    const available = window.length - rel;
    const declared = available >= LOG_OVERHEAD ? window.readInt32BE(rel + 8) + LOG_OVERHEAD : -1;
    const fits = declared >= BATCH_HEADER_BYTES && declared <= fileSize - pos;
    let header: RecordBatchHeader;
    if (fits && declared > chunkBytes && available >= BATCH_HEADER_BYTES) {
      const reason = await checkLargeBatch(fd, window, rel, pos, declared);
      if (reason !== null) return { validBytes: pos, reason };
      header = readBatchHeader(window, rel);
    } else {
      if (fits) await ensure(pos, declared);
      const inspection = inspectBatch(window, pos - windowStart);
      if (!inspection.ok) return { validBytes: pos, reason: inspection.reason };
      header = inspection.span.header;
    }
    const stop = visit(header, pos, header.length + LOG_OVERHEAD);
    if (stop !== null) return { validBytes: pos, reason: stop };
    pos += header.length + LOG_OVERHEAD;
  }
  return { validBytes: pos, reason: null };
}

/** Magic and CRC of a batch bigger than a chunk; its header is at `window[rel..]`. */
async function checkLargeBatch(fd: number, window: Buffer, rel: number, position: number, size: number): Promise<string | null> {
  const magic = window.readInt8(rel + 16);
  if (magic !== CURRENT_MAGIC) return `unknown magic byte ${magic}`;
  const expected = window.readUInt32BE(rel + 17);
  const inWindow = Math.min(window.length - rel, size);
  let crc = crc32c(window.subarray(rel + CRC_START, rel + inWindow));
  for (let done = inWindow; done < size; ) {
    const chunk = await readFully(fd, position + done, Math.min(1024 * 1024, size - done));
    if (chunk.length === 0) return 'unexpected end of file';
    crc = crc32c(chunk, crc);
    done += chunk.length;
  }
  return crc === expected ? null : `CRC-32C mismatch: header ${expected}, computed ${crc}`;
}
