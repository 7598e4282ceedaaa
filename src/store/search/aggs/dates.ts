/**
 * Dates for aggregations: time zones, parsing bounds and range ends (with date math such
 * as `now-1d/d` and `2024-05-01||+1M/M`), formatting keys (`key_as_string`) with
 * Elasticsearch format names or Java-style patterns, and the roundings behind
 * `date_histogram` (calendar units DST-correct in a time zone through luxon, fixed
 * intervals in local time, `offset`).
 */
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { DEFAULT_DATE_FORMAT, dateParser } from '../../mapping/dates.ts';

export const UTC: Zone = FixedOffsetZone.utcInstance;

/** A `time_zone` option: `UTC`, `Z`, `+01:00`, `-0800`, or an IANA name; undefined when unknown. */
export function parseZone(name: string): Zone | undefined {
  if (name === 'UTC' || name === 'Z' || name === 'GMT' || name === 'Etc/UTC') return UTC;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(name);
  if (m) {
    const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
    if (Math.abs(minutes) > 18 * 60) return undefined;
    return minutes === 0 ? UTC : FixedOffsetZone.instance(minutes);
  }
  const zone = IANAZone.create(name);
  return zone.isValid ? zone : undefined;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const LUXON_UNIT: Record<string, 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second'> = {
  y: 'year',
  M: 'month',
  w: 'week',
  d: 'day',
  h: 'hour',
  H: 'hour',
  m: 'minute',
  s: 'second',
};

/**
 * A date value as Elasticsearch reads one in an aggregation (range ends, bounds, missing):
 * epoch millis as a number, `now` math, or a string in `format` (default
 * `strict_date_optional_time||epoch_millis`) optionally followed by `||` and math.
 * Strings without an offset are read in `zone`. Returns null when it cannot be read.
 */
export function parseDateValue(value: unknown, now: number, format: string | undefined, zone: Zone = UTC, roundUp = false): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value !== 'string' || value === '') return null;
  let base: number | null;
  let math: string;
  if (value.startsWith('now')) {
    base = now;
    math = value.slice(3);
  } else {
    const split = value.indexOf('||');
    const text = split < 0 ? value : value.slice(0, split);
    math = split < 0 ? '' : value.slice(split + 2);
    base = parseText(text, format, zone);
  }
  if (base === null) return null;
  return math ? applyMath(base, math, zone, roundUp) : base;
}

function parseText(text: string, format: string | undefined, zone: Zone): number | null {
  let parser: (v: string) => number | null;
  try {
    parser = dateParser(format ?? DEFAULT_DATE_FORMAT);
  } catch {
    return null;
  }
  const t = parser(text);
  if (t === null) return null;
  // Parsers read zone-less text as UTC; move it to the requested zone.
  if (zone !== UTC && !/[T ]\d.*(Z|[+-]\d{2}(:?\d{2})?)$/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) {
    const local = DateTime.fromMillis(t, { zone: UTC });
    const shifted = DateTime.fromObject(
      { year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond },
      { zone },
    );
    return shifted.isValid ? shifted.toMillis() : t;
  }
  return t;
}

function applyMath(base: number, math: string, zone: Zone, roundUp: boolean): number | null {
  let t = DateTime.fromMillis(base, { zone });
  let rest = math;
  while (rest.length) {
    const m = /^([+-])(\d+)([yMwdhHms])|^\/([yMwdhHms])/.exec(rest);
    if (!m) return null;
    if (m[4]) {
      const unit = LUXON_UNIT[m[4]]!;
      t = roundUp ? t.endOf(unit) : t.startOf(unit);
    } else {
      const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
      const unit = m[3]!;
      if (unit === 'y' || unit === 'M') t = t.plus({ [unit === 'y' ? 'years' : 'months']: n });
      else t = DateTime.fromMillis(t.toMillis() + n * UNIT_MS[unit]!, { zone });
    }
    rest = rest.slice(m[0].length);
  }
  return t.toMillis();
}

/** Java DateTimeFormatter names and patterns → a function formatting epoch millis in a zone. */
export type DateFormatter = (millis: number, zone: Zone) => string;

