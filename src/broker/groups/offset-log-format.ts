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
/**
 * One member of a group's last completed generation:
 * [memberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs,
 *  protocols, assignment], where protocols is [[name, metadata], ...] in the member's order
 * of preference (all of them, not only the selected one, so that a member rejoining
 * unchanged after a restart is recognised as unchanged), and metadata and assignment are
 * base64.
 */
export type MemberEntry = [string, string | null, string, string, number, number, [string, string][], string];

/**
 * What group records ('g') and snapshots ('s') say about the group itself: protocol type,
 * generation, and since when the group is empty (null: it had members when written).
 *
 * Version 1 (no `v`) stops there: a version 1 record says nothing about members. Version 2
 * (`v: 2`) adds the last completed generation's membership: the selected protocol `pn`,
 * the leader `l` and the members `m` in join order (none, and `pn`/`l` null, when the
 * group is empty). Version 1 records still load; a reader that only knows version 1 reads
 * a version 2 record as version 1 (JSON fields it does not know are ignored).
 */
export type GroupFields = { pt: string | null; gen: number; es: number | null } & (GroupFieldsV1 | GroupMembershipV2);
export interface GroupFieldsV1 {
  v?: undefined;
}
export interface GroupMembershipV2 {
  v: 2;
  pn: string | null;
  l: string | null;
  m: MemberEntry[];
}

export type OffsetLogRecord =
  /** Offsets committed together at `ts`. Creates the group if it does not exist. */
  | { t: 'c'; g: string; ts: number; o: CommitEntry[] }
  /** Group metadata (and, from version 2, membership). Creates the group if it does not exist. */
  | ({ t: 'g'; g: string } & GroupFields)
  /** Offsets deleted (OffsetDelete, retention). */
  | { t: 'x'; g: string; p: [string, number][] }
  /** Group deleted with all its offsets (DeleteGroups, retention). */
  | { t: 'd'; g: string }
  /** A whole group, written by compaction. Replaces whatever was known about it. */
  | ({ t: 's'; g: string; o: SnapshotEntry[] } & GroupFields);

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
