/**
 * `date`: reads a date from a field and stores it in `target` (default `@timestamp`) as
 * an ISO 8601 UTC string with milliseconds. `match: [field, format, format…]`; the first
 * format that reads the value wins. Formats:
 * * `ISO8601` — `2024-05-01T12:00:00.123Z`, `2024-05-01 12:00:00,123`, offsets, no zone;
 * * `UNIX` — epoch seconds (fractions allowed); `UNIX_MS` — epoch milliseconds;
 * * `TAI64N` — `@4000000065f1…` (daemontools, s6);
 * * any Joda-Time pattern, e.g. `dd/MMM/yyyy:HH:mm:ss Z`, `MMM  d HH:mm:ss`.
 * `timezone` applies to values without an offset (IANA name or `+02:00`; default: the
 * process's zone, as Logstash uses the JVM's). `locale` may only be English (`en`,
 * `en-US`…): month and day names are English. A value no format reads tags
 * `_dateparsefailure`.
 */
import { z } from 'zod';
import { formatTimestamp, parseIso8601 } from '../timestamp.ts';
import { JodaPatternError } from '../time/joda-pattern.ts';
import { compileJodaParser } from '../time/joda-parse.ts';
import { resolveZone, type Zone } from '../time/zone.ts';
import { parseFieldRef } from '../field-ref.ts';
import { defineFilter } from './filter.ts';
import { failureTags, fieldRef, OptionError } from './options.ts';

type Reader = (value: unknown, zone: Zone, now: number) => number;

const TAI64_EPOCH = 2n ** 62n + 10n;

export const dateFilter = defineFilter(
  'date',
  {
    match: z.array(z.string()).min(2, 'a field followed by at least one format, e.g. [logdate, "dd/MMM/yyyy:HH:mm:ss Z"]'),
    target: fieldRef().default('@timestamp'),
    timezone: z.string().optional(),
    locale: z
      .string()
      .regex(/^en(?:[-_][A-Za-z]{2})?$/i, 'an English locale (en, en-US, en_GB…): month and day names are read in English')
      .optional(),
    tag_on_failure: failureTags('_dateparsefailure'),
  },
  (options, context) => {
    const [field, ...formats] = options.match;
    let source: ReturnType<typeof parseFieldRef>;
    try {
      source = parseFieldRef(field!);
    } catch (error) {
      throw new OptionError(['match', 0], `a field reference (${(error as Error).message})`);
    }
    const zone = resolveZone(options.timezone ?? 'local');
    if (zone === undefined) throw new OptionError(['timezone'], `a time zone (an IANA name like Europe/Paris, or an offset like +02:00), not ${JSON.stringify(options.timezone)}`);
    const readers = formats.map((format, i) => reader(format, i + 1));
    // Consecutive log lines often carry the same time text (second precision): the last
    // text read is remembered with its result (for a second, as year-less formats use now).
    let lastValue: unknown;
    let lastMs = Number.NaN;
    let lastNow = Number.NaN;
    const target = parseFieldRef(options.target);
    const tags = options.tag_on_failure;
    return (event) => {
      let value = event.get(source);
      if (Array.isArray(value)) value = value[0];
      if (value === undefined || value === null) {
        for (const tag of tags) event.tag(tag);
        return false;
      }
      const now = context.now();
      if (value === lastValue && typeof value === 'string' && now - lastNow < 1000 && now >= lastNow) {
        event.set(target, formatTimestamp(lastMs));
        return true;
      }
      for (const read of readers) {
        const ms = read(value, zone, now);
        if (!Number.isNaN(ms)) {
          lastValue = value;
          lastMs = ms;
          lastNow = now;
          event.set(target, formatTimestamp(ms));
          return true;
        }
      }
      for (const tag of tags) event.tag(tag);
      return false;
    };
  },
);

function reader(format: string, index: number): Reader {
  switch (format) {
    case 'ISO8601':
      return (value, zone) => (typeof value === 'string' ? parseIso8601(value.trim(), (local) => zone.offsetForLocal(local)) : Number.NaN);
    case 'UNIX':
      return (value) => epoch(value, 1000);
    case 'UNIX_MS':
      return (value) => epoch(value, 1);
    case 'TAI64N':
      return (value) => tai64n(value);
    default:
      try {
        const parse = compileJodaParser(format);
        return (value, zone, now) => (typeof value === 'string' || typeof value === 'number' ? parse(String(value), zone, now) : Number.NaN);
      } catch (error) {
        if (error instanceof JodaPatternError) throw new OptionError(['match', index], `a valid date format: ${error.message}`, error.column);
        throw error;
      }
  }
}

/** Epoch seconds or milliseconds, from a number or its text (decimals read exactly). */
function epoch(value: unknown, unitMs: number): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value * unitMs) : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  const m = /^\s*(-?)(\d+)(?:\.(\d+))?\s*$/.exec(value);
  if (m === null) return Number.NaN;
  const sign = m[1] === '-' ? -1 : 1;
  const whole = Number(m[2]);
  if (unitMs === 1) return Math.trunc(sign * Number(`${m[2]}.${m[3] ?? '0'}`));
  const millis = m[3] === undefined ? 0 : Number(m[3].padEnd(3, '0').slice(0, 3));
  return sign * (whole * 1000 + millis);
}

function tai64n(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const m = /^@?([0-9a-fA-F]{16})([0-9a-fA-F]{8})$/.exec(value.trim());
  if (m === null) return Number.NaN;
  const seconds = BigInt(`0x${m[1]}`) - TAI64_EPOCH;
  const nanos = Number.parseInt(m[2]!, 16);
  return Number(seconds) * 1000 + Math.floor(nanos / 1_000_000);
}
