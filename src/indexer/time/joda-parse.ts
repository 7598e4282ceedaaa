/**
 * Reading date-times with Joda-Time patterns (`dd/MMM/yyyy:HH:mm:ss Z`,
 * `MMM  d HH:mm:ss`, `yyyy-MM-dd HH:mm:ss,SSS`), English month and day names, as the
 * Logstash date filter does. A pattern is compiled once into one anchored regex.
 *
 * Like Joda: numbers take 1..max digits unless the next field is also a number (then
 * exactly as many digits as letters, for `yyyyMMdd`); `yy` reads a two-digit year in the
 * century around now; text is matched case-insensitively; the whole input must match.
 * Like Logstash: a pattern without a year takes the current year, except that a December
 * date read in January belongs to the previous year and a January date read in December
 * to the next one.
 */
import { daysInMonth, parseOffsetMs, utcMillis } from '../timestamp.ts';
import { type JodaToken, MONTHS, tokenizeJoda, WEEKDAYS } from './joda-pattern.ts';
import { resolveZone, type Zone } from './zone.ts';

export type Parser = (text: string, zone: Zone, now: number) => number;

const PARSE_LETTERS = 'GCYyDMdaKhHkmsSzZEe';
const NUMERIC_MAX: Record<string, number> = { C: 2, Y: 9, y: 9, D: 3, M: 2, d: 2, K: 2, h: 2, H: 2, k: 2, m: 2, s: 2, S: 9, e: 1 };

/** Abbreviations Joda-based parsers are commonly fed; anything else fails to parse. */
const ZONE_ABBREVIATIONS: Record<string, number> = {
  UTC: 0, UT: 0, GMT: 0, Z: 0, EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7, CET: 1, CEST: 2, EET: 2, EEST: 3, WET: 0, WEST: 1,
};

interface Slots {
  year?: number;
  twoDigitYear?: boolean;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  halfDayHour?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  millis?: number;
  offsetMs?: number;
  zone?: Zone;
}

type Assign = (slots: Slots, text: string) => boolean;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const monthIndex = new Map<string, number>();
MONTHS.forEach((name, i) => {
  monthIndex.set(name.toLowerCase(), i + 1);
  monthIndex.set(name.slice(0, 3).toLowerCase(), i + 1);
});
monthIndex.set('sept', 9);
const MONTH_ALTERNATION = [...monthIndex.keys()].sort((a, b) => b.length - a.length).join('|');
const WEEKDAY_ALTERNATION = WEEKDAYS.flatMap((d) => [d, d.slice(0, 3)]).join('|');
const zoneCache = new Map<string, Zone | undefined>();

/** Compiles a pattern; throws JodaPatternError. */
export function compileJodaParser(pattern: string): Parser {
  const tokens = tokenizeJoda(pattern, PARSE_LETTERS);
  let source = '^';
  const assigns: Assign[] = [];
  tokens.forEach((token, index) => {
    if (token.kind === 'literal') {
      source += escapeRegex(token.text);
      return;
    }
    const next = tokens[index + 1];
    const adjacentNumber = next !== undefined && isNumeric(next);
    const { regex, assign } = fieldRule(token, adjacentNumber);
    source += `(${regex})`;
    assigns.push(assign);
  });
  const regex = new RegExp(`${source}$`, 'i');
  return (text, zone, now) => {
    const m = regex.exec(text);
    if (m === null) return Number.NaN;
    const slots: Slots = {};
    for (let i = 0; i < assigns.length; i++) if (!assigns[i]!(slots, m[i + 1]!)) return Number.NaN;
    return resolve(slots, zone, now);
  };
}

function isNumeric(token: JodaToken): boolean {
  return token.kind === 'field' && token.letter in NUMERIC_MAX && !(token.letter === 'M' && token.count >= 3);
}

