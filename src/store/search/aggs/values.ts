/** Small helpers on request values: JSON token names for errors, Java's printing of doubles. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Jackson token a value would start with, as Elasticsearch's parse errors name it. */
export function tokenName(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return 'VALUE_NUMBER';
  if (typeof value === 'boolean') return 'VALUE_BOOLEAN';
  if (value === null) return 'VALUE_NULL';
  return 'START_OBJECT';
}

/** A double as Java's Double.toString prints it (`100.0`, `1.5`, `1.0E10`). */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') || s.includes('e') ? plain(s) : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

function plain(s: string): string {
  if (!s.includes('e')) return s;
  return Number(s).toFixed(20).replace(/0+$/, '').replace(/\.$/, '.0');
}
