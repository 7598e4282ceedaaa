/**
 * `json` codec: one JSON object per Kafka message → one event. A top-level list of
 * objects gives one event per object (as Logstash's json codec does). Anything else —
 * invalid UTF-8, invalid JSON, a scalar, a list holding a non-object — is a decode
 * failure with its reason and position, and no event.
 */
import type { Event } from '../event.ts';
import { type Codec, type DecodeResult, isPlainObject, jsonErrorPosition, type KafkaRecordInfo, kafkaMetadata, newEvent, noValueFailure, onlyEvent, valueText } from './codec.ts';

const NAME = 'json';

export function createJsonCodec(): Codec {
  return {
    name: NAME,
    decode(value, record) {
      if (value === null || value === undefined) return { events: [], failures: [noValueFailure(NAME)] };
      const text = valueText(value, true);
      if (typeof text !== 'string') return { events: [], failures: [{ ...text, codec: NAME }] };
      return decodeJsonText(text, record);
    },
  };
}

export function decodeJsonText(text: string, record: KafkaRecordInfo | undefined): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const where = jsonErrorPosition(error, text);
    const at = where.line === undefined ? '' : ` at line ${where.line}, column ${where.column}`;
    return { events: [], failures: [{ codec: NAME, code: 'invalid_json', reason: `invalid JSON${at}: ${where.reason}`, line: where.line, column: where.column }] };
  }
  if (isPlainObject(parsed)) return { events: [onlyEvent(parsed, record)], failures: [] };
  if (Array.isArray(parsed)) {
    const bad = parsed.findIndex((item) => !isPlainObject(item));
    if (bad === -1) {
      const kafka = record === undefined ? undefined : kafkaMetadata(record);
      const events: Event[] = parsed.map((item) => newEvent(item, record, kafka));
      return { events, failures: [] };
    }
    return { events: [], failures: [{ codec: NAME, code: 'not_an_object', reason: `expected a JSON object or a list of objects, but list item ${bad} is ${describe(parsed[bad])}` }] };
  }
  return { events: [], failures: [{ codec: NAME, code: 'not_an_object', reason: `expected a JSON object, found ${describe(parsed)}` }] };
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
