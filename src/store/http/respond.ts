/**
 * Response bodies: JSON with `_source`s spliced in as the raw bytes they were stored as
 * (no parse, no re-serialization on the common path), or, with `pretty` / `filter_path`
 * / source filtering, parsed and re-encoded.
 */
import { randomBytes } from 'node:crypto';
import { filterPath } from './filter-path.ts';

/** A JSON value kept as the bytes it was received as. */
export class RawJson {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  parse(): unknown {
    return JSON.parse(Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('utf8'));
  }
}

export interface SerializeOptions {
  pretty?: boolean;
  filterPath?: string | undefined;
  /** The value may hold RawJson parts (a replacer function makes JSON.stringify several times slower, so only then). */
  raw?: boolean;
}

export function serialize(value: unknown, options: SerializeOptions = {}): string {
  if (options.pretty || options.filterPath) {
    let plain = options.raw ? materialize(value) : value;
    if (options.filterPath) plain = filterPath(plain, options.filterPath);
    return options.pretty ? `${JSON.stringify(plain, null, 2)}\n` : JSON.stringify(plain);
  }
  if (!options.raw) return JSON.stringify(value);
  const raws: RawJson[] = [];
  const nonce = randomBytes(6).toString('hex');
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v);
      return `\u0000${nonce}${raws.length - 1}`;
    }
    return v;
  });
  if (raws.length === 0) return text;
  const marker = new RegExp(`"\\\\u0000${nonce}(\\d+)"`, 'g');
  return text.replace(marker, (_m, i: string) => Buffer.from(raws[Number(i)]!.bytes).toString('utf8'));
}

/** The value with every RawJson parsed. */
export function materialize(value: unknown): unknown {
  if (value instanceof RawJson) return value.parse();
  if (Array.isArray(value)) return value.map(materialize);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = materialize(v);
    return out;
  }
  return value;
}
