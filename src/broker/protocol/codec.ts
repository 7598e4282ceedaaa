import { ProtocolDecodeError, ProtocolEncodeError } from './errors.ts';
import type { Reader } from './reader.ts';
import { type FieldSpec, type PrimitiveType, inVersions, parseVersions } from './schema.ts';
import { Writer } from './writer.ts';

/**
 * Turns a list of FieldSpecs into a decoder and an encoder for one version ("the plan").
 * Plans are built once per (message, version) by ApiSchema and reused; decoding a struct
 * is then one loop over precompiled per-field read functions, with no version checks.
 */

type Row = Record<string, unknown>;
type Read = (r: Reader) => unknown;
type Write = (w: Writer, v: unknown) => void;

export interface StructCodec {
  decode(r: Reader): Row;
  encode(w: Writer, value: Row): void;
  /** Fewest bytes one encoded struct takes (bounds forged array counts). */
  readonly minBytes: number;
}

interface FieldCodec {
  read: Read;
  write: Write;
  minBytes: number;
}

interface Step {
  name: string;
  /** null: the field is absent in this version or tagged; `def` gives its value. */
  read: Read | null;
  write: Write | null;
  def: () => unknown;
}

interface TaggedStep {
  tag: number;
  name: string;
  read: Read;
  write: Write;
  isDefault: (v: unknown) => boolean;
}

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const EMPTY_BYTES = Buffer.alloc(0);

export function compileStruct(fields: readonly FieldSpec[], version: number, flexible: boolean): StructCodec {
  const steps: Step[] = [];
  const tagged: TaggedStep[] = [];
  let minBytes = flexible ? 1 : 0;
  for (const f of fields) {
    const def = defaultOf(f);
    if (!inVersions(parseVersions(f.versions), version)) {
      steps.push({ name: f.name, read: null, write: null, def });
      continue;
    }
    const codec = compileField(f, version, flexible);
    if (f.tag !== undefined) {
      if (!flexible) throw new Error(`tagged field ${f.name} exists in v${version}, which is not flexible`);
      if (tagged.some((t) => t.tag === f.tag)) throw new Error(`tag ${f.tag} is used twice (field ${f.name})`);
      tagged.push({ tag: f.tag, name: f.name, read: codec.read, write: codec.write, isDefault: defaultTest(f) });
      steps.push({ name: f.name, read: null, write: null, def });
      continue;
    }
    steps.push({ name: f.name, read: codec.read, write: codec.write, def });
    minBytes += codec.minBytes;
  }
  tagged.sort((a, b) => a.tag - b.tag);
  const byTag = new Map(tagged.map((t) => [t.tag, t]));
  const count = steps.length;

  function decode(r: Reader): Row {
    const row: Row = {};
    let i = 0;
    try {
      for (; i < count; i++) {
        const step = steps[i]!;
        row[step.name] = step.read === null ? step.def() : step.read(r);
      }
    } catch (error) {
      throw withPath(error, steps[i]!.name);
    }
    if (flexible) readTaggedFields(r, row, byTag);
    return row;
  }

  function encode(w: Writer, row: Row): void {
    if (row === null || typeof row !== 'object') throw new ProtocolEncodeError(`${String(row)} is not a struct`);
    let i = 0;
    try {
      for (; i < count; i++) {
        const step = steps[i]!;
        if (step.write === null) continue;
        const v = row[step.name];
        step.write(w, v === undefined ? step.def() : v);
      }
    } catch (error) {
      throw withPath(error, steps[i]!.name);
    }
    if (flexible) {
      if (tagged.length === 0) w.emptyTaggedFields();
      else writeTaggedFields(w, row, tagged);
    }
  }

  return { decode, encode, minBytes };
}

