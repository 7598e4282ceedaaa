/**
 * `ndjson` codec: several JSON objects per Kafka message, one per line (`\n`, with an
 * optional `\r`). Blank lines are skipped. Each bad line is its own failure, with its line
 * number; the good lines still become events.
 */
import type { Event } from '../event.ts';
import { type Codec, type DecodeFailure, isPlainObject, jsonErrorPosition, kafkaMetadata, newEvent, noValueFailure, valueText } from './codec.ts';
import { describe } from './json.ts';

const NAME = 'ndjson';

export function createNdjsonCodec(): Codec {
  return {
    name: NAME,
    decode(value, record) {
      if (value === null || value === undefined) return { events: [], failures: [noValueFailure(NAME)] };
      const text = valueText(value, true);
      if (typeof text !== 'string') return { events: [], failures: [{ ...text, codec: NAME }] };
      const kafka = record === undefined ? undefined : kafkaMetadata(record);
      const events: Event[] = [];
      const failures: DecodeFailure[] = [];
      let start = 0;
      let lineNumber = 0;
      while (start <= text.length) {
        let end = text.indexOf('\n', start);
        if (end === -1) end = text.length;
        lineNumber++;
        let line = text.slice(start, end);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        start = end + 1;
        if (line.trim() === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch (error) {
          const where = jsonErrorPosition(error, line);
          const at = where.column === undefined ? '' : `, column ${where.column}`;
          failures.push({ codec: NAME, code: 'invalid_json', reason: `invalid JSON at line ${lineNumber}${at}: ${where.reason}`, line: lineNumber, column: where.column });
          continue;
        }
        if (isPlainObject(parsed)) events.push(newEvent(parsed, record, kafka));
        else failures.push({ codec: NAME, code: 'not_an_object', reason: `expected a JSON object at line ${lineNumber}, found ${describe(parsed)}`, line: lineNumber });
      }
      return { events, failures };
    },
  };
}
