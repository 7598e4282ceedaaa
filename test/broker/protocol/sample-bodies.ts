/**
 * Builds message bodies from a schema for one version, independently of the codec:
 * `input` is what a caller would pass to an encoder, `expected` what decoding must give
 * back (fields absent in the version hold their defaults).
 *
 * - 'full': every field present; tagged fields set to non-default values; arrays of two
 *   elements; nullable fields non-null; one records buffer above the writer's zero-copy
 *   threshold.
 * - 'nulls': null wherever the version allows it, empty arrays elsewhere, tagged fields
 *   left out.
 */
import { type FieldSpec, inVersions, parseVersions } from '../../../src/broker/protocol/schema.ts';

export type Variant = 'full' | 'nulls';
type Row = Record<string, unknown>;

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export interface Sample {
  input: Row;
  expected: Row;
}

/** Small deterministic PRNG (mulberry32), so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleBody(fields: readonly FieldSpec[], version: number, variant: Variant, seed = 1): Sample {
  const state = { n: seed, bigRecords: variant === 'full' };
  return struct(fields, version, variant, state);
}

interface State {
  n: number;
  bigRecords: boolean;
}

function struct(fields: readonly FieldSpec[], version: number, variant: Variant, state: State): Sample {
  const input: Row = {};
  const expected: Row = {};
  for (const f of fields) {
    if (!inVersions(parseVersions(f.versions), version)) {
      expected[f.name] = defaultValue(f);
      continue;
    }
    if (f.tag !== undefined && variant === 'nulls') {
      expected[f.name] = defaultValue(f);
      continue;
    }
    const sample = fieldValue(f, version, variant, state);
    input[f.name] = sample.input;
    expected[f.name] = sample.expected;
  }
  return { input, expected };
}

function fieldValue(f: FieldSpec, version: number, variant: Variant, state: State): { input: unknown; expected: unknown } {
  const nullable = f.nullable !== undefined && inVersions(parseVersions(f.nullable), version);
  if (nullable && variant === 'nulls') return { input: null, expected: null };
  if (f.type === 'struct') return struct(f.fields ?? [], version, variant, state);
  if (f.type.endsWith('[]')) {
    const count = variant === 'full' ? 2 : 0;
    const input: unknown[] = [];
    const expected: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const element =
        f.type === 'struct[]'
          ? struct(f.fields ?? [], version, variant, state)
          : primitive(f.type.slice(0, -2), f, state);
      input.push(element.input);
      expected.push(element.expected);
    }
    return { input, expected };
  }
  return primitive(f.type, f, state);
}

function primitive(type: string, f: FieldSpec, state: State): { input: unknown; expected: unknown } {
  const n = ++state.n;
  let value: unknown;
  switch (type) {
    case 'int8':
      value = (n % 200) - 100;
      break;
    case 'int16':
      value = (n * 37) % 30000;
      break;
    case 'uint16':
      value = 40000 + n;
      break;
    case 'int32':
      value = n % 2 === 0 ? 100000 + n : -200000 - n;
      break;
    case 'uint32':
      value = 3000000000 + n;
      break;
    case 'int64':
      value = n % 2 === 0 ? 2 ** 40 + n : -(2 ** 35) - n;
      break;
    case 'float64':
      value = n + 0.25;
      break;
    case 'bool':
      value = true;
      break;
    case 'string':
      value = n % 3 === 0 ? `${f.name}-${n}-héllo-日本` : `${f.name}-${n}`;
      break;
    case 'uuid':
      value = `${n.toString(16).padStart(8, '0')}-1234-4abc-8def-${(n * 7919).toString(16).padStart(12, '0')}`;
      break;
    case 'bytes':
      value = Buffer.from(Array.from({ length: 5 + (n % 7) }, (_, i) => (n + i) & 0xff));
      break;
    case 'records': {
      const length = state.bigRecords ? 2000 : 40 + (n % 13);
      state.bigRecords = false;
      value = Buffer.from(Array.from({ length }, (_, i) => (n * 31 + i) & 0xff));
      break;
    }
    default:
      throw new Error(`no sample for type ${type}`);
  }
  // A value equal to the default would not be sent as a tagged field: move off it.
  if (typeof value === 'number' && value === defaultValue(f)) value += 1;
  return { input: value, expected: value };
}

/** The default a decoder fills in for a field absent in the version (Kafka's rules). */
export function defaultValue(f: FieldSpec): unknown {
  if (f.default !== undefined) return f.default;
  if (f.type === 'struct') {
    const row: Row = {};
    for (const m of f.fields ?? []) row[m.name] = defaultValue(m);
    return row;
  }
  if (f.type.endsWith('[]')) return [];
  switch (f.type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    case 'uuid':
      return ZERO_UUID;
    default:
      return 0;
  }
}
