/**
 * Idempotent producer state of one partition: for each producer id its epoch and the
 * last 5 batches it wrote (`max.in.flight.requests.per.connection <= 5` is the client's
 * side of the contract). Checks use only batch headers.
 *
 * `checkSequence` is a pure function of (entry, header) so the rules can be table-tested:
 * - producer id < 0: not idempotent, always appended;
 * - unknown producer id: accepted with any sequence (the state may have expired);
 * - older epoch: INVALID_PRODUCER_EPOCH (PRODUCER_FENCED for transactional batches);
 * - newer epoch: the sequence restarts and must be 0;
 * - same epoch: a batch equal to one of the cached 5 (first and last sequence) is a
 *   duplicate and is answered with the ORIGINAL offsets without writing; otherwise its
 *   first sequence must follow the last one written (wrapping after 2^31-1), else
 *   OUT_OF_ORDER_SEQUENCE_NUMBER.
 *
 * Durability: `snapshot()` is written at every segment roll and on close as
 * `<20-digit offset>.snapshot`; on open the newest valid snapshot at or below the log end
 * is loaded and the batch headers after it are replayed (partition-log-loader.ts).
 */
import { crc32c } from '@node-rs/crc32';
import { KafkaError } from '../protocol/error-codes.ts';
import { isTransactional, lastOffsetOf, type RecordBatchHeader } from './record-batch.ts';

export const MAX_CACHED_BATCHES = 5;
const INT32_MAX = 0x7fffffff;

export interface ProducerBatch {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
  lastOffset: number;
  /** MaxTimestamp as stored (the append time for LogAppendTime topics). */
  timestamp: number;
}

export interface ProducerEntry {
  producerId: number;
  epoch: number;
  /** Oldest first, at most MAX_CACHED_BATCHES. */
  batches: ProducerBatch[];
  /** When this producer last appended (ms); drives expiration. */
  lastSeenMs: number;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; batch: ProducerBatch }
  | { kind: 'reject'; errorCode: number; message: string };

const APPEND: SequenceCheck = { kind: 'append' };

/** Last sequence of a batch, wrapping to 0 after INT32_MAX as Kafka does. */
export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  return baseSequence > INT32_MAX - lastOffsetDelta ? baseSequence - (INT32_MAX - lastOffsetDelta) - 1 : baseSequence + lastOffsetDelta;
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

export function checkSequence(entry: ProducerEntry | undefined, header: RecordBatchHeader): SequenceCheck {
  if (header.producerId < 0 || entry === undefined) return APPEND;
  const pid = header.producerId;
  if (header.producerEpoch < entry.epoch) {
    return {
      kind: 'reject',
      errorCode: isTransactional(header) ? KafkaError.PRODUCER_FENCED : KafkaError.INVALID_PRODUCER_EPOCH,
      message: `producer ${pid} epoch ${header.producerEpoch} is older than the current epoch ${entry.epoch}`,
    };
  }
  if (header.producerEpoch > entry.epoch) {
    if (header.baseSequence === 0) return APPEND;
    return {
      kind: 'reject',
      errorCode: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
      message: `producer ${pid} new epoch ${header.producerEpoch} must start at sequence 0, got ${header.baseSequence}`,
    };
  }
  const lastSeq = lastSequenceOf(header.baseSequence, header.lastOffsetDelta);
  const duplicate = entry.batches.find((b) => b.firstSeq === header.baseSequence && b.lastSeq === lastSeq);
  if (duplicate !== undefined) return { kind: 'duplicate', batch: duplicate };
  const newest = entry.batches.at(-1);
  if (newest === undefined || inSequence(newest.lastSeq, header.baseSequence)) return APPEND;
  return {
    kind: 'reject',
    errorCode: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
    message: `producer ${pid} epoch ${entry.epoch}: sequence ${header.baseSequence} does not follow ${newest.lastSeq}`,
  };
}

