import { mkdir, open, readFile, rename, rm, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { LoglaneError } from '../../errors/loglane-error.ts';
import {
  type CommitEntry,
  decodeLog,
  encodeFrame,
  type GroupFields,
  type MemberEntry,
  type OffsetLogRecord,
  type SnapshotEntry,
} from './offset-log-format.ts';
import type { JoinGroupProtocol, TopicPartition } from './types.ts';

export const OFFSET_LOG_FILE = 'group-offsets.log';
const SNAPSHOT_TMP_FILE = 'group-offsets.log.tmp';

export interface StoredOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestampMs: number;
}

/** A member of a group's last completed generation, as the group record keeps it. */
export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** In the member's order of preference. */
  protocols: JoinGroupProtocol[];
  assignment: Buffer;
}

export interface StoredGroup {
  protocolType: string | null;
  generationId: number;
  /** Since when the group has been empty; null while it had members at the last save. */
  emptySinceMs: number | null;
  /** The selected protocol of the last completed generation; null when empty or not known. */
  protocolName: string | null;
  leaderId: string | null;
  /**
   * The members of the last completed generation in join order ([] when empty); null when
   * the last record of the group predates stored members (format version 1).
   */
  members: StoredMember[] | null;
  /** topic -> partition -> offset */
  readonly offsets: Map<string, Map<number, StoredOffset>>;
}

export interface OffsetToStore {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
}

export interface GroupMetadataToStore {
  protocolType: string | null;
  generationId: number;
  emptySinceMs: number | null;
  protocolName: string | null;
  leaderId: string | null;
  /** In join order; [] for an empty group. */
  members: StoredMember[];
}

export interface OffsetStoreOptions {
  /** Compact once the file is larger than this and 4x the last snapshot. */
  compactBytes: number;
}

export interface OffsetStoreStats {
  fileBytes: number;
  /** Number of write+fdatasync rounds: fewer than records when commits are batched. */
  flushes: number;
  records: number;
  compactions: number;
}

interface Pending {
  frame: Buffer;
  record: OffsetLogRecord;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The durable home of committed offsets and of the groups (existence, generation and the
 * members of the last completed generation), as an append-only log in one directory.
 *
 * - A write resolves only after its frame is written and fdatasync'ed; only then does the
 *   in-memory state change, so nothing is ever visible that a crash could take back.
 * - Group commit: writes that arrive while an fsync is running are written together with
 *   one fsync in the next round.
 * - Compaction rewrites the live state as one snapshot frame per group into a temporary
 *   file, fsyncs it, renames it over the log and fsyncs the directory.
 * - On open, a damaged tail (a torn write after the last fsync) is truncated; damage with
 *   valid frames after it is corruption, and the store refuses to open.
 * - After a failed write or fsync, the file's state is unknown: every later write fails
 *   (LOGLANE_ERR_BROKER_STORAGE) until the broker restarts and re-reads the log.
 */
export class OffsetStore {
  readonly #dir: string;
  readonly #options: OffsetStoreOptions;
  readonly #groups = new Map<string, StoredGroup>();
  #file: FileHandle | null = null;
  #fileBytes = 0;
  #snapshotBytes = 0;
  #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;
  #failure: LoglaneError | null = null;
  #closed = false;
  #stats = { flushes: 0, records: 0, compactions: 0 };

  private constructor(dir: string, options: OffsetStoreOptions) {
    this.#dir = dir;
    this.#options = options;
  }

  static async open(dir: string, options: OffsetStoreOptions): Promise<OffsetStore> {
    const store = new OffsetStore(dir, options);
    await store.#load();
    return store;
  }

  get path(): string {
    return join(this.#dir, OFFSET_LOG_FILE);
  }

  groups(): ReadonlyMap<string, StoredGroup> {
    return this.#groups;
  }

  group(groupId: string): StoredGroup | undefined {
    return this.#groups.get(groupId);
  }

  stats(): OffsetStoreStats {
    return { fileBytes: this.#fileBytes, ...this.#stats };
  }

  commit(groupId: string, offsets: OffsetToStore[], timestampMs: number): Promise<void> {
    const o = offsets.map((e): CommitEntry => [e.topic, e.partition, e.offset, e.leaderEpoch, e.metadata]);
    return this.#append({ t: 'c', g: groupId, ts: timestampMs, o });
  }

  deleteOffsets(groupId: string, partitions: TopicPartition[]): Promise<void> {
    return this.#append({ t: 'x', g: groupId, p: partitions.map((p): [string, number] => [p.topic, p.partition]) });
  }

  /** Writes a group record (format version 2: with its membership). */
  saveGroup(groupId: string, metadata: GroupMetadataToStore): Promise<void> {
    return this.#append({
      t: 'g',
      g: groupId,
      pt: metadata.protocolType,
      gen: metadata.generationId,
      es: metadata.emptySinceMs,
      v: 2,
      pn: metadata.protocolName,
      l: metadata.leaderId,
      m: metadata.members.map(encodeMember),
    });
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.#append({ t: 'd', g: groupId });
  }

