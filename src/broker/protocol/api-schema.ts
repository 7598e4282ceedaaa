import { type StructCodec, compileStruct } from './codec.ts';
import { ProtocolDecodeError, ProtocolEncodeError } from './errors.ts';
import { Reader } from './reader.ts';
import { type ApiSpec, type Decoded, type Input, parseVersions } from './schema.ts';
import { Writer } from './writer.ts';

/**
 * One Kafka API: its spec plus the four codec functions, compiled lazily per version.
 *
 *   const body = produce.decodeRequest(9, frame, header.bodyOffset);   // ProduceRequest
 *   const chunks = produce.encodeResponse(9, { responses: [...] });     // Buffer[]
 *
 * Decoders read from `offset` to the end of the buffer and ignore trailing bytes (as
 * Kafka does); `readRequest`/`readResponse` take a Reader instead, for callers that need
 * to know where the body ended. Encoders return chunks (see Writer); `writeRequest`/
 * `writeResponse` append to a Writer instead.
 */
export class ApiSchema<Req, Res, ReqIn, ResIn> {
  readonly spec: ApiSpec;
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible version, or null when no version is flexible. */
  readonly firstFlexibleVersion: number | null;
  private readonly requestCodecs: StructCodec[] = [];
  private readonly responseCodecs: StructCodec[] = [];

  constructor(spec: ApiSpec) {
    const range = parseVersions(spec.versions);
    if (!Number.isFinite(range.max)) throw new Error(`${spec.name}: the codec range must be closed, not ${spec.versions}`);
    const flexible = parseVersions(spec.flexibleVersions);
    if (flexible.min <= flexible.max && Number.isFinite(flexible.max)) {
      throw new Error(`${spec.name}: flexibleVersions must be open ('9+') or 'none'`);
    }
    this.spec = spec;
    this.apiKey = spec.apiKey;
    this.name = spec.name;
    this.minVersion = range.min;
    this.maxVersion = range.max;
    this.firstFlexibleVersion = flexible.min <= flexible.max ? flexible.min : null;
  }

  hasVersion(version: number): boolean {
    return Number.isInteger(version) && version >= this.minVersion && version <= this.maxVersion;
  }

  /** Whether `version` uses compact encodings and tag buffers (also for versions above the range). */
  isFlexible(version: number): boolean {
    return this.firstFlexibleVersion !== null && version >= this.firstFlexibleVersion;
  }

  decodeRequest(version: number, buf: Buffer, offset = 0): Req {
    return this.readRequest(version, new Reader(buf, offset));
  }

  decodeResponse(version: number, buf: Buffer, offset = 0): Res {
    return this.readResponse(version, new Reader(buf, offset));
  }

  encodeRequest(version: number, body: ReqIn): Buffer[] {
    const w = new Writer();
    this.writeRequest(version, w, body);
    return w.finish();
  }

  encodeResponse(version: number, body: ResIn): Buffer[] {
    const w = new Writer();
    this.writeResponse(version, w, body);
    return w.finish();
  }

  readRequest(version: number, r: Reader): Req {
    return this.read('request', version, r) as Req;
  }

  readResponse(version: number, r: Reader): Res {
    return this.read('response', version, r) as Res;
  }

  writeRequest(version: number, w: Writer, body: ReqIn): void {
    this.write('request', version, w, body);
  }

  writeResponse(version: number, w: Writer, body: ResIn): void {
    this.write('response', version, w, body);
  }

  /** The compiled plan of one version (built on first use). */
  codec(kind: 'request' | 'response', version: number): StructCodec {
    const cache = kind === 'request' ? this.requestCodecs : this.responseCodecs;
    let codec = cache[version];
    if (codec === undefined) {
      const fields = kind === 'request' ? this.spec.request : this.spec.response;
      codec = compileStruct(fields, version, this.isFlexible(version));
      cache[version] = codec;
    }
    return codec;
  }

  private read(kind: 'request' | 'response', version: number, r: Reader): unknown {
    const label = `${this.name} v${version} ${kind}`;
    if (!this.hasVersion(version)) {
      throw new ProtocolDecodeError(`unsupported version (this codec has v${this.minVersion}-${this.maxVersion})`, r.offset).inMessage(label);
    }
    try {
      return this.codec(kind, version).decode(r);
    } catch (error) {
      if (error instanceof ProtocolDecodeError) error.inMessage(label);
      throw error;
    }
  }

  private write(kind: 'request' | 'response', version: number, w: Writer, body: unknown): void {
    const label = `${this.name} v${version} ${kind}`;
    if (!this.hasVersion(version)) {
      throw new ProtocolEncodeError(`unsupported version (this codec has v${this.minVersion}-${this.maxVersion})`).inMessage(label);
    }
    try {
      this.codec(kind, version).encode(w, body as Record<string, unknown>);
    } catch (error) {
      if (error instanceof ProtocolEncodeError) error.inMessage(label);
      throw error;
    }
  }
}

/** The ApiSchema type of a spec, with its request/response body types. */
export type ApiOf<S extends ApiSpec> = ApiSchema<
  Decoded<S['request']>,
  Decoded<S['response']>,
  Input<S['request']>,
  Input<S['response']>
>;

/** Declares one API. The `const` type parameter keeps the literal field specs for the types. */
export function defineApi<const S extends ApiSpec>(spec: S): ApiOf<S> {
  return new ApiSchema(spec) as ApiOf<S>;
}

/** Decoded request body of an API (what the broker's handler receives). */
export type RequestOf<A> = A extends ApiSchema<infer Req, unknown, unknown, unknown> ? Req : never;
/** Decoded response body of an API. */
export type ResponseOf<A> = A extends ApiSchema<unknown, infer Res, unknown, unknown> ? Res : never;
/** Request body accepted by the encoder (optional fields may be left out). */
export type RequestInputOf<A> = A extends ApiSchema<unknown, unknown, infer In, unknown> ? In : never;
/** Response body accepted by the encoder (what a handler returns). */
export type ResponseInputOf<A> = A extends ApiSchema<unknown, unknown, unknown, infer In> ? In : never;