/** Returns the entry after storing `header` (offsets already assigned); `entry` is not modified. */
export function applyBatch(entry: ProducerEntry | undefined, header: RecordBatchHeader, seenMs: number): ProducerEntry {
  const batch: ProducerBatch = {
    firstSeq: header.baseSequence,
    lastSeq: lastSequenceOf(header.baseSequence, header.lastOffsetDelta),
    baseOffset: header.baseOffset,
    lastOffset: lastOffsetOf(header),
    timestamp: header.maxTimestamp,
  };
  const sameEpoch = entry !== undefined && entry.epoch === header.producerEpoch;
  const batches = sameEpoch ? [...entry.batches.slice(-(MAX_CACHED_BATCHES - 1)), batch] : [batch];
  return {
    producerId: header.producerId,
    epoch: header.producerEpoch,
    batches,
    lastSeenMs: Math.max(seenMs, entry?.lastSeenMs ?? seenMs),
  };
}

/** Checks for one append call (possibly several batches) staged before anything is written. */
export class ProducerAppend {
  private readonly state: ProducerStateManager;
  private readonly staged = new Map<number, ProducerEntry>();

  constructor(state: ProducerStateManager) {
    this.state = state;
  }

  check(header: RecordBatchHeader): SequenceCheck {
    if (header.producerId < 0) return APPEND;
    return checkSequence(this.staged.get(header.producerId) ?? this.state.get(header.producerId), header);
  }

  /** Stages a batch that passed `check`; its header must carry the assigned offsets. */
  stage(header: RecordBatchHeader, seenMs: number): void {
    if (header.producerId < 0) return;
    const current = this.staged.get(header.producerId) ?? this.state.get(header.producerId);
    this.staged.set(header.producerId, applyBatch(current, header, seenMs));
  }

  commit(): void {
    for (const entry of this.staged.values()) this.state.put(entry);
  }
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();

  get size(): number {
    return this.producers.size;
  }

  get(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  put(entry: ProducerEntry): void {
    this.producers.set(entry.producerId, entry);
  }

  begin(): ProducerAppend {
    return new ProducerAppend(this);
  }

  /** Records a batch read back from the log (replay on open). */
  replay(header: RecordBatchHeader): void {
    if (header.producerId < 0) return;
    this.put(applyBatch(this.producers.get(header.producerId), header, header.maxTimestamp));
  }

  /** Forgets producers whose last batch lies wholly below the new log start offset. */
  truncateHead(logStartOffset: number): void {
    for (const [pid, entry] of this.producers) {
      if ((entry.batches.at(-1)?.lastOffset ?? -1) < logStartOffset) this.producers.delete(pid);
    }
  }

  /** Forgets producers idle for longer than `expirationMs`; returns how many. */
  expire(now: number, expirationMs: number): number {
    let removed = 0;
    for (const [pid, entry] of this.producers) {
      if (now - entry.lastSeenMs > expirationMs) {
        this.producers.delete(pid);
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    this.producers.clear();
  }

  /** `<crc32c hex>\n<json>`: the state after every batch below `offset`. */
  snapshot(offset: number): Buffer {
    const producers = [...this.producers.values()].map((e) => [
      e.producerId,
      e.epoch,
      e.lastSeenMs,
      e.batches.map((b) => [b.firstSeq, b.lastSeq, b.baseOffset, b.lastOffset, b.timestamp]),
    ]);
    const body = JSON.stringify({ version: 1, offset, producers });
    return Buffer.from(`${crc32c(body).toString(16).padStart(8, '0')}\n${body}`);
  }

  /** Replaces the state with a snapshot; returns its offset, or null (state untouched) if it is invalid. */
  restore(data: Buffer): number | null {
    const text = data.toString('utf8');
    const newline = text.indexOf('\n');
    if (newline !== 8) return null;
    const body = text.slice(9);
    if (Number.parseInt(text.slice(0, 8), 16) !== crc32c(body)) return null;
    let parsed: { version: number; offset: number; producers: [number, number, number, number[][]][] };
    try {
      parsed = JSON.parse(body);
    } catch {
      return null;
    }
    if (parsed.version !== 1 || !Number.isSafeInteger(parsed.offset)) return null;
    this.producers.clear();
    for (const [producerId, epoch, lastSeenMs, batches] of parsed.producers) {
      this.put({
        producerId,
        epoch,
        lastSeenMs,
        batches: batches.map(([firstSeq, lastSeq, baseOffset, lastOffset, timestamp]) => ({
          firstSeq: firstSeq!,
          lastSeq: lastSeq!,
          baseOffset: baseOffset!,
          lastOffset: lastOffset!,
          timestamp: timestamp!,
        })),
      });
    }
    return parsed.offset;
  }
}