function fieldRule(token: JodaToken & { kind: 'field' }, adjacentNumber: boolean): { regex: string; assign: Assign } {
  const n = token.count;
  const digits = () => (adjacentNumber ? `\\d{${n}}` : `\\d{1,${Math.max(n, NUMERIC_MAX[token.letter]!)}}`);
  const number = (set: (s: Slots, v: number) => void): Assign => ranged(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, set);
  switch (token.letter) {
    case 'G':
      return { regex: 'AD|BC|CE|BCE', assign: () => true };
    case 'C':
      return { regex: digits(), assign: () => true };
    case 'Y':
    case 'y':
      if (n === 2) {
        return {
          regex: adjacentNumber ? '\\d{2}' : '[+-]?\\d{1,9}',
          assign: (s, t) => {
            s.year = Number(t);
            s.twoDigitYear = t.length === 2;
            return true;
          },
        };
      }
      return { regex: adjacentNumber ? `\\d{${n}}` : '[+-]?\\d{1,9}', assign: number((s, v) => (s.year = v)) };
    case 'D':
      return { regex: digits(), assign: number((s, v) => (s.dayOfYear = v)) };
    case 'M':
      if (n >= 3) return { regex: MONTH_ALTERNATION, assign: text((s, t) => (s.month = monthIndex.get(t.toLowerCase()))) };
      return { regex: digits(), assign: number((s, v) => (s.month = v)) };
    case 'd':
      return { regex: digits(), assign: number((s, v) => (s.day = v)) };
    case 'a':
      return { regex: 'AM|PM', assign: text((s, t) => (s.pm = t.toUpperCase() === 'PM')) };
    case 'K':
      return { regex: digits(), assign: ranged(0, 11, (s, v) => (s.halfDayHour = v)) };
    case 'h':
      return { regex: digits(), assign: ranged(1, 12, (s, v) => (s.halfDayHour = v % 12)) };
    case 'H':
      return { regex: digits(), assign: number((s, v) => (s.hour = v)) };
    case 'k':
      return { regex: digits(), assign: ranged(1, 24, (s, v) => (s.hour = v % 24)) };
    case 'm':
      return { regex: digits(), assign: number((s, v) => (s.minute = v)) };
    case 's':
      return { regex: digits(), assign: number((s, v) => (s.second = v)) };
    case 'S':
      return { regex: digits(), assign: text((s, t) => (s.millis = Number(t.padEnd(3, '0').slice(0, 3)))) };
    case 'E':
      return { regex: WEEKDAY_ALTERNATION, assign: () => true };
    case 'e':
      return { regex: '[1-7]', assign: () => true };
    case 'z':
      return {
        regex: '[A-Za-z]{1,5}',
        assign: (s, t) => {
          const hours = ZONE_ABBREVIATIONS[t.toUpperCase()];
          if (hours === undefined) return false;
          s.offsetMs = hours * 3_600_000;
          return true;
        },
      };
    default: // Z
      if (n >= 3) {
        return {
          regex: '[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*',
          assign: (s, t) => {
            if (!zoneCache.has(t)) zoneCache.set(t, resolveZone(t));
            const zone = zoneCache.get(t);
            if (zone === undefined) return false;
            s.zone = zone;
            return true;
          },
        };
      }
      return {
        regex: 'Z|[+-]\\d{2}(?::?\\d{2})?',
        assign: (s, t) => {
          s.offsetMs = t === 'Z' || t === 'z' ? 0 : parseOffsetMs(t);
          return !Number.isNaN(s.offsetMs);
        },
      };
  }
}

/** An assignment from the matched text that always succeeds. */
function text(set: (s: Slots, t: string) => void): Assign {
  return (s, t) => {
    set(s, t);
    return true;
  };
}

/** A numeric assignment that fails outside [min, max]. */
function ranged(min: number, max: number, set: (s: Slots, v: number) => void): Assign {
  return (s, t) => {
    const v = Number(t);
    if (v < min || v > max) return false;
    set(s, v);
    return true;
  };
}

function resolve(s: Slots, zone: Zone, now: number): number {
  let year = s.year;
  if (year !== undefined && s.twoDigitYear) {
    const pivot = new Date(now).getUTCFullYear();
    year += Math.floor((pivot - 50) / 100) * 100;
    if (year < pivot - 50) year += 100;
  }
  let month = s.month ?? 1;
  let day = s.day ?? 1;
  if (year === undefined) {
    const nowLocal = new Date(now + zone.offsetForLocal(now));
    year = nowLocal.getUTCFullYear();
    const nowMonth = nowLocal.getUTCMonth() + 1;
    if (month === 12 && nowMonth === 1) year--;
    else if (month === 1 && nowMonth === 12) year++;
  }
  if (s.dayOfYear !== undefined && s.month === undefined) {
    const date = new Date(Date.UTC(year, 0, s.dayOfYear));
    if (date.getUTCFullYear() !== year) return Number.NaN;
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  }
  let hour = s.hour ?? 0;
  if (s.halfDayHour !== undefined) hour = s.halfDayHour + (s.pm ? 12 : 0);
  else if (s.pm !== undefined && s.hour !== undefined && s.hour < 12 && s.pm) hour += 12;
  const minute = s.minute ?? 0;
  const second = s.second ?? 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const local = utcMillis(year, month, day, hour, minute, second, s.millis ?? 0);
  if (s.offsetMs !== undefined) return local - s.offsetMs;
  return local - (s.zone ?? zone).offsetForLocal(local);
}
