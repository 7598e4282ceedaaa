import { crc32 } from 'node:zlib';

/**
 * The on-disk format of the group offset log: a sequence of frames
 *
 *   frame => magic:uint16 (0x4C47, "LG") length:uint32 crc:uint32 payload:bytes[length]
 *
 * where crc is CRC-32 of the payload and the payload is one JSON record (below). A torn
 * write can only damage the frames after the last fsync, so the reader stops at the first
 * frame that does not check out and reports where; the store then decides between
 * truncating a torn tail and refusing a corrupt file.
 */

export const FRAME_MAGIC = 0x4c47;
export const FRAME_HEADER_BYTES = 10;

/** [topic, partition, offset, leaderEpoch, metadata] */
export type CommitEntry = [string, number, number, number, string];
/** [topic, partition, offset, leaderEpoch, metadata, commitTimestampMs] */
export type SnapshotEntry = [string, number, number, number, string, number];

export type OffsetLogRecord =
  /** Offsets committed together at `ts`. Creates the group if it does not exist. */
  | { t: 'c'; g: string; ts: number; o: CommitEntry[] }
  /** Group metadata: protocol type, generation, since when it is empty (null: not empty). */
  | { t: 'g'; g: string; pt: string | null; gen: number; es: number | null }
  /** Offsets deleted (OffsetDelete, retention). */
  | { t: 'x'; g: string; p: [string, number][] }
  /** Group deleted with all its offsets (DeleteGroups, retention). */
  | { t: 'd'; g: string }
  /** A whole group, written by compaction. Replaces whatever was known about it. */
  | { t: 's'; g: string; pt: string | null; gen: number; es: number | null; o: SnapshotEntry[] };

export function encodeFrame(record: OffsetLogRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt16BE(FRAME_MAGIC, 0);
  frame.writeUInt32BE(payload.length, 2);
  frame.writeUInt32BE(crc32(payload), 6);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

export interface DecodedLog {
  records: OffsetLogRecord[];
  /** Bytes of valid frames from the start; the file's length if all of it is valid. */
  validBytes: number;
  /** Whether another valid frame follows the first bad one (corruption, not a torn tail). */
  validFrameAfterDamage: boolean;
}

/** Length of the valid frame at `at`, or -1. */
function frameAt(bytes: Buffer, at: number): number {
  if (at + FRAME_HEADER_BYTES > bytes.length) return -1;
  if (bytes.readUInt16BE(at) !== FRAME_MAGIC) return -1;
  const length = bytes.readUInt32BE(at + 2);
  const end = at + FRAME_HEADER_BYTES + length;
  if (end > bytes.length) return -1;
  if (crc32(bytes.subarray(at + FRAME_HEADER_BYTES, end)) !== bytes.readUInt32BE(at + 6)) return -1;
  return FRAME_HEADER_BYTES + length;
}

export function decodeLog(bytes: Buffer): DecodedLog {
  const records: OffsetLogRecord[] = [];
  let at = 0;
  while (at < bytes.length) {
    const length = frameAt(bytes, at);
    if (length < 0) break;
    const payload = bytes.toString('utf8', at + FRAME_HEADER_BYTES, at + length);
    records.push(JSON.parse(payload) as OffsetLogRecord);
    at += length;
  }
  let validFrameAfterDamage = false;
  for (let scan = at + 1; scan < bytes.length && !validFrameAfterDamage; scan++) {
    scan = bytes.indexOf(0x4c, scan);
    if (scan < 0) break;
    validFrameAfterDamage = frameAt(bytes, scan) > 0;
  }
  return { records, validBytes: at, validFrameAfterDamage };
}
