/**
 * The declarative message DSL: one `ApiSpec` per Kafka API declares its request and
 * response fields over the whole version range; `codec.ts` turns a spec into a decoder
 * and an encoder per version, and the types below turn it into TypeScript types, so the
 * types always match the schema.
 *
 *   { name: 'timeoutMs', type: 'int32', versions: '0+' }
 *   { name: 'transactionalId', type: 'string', versions: '3+', nullable: '3+', default: null }
 *   { name: 'topicData', type: 'struct[]', versions: '0+', fields: [ … ] }
 *   { name: 'replicaNodes', type: 'int32[]', versions: '0+' }
 *   { name: 'currentLeader', type: 'struct', versions: '12+', tag: 1, fields: [ … ] }
 *
 * Rules, following Kafka's message JSON:
 * - `name` is the Kafka JSON field name in camelCase (TopicData -> topicData).
 * - `versions` / `nullable` are version ranges: '0+', '3-6', '5' or 'none'.
 * - A field absent in a version is not on the wire; decoding fills in its default, and
 *   encoding leaves it out (a non-default value is dropped silently, unlike Kafka, which
 *   throws for non-ignorable fields).
 * - Defaults are Kafka's: `default` when given, else 0, false, '', an empty Buffer, the
 *   zero UUID, [] for arrays, null for records and a struct of defaults for structs.
 * - From the API's first flexible version on, strings, bytes, arrays and records use the
 *   compact encodings and every struct ends with a tagged-field buffer.
 * - A field with `tag` is a tagged field in every version where it exists (all of them
 *   flexible); it is sent only when its value differs from the default. Unknown tags are
 *   skipped on decode.
 */

export type PrimitiveType =
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

export type FieldType = PrimitiveType | `${PrimitiveType}[]` | 'struct' | 'struct[]';

export interface FieldSpec {
  /** Property name: the Kafka JSON field name in camelCase. */
  readonly name: string;
  readonly type: FieldType;
  /** Versions in which the field exists. */
  readonly versions: string;
  /** Versions in which the value may be null (strings, bytes, records and arrays only). */
  readonly nullable?: string;
  /** The value when the field is absent (and the value a tagged field is not sent for). */
  readonly default?: number | string | boolean | null;
  /** Tag number: the field lives in the tagged-field buffer wherever it exists. */
  readonly tag?: number;
  /** Members of a struct or of each array element. */
  readonly fields?: readonly FieldSpec[];
}

export interface ApiSpec {
  readonly apiKey: number;
  /** Kafka's API name: 'Produce', 'ApiVersions'. */
  readonly name: string;
  /** The versions this codec implements, e.g. '0-11'. */
  readonly versions: string;
  /** Kafka's flexibleVersions: '9+' or 'none'. */
  readonly flexibleVersions: string;
  readonly request: readonly FieldSpec[];
  readonly response: readonly FieldSpec[];
}

// ---- version ranges ----

export interface VersionRange {
  readonly min: number;
  /** Infinity for open ranges ('3+'); min > max for 'none'. */
  readonly max: number;
}

const NONE: VersionRange = Object.freeze({ min: 1, max: 0 });

/** Parses '0+', '3-6', '5' or 'none'. */
export function parseVersions(text: string): VersionRange {
  if (text === 'none') return NONE;
  let m = /^(\d+)\+$/.exec(text);
  if (m) return { min: Number(m[1]), max: Number.POSITIVE_INFINITY };
  m = /^(\d+)-(\d+)$/.exec(text);
  if (m && Number(m[1]) <= Number(m[2])) return { min: Number(m[1]), max: Number(m[2]) };
  m = /^(\d+)$/.exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[1]) };
  throw new Error(`bad version range ${JSON.stringify(text)} (use '0+', '3-6', '5' or 'none')`);
}

export function inVersions(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}

// ---- TypeScript types derived from a schema ----

/** Decoded values per primitive type. */
export interface PrimitiveValues {
  int8: number;
  int16: number;
  uint16: number;
  int32: number;
  uint32: number;
  int64: number;
  float64: number;
  bool: boolean;
  string: string;
  /** A zero-copy view of the decoded buffer. */
  bytes: Buffer;
  /** A zero-copy view of the decoded buffer (record batches, not parsed here). */
  records: Buffer;
  /** Canonical lowercase UUID string. */
  uuid: string;
}

/** Accepted values per primitive type when encoding. */
export interface PrimitiveInputs extends Omit<PrimitiveValues, 'bytes' | 'records'> {
  bytes: Uint8Array;
  records: Uint8Array;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type MembersOf<F> = F extends { readonly fields: infer Fs extends readonly FieldSpec[] } ? Fs : readonly [];
type OrNull<F, T> = F extends { readonly nullable: string } ? T | null : T;

type DecodedValue<F extends FieldSpec> = F['type'] extends 'struct'
  ? Decoded<MembersOf<F>>
  : F['type'] extends 'struct[]'
    ? Decoded<MembersOf<F>>[]
    : F['type'] extends `${infer P extends PrimitiveType}[]`
      ? PrimitiveValues[P][]
      : F['type'] extends PrimitiveType
        ? PrimitiveValues[F['type']]
        : never;

type InputValue<F extends FieldSpec> = F['type'] extends 'struct'
  ? Input<MembersOf<F>, F['versions']>
  : F['type'] extends 'struct[]'
    ? Input<MembersOf<F>, F['versions']>[]
    : F['type'] extends `${infer P extends PrimitiveType}[]`
      ? PrimitiveInputs[P][]
      : F['type'] extends PrimitiveType
        ? PrimitiveInputs[F['type']]
        : never;

/**
 * Required when encoding: untagged, no explicit default, and present in every version
 * where the enclosing struct exists (`Within`: '0+' for the message itself).
 */
type IsRequired<F extends FieldSpec, Within extends string> = F extends { readonly tag: number }
  ? false
  : F extends { readonly default: unknown }
    ? false
    : F['versions'] extends '0+' | Within
      ? true
      : false;

/**
 * A decoded struct: every declared field is present (absent ones hold their default),
 * nullable ones may be null.
 */
export type Decoded<Fs extends readonly FieldSpec[]> = Simplify<{
  -readonly [F in Fs[number] as F['name']]: OrNull<F, DecodedValue<F>>;
}>;

/**
 * What the encoder accepts: fields that exist in every version of their struct and have
 * no explicit default are required; the others may be left out (their default is
 * written in the versions that have them).
 */
export type Input<Fs extends readonly FieldSpec[], Within extends string = '0+'> = Simplify<
  { [F in Fs[number] as IsRequired<F, Within> extends true ? F['name'] : never]: OrNull<F, InputValue<F>> } & {
    [F in Fs[number] as IsRequired<F, Within> extends true ? never : F['name']]?: OrNull<F, InputValue<F>>;
  }
>;