function readTaggedFields(r: Reader, row: Row, byTag: Map<number, TaggedStep>): void {
  const at = r.offset;
  const count = r.uvarint('tagged field count');
  if (count * 2 > r.remaining) {
    throw new ProtocolDecodeError(`tagged field count ${count} exceeds the ${r.remaining} bytes left`, at);
  }
  for (let k = 0; k < count; k++) {
    const tag = r.uvarint('tag');
    const size = r.uvarint('tagged field size');
    r.need(size, `tagged field ${tag}`);
    const step = byTag.get(tag);
    const end = r.offset + size;
    if (step !== undefined) {
      const outerEnd = r.end;
      r.end = end;
      try {
        row[step.name] = step.read(r);
      } catch (error) {
        throw withPath(error, step.name);
      } finally {
        r.end = outerEnd;
      }
    }
    r.offset = end;
  }
}

function writeTaggedFields(w: Writer, row: Row, tagged: readonly TaggedStep[]): void {
  const sending: TaggedStep[] = [];
  for (const t of tagged) {
    const v = row[t.name];
    if (v !== undefined && !t.isDefault(v)) sending.push(t);
  }
  w.uvarint(sending.length);
  for (const t of sending) {
    const inner = new Writer(64);
    try {
      t.write(inner, row[t.name]);
    } catch (error) {
      throw withPath(error, t.name);
    }
    const chunks = inner.finish();
    w.uvarint(t.tag);
    w.uvarint(inner.length);
    w.append(chunks);
  }
}

function withPath(error: unknown, segment: string): unknown {
  if (error instanceof ProtocolDecodeError || error instanceof ProtocolEncodeError) error.within(segment);
  return error;
}

// ---- one field ----

function compileField(f: FieldSpec, version: number, flexible: boolean): FieldCodec {
  const nullable = f.nullable !== undefined && inVersions(parseVersions(f.nullable), version);
  if (f.type === 'struct') {
    if (f.fields === undefined) throw new Error(`struct field ${f.name} has no fields`);
    if (f.nullable !== undefined) throw new Error(`struct field ${f.name} cannot be nullable`);
    const inner = compileStruct(f.fields, version, flexible);
    return { read: (r) => inner.decode(r), write: (w, v) => inner.encode(w, v as Row), minBytes: inner.minBytes };
  }
  if (f.type === 'struct[]') {
    if (f.fields === undefined) throw new Error(`struct array ${f.name} has no fields`);
    const inner = compileStruct(f.fields, version, flexible);
    return arrayCodec(inner.decode, inner.encode as Write, inner.minBytes, nullable, flexible);
  }
  if (f.type.endsWith('[]')) {
    const element = primitiveCodec(f.type.slice(0, -2) as PrimitiveType, false, flexible, f.name);
    return arrayCodec(element.read, element.write, element.minBytes, nullable, flexible);
  }
  if (f.fields !== undefined) throw new Error(`field ${f.name} of type ${f.type} cannot have fields`);
  return primitiveCodec(f.type as PrimitiveType, nullable, flexible, f.name);
}

function arrayCodec(readOne: Read, writeOne: Write, minBytes: number, nullable: boolean, flexible: boolean): FieldCodec {
  const read: Read = (r) => {
    const n = flexible ? r.compactArrayLength(minBytes, nullable) : r.arrayLength(minBytes, nullable);
    if (n < 0) return null;
    const out: unknown[] = [];
    let i = 0;
    try {
      for (; i < n; i++) out.push(readOne(r));
    } catch (error) {
      throw withPath(error, `[${i}]`);
    }
    return out;
  };
  const write: Write = (w, v) => {
    if (v === null) {
      if (!nullable) throw new ProtocolEncodeError('null is not allowed for this array');
    } else if (!Array.isArray(v)) {
      throw new ProtocolEncodeError(`${typeof v} is not an array`);
    }
    const list = v as unknown[] | null;
    if (flexible) w.compactArrayLength(list === null ? null : list.length);
    else w.arrayLength(list === null ? null : list.length);
    if (list === null) return;
    let i = 0;
    try {
      for (; i < list.length; i++) writeOne(w, list[i]);
    } catch (error) {
      throw withPath(error, `[${i}]`);
    }
  };
  return { read, write, minBytes: flexible ? 1 : 4 };
}

