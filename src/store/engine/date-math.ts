/**
 * Date math in index names: `<logs-{now/d}>` is `logs-2024.05.01` today,
 * `<logs-{now/M{yyyy.MM}}>` is `logs-2024.05`, `<logs-{now-1d/d}>` yesterday's.
 * All in UTC unless a time zone offset is given (`{now/d{yyyy.MM.dd|+01:00}}`).
 */
import { invalidIndexName } from '../errors.ts';

export function resolveDateMath(expression: string, now = Date.now()): string {
  if (!(expression.startsWith('<') && expression.endsWith('>'))) return expression;
  const inner = expression.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < inner.length) {
    const c = inner[i]!;
    if (c === '\\' && i + 1 < inner.length) {
      out += inner[i + 1];
      i += 2;
      continue;
    }
    if (c !== '{') {
      if (c === '}') throw invalidIndexName(expression, 'invalid character [}] in date math expression');
      out += c;
      i++;
      continue;
    }
    // {math{format|tz}}
    let depth = 0;
    let j = i;
    for (; j < inner.length; j++) {
      if (inner[j] === '{') depth++;
      else if (inner[j] === '}') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (depth !== 0) throw invalidIndexName(expression, 'date math placeholder is open ended');
    const body = inner.slice(i + 1, j);
    const braceAt = body.indexOf('{');
    const math = braceAt < 0 ? body : body.slice(0, braceAt);
    const formatPart = braceAt < 0 ? 'yyyy.MM.dd' : body.slice(braceAt + 1, body.lastIndexOf('}'));
    const [format, tz] = formatPart.split('|');
    const offsetMs = parseOffset(tz);
    out += formatDate(evaluate(math, now, offsetMs, expression), format || 'yyyy.MM.dd', offsetMs);
    i = j + 1;
  }
  return out;
}

function parseOffset(tz: string | undefined): number {
  if (!tz || tz === 'UTC' || tz === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Evaluates `now[+-N unit]*[/unit]` (also used for date values in range queries). */
export function evaluate(math: string, now: number, offsetMs = 0, context = math): number {
  if (!math.startsWith('now')) throw invalidIndexName(context, 'date math expression must start with now');
  let t = new Date(now + offsetMs);
  let rest = math.slice(3);
  while (rest.length) {
    const m = /^([+-])(\d+)([yMwdhHms])|^\/([yMwdhHms])/.exec(rest);
    if (!m) throw invalidIndexName(context, `invalid date math [${rest}]`);
    if (m[4]) t = roundDown(t, m[4]);
    else {
      const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
      const unit = m[3]!;
      if (unit === 'y') t = new Date(Date.UTC(t.getUTCFullYear() + n, t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds()));
      else if (unit === 'M') t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + n, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds()));
      else t = new Date(t.getTime() + n * UNIT_MS[unit]!);
    }
    rest = rest.slice(m[0].length);
  }
  return t.getTime() - offsetMs;
}

function roundDown(t: Date, unit: string): Date {
  const y = t.getUTCFullYear();
  const mo = t.getUTCMonth();
  const d = t.getUTCDate();
  switch (unit) {
    case 'y':
      return new Date(Date.UTC(y, 0, 1));
    case 'M':
      return new Date(Date.UTC(y, mo, 1));
    case 'w': {
      const day = (t.getUTCDay() + 6) % 7; // Monday first
      return new Date(Date.UTC(y, mo, d - day));
    }
    case 'd':
      return new Date(Date.UTC(y, mo, d));
    case 'h':
    case 'H':
      return new Date(Date.UTC(y, mo, d, t.getUTCHours()));
    case 'm':
      return new Date(Date.UTC(y, mo, d, t.getUTCHours(), t.getUTCMinutes()));
    default:
      return new Date(Date.UTC(y, mo, d, t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()));
  }
}

function formatDate(millis: number, format: string, offsetMs: number): string {
  const t = new Date(millis + offsetMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return format.replace(/yyyy|uuuu|yy|MM|dd|HH|mm|ss|SSS/g, (token) => {
    switch (token) {
      case 'yyyy':
      case 'uuuu':
        return String(t.getUTCFullYear());
      case 'yy':
        return pad(t.getUTCFullYear() % 100);
      case 'MM':
        return pad(t.getUTCMonth() + 1);
      case 'dd':
        return pad(t.getUTCDate());
      case 'HH':
        return pad(t.getUTCHours());
      case 'mm':
        return pad(t.getUTCMinutes());
      case 'ss':
        return pad(t.getUTCSeconds());
      default:
        return pad(t.getUTCMilliseconds(), 3);
    }
  });
}