const NAMED_PATTERNS: Record<string, string> = {
  date: 'yyyy-MM-dd',
  strict_date: 'yyyy-MM-dd',
  year_month_day: 'yyyy-MM-dd',
  strict_year_month_day: 'yyyy-MM-dd',
  basic_date: 'yyyyMMdd',
  year_month: 'yyyy-MM',
  strict_year_month: 'yyyy-MM',
  year: 'yyyy',
  strict_year: 'yyyy',
  date_hour: "yyyy-MM-dd'T'HH",
  strict_date_hour: "yyyy-MM-dd'T'HH",
  date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  strict_date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  strict_date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  strict_date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_hour_minute_second_fraction: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  strict_date_hour_minute_second_fraction: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  strict_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  date_time_no_millis: "yyyy-MM-dd'T'HH:mm:ssXXX",
  strict_date_time_no_millis: "yyyy-MM-dd'T'HH:mm:ssXXX",
  basic_date_time: "yyyyMMdd'T'HHmmss.SSSX",
  basic_date_time_no_millis: "yyyyMMdd'T'HHmmssX",
  hour_minute: 'HH:mm',
  strict_hour_minute: 'HH:mm',
  hour_minute_second: 'HH:mm:ss',
  strict_hour_minute_second: 'HH:mm:ss',
};

const formatters = new Map<string, DateFormatter>();

/** The formatter of a `format` option (the first of `a||b`); throws on a pattern letter it cannot print. */
export function dateFormatter(format: string | undefined): DateFormatter {
  const key = format ?? 'strict_date_optional_time';
  let f = formatters.get(key);
  if (f) return f;
  const first = key.split('||')[0]!.trim();
  switch (first) {
    case 'strict_date_optional_time':
    case 'date_optional_time':
    case 'strict_date_optional_time_nanos':
    case 'iso8601':
      f = isoFormatter;
      break;
    case 'epoch_millis':
      f = (millis) => String(millis);
      break;
    case 'epoch_second':
      f = (millis) => String(millis / 1000);
      break;
    default:
      f = patternFormatter(NAMED_PATTERNS[first] ?? first);
  }
  const inner = f;
  // Dates beyond what a calendar can print (a variance of dates, say) print as numbers instead of failing.
  f = (millis, zone) => (Number.isFinite(millis) && Math.abs(millis) <= 8.64e15 ? inner(millis, zone) : String(millis));
  formatters.set(key, f);
  return f;
}

const isoFormatter: DateFormatter = (millis, zone) => {
  if (zone === UTC) return new Date(millis).toISOString();
  const dt = DateTime.fromMillis(millis, { zone });
  return dt.offset === 0 ? `${dt.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS")}Z` : dt.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ");
};

/** Java pattern letters map onto luxon's (same letters for y M d H m s S E a; zones differ). */
function patternFormatter(pattern: string): DateFormatter {
  let out = '';
  let utcAsZ = false;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      out += `'${literal || "''"}'`;
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let j = i;
    while (pattern[j] === c) j++;
    const n = j - i;
    i = j;
    switch (c) {
      case 'y':
      case 'u':
      case 'Y':
        out += n === 2 ? 'yy' : 'yyyy';
        break;
      case 'M':
      case 'L':
        out += 'M'.repeat(Math.min(n, 4));
        break;
      case 'd':
        out += n === 1 ? 'd' : 'dd';
        break;
      case 'D':
        out += n === 1 ? 'o' : 'ooo';
        break;
      case 'H':
      case 'k':
        out += n === 1 ? 'H' : 'HH';
        break;
      case 'h':
      case 'K':
        out += n === 1 ? 'h' : 'hh';
        break;
      case 'm':
        out += n === 1 ? 'm' : 'mm';
        break;
      case 's':
        out += n === 1 ? 's' : 'ss';
        break;
      case 'S':
        out += 'S'.repeat(Math.min(n, 3));
        break;
      case 'a':
        out += 'a';
        break;
      case 'E':
        out += n >= 4 ? 'EEEE' : 'EEE';
        break;
      case 'w':
        out += n === 1 ? 'W' : 'WW';
        break;
      case 'Z':
        out += n === 4 ? 'ZZZZ' : n === 5 ? 'ZZ' : 'ZZZ';
        break;
      case 'X':
        utcAsZ = true;
        out += n === 1 ? 'ZZZ' : n === 2 ? 'ZZZ' : 'ZZ';
        break;
      case 'x':
        out += n <= 2 ? 'ZZZ' : 'ZZ';
        break;
      case 'z':
      case 'V':
        out += 'z';
        break;
      default:
        throw new Error(`Invalid format: [${pattern}]: unsupported pattern letter [${c}]`);
    }
  }
  return (millis, zone) => {
    const dt = DateTime.fromMillis(millis, { zone });
    if (utcAsZ && dt.offset === 0) return dt.toFormat(out.replace(/ZZZ|ZZ/g, "'Z'"));
    return dt.toFormat(out);
  };
}

