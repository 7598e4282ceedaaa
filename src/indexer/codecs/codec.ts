/**
 * What every codec shares: the Kafka record it decodes, the result (events and decode
 * failures, never an exception: the pipeline dead-letters failures and goes on), and the
 * Kafka metadata put under `[@metadata][kafka]` (Logstash's `decorate_events` layout).
 */
import { isUtf8 } from 'node:buffer';
import { Event, type Fields } from '../event.ts';

/** The Kafka record the caller consumed (the value is given separately). */
export interface KafkaRecordInfo {
  topic: string;
  partition: number;
  offset: bigint | number | string;
  key?: Uint8Array | string | null;
  /** Record timestamp: ms since the epoch (number, bigint or numeric string) or a Date. */
  timestamp?: bigint | number | string | Date | null;
  /** Headers as a map, an object or a list of pairs; values are read as UTF-8. */
  headers?: Map<string, Uint8Array | string | null> | Record<string, Uint8Array | string | null> | readonly (readonly [string, Uint8Array | string | null])[] | null;
  consumerGroup?: string;
}

export type DecodeFailureCode = 'no_value' | 'invalid_utf8' | 'invalid_json' | 'not_an_object';

export interface DecodeFailure {
  codec: string;
  code: DecodeFailureCode;
  /** A sentence saying what is wrong and where. */
  reason: string;
  /** 1-based line in the message (ndjson: the line of the message that failed). */
  line?: number;
  /** 1-based column (characters) in that line. */
  column?: number;
  /** 0-based byte offset of the problem in the message value, when known. */
  byteOffset?: number;
}

export interface DecodeResult {
  events: Event[];
  failures: DecodeFailure[];
}

export interface Codec {
  readonly name: string;
  /** Decodes one Kafka message value (null for a tombstone). Never throws for bad data. */
  decode(value: Uint8Array | string | null | undefined, record?: KafkaRecordInfo): DecodeResult;
}

const textDecoder = new TextDecoder('utf-8');

/** The value as text, without a leading byte order mark; Buffers decode fastest through their own toString. */
export function valueText(value: Uint8Array | string, fatal: boolean): string | DecodeFailure {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (fatal && !isUtf8(value)) {
    const byteOffset = firstInvalidUtf8(value);
    return { codec: '', code: 'invalid_utf8', reason: `the message is not valid UTF-8 (invalid byte 0x${value[byteOffset]?.toString(16).padStart(2, '0') ?? '??'} at byte ${byteOffset})`, byteOffset };
  } else text = Buffer.isBuffer(value) ? value.toString('utf8') : textDecoder.decode(value);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Byte offset of the first byte that breaks UTF-8 (only called on invalid input). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

export function noValueFailure(codec: string): DecodeFailure {
  return { codec, code: 'no_value', reason: 'the message has no value (a tombstone)' };
}

/** `[@metadata][kafka]` for a record: topic, partition, offset, key, timestamp, headers. */
export function kafkaMetadata(record: KafkaRecordInfo): Fields {
  const kafka: Fields = {
    topic: record.topic,
    partition: record.partition,
    offset: offsetValue(record.offset),
    key: record.key === undefined || record.key === null ? null : typeof record.key === 'string' ? record.key : Buffer.from(record.key.buffer, record.key.byteOffset, record.key.byteLength).toString('utf8'),
    timestamp: timestampValue(record.timestamp),
    headers: headersObject(record.headers),
  };
  if (record.consumerGroup !== undefined) kafka.consumer_group = record.consumerGroup;
  return kafka;
}

function offsetValue(offset: bigint | number | string): number | string {
  const n = typeof offset === 'number' ? offset : Number(offset);
  return Number.isSafeInteger(n) ? n : String(offset);
}

function timestampValue(ts: KafkaRecordInfo['timestamp']): number | null {
  if (ts === undefined || ts === null) return null;
  if (ts instanceof Date) return ts.getTime();
  const n = Number(ts);
  return Number.isFinite(n) ? n : null;
}

function headerText(value: Uint8Array | string | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
}

function headersObject(headers: KafkaRecordInfo['headers']): Fields {
  const out: Fields = {};
  if (headers === undefined || headers === null) return out;
  const entries = headers instanceof Map ? headers.entries() : Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [name, value] of entries as Iterable<[string, Uint8Array | string | null]>) out[name] = headerText(value);
  return out;
}

/** The metadata object for a decoded event (a fresh object per event). */
export function eventMetadata(record: KafkaRecordInfo | undefined, kafka: Fields | undefined): Fields {
  return record === undefined || kafka === undefined ? {} : { kafka: { ...kafka, headers: { ...(kafka.headers as Fields) } } };
}

/** What a JSON.parse error says, and where (V8 reports a character position for most errors). */
export function jsonErrorPosition(error: unknown, text: string): { reason: string; line?: number; column?: number } {
  const message = (error as Error).message ?? String(error);
  let position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined && /Unexpected end of JSON input/i.test(message)) position = String(text.length);
  let reason = message
    .replace(/\s*in JSON at position \d+.*$/, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/^Unexpected end of JSON input$/, 'unexpected end of input');
  reason = reason.charAt(0).toLowerCase() + reason.slice(1);
  if (position === undefined) return { reason };
  const offset = Number(position);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { reason, line, column: offset - lineStart + 1 };
}

export function newEvent(object: Fields, record: KafkaRecordInfo | undefined, kafka: Fields | undefined): Event {
  return Event.fromObject(object, { metadata: eventMetadata(record, kafka) });
}

/**
 * The only event of a record. Its `[@metadata][kafka]` is made from the record when a
 * filter first uses `@metadata` (the record must not change afterwards): most pipelines
 * never read it, and it was one object (plus headers) per event.
 */
export function onlyEvent(object: Fields, record: KafkaRecordInfo | undefined): Event {
  return Event.fromObject(object, { metadata: record === undefined ? {} : () => ({ kafka: kafkaMetadata(record) }) });
}

export function isPlainObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
