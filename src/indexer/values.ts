/**
 * Value conversions shared by filters, with Logstash's (Ruby's) lenient rules:
 * `"12abc"` → 12, `"abc"` → 0 for integers; decimals are truncated.
 */

/** Ruby's String#to_i: leading integer, 0 when there is none. */
export function rubyToInt(text: string): number {
  if (/^[+-]?\d{1,15}$/.test(text)) return Number(text);
  const m = /^\s*([+-]?\d+)/.exec(text.replaceAll('_', ''));
  if (m === null) return 0;
  const n = Number.parseInt(m[1]!, 10);
  return Number.isFinite(n) ? n : 0;
}

/** Ruby's String#to_f: leading decimal number, 0 when there is none. */
export function rubyToFloat(text: string): number {
  const m = /^\s*([+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text.replaceAll('_', ''));
  return m === null ? 0 : Number(m[1]);
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1', '1.0']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', '0.0']);

/** Logstash's boolean conversion; anything unrecognized is returned unchanged. */
export function toBoolean(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return value;
}

/** JSON with object keys sorted, for stable hashing of structured values. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
