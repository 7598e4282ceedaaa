/**
 * Formatting instants with Joda-Time patterns, in UTC, as `%{+yyyy.MM.dd}` does in
 * Logstash index names. Supported letters: G C Y y x w e E D M d a K h H k m s S z Z.
 * Joda meanings, not java.time ones: `Y` is year of era, `x` the ISO week-based year.
 */
import { type JodaToken, MONTHS, tokenizeJoda, WEEKDAYS } from './joda-pattern.ts';

export type Formatter = (ms: number) => string;

const FORMAT_LETTERS = 'GCYyxweEDMdaKhHkmsSzZ';
const DAY_MS = 86_400_000;

const cache = new Map<string, Formatter>();

/** Compiles a pattern (throws JodaPatternError); compiled formatters are cached. */
export function compileJodaFormatter(pattern: string): Formatter {
  let formatter = cache.get(pattern);
  if (formatter === undefined) {
    const parts = tokenizeJoda(pattern, FORMAT_LETTERS).map(part);
    formatter = (ms) => {
      const d = new Date(ms);
      let out = '';
      for (const p of parts) out += p(d, ms);
      return out;
    };
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, formatter);
  }
  return formatter;
}

type Part = (d: Date, ms: number) => string;

function pad(value: number, width: number): string {
  const text = String(Math.abs(value));
  const padded = text.length >= width ? text : '0'.repeat(width - text.length) + text;
  return value < 0 ? `-${padded}` : padded;
}

function year(value: number, count: number): string {
  return count === 2 ? pad(((value % 100) + 100) % 100, 2) : pad(value, count);
}

/** ISO 8601 week-based year and week of a UTC instant. */
function isoWeek(d: Date): { weekyear: number; week: number } {
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + (3 - day) * DAY_MS;
  const weekyear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(weekyear, 0, 1)) / (7 * DAY_MS));
  return { weekyear, week };
}

function part(token: JodaToken): Part {
  if (token.kind === 'literal') {
    const text = token.text;
    return () => text;
  }
  const n = token.count;
  switch (token.letter) {
    case 'G':
      return (d) => (d.getUTCFullYear() > 0 ? 'AD' : 'BC');
    case 'C':
      return (d) => pad(Math.floor(d.getUTCFullYear() / 100), n);
    case 'Y':
    case 'y':
      return (d) => year(d.getUTCFullYear(), n);
    case 'x':
      return (d) => year(isoWeek(d).weekyear, n);
    case 'w':
      return (d) => pad(isoWeek(d).week, n);
    case 'e':
      return (d) => pad(((d.getUTCDay() + 6) % 7) + 1, n);
    case 'E':
      return (d) => {
        const name = WEEKDAYS[(d.getUTCDay() + 6) % 7]!;
        return n >= 4 ? name : name.slice(0, 3);
      };
    case 'D':
      return (d) => pad(Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1, n);
    case 'M':
      if (n >= 4) return (d) => MONTHS[d.getUTCMonth()]!;
      if (n === 3) return (d) => MONTHS[d.getUTCMonth()]!.slice(0, 3);
      return (d) => pad(d.getUTCMonth() + 1, n);
    case 'd':
      return (d) => pad(d.getUTCDate(), n);
    case 'a':
      return (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM');
    case 'K':
      return (d) => pad(d.getUTCHours() % 12, n);
    case 'h':
      return (d) => pad(d.getUTCHours() % 12 || 12, n);
    case 'H':
      return (d) => pad(d.getUTCHours(), n);
    case 'k':
      return (d) => pad(d.getUTCHours() || 24, n);
    case 'm':
      return (d) => pad(d.getUTCMinutes(), n);
    case 's':
      return (d) => pad(d.getUTCSeconds(), n);
    case 'S':
      return (d) => pad(d.getUTCMilliseconds(), 3).padEnd(n, '0').slice(0, n);
    case 'z':
      return () => 'UTC';
    default: // 'Z'
      if (n === 1) return () => '+0000';
      if (n === 2) return () => '+00:00';
      return () => 'UTC';
  }
}