/** A date_histogram rounding: `round` floors to a bucket key, `next` is the key after one. */
export interface Rounding {
  round(t: number): number;
  next(key: number): number;
  /** Set when keys are equally spaced: key = origin + k × fixedStep for an integer k. */
  readonly fixedStep: number | undefined;
  readonly origin: number;
  /** For a table of bucket starts: the index of the bucket holding `t` (-1 outside the table), and its key. */
  indexOf?(t: number): number;
  keyAt?(index: number): number;
}

export type CalendarUnit = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

/** Elasticsearch's DATE_FIELD_UNITS: the accepted calendar_interval values. */
export const CALENDAR_UNITS: Record<string, CalendarUnit> = {
  year: 'year',
  '1y': 'year',
  quarter: 'quarter',
  '1q': 'quarter',
  month: 'month',
  '1M': 'month',
  week: 'week',
  '1w': 'week',
  day: 'day',
  '1d': 'day',
  hour: 'hour',
  '1h': 'hour',
  minute: 'minute',
  '1m': 'minute',
  second: 'second',
  '1s': 'second',
};

const CALENDAR_FIXED_MS: Partial<Record<CalendarUnit, number>> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

export function calendarRounding(unit: CalendarUnit, zone: Zone, offset: number): Rounding {
  const step = CALENDAR_FIXED_MS[unit];
  if (zone.isUniversal && step !== undefined) {
    // A fixed-offset zone: calendar units up to a week are plain arithmetic (weeks start on Monday; 1970-01-01 was a Thursday).
    const zoneOffset = zone.offset(0) * 60_000;
    const shift = unit === 'week' ? 3 * 86_400_000 : 0;
    const base = offset - zoneOffset - shift;
    return {
      fixedStep: step,
      origin: base,
      round: (t) => Math.floor((t - base) / step) * step + base,
      next: (key) => key + step,
    };
  }
  const roundLocal = (t: number) => DateTime.fromMillis(t, { zone }).startOf(unit).toMillis();
  // Where the zone's offset does not change within the step, the next start is plain
  // arithmetic (one offset lookup instead of three luxon DateTimes).
  const plainStep = step;
  let knownAt = Number.NaN;
  let knownOffset = 0;
  const offsetAt = (t: number) => {
    if (t !== knownAt) {
      knownAt = t;
      knownOffset = zone.offset(t);
    }
    return knownOffset;
  };
  const nextLocal = (key: number) => {
    if (plainStep !== undefined) {
      const before = offsetAt(key);
      const candidate = key + plainStep;
      if (offsetAt(candidate) === before) return candidate;
    }
    const dt = DateTime.fromMillis(key, { zone });
    return dt.plus({ [`${unit}s`]: 1 }).startOf(unit).toMillis();
  };
  let lastStart = Number.NaN;
  let lastEnd = Number.NaN;
  return {
    fixedStep: undefined,
    origin: 0,
    round: (t) => {
      const x = t - offset;
      if (x >= lastStart && x < lastEnd) return lastStart + offset;
      lastStart = roundLocal(x);
      lastEnd = nextLocal(lastStart);
      return lastStart + offset;
    },
    next: (key) => nextLocal(key - offset) + offset,
  };
}

