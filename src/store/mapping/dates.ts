/**
 * Date parsing for `date` fields: Elasticsearch's built-in format names that log data
 * uses and Java-style patterns (`yyyy-MM-dd HH:mm:ss`, `||` alternatives). Values become
 * epoch milliseconds (UTC unless the value carries an offset).
 */

export type DateParser = (value: string | number) => number | null;

const ISO =
  /^([+-]?\d{4,9})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const ISO_LENIENT =
  /^([+-]?\d{1,9})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;

function fromParts(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined, zone: string | undefined): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 24 || mi > 59 || s > 60) return null;
  if (h === 24 && (mi !== 0 || s !== 0)) return null;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000 + 1e-6) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC maps years 0-99 to 1900-1999; correct it.
  if (y >= 0 && y < 100) t = new Date(t).setUTCFullYear(y);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 18 || om > 59) return null;
    t -= sign * (oh * 60 + om) * 60_000;
  }
  return Number.isFinite(t) ? t : null;
}

function daysIn(y: number, m: number): number {
  return [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** The number written by `count` digits at `at`, or -1 if one is not a digit. */
function digitsAt(value: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * `2024-05-01T12:00:00.000Z` and `2024-05-01T12:00:00Z` (what JavaScript, Go, most
 * loggers and Elasticsearch itself print) without the regular expression: most dates a
 * log store parses look like this. Undefined for any other shape (the caller goes on
 * with the general parser).
 */
function utcTimestamp(value: string): number | null | undefined {
  const n = value.length;
  if ((n !== 24 && n !== 20) || value[n - 1] !== 'Z') return undefined;
  if (value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':' || value[16] !== ':' || (n === 24 && value[19] !== '.')) return undefined;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  const ms = n === 24 ? digitsAt(value, 20, 3) : 0;
  if ((year | month | day | hour | minute | second | ms) < 0) return undefined;
  const t = fromParts(year, month, day, hour, minute, second, undefined, undefined);
  return t === null ? null : t + ms;
}

function isoParser(strict: boolean): DateParser {
  const re = strict ? ISO : ISO_LENIENT;
  return (value) => {
    if (typeof value !== 'string') return null;
    const fast = utcTimestamp(value);
    if (fast !== undefined) return fast;
    const m = re.exec(value);
    if (!m) return null;
    return fromParts(Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7], m[8]);
  };
}

const epochMillis: DateParser = (value) => {
  const n = typeof value === 'number' ? value : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? Math.trunc(n) : null;
};

const epochSecond: DateParser = (value) => {
  const n = typeof value === 'number' ? value : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? Math.trunc(n * 1000) : null;
};

const NAMED: Record<string, string> = {
  date: 'yyyy-MM-dd',
  strict_date: 'yyyy-MM-dd',
  basic_date: 'yyyyMMdd',
  basic_date_time: "yyyyMMdd'T'HHmmss.SSSZ",
  basic_date_time_no_millis: "yyyyMMdd'T'HHmmssZ",
  date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSZZ",
  strict_date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSZZ",
  date_time_no_millis: "yyyy-MM-dd'T'HH:mm:ssZZ",
  strict_date_time_no_millis: "yyyy-MM-dd'T'HH:mm:ssZZ",
  date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  strict_date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  strict_date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_hour_minute_second_fraction: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  strict_date_hour_minute_second_fraction: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  strict_date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  date_hour: "yyyy-MM-dd'T'HH",
  strict_date_hour: "yyyy-MM-dd'T'HH",
  year_month_day: 'yyyy-MM-dd',
  strict_year_month_day: 'yyyy-MM-dd',
  year_month: 'yyyy-MM',
  strict_year_month: 'yyyy-MM',
  year: 'yyyy',
  strict_year: 'yyyy',
};

/** A Java DateTimeFormatter-style pattern compiled to a regex (the common letters only). */
function patternParser(pattern: string): DateParser | null {
  let re = '';
  const groups: string[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) return null;
      re += escapeRe(pattern.slice(i + 1, end) || "'");
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      const n = j - i;
      i = j;
      switch (c) {
        case 'y':
        case 'u':
        case 'Y':
          re += n === 2 ? '(\\d{2})' : '([+-]?\\d{4})';
          groups.push(n === 2 ? 'yy' : 'y');
          break;
        case 'M':
          if (n >= 3) {
            re += '([A-Za-z]{3,9})';
            groups.push('Mon');
          } else {
            re += n === 1 ? '(\\d{1,2})' : '(\\d{2})';
            groups.push('M');
          }
          break;
        case 'd':
          re += n === 1 ? '(\\d{1,2})' : '(\\d{2})';
          groups.push('d');
          break;
        case 'H':
        case 'k':
          re += n === 1 ? '(\\d{1,2})' : '(\\d{2})';
          groups.push('H');
          break;
        case 'h':
          re += n === 1 ? '(\\d{1,2})' : '(\\d{2})';
          groups.push('h');
          break;
        case 'a':
          re += '([AaPp][Mm])';
          groups.push('a');
          break;
        case 'm':
          re += n === 1 ? '(\\d{1,2})' : '(\\d{2})';
          groups.push('m');
          break;
        case 's':
          re += n === 1 ? '(\\d{1,2})' : '(\\d{2})';
          groups.push('s');
          break;
        case 'S':
          re += `(\\d{1,${Math.max(n, 3) > 9 ? 9 : Math.max(n, 9)}})`;
          groups.push('S');
          break;
        case 'Z':
        case 'X':
        case 'x':
          // The zone is optional, as in Elasticsearch's default dynamic date formats ("yyyy/MM/dd Z" matches "2024/05/01").
          if (re.endsWith(' ')) re = `${re.slice(0, -1)}(?: (Z|[+-]\\d{2}(?::?\\d{2})?))?`;
          else re += '(Z|[+-]\\d{2}(?::?\\d{2})?)?';
          groups.push('Z');
          break;
        case 'E':
          re += '[A-Za-z]{3,9}';
          break;
        default:
          return null;
      }
      continue;
    }
    re += escapeRe(c);
    i++;
  }
  const compiled = new RegExp(`^${re}$`);
  return (value) => {
    if (typeof value !== 'string') return null;
    const m = compiled.exec(value);
    if (!m) return null;
    const p: Record<string, string> = {};
    groups.forEach((g, k) => {
      p[g] = m[k + 1]!;
    });
    let y = p.y !== undefined ? Number(p.y) : p.yy !== undefined ? 2000 + Number(p.yy) : 1970;
    if (p.yy !== undefined && y > new Date().getUTCFullYear() + 20) y -= 100;
    let mo = p.M !== undefined ? Number(p.M) : 1;
    if (p.Mon !== undefined) {
      mo = MONTHS.indexOf(p.Mon.slice(0, 3).toLowerCase()) + 1;
      if (mo === 0) return null;
    }
    let h = p.H !== undefined ? Number(p.H) : p.h !== undefined ? Number(p.h) % 12 : 0;
    if (p.a !== undefined && p.a.toLowerCase() === 'pm') h += 12;
    return fromParts(y, mo, p.d !== undefined ? Number(p.d) : 1, h, Number(p.m ?? 0), Number(p.s ?? 0), p.S, p.Z);
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function singleParser(format: string): DateParser | null {
  const name = format.trim();
  switch (name) {
    case 'strict_date_optional_time':
    case 'strict_date_optional_time_nanos':
    case 'iso8601':
      return isoParser(true);
    case 'date_optional_time':
      return isoParser(false);
    case 'epoch_millis':
      return epochMillis;
    case 'epoch_second':
      return epochSecond;
  }
  const named = NAMED[name];
  return patternParser(named ?? name);
}

const cache = new Map<string, DateParser>();

/** The parser of a `format` (`a||b||c`); throws on a format it does not understand. */
export function dateParser(format: string): DateParser {
  const cached = cache.get(format);
  if (cached) return cached;
  const parsers = format.split('||').map((f) => {
    const parser = singleParser(f);
    if (!parser) throw new Error(`Invalid format: [${f}]: unsupported pattern`);
    return parser;
  });
  const parser: DateParser =
    parsers.length === 1
      ? parsers[0]!
      : (value) => {
          for (const p of parsers) {
            const t = p(value);
            if (t !== null) return t;
          }
          return null;
        };
  cache.set(format, parser);
  return parser;
}

export const DEFAULT_DATE_FORMAT = 'strict_date_optional_time||epoch_millis';
export const DEFAULT_DYNAMIC_DATE_FORMATS = ['strict_date_optional_time', 'yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z'];

/** Formats epoch millis as Elasticsearch prints dates (`2024-05-01T12:00:00.000Z`). */
export function formatDate(millis: number): string {
  return new Date(millis).toISOString();
}