function primitiveCodec(type: PrimitiveType, nullable: boolean, flexible: boolean, name: string): FieldCodec {
  switch (type) {
    case 'int8':
      return { read: (r) => r.int8(), write: (w, v) => w.int8(v as number), minBytes: 1 };
    case 'int16':
      return { read: (r) => r.int16(), write: (w, v) => w.int16(v as number), minBytes: 2 };
    case 'uint16':
      return { read: (r) => r.uint16(), write: (w, v) => w.uint16(v as number), minBytes: 2 };
    case 'int32':
      return { read: (r) => r.int32(), write: (w, v) => w.int32(v as number), minBytes: 4 };
    case 'uint32':
      return { read: (r) => r.uint32(), write: (w, v) => w.uint32(v as number), minBytes: 4 };
    case 'int64':
      return { read: (r) => r.int64(), write: (w, v) => w.int64(v as number), minBytes: 8 };
    case 'float64':
      return { read: (r) => r.float64(), write: (w, v) => w.float64(v as number), minBytes: 8 };
    case 'bool':
      return { read: (r) => r.bool(), write: (w, v) => w.bool(v as boolean), minBytes: 1 };
    case 'uuid':
      return { read: (r) => r.uuid(), write: (w, v) => w.uuid(v as string), minBytes: 16 };
    case 'string':
      if (flexible) {
        return nullable
          ? { read: (r) => r.compactNullableString(), write: (w, v) => w.compactNullableString(v as string | null), minBytes: 1 }
          : { read: (r) => r.compactString(), write: (w, v) => w.compactString(v as string), minBytes: 1 };
      }
      return nullable
        ? { read: (r) => r.nullableString(), write: (w, v) => w.nullableString(v as string | null), minBytes: 2 }
        : { read: (r) => r.string(), write: (w, v) => w.string(v as string), minBytes: 2 };
    case 'bytes':
      if (flexible) {
        return nullable
          ? { read: (r) => r.compactNullableBytes(), write: (w, v) => w.compactNullableBytes(v as Uint8Array | null), minBytes: 1 }
          : { read: (r) => r.compactBytes(), write: (w, v) => w.compactBytes(v as Uint8Array), minBytes: 1 };
      }
      return nullable
        ? { read: (r) => r.nullableBytes(), write: (w, v) => w.nullableBytes(v as Uint8Array | null), minBytes: 4 }
        : { read: (r) => r.bytes(), write: (w, v) => w.bytes(v as Uint8Array), minBytes: 4 };
    case 'records':
      if (!nullable) throw new Error(`records field ${name} must be nullable (Kafka's RECORDS always is)`);
      return flexible
        ? { read: (r) => r.compactNullableBytes(), write: (w, v) => w.compactNullableBytes(v as Uint8Array | null), minBytes: 1 }
        : { read: (r) => r.nullableBytes(), write: (w, v) => w.nullableBytes(v as Uint8Array | null), minBytes: 4 };
    default:
      throw new Error(`field ${name} has unknown type ${String(type)}`);
  }
}

// ---- defaults ----

/** A function returning a fresh default value for the field (arrays and structs are new each time). */
export function defaultOf(f: FieldSpec): () => unknown {
  if (f.default !== undefined) {
    const value = f.default;
    return () => value;
  }
  if (f.type === 'struct') {
    const members = (f.fields ?? []).map((m) => [m.name, defaultOf(m)] as const);
    return () => {
      const row: Row = {};
      for (const [name, def] of members) row[name] = def();
      return row;
    };
  }
  if (f.type.endsWith('[]')) return () => [];
  switch (f.type) {
    case 'bool':
      return () => false;
    case 'string':
      return () => '';
    case 'bytes':
      return () => EMPTY_BYTES;
    case 'records':
      return () => null;
    case 'uuid':
      return () => ZERO_UUID;
    default:
      return () => 0;
  }
}

/** Whether a value equals the field's default (a tagged field with it is not sent). */
function defaultTest(f: FieldSpec): (v: unknown) => boolean {
  const def = defaultOf(f)();
  return (v) => sameValue(v, def);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase() && b === ZERO_UUID;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  const ra = a as Row;
  const rb = b as Row;
  for (const key of Object.keys(rb)) {
    if (ra[key] !== undefined && !sameValue(ra[key], rb[key])) return false;
  }
  return true;
}