  /** Rewrites the log as a snapshot now (after pending writes). */
  compact(): Promise<void> {
    return this.#enqueueAction(() => this.#compact());
  }

  /** Waits for pending writes, then closes the file. Later writes fail. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#flushing !== null) await this.#flushing;
    await this.#file?.close();
    this.#file = null;
  }

  #append(record: OffsetLogRecord): Promise<void> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(storageError('the group offset store is closed', this.path));
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#queue.push({ frame: encodeFrame(record), record, resolve, reject });
    this.#flushing ??= this.#flushLoop();
    return promise;
  }

  async #enqueueAction(action: () => Promise<void>): Promise<void> {
    while (this.#flushing !== null) await this.#flushing;
    if (this.#failure !== null) throw this.#failure;
    if (this.#closed) throw storageError('the group offset store is closed', this.path);
    const run = action();
    this.#flushing = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      await run;
    } finally {
      this.#flushing = null;
      if (this.#queue.length > 0) this.#flushing = this.#flushLoop();
    }
  }

  async #flushLoop(): Promise<void> {
    // Yield once so that every write issued in the same tick joins the first batch, and so
    // that #flushing is assigned before this loop can clear it.
    await undefined;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        try {
          if (this.#failure !== null) throw this.#failure;
          const bytes = batch.length === 1 ? batch[0]!.frame : Buffer.concat(batch.map((p) => p.frame));
          await writeFully(this.#file!, bytes);
          await this.#file!.datasync();
          this.#fileBytes += bytes.length;
          this.#stats.flushes++;
          this.#stats.records += batch.length;
        } catch (cause) {
          this.#failure ??= storageError('could not write the group offset log', this.path, cause);
          for (const p of [...batch, ...this.#queue.splice(0)]) p.reject(this.#failure);
          continue;
        }
        for (const p of batch) {
          this.#apply(p.record);
          p.resolve();
        }
        if (this.#fileBytes > this.#options.compactBytes && this.#fileBytes > 4 * this.#snapshotBytes) {
          try {
            await this.#compact();
          } catch (cause) {
            this.#failure ??= storageError('could not compact the group offset log', this.path, cause);
          }
        }
      }
    } finally {
      this.#flushing = null;
    }
  }

  #apply(record: OffsetLogRecord): void {
    switch (record.t) {
      case 'c': {
        const group = this.#groupOrCreate(record.g);
        for (const [topic, partition, offset, leaderEpoch, metadata] of record.o) {
          setOffset(group, topic, partition, { offset, leaderEpoch, metadata, commitTimestampMs: record.ts });
        }
        break;
      }
      case 'g':
        setGroupFields(this.#groupOrCreate(record.g), record);
        break;
      case 'x': {
        const group = this.#groups.get(record.g);
        if (group === undefined) break;
        for (const [topic, partition] of record.p) {
          const partitions = group.offsets.get(topic);
          partitions?.delete(partition);
          if (partitions?.size === 0) group.offsets.delete(topic);
        }
        break;
      }
      case 'd':
        this.#groups.delete(record.g);
        break;
      case 's': {
        const group = newStoredGroup();
        setGroupFields(group, record);
        for (const [topic, partition, offset, leaderEpoch, metadata, ts] of record.o) {
          setOffset(group, topic, partition, { offset, leaderEpoch, metadata, commitTimestampMs: ts });
        }
        this.#groups.set(record.g, group);
        break;
      }
    }
  }

  #groupOrCreate(groupId: string): StoredGroup {
    let group = this.#groups.get(groupId);
    if (group === undefined) {
      group = newStoredGroup();
      this.#groups.set(groupId, group);
    }
    return group;
  }

  async #load(): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    await rm(join(this.#dir, SNAPSHOT_TMP_FILE), { force: true });
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw storageError('could not read the group offset log', this.path, error);
      }
      bytes = Buffer.alloc(0);
    }
    let decoded: ReturnType<typeof decodeLog>;
    try {
      decoded = decodeLog(bytes);
    } catch (cause) {
      throw corruptError(this.path, -1, cause);
    }
    if (decoded.validFrameAfterDamage) throw corruptError(this.path, decoded.validBytes);
    for (const record of decoded.records) this.#apply(record);
    if (decoded.validBytes < bytes.length) {
      // A torn tail: the frames after the last fsync were never acknowledged.
      await truncate(this.path, decoded.validBytes);
    }
    this.#file = await open(this.path, 'a');
    await this.#file.sync();
    await syncDirectory(this.#dir);
    this.#fileBytes = decoded.validBytes;
  }

  async #compact(): Promise<void> {
    const frames: Buffer[] = [];
    for (const [groupId, group] of this.#groups) {
      const o: SnapshotEntry[] = [];
      for (const [topic, partitions] of group.offsets) {
        for (const [partition, s] of partitions) {
          o.push([topic, partition, s.offset, s.leaderEpoch, s.metadata, s.commitTimestampMs]);
        }
      }
      frames.push(encodeFrame({ t: 's', g: groupId, ...groupFields(group), o }));
    }
    const snapshot = Buffer.concat(frames);
    const tmpPath = join(this.#dir, SNAPSHOT_TMP_FILE);
    const tmp = await open(tmpPath, 'w');
    try {
      await writeFully(tmp, snapshot);
      await tmp.datasync();
    } finally {
      await tmp.close();
    }
    await rename(tmpPath, this.path);
    await syncDirectory(this.#dir);
    const old = this.#file;
    this.#file = await open(this.path, 'a');
    await old?.close();
    this.#fileBytes = snapshot.length;
    this.#snapshotBytes = snapshot.length;
    this.#stats.compactions++;
  }
}

function newStoredGroup(): StoredGroup {
  return { protocolType: null, generationId: 0, emptySinceMs: null, protocolName: null, leaderId: null, members: null, offsets: new Map() };
}

function setGroupFields(group: StoredGroup, fields: GroupFields): void {
  group.protocolType = fields.pt;
  group.generationId = fields.gen;
  group.emptySinceMs = fields.es;
  if (fields.v === 2) {
    group.protocolName = fields.pn;
    group.leaderId = fields.l;
    group.members = fields.m.map(decodeMember);
  } else {
    group.protocolName = null;
    group.leaderId = null;
    group.members = null;
  }
}

/** A group as a snapshot holds it: version 2 if its membership is known, else version 1 as it was read. */
function groupFields(group: StoredGroup): GroupFields {
  const base = { pt: group.protocolType, gen: group.generationId, es: group.emptySinceMs };
  if (group.members === null) return base;
  return { ...base, v: 2, pn: group.protocolName, l: group.leaderId, m: group.members.map(encodeMember) };
}

function encodeMember(m: StoredMember): MemberEntry {
  return [
    m.memberId,
    m.groupInstanceId,
    m.clientId,
    m.clientHost,
    m.sessionTimeoutMs,
    m.rebalanceTimeoutMs,
    m.protocols.map((p): [string, string] => [p.name, p.metadata.toString('base64')]),
    m.assignment.toString('base64'),
  ];
}

function decodeMember(entry: MemberEntry): StoredMember {
  const [memberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocols, assignment] = entry;
  return {
    memberId,
    groupInstanceId,
    clientId,
    clientHost,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    protocols: protocols.map(([name, metadata]) => ({ name, metadata: Buffer.from(metadata, 'base64') })),
    assignment: Buffer.from(assignment, 'base64'),
  };
}

function setOffset(group: StoredGroup, topic: string, partition: number, offset: StoredOffset): void {
  let partitions = group.offsets.get(topic);
  if (partitions === undefined) {
    partitions = new Map();
    group.offsets.set(topic, partitions);
  }
  partitions.set(partition, offset);
}

async function writeFully(file: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written, null);
    written += bytesWritten;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function storageError(message: string, file: string, cause?: unknown): LoglaneError {
  return new LoglaneError('LOGLANE_ERR_BROKER_STORAGE', `${message} (${file})`, {
    retriable: true,
    cause,
    context: { file },
  });
}

function corruptError(file: string, position: number, cause?: unknown): LoglaneError {
  return new LoglaneError(
    'LOGLANE_ERR_BROKER_STORAGE',
    `the group offset log ${file} is damaged at byte ${position} and valid records follow the damage, ` +
      'so this is not a torn write; restore the file from a backup or move it away to start without committed offsets',
    { retriable: false, cause, context: { file, position } },
  );
}
