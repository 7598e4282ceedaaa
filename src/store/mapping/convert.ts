/**
 * Turns one JSON value into the value a leaf field of a given type indexes, with
 * Elasticsearch's coercion rules (`"12"` into a long is 12, `1.9` into a long is 1, a
 * number into a keyword is its text), or explains why it cannot.
 */
import { isIP } from 'node:net';
import type { Leaf } from './mapping.ts';
import { DATE_TYPES, FLOAT_TYPES, INTEGER_TYPES, KEYWORD_TYPES, TEXT_TYPES } from './types.ts';

/** The value is valid but not indexed (ignore_above, ignore_malformed, null). */
export const SKIP = Symbol('skip');

/** Why a value does not fit a field; the document parser wraps it in Elasticsearch's message. */
export class FieldValueError extends Error {
  readonly causeType: string;
  constructor(reason: string, causeType = 'illegal_argument_exception') {
    super(reason);
    this.causeType = causeType;
  }
}

export type IndexedValue = string | number | boolean;

export function convertValue(leaf: Leaf, value: unknown): IndexedValue | typeof SKIP {
  try {
    return convert(leaf, value);
  } catch (error) {
    if (error instanceof FieldValueError && leaf.def.ignore_malformed === true) return SKIP;
    throw error;
  }
}

function convert(leaf: Leaf, value: unknown): IndexedValue | typeof SKIP {
  const { type, def } = leaf;
  if (typeof value === 'object' && value !== null && type !== 'flattened') {
    throw new FieldValueError(`Can't get text on a START_OBJECT`, 'illegal_state_exception');
  }
  if (KEYWORD_TYPES.has(type)) {
    const text = String(value);
    if (type === 'constant_keyword' && def.value !== undefined && text !== String(def.value)) {
      throw new FieldValueError(`[constant_keyword] field [${leaf.path}] only accepts values that are equal to the value defined in the mappings [${def.value}], but got [${text}]`);
    }
    // UTF-16 length bounds the code point count: count code points only when it could matter.
    if (def.ignore_above !== undefined && text.length > def.ignore_above && [...text].length > def.ignore_above) return SKIP;
    return text;
  }
  if (TEXT_TYPES.has(type)) return String(value);
  if (type in INTEGER_TYPES) return toInteger(leaf, value);
  if (FLOAT_TYPES.has(type)) return toFloat(leaf, value);
  if (DATE_TYPES.has(type)) {
    const parsed = typeof value === 'number' || typeof value === 'string' ? leaf.parseDate!(value) : null;
    if (parsed === null) {
      throw new FieldValueError(`failed to parse date field [${String(value)}] with format [${def.format ?? 'strict_date_optional_time||epoch_millis'}]`);
    }
    return parsed;
  }
  if (type === 'boolean') {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false' || value === '') return false;
    throw new FieldValueError(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
  }
  if (type === 'ip') {
    const text = String(value);
    if (typeof value !== 'string' || isIP(text) === 0) throw new FieldValueError(`'${text}' is not an IP string literal.`);
    return text.toLowerCase();
  }
  if (type === 'flattened') return JSON.stringify(value);
  return SKIP;
}

function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  }
  if (typeof value === 'boolean') throw new FieldValueError(`Current token (VALUE_${value ? 'TRUE' : 'FALSE'}) not numeric, can not use numeric value accessors`, 'x_content_parse_exception');
  throw new FieldValueError(`For input string: "${String(value)}"`);
}

function toInteger(leaf: Leaf, value: unknown): number {
  const n = numberOf(value);
  const coerce = leaf.def.coerce !== false;
  if (!Number.isInteger(n)) {
    if (!coerce || (typeof value === 'string' && !coerce)) throw new FieldValueError(`Value [${String(value)}] has a decimal part`);
    if (!Number.isFinite(n)) throw new FieldValueError(`[${leaf.type}] supports only finite values, but got [${n}]`);
  } else if (!coerce && typeof value === 'string') {
    throw new FieldValueError(`Value [${value}] is a string and [coerce] is false`);
  }
  const truncated = Math.trunc(n);
  const [min, max] = INTEGER_TYPES[leaf.type]!;
  if (truncated < min || truncated > max) {
    const what = leaf.type === 'long' ? 'a long' : leaf.type === 'integer' ? 'an integer' : leaf.type === 'unsigned_long' ? 'an unsigned long' : `a ${leaf.type}`;
    throw new FieldValueError(`Value [${String(value)}] is out of range for ${what}`);
  }
  return truncated;
}

function toFloat(leaf: Leaf, value: unknown): number {
  if (leaf.def.coerce === false && typeof value === 'string') throw new FieldValueError(`Value [${value}] is a string and [coerce] is false`);
  const n = numberOf(value);
  if (!Number.isFinite(n)) throw new FieldValueError(`[${leaf.type}] supports only finite values, but got [${n}]`);
  if (leaf.type === 'scaled_float') {
    const factor = Number(leaf.def.scaling_factor ?? 1);
    return Math.round(n * factor) / factor;
  }
  return n;
}