/**
 * A fixed interval. In UTC or a fixed offset it is arithmetic; in a zone with DST the
 * value is floored in local time and converted back (Elasticsearch's TimeIntervalRounding).
 */
export function fixedRounding(interval: number, zone: Zone, offset: number): Rounding {
  if (zone.isUniversal) {
    const zoneOffset = zone.offset(0) * 60_000;
    const base = offset - zoneOffset;
    return {
      fixedStep: interval,
      origin: base,
      round: (t) => Math.floor((t - base) / interval) * interval + base,
      next: (key) => key + interval,
    };
  }
  const offsetAt = (t: number) => zone.offset(t) * 60_000;
  const round = (t: number) => {
    const x = t - offset;
    const local = x + offsetAt(x);
    const flooredLocal = Math.floor(local / interval) * interval;
    let utc = flooredLocal - offsetAt(x);
    utc = flooredLocal - offsetAt(utc);
    if (utc > x) utc = flooredLocal - offsetAt(x);
    return utc + offset;
  };
  return {
    fixedStep: undefined,
    origin: 0,
    round,
    // The same local time one interval later, back in UTC (Elasticsearch's nextRoundingValue).
    next: (key) => {
      const x = key - offset;
      const local = x + offsetAt(x) + interval;
      let utc = local - offsetAt(x);
      utc = local - offsetAt(utc);
      return utc > x ? utc + offset : x + interval + offset;
    },
  };
}

/** `1h`, `90m`, `30s`, `500ms`, `2d` (no months or weeks: those are calendar units). Null when not a time value. */
export function parseTimeValue(text: string): number | null {
  const m = /^(-?\d+(?:\.\d+)?)\s*(nanos|micros|ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2]!;
  const factor = unit === 'nanos' ? 1e-6 : unit === 'micros' ? 1e-3 : unit === 'ms' ? 1 : UNIT_MS[unit]!;
  return n * factor;
}

/**
 * A rounding whose bucket starts between `min` and `max` are computed once (luxon is slow
 * per call, ~tens of µs in an IANA zone) and found by binary search, for data in any
 * order. Undefined when there would be more than `limit` buckets.
 */
export function precomputedRounding(rounding: Rounding, min: number, max: number, limit = 1 << 18): Rounding | undefined {
  const starts: number[] = [];
  let key = rounding.round(min);
  while (key <= max) {
    starts.push(key);
    if (starts.length > limit) return undefined;
    const next = rounding.next(key);
    if (!(next > key)) return undefined;
    key = next;
  }
  const table = Float64Array.from(starts);
  const last = table.length - 1;
  // Slots as long as the shortest bucket hold the bucket at their start: a lookup is one
  // division and at most one step forward, whatever the order of the data.
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < table.length; i++) shortest = Math.min(shortest, table[i]! - table[i - 1]!);
  const first = table[0]!;
  const slotCount = table.length > 1 ? Math.floor((max - first) / shortest) + 1 : 1;
  let slots: Int32Array | undefined;
  if (table.length > 1 && slotCount <= 4 * table.length + 1024) {
    slots = new Int32Array(slotCount);
    let b = 0;
    for (let k = 0; k < slotCount; k++) {
      const at = first + k * shortest;
      while (b < last && table[b + 1]! <= at) b++;
      slots[k] = b;
    }
  }
  let hint = 0;
  const indexOf = (t: number): number => {
    if (t < first || t > max) return -1;
    if (slots) {
      let i = slots[Math.floor((t - first) / shortest)]!;
      while (i < last && t >= table[i + 1]!) i++;
      return i;
    }
    // Time-ordered data stays in one bucket for a while.
    if (t >= table[hint]! && (hint === last || t < table[hint + 1]!)) return hint;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (table[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    hint = lo;
    return lo;
  };
  return {
    fixedStep: undefined,
    origin: 0,
    round: (t) => {
      const i = indexOf(t);
      return i < 0 ? rounding.round(t) : table[i]!;
    },
    next: (k) => rounding.next(k),
    indexOf,
    keyAt: (i) => table[i]!,
  };
}
